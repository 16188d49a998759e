/** A position as `[longitude, latitude]` in degrees. Never `[lat, lng]`. */
export type LngLat = [lng: number, lat: number]

/** `[west, south, east, north]` in degrees. */
export type BBox = [west: number, south: number, east: number, north: number]

/** Mean Earth radius in metres (IUGG), used for quick great-circle distances. */
export const EARTH_RADIUS_M = 6_371_008.8

/**
 * Great-circle distance in metres between two WGS-84 positions (haversine).
 * Good to ~0.5 % — enough for "how far is the nearest grid", not for surveying.
 */
export function distanceM(a: LngLat, b: LngLat): number {
  const rad = Math.PI / 180
  const dLat = (b[1] - a[1]) * rad
  const dLng = (b[0] - a[0]) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}
