import { type BBox, GezhiError, type GridDetail, type GridLevel } from '@gezhi/geo'
import type { Db } from '../../db/db.ts'
import { GRID_DETAIL, GRID_LABELS_GEOJSON, GRID_LEVELS, GRIDS_GEOJSON } from './grids.queries.ts'
import { detailForZoom } from './zoom.ts'

export interface GridFilter {
  level?: number
  parent?: number
  bbox?: BBox
  zoom?: number
}

export function gridsRepository(db: Db) {
  const filterParams = (f: GridFilter) => [f.level ?? null, f.parent ?? null, ...(f.bbox ?? [null, null, null, null])]

  return {
    /** A GeoJSON FeatureCollection as text, simplified for `zoom`. */
    async geojson(filter: GridFilter): Promise<string> {
      const { toleranceDeg, decimals } = detailForZoom(filter.zoom)
      const [row] = await db.query<{ body: string }>(GRIDS_GEOJSON, [...filterParams(filter), toleranceDeg, decimals])
      return row!.body
    },

    async labels(filter: GridFilter): Promise<string> {
      const [row] = await db.query<{ body: string }>(GRID_LABELS_GEOJSON, filterParams(filter))
      return row!.body
    },

    async detail(id: number): Promise<GridDetail> {
      const [row] = await db.query<{
        grid: GridDetail['grid']; chain: GridDetail['chain']; themes: string[]; staff: GridDetail['staff']
        households: number; population: number; party_centers: number; leaves: number
        children: GridDetail['children']; bbox: number[]; area_m2: number
        generation_id: number; generation_label: string; valid_from: Date
      }>(GRID_DETAIL, [id])
      if (!row) throw new GezhiError('GRID_NOT_FOUND', `no grid with id ${id}`)
      return {
        grid: row.grid, chain: row.chain, themes: row.themes, staff: row.staff,
        counts: { households: row.households, population: Number(row.population), partyCenters: row.party_centers, leaves: row.leaves },
        children: row.children,
        bbox: row.bbox as GridDetail['bbox'],
        areaM2: row.area_m2,
        generation: { id: row.generation_id, label: row.generation_label, validFrom: row.valid_from.toISOString() },
      }
    },

    levels: () => db.query<GridLevel>(GRID_LEVELS),
  }
}
