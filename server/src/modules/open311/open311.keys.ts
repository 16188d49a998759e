import { createHash } from 'node:crypto'
import type { Queryable } from '../../db/db.ts'
import { ACTIVE_API_KEY } from './open311.queries.ts'

/**
 * Open311 `api_key`s are stored as their SHA-256 (hex), never in clear: a leaked table does not
 * leak keys. Keys are long random strings handed to a partner, so a fast hash is enough — unlike
 * passwords, nobody picks them from a dictionary.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

/** The name of the active key `key`, or null for an unknown or revoked one. */
export async function apiKeyName(db: Queryable, key: string): Promise<string | null> {
  const [row] = await db.query<{ name: string }>(ACTIVE_API_KEY, [hashApiKey(key)])
  return row?.name ?? null
}
