import type { Queryable } from '../db/db.ts'
import { hashApiKey } from '../modules/open311/open311.keys.ts'

/** The Open311 `api_key` of the demo city (README shows it); a real city issues its own and revokes this one. */
export const DEMO_API_KEY = 'gezhi-open311-demo'

/** Stores the demo key, hashed like every key (table api_keys). */
export async function seedDemoApiKey(tx: Queryable): Promise<void> {
  await tx.query('INSERT INTO api_keys (key_hash, name) VALUES ($1, $2) ON CONFLICT (key_hash) DO NOTHING', [hashApiKey(DEMO_API_KEY), '演示 Open311 客户端 (demo)'])
}
