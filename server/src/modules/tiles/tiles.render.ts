import { type GeoJSONVTFeature, geoJSONToTile, type GeoJSONVTTile } from '@maplibre/geojson-vt'
import { fromGeojsonVt } from '@maplibre/vt-pbf'
import type { Feature, FeatureCollection, Geometry } from 'geojson'
import type { Db } from '../../db/db.ts'
import { gridLayerName, LABELS_LAYER, maxLevelAtZoom, TILE_BUFFER, TILE_EXTENT } from './tile-levels.ts'
import { GRID_TILE_FEATURES, GRID_TILE_MVT, TILE_GENERATION } from './tiles.queries.ts'

/**
 * How a tile is encoded: by PostGIS (ST_AsMVT, PostgreSQL) or in Node from GeoJSON that PostGIS
 * clipped and simplified (geojson-vt + vt-pbf; the only way on PGlite, built without protobuf).
 * 'auto' picks PostGIS where the backend has it. Both give the same layers and features.
 */
export type TileEncoder = 'auto' | 'postgis' | 'geojson-vt'

export interface TileAddress { z: number; x: number; y: number }

interface FeatureRow {
  id: number; code: string; name: string; level: number; parentId: number | null
  geometry: Geometry; label: Geometry | null
}

/** One tile unit at zoom z, in degrees of longitude: what PostGIS simplifies by before Node sees a polygon. */
const unitDeg = (z: number) => 360 / (2 ** z * TILE_EXTENT)
/** Decimals that keep a tenth of a tile unit (capped at 7, about a centimetre). */
const decimalsFor = (z: number) => Math.min(7, Math.max(2, Math.ceil(-Math.log10(unitDeg(z) / 10))))

/** The parameters of the shared selection (SELECTED in tiles.queries.ts). */
const selection = ({ z, x, y }: TileAddress) => [z, x, y, maxLevelAtZoom(z), TILE_BUFFER / TILE_EXTENT, (TILE_BUFFER + 0.5) / TILE_EXTENT]

async function encodeInPostgis(db: Db, { z, x, y }: TileAddress): Promise<Uint8Array> {
  const [row] = await db.query<{ tile: Uint8Array }>(GRID_TILE_MVT, [...selection({ z, x, y }), TILE_EXTENT, TILE_BUFFER])
  return row!.tile
}

/** Twice the signed area of a ring in tile units (shoelace). */
function ringArea(ring: ReadonlyArray<readonly number[]>): number {
  let sum = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!)
  return sum
}

/**
 * False for a polygon whose rings all collapsed to no area once rounded to tile units (a sliver
 * along the tile's edge): ST_AsMVTGeom leaves such a feature out, geojson-vt would keep it.
 * Points always stay.
 */
function hasArea(feature: GeoJSONVTFeature): boolean {
  if (feature.type !== 3) return true
  return (feature.geometry as ReadonlyArray<ReadonlyArray<readonly number[]>>).some((ring) => ringArea(ring) !== 0)
}

async function encodeInNode(db: Db, { z, x, y }: TileAddress): Promise<Uint8Array> {
  const rows = await db.query<FeatureRow>(GRID_TILE_FEATURES, [...selection({ z, x, y }), unitDeg(z) / 2, decimalsFor(z)])
  const collections = new Map<string, Feature[]>()
  const add = (layer: string, feature: Feature) => {
    const list = collections.get(layer)
    if (list) list.push(feature)
    else collections.set(layer, [feature])
  }
  for (const r of rows) {
    const properties = { id: r.id, code: r.code, name: r.name, level: r.level, parentId: r.parentId }
    add(gridLayerName(r.level), { type: 'Feature', id: r.id, geometry: r.geometry, properties })
    if (r.label) add(LABELS_LAYER, { type: 'Feature', id: r.id, geometry: r.label, properties })
  }
  const layers: Record<string, GeoJSONVTTile> = {}
  // Layers in the order PostGIS writes them: grids-1, grids-2, …, labels.
  const names = [...collections.keys()].sort((a, b) => (a === LABELS_LAYER ? 1 : b === LABELS_LAYER ? -1 : a.localeCompare(b, 'en', { numeric: true })))
  for (const name of names) {
    const collection: FeatureCollection = { type: 'FeatureCollection', features: collections.get(name)! }
    // maxZoom above any served z keeps the tolerance (half a unit) at every zoom. Polygons are clipped at the buffer as
    // ST_AsMVTGeom clips them; label points were chosen in SQL with the same box, and clipping them again here would
    // drop points on the box's edge that PostGIS keeps.
    const tile = geoJSONToTile(collection, z, x, y, { extent: TILE_EXTENT, buffer: TILE_BUFFER, tolerance: 0.5, maxZoom: 24, clip: name !== LABELS_LAYER, wrap: false })
    const features = tile.features.filter(hasArea)
    // GeoJSONVTTile types its features as both the internal and the transformed shape; these are the transformed ones.
    if (features.length > 0) layers[name] = { ...tile, features } as GeoJSONVTTile
  }
  if (Object.keys(layers).length === 0) return new Uint8Array(0)
  return fromGeojsonVt(layers, { version: 2, extent: TILE_EXTENT })
}

/**
 * The Mapbox Vector Tile of the current grid boundaries at z/x/y (XYZ), empty (0 bytes) when no
 * grid meets it. Exported for benchmarks: `renderGridTile(db, { z, x, y }, 'geojson-vt')` times
 * the Node path on PostgreSQL too. The caller checks that z/x/y is a tile (isTileInRange).
 */
export async function renderGridTile(db: Db, address: TileAddress, encoder: TileEncoder = 'auto'): Promise<Uint8Array> {
  const use = encoder === 'auto' ? (db.backend === 'postgres' ? 'postgis' : 'geojson-vt') : encoder
  return use === 'postgis' ? encodeInPostgis(db, address) : encodeInNode(db, address)
}

/** The newest boundary generation's id: a tile's version, for its ETag. */
export async function tileGeneration(db: Db): Promise<number> {
  const [row] = await db.query<{ id: number }>(TILE_GENERATION)
  return row!.id
}
