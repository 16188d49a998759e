/**
 * Grid codes follow the Beijing unit-grid scheme: the 6-digit GB/T 2260 district code, then
 * 3 digits per level (street, community, grid → 15 digits; a micro-grid adds 3 more → 18).
 * Siblings are numbered west→east, north→south within their parent, starting at 001.
 */
export const DISTRICT_CODE_DIGITS = 6
export const LEVEL_CODE_DIGITS = 3

/** The code of the `ordinal`-th child (1-based) of `parentCode`. */
export function childCode(parentCode: string, ordinal: number): string {
  if (!Number.isInteger(ordinal) || ordinal < 1 || ordinal >= 10 ** LEVEL_CODE_DIGITS) {
    throw new RangeError(`child ordinal must be an integer in 1..999, got ${ordinal}`)
  }
  return parentCode + String(ordinal).padStart(LEVEL_CODE_DIGITS, '0')
}

/** Depth of a code below its district: 6 digits → 0 (the district), 9 → 1 (street), 15 → 3, … */
export function codeDepth(code: string): number {
  return (code.length - DISTRICT_CODE_DIGITS) / LEVEL_CODE_DIGITS
}

/** The parent's code, or null for a district code. */
export function parentCode(code: string): string | null {
  return code.length > DISTRICT_CODE_DIGITS ? code.slice(0, -LEVEL_CODE_DIGITS) : null
}

/** True for a well-formed grid code at depth ≥ 1. */
export function isGridCode(code: string): boolean {
  return /^\d+$/.test(code) && code.length > DISTRICT_CODE_DIGITS && (code.length - DISTRICT_CODE_DIGITS) % LEVEL_CODE_DIGITS === 0
}
