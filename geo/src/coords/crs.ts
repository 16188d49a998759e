import gcoord, { type CRSTypes } from 'gcoord'
import type { LngLat } from './lng-lat.ts'

/**
 * The datums phones and Chinese web maps send. WGS-84 is GPS (and, within centimetres, CGCS2000);
 * GCJ-02 is the obfuscated "Mars" datum of WeChat `wx.getLocation`, AMap and Tencent; BD-09 is
 * Baidu's. Confusing them puts a report 300–600 m away, in the wrong grid.
 */
export const CRS_LIST = ['wgs84', 'gcj02', 'bd09'] as const
export type Crs = (typeof CRS_LIST)[number]

const GCOORD: Record<Crs, CRSTypes> = {
  wgs84: gcoord.WGS84,
  gcj02: gcoord.GCJ02,
  bd09: gcoord.BD09,
}

/**
 * Converts `[lng, lat]` in `from` to WGS-84 (what the database stores). The GCJ-02 offset is only
 * applied inside China, as the national rule defines it; gcoord implements the published algorithm.
 * Returns a new array; the input is never modified.
 */
export function toWgs84(position: LngLat, from: Crs): LngLat {
  return convert(position, from, 'wgs84')
}

/** Converts a WGS-84 `[lng, lat]` into `to`, e.g. to draw on a GCJ-02 base map. Returns a new array. */
export function fromWgs84(position: LngLat, to: Crs): LngLat {
  return convert(position, 'wgs84', to)
}

/** Converts between any two supported datums. gcoord changes arrays in place, so we hand it a copy. */
export function convert(position: LngLat, from: Crs, to: Crs): LngLat {
  if (from === to) return [position[0], position[1]]
  const out = gcoord.transform([position[0], position[1]] as [number, number], GCOORD[from], GCOORD[to])
  return [out[0], out[1]]
}
