/**
 * Which grid levels a vector tile carries at which zoom, as data: a wall showing a whole city at
 * z 10 needs streets and communities, not 100,000 micro-grids. Rows are in ascending `minZoom`;
 * the last row whose `minZoom` ≤ z applies. Levels are depths (1 = street), so a city with five
 * levels shows them all from z 13 without a change here.
 */
export const TILE_LEVELS_BY_ZOOM: ReadonlyArray<{ minZoom: number; maxLevel: number }> = [
  { minZoom: 0, maxLevel: 2 }, //   z < 11: streets, communities
  { minZoom: 11, maxLevel: 3 }, // 11 ≤ z < 13: + grids
  { minZoom: 13, maxLevel: 9 }, //  z ≥ 13: every level (9 is the deepest grid_levels allows)
]

/** The deepest level shown at zoom `z`. */
export function maxLevelAtZoom(z: number): number {
  let maxLevel = 0
  for (const row of TILE_LEVELS_BY_ZOOM) if (row.minZoom <= z) maxLevel = row.maxLevel
  return maxLevel
}

/** Name of the layer of grids at depth `level`; label points share one layer, `labels`. */
export const gridLayerName = (level: number) => `grids-${level}`
export const LABELS_LAYER = 'labels'

/** Tile geometry: 4096 units a side, 64 units of buffer (what MapLibre and both encoders default to). */
export const TILE_EXTENT = 4096
export const TILE_BUFFER = 64
