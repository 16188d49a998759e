import { invalid, VALID, type Validation } from './result.ts'

/**
 * Checks a `[lng, lat]` position in degrees: both finite numbers, longitude in [-180, 180],
 * latitude in [-90, 90]. The reason names the offending axis so an API can echo it.
 */
export function isValidLngLat(lng: unknown, lat: unknown): Validation {
  if (typeof lng !== 'number' || !Number.isFinite(lng)) return invalid(`longitude must be a finite number, got ${String(lng)}`)
  if (typeof lat !== 'number' || !Number.isFinite(lat)) return invalid(`latitude must be a finite number, got ${String(lat)}`)
  if (lng < -180 || lng > 180) return invalid(`longitude ${lng} is outside [-180, 180]`)
  if (lat < -90 || lat > 90) return invalid(`latitude ${lat} is outside [-90, 90]`)
  return VALID
}
