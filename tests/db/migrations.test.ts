import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate, MIGRATIONS_DIR, readMigrations } from '../../server/src/db/migrate.ts'
import { testDb } from '../support/test-db.ts'

describe('migrations', () => {
  it('are numbered NNN_name.sql and recorded once each', async () => {
    const db = await testDb()
    const files = readMigrations()
    expect(files.length).toBeGreaterThan(0)
    const recorded = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')
    expect(recorded.map((r) => r.version)).toEqual(files.map((f) => f.version))
  })

  it('applied a second time change nothing', async () => {
    const db = await testDb()
    const before = await db.query<{ version: string; applied_at: Date }>('SELECT version, applied_at FROM schema_migrations ORDER BY version')
    expect(await migrate(db)).toEqual([])
    expect(await db.query('SELECT version, applied_at FROM schema_migrations ORDER BY version')).toEqual(before)
  })

  it('refuse two files with one number, naming it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gezhi-migrations-'))
    cpSync(MIGRATIONS_DIR, dir, { recursive: true })
    writeFileSync(path.join(dir, '001_another.sql'), 'SELECT 1;')
    expect(() => readMigrations(dir)).toThrow(/two migrations are numbered 001/)
  })

  it('refuse to run when an applied migration was edited, and write nothing', async () => {
    const db = await testDb()
    const dir = mkdtempSync(path.join(tmpdir(), 'gezhi-migrations-'))
    cpSync(MIGRATIONS_DIR, dir, { recursive: true })
    const first = readdirSync(dir).sort()[0]!
    writeFileSync(path.join(dir, first), readFileSync(path.join(dir, first), 'utf8') + '\n-- edited after the fact\n')
    writeFileSync(path.join(dir, '999_would_be_new.sql'), 'CREATE TABLE must_not_exist (id int);')
    await expect(migrate(db, dir)).rejects.toThrow(/changed after it was applied/)
    const [row] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'must_not_exist'`)
    expect(row!.n).toBe(0)
  })
})
