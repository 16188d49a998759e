import type { BBox } from '../coords/lng-lat.ts'
import { isValidLngLat } from './is-valid-lng-lat.ts'
import { invalid, VALID, type Validation } from './result.ts'

/** Checks `[west, south, east, north]`; west may exceed east only across the antimeridian, which Gezhi never needs. */
export function isValidBBox(bbox: readonly number[]): Validation {
  if (bbox.length !== 4) return invalid(`bbox needs 4 numbers west,south,east,north; got ${bbox.length}`)
  const [w, s, e, n] = bbox as BBox
  for (const [lng, lat] of [[w, s], [e, n]]) {
    const v = isValidLngLat(lng, lat)
    if (!v.valid) return invalid(`bbox: ${v.reason}`)
  }
  if (w > e) return invalid(`bbox west ${w} is east of east ${e}`)
  if (s > n) return invalid(`bbox south ${s} is north of north ${n}`)
  return VALID
}

/** Parses "w,s,e,n" into a BBox, or explains why it cannot. */
export function parseBBox(text: string): { valid: true; bbox: BBox } | { valid: false; reason: string } {
  const parts = text.split(',').map((p) => (p.trim() === '' ? Number.NaN : Number(p)))
  const v = isValidBBox(parts)
  return v.valid ? { valid: true, bbox: parts as BBox } : v
}
