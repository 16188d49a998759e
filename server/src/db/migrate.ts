import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Db } from './db.ts'

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../migrations')

interface Migration { version: string; name: string; sql: string; checksum: string }

/** Reads `NNN_name.sql` files in version order; two files with one number are a mistake, said plainly. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sqlText = readFileSync(path.join(dir, file), 'utf8')
      return {
        version: file.slice(0, 3),
        name: file.slice(4, -4),
        sql: sqlText,
        checksum: createHash('sha256').update(sqlText).digest('hex'),
      }
    })
  const clash = migrations.find((m, i) => i > 0 && migrations[i - 1]!.version === m.version)
  if (clash) throw new Error(`two migrations are numbered ${clash.version} in ${dir}: renumber one of them`)
  return migrations
}

/**
 * Applies the migrations not yet recorded, each in its own transaction, in order. Running it
 * again changes nothing. A recorded migration whose file has since changed stops the start:
 * editing history silently would leave databases that claim the same version but differ.
 * An advisory lock keeps two servers starting at once from racing.
 */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = readMigrations(dir)
  const applied: string[] = []
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(7301)`) // 7301: the migration lock, arbitrary but fixed
    const done = new Map(
      (await tx.query<{ version: string; checksum: string }>('SELECT version, checksum FROM schema_migrations')).map((r) => [r.version, r.checksum]),
    )
    for (const m of migrations) {
      const recorded = done.get(m.version)
      if (recorded) {
        if (recorded !== m.checksum) throw new Error(`migration ${m.version}_${m.name}.sql changed after it was applied; add a new migration instead`)
        continue
      }
      await tx.exec(m.sql)
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum])
      applied.push(`${m.version}_${m.name}`)
    }
  })
  return applied
}
