/**
 * Seeded benchmark cities, cached between runs because seeding 100,000 micro-grids takes minutes.
 * - PGlite: the seeded data folder is dumped to `bench/.cache/pglite-s<scale>_<fingerprint>.tar.gz`
 *   and restored into memory on later runs.
 * - PostgreSQL: one database per city, `gezhi_bench_s<scale>_<fingerprint>`, kept on the server.
 * The fingerprint hashes the seeder, so a change there seeds afresh. Migrations are handled as in
 * production: a cached city gets the migrations added since it was seeded, and is seeded afresh
 * only if a migration it already has was edited (or a new one fails on it). The time each first
 * seeding took is kept in `bench/.cache/seed-times.json`, so every run can print it.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Db } from '../../server/src/db/db.ts'
import { migrate, readMigrations } from '../../server/src/db/migrate.ts'
import { openPglite } from '../../server/src/db/pglite.ts'
import { openPostgres } from '../../server/src/db/postgres.ts'
import { hasCity } from '../../server/src/seed/has-city.ts'
import { type CityCounts, seedCity } from '../../server/src/seed/seed-city.ts'

export const ROOT = path.resolve(import.meta.dirname, '../..')
export const CACHE_DIR = path.join(ROOT, 'bench/.cache')
const TIMES_FILE = path.join(CACHE_DIR, 'seed-times.json')

export type Backend = 'pglite' | 'postgres'

/** Routing only: households do not change which grid a point falls in. */
export interface CitySpec { seed: number; scale: number; households: boolean }
export const benchCity = (scale: number): CitySpec => ({ seed: 1, scale, households: false })

export interface SeedTime {
  /** `seedCity` alone. */
  seconds: number
  /** Migrations first (with CREATE EXTENSION postgis on PGlite), the same at every scale. */
  migrateSeconds: number
  seededAt: string
  counts: CityCounts
}

export interface OpenCity {
  db: Db
  backend: Backend
  spec: CitySpec
  /** How long the first seeding of this city took on this backend (this run or an earlier one). */
  seedTime: SeedTime | undefined
  /** Where a child process finds the same city: a PGlite dump file or a PostgreSQL URL. */
  source: { dump: string } | { url: string }
}

/**
 * Hash of the seeder, read once when this module loads, i.e. together with the seeder code this
 * process runs: a file edited during a long seeding must not label the city.
 */
const SOURCES_HASH = (() => {
  const hash = createHash('sha256')
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => (statSync(path.join(dir, f)).isDirectory() ? files(path.join(dir, f)) : [path.join(dir, f)]))
  for (const file of files(path.join(ROOT, 'server/src/seed')).sort()) {
    hash.update(file.slice(ROOT.length)).update(readFileSync(file))
  }
  return hash.digest('hex')
})()

/** `s<scale>_<hash of sources and spec>`: names the cached dump and database of one city. */
export function cityKey(spec: CitySpec): string {
  const hash = createHash('sha256').update(SOURCES_HASH).update(JSON.stringify(spec)).digest('hex')
  return `${scalePrefix(spec)}${hash.slice(0, 12)}`
}
/** `s1_` for a routing-only city, `s1h_` with households: the two are cached side by side, neither replaces the other. */
const scalePrefix = (spec: CitySpec) => `s${String(spec.scale).replace('.', '_')}${spec.households ? 'h' : ''}_`

export function readSeedTimes(): Record<string, SeedTime> {
  return existsSync(TIMES_FILE) ? JSON.parse(readFileSync(TIMES_FILE, 'utf8')) : {}
}

/** Keeps the time under `<backend>:<key>`, replacing those of older cities of the same scale. */
function recordSeedTime(backend: Backend, spec: CitySpec, key: string, time: SeedTime): void {
  const kept = Object.entries(readSeedTimes()).filter(([id]) => !id.startsWith(`${backend}:${scalePrefix(spec)}`))
  mkdirSync(CACHE_DIR, { recursive: true })
  writeFileSync(TIMES_FILE, JSON.stringify(Object.fromEntries([...kept, [`${backend}:${key}`, time]]), null, 2))
}

/**
 * Migrates (which on PGlite includes creating PostGIS) and seeds an empty database, then ANALYZEs
 * it so the planner knows the tables' sizes. Times migration and seeding apart: only the second
 * grows with the scale.
 */
async function seedInto(db: Db, spec: CitySpec, log: (line: string) => void): Promise<SeedTime> {
  const t0 = performance.now()
  await migrate(db)
  const t1 = performance.now()
  let last = ''
  const counts = await seedCity(db, { ...spec, onProgress: (step) => { if (step !== last) log(`    · ${(last = step)}`) } })
  const t2 = performance.now()
  await db.exec('ANALYZE')
  return { seconds: (t2 - t1) / 1000, migrateSeconds: (t1 - t0) / 1000, seededAt: new Date().toISOString(), counts }
}

/**
 * Brings a cached city up to the current migrations. False when it cannot be: a migration it
 * already has was edited since, or a new one fails on it.
 */
async function migrateForward(db: Db, log: (line: string) => void): Promise<{ ok: boolean; applied: string[] }> {
  const files = new Map(readMigrations().map((m) => [m.version, m.checksum]))
  const had = await db.query<{ version: string; checksum: string }>('SELECT version, checksum FROM schema_migrations')
  if (!had.every((m) => files.get(m.version) === m.checksum)) return { ok: false, applied: [] }
  try {
    const applied = await migrate(db)
    if (applied.length) log(`  applied ${applied.join(', ')} to the cached city`)
    return { ok: true, applied }
  } catch (error) {
    log(`  the cached city does not take the new migrations (${error instanceof Error ? error.message : error})`)
    return { ok: false, applied: [] }
  }
}

/** Opens the cached city on `backend`, seeding (and caching) it first if needed. */
export async function openCity(backend: Backend, spec: CitySpec, options: { adminUrl: string; log: (line: string) => void }): Promise<OpenCity> {
  const key = cityKey(spec)
  const opened = backend === 'pglite' ? await openPgliteCity(key, spec, options.log) : await openPostgresCity(key, spec, options)
  return { ...opened, backend, spec, seedTime: readSeedTimes()[`${backend}:${key}`] }
}

async function openPgliteCity(key: string, spec: CitySpec, log: (line: string) => void) {
  const dump = path.join(CACHE_DIR, `pglite-${key}.tar.gz`)
  const save = async (db: Awaited<ReturnType<typeof openPglite>>) => {
    const file = await db.raw.dumpDataDir('gzip')
    writeFileSync(dump, new Uint8Array(await file.arrayBuffer()))
  }
  if (existsSync(dump)) {
    const db = await openPglite({ loadDataDir: new Blob([readFileSync(dump)]) })
    const { ok, applied } = await migrateForward(db, log)
    if (ok) {
      if (applied.length) await save(db) // so that the HTTP server's copy and later runs start migrated
      return { db, source: { dump } }
    }
    await db.close()
  }
  log(`  seeding scale ${spec.scale} on PGlite (cached in ${path.relative(ROOT, dump)})…`)
  const db = await openPglite()
  const time = await seedInto(db, spec, log)
  mkdirSync(CACHE_DIR, { recursive: true })
  for (const stale of readdirSync(CACHE_DIR).filter((f) => f.startsWith(`pglite-${scalePrefix(spec)}`))) rmSync(path.join(CACHE_DIR, stale))
  await save(db)
  recordSeedTime('pglite', spec, key, time)
  log(`  seeded in ${time.seconds.toFixed(1)} s`)
  return { db, source: { dump } }
}

async function openPostgresCity(key: string, spec: CitySpec, { adminUrl, log }: { adminUrl: string; log: (line: string) => void }) {
  const name = `gezhi_bench_${key}`
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const admin = openPostgres({ connectionString: adminUrl, max: 1 })
  try {
    const existing = (await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'gezhi\\_bench\\_%'`)).map((r) => r.datname)
    if (existing.includes(name)) {
      const db = openPostgres({ connectionString: url.toString() })
      // No city: an interrupted seeding. Either way, start over.
      if ((await hasCity(db).catch(() => false)) && (await migrateForward(db, log)).ok) return { db, source: { url: url.toString() } }
      await db.close()
    }
    log(`  seeding scale ${spec.scale} on PostgreSQL (kept as database ${name})…`)
    // Older cities of this scale were seeded by other versions of the seeder (or this one, stale): drop them.
    for (const stale of existing.filter((n) => n.startsWith(`gezhi_bench_${scalePrefix(spec)}`))) await admin.exec(`DROP DATABASE ${stale} WITH (FORCE)`)
    await admin.exec(`CREATE DATABASE ${name}`)
    const db = openPostgres({ connectionString: url.toString() })
    const time = await seedInto(db, spec, log)
    recordSeedTime('postgres', spec, key, time)
    log(`  seeded in ${time.seconds.toFixed(1)} s`)
    return { db, source: { url: url.toString() } }
  } finally {
    await admin.close()
  }
}

/** The `--pg-url` option every benchmark takes: an admin URL of a local PostgreSQL + PostGIS server. */
export const PG_URL_OPTION = { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' } as const
