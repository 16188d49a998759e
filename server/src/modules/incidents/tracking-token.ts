import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * A reporter without an account follows and rates their case with a token: the case number and
 * an HMAC of it under the app secret. Nothing is stored, a retry with the same idempotency key
 * gets the same token back, and a token for one case says nothing about any other.
 */
export function trackingToken(secret: string, number: string): string {
  return `${number}.${mac(secret, number)}`
}

/** The case number a token proves, or null for a forged or mangled one. */
export function verifyTrackingToken(secret: string, token: string): string | null {
  const dot = token.lastIndexOf('.')
  if (dot <= 0) return null
  const number = token.slice(0, dot)
  const given = Buffer.from(token.slice(dot + 1))
  const expected = Buffer.from(mac(secret, number))
  return given.length === expected.length && timingSafeEqual(given, expected) ? number : null
}

const mac = (secret: string, number: string) => createHmac('sha256', secret).update(`track:${number}`).digest('base64url').slice(0, 22)
