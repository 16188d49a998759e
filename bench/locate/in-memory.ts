import type { LngLat } from '@gezhi/geo'
import Flatbush from 'flatbush'
import pointInPolygon from 'point-in-polygon-hao'
import type { Db } from '../../server/src/db/db.ts'

export interface InMemoryIndex {
  pieces: number
  leaves: number
  /** The leaf grid id containing `p` (lowest code on shared edges), or -1 when outside every piece. */
  locate(p: LngLat): number
}

/**
 * Baseline (a), the practical limit: the same leaf pieces the database searches, in a Flatbush
 * R-tree of their boxes, with an exact point-in-polygon test (point-in-polygon-hao) on the
 * candidates. It answers only "which leaf"; no staff board, no nearest grid for outside points.
 */
export async function loadInMemoryIndex(db: Db): Promise<InMemoryIndex> {
  const rows = await db.query<{ grid_id: number; code: string; geojson: string }>(`
    SELECT grid_id, code, ST_AsGeoJSON(geom) AS geojson FROM grid_pieces WHERE generation_to IS NULL ORDER BY grid_id`)
  const index = new Flatbush(rows.length)
  const rings = rows.map((r) => {
    const coordinates = (JSON.parse(r.geojson) as { coordinates: number[][][] }).coordinates
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity
    for (const [x, y] of coordinates[0]!) { x0 = Math.min(x0, x!); y0 = Math.min(y0, y!); x1 = Math.max(x1, x!); y1 = Math.max(y1, y!) }
    index.add(x0, y0, x1, y1)
    return coordinates
  })
  index.finish()
  const codes = rows.map((r) => r.code)
  const gridIds = rows.map((r) => r.grid_id)
  return {
    pieces: rows.length,
    leaves: new Set(gridIds).size,
    locate(p) {
      let best = -1
      for (const i of index.search(p[0], p[1], p[0], p[1])) {
        if (pointInPolygon(p, rings[i]!) !== false && (best < 0 || codes[i]! < codes[best]!)) best = i
      }
      return best < 0 ? -1 : gridIds[best]!
    },
  }
}
