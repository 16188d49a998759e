import type { BBox, LngLat } from './lng-lat.ts'

/**
 * Web-Mercator map tiles (XYZ scheme, as MapLibre asks for them: y grows southwards, tile 0/0/0
 * is the whole world between ±85.0511° latitude). Pure math, WGS-84 degrees.
 */

/** Deepest zoom a tile is served for. */
export const MAX_TILE_ZOOM = 22

/** True when z/x/y names a tile: z in 0…MAX_TILE_ZOOM, x and y in 0…2^z − 1, all integers. */
export function isTileInRange(z: number, x: number, y: number): boolean {
  if (![z, x, y].every(Number.isInteger) || z < 0 || z > MAX_TILE_ZOOM) return false
  const n = 2 ** z
  return x >= 0 && x < n && y >= 0 && y < n
}

/** Latitude in degrees of the northern edge of tile row `y` at zoom `z` (y may be fractional). */
const rowLat = (y: number, z: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / 2 ** z))) * 180) / Math.PI

/**
 * The tile's bounds as [west, south, east, north] in degrees (WGS-84), grown by `bufferShare` of
 * the tile's width on every side (64 / 4096 = the usual vector-tile buffer). Mercator keeps a tile
 * a rectangle in longitude and latitude, so the box is exact, not an approximation.
 */
export function tileBBox(z: number, x: number, y: number, bufferShare = 0): BBox {
  const n = 2 ** z
  return [
    ((x - bufferShare) / n) * 360 - 180,
    rowLat(y + 1 + bufferShare, z),
    ((x + 1 + bufferShare) / n) * 360 - 180,
    rowLat(y - bufferShare, z),
  ]
}

/** The tile at zoom `z` that holds `position` ([lng, lat], WGS-84); latitudes beyond ±85.0511° clamp to the edge row. */
export function tileOf([lng, lat]: LngLat, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z
  const sin = Math.sin((Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI) / 180)
  const x = Math.floor(((lng + 180) / 360) * n)
  const y = Math.floor((0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * n)
  return { z, x: Math.min(n - 1, Math.max(0, x)), y: Math.min(n - 1, Math.max(0, y)) }
}
