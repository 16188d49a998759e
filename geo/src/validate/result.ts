/** The outcome of checking data: bad data is a result, not an exception (only misuse throws). */
export type Validation = { valid: true } | { valid: false; reason: string }

export const VALID: Validation = Object.freeze({ valid: true })
export const invalid = (reason: string): Validation => ({ valid: false, reason })
