/**
 * The ingest benchmark's own copy of a cached bench city (bench/lib/cities.ts), with the default
 * reference data (categories, work calendar) that the cached cities lack and reports need. The
 * many cases the benchmark writes land neither in the developer's data nor in the cities other
 * benchmarks read, and `RESET_CASES` empties them before every measured case.
 * - PostgreSQL: database `gezhi_bench_ingest_<city key>`, a TEMPLATE copy of the cached city, kept
 *   between runs (an older copy of the same scale is dropped when the city's fingerprint changes).
 * - PGlite: a dump of the cached city plus the reference data, in a temporary file for this run;
 *   the benchmark process keeps its own in-memory copy open for the bare SQL baselines.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Db } from '../../server/src/db/db.ts'
import { openPostgres } from '../../server/src/db/postgres.ts'
import { syncReferenceData } from '../../server/src/modules/reference/reference.sync.ts'
import { type Backend, benchCity, cityKey, type CitySpec, openCity } from '../lib/cities.ts'

/** Empties every case table and rewinds the live stream: each measured case starts from no cases. */
export const RESET_CASES = `
  TRUNCATE incidents, incident_events, photos, incident_followers, incident_departments RESTART IDENTITY CASCADE;
  UPDATE incident_stream SET last_seq = 0;`

export interface IngestCity {
  backend: Backend
  spec: CitySpec
  /** Where the server child finds the city: a PGlite dump or a PostgreSQL URL. */
  source: { dump: string } | { url: string }
  /** PGlite: the benchmark process's own in-memory copy (for the bare SQL baselines); undefined on PostgreSQL. */
  localDb?: Db
  /** PostgreSQL: a pool of `max` connections to the copy (the caller closes it). */
  connect(max: number): Db
  close(): Promise<void>
}

export async function openIngestCity(backend: Backend, scale: number, options: { adminUrl: string; log: (line: string) => void }): Promise<IngestCity> {
  const spec = benchCity(scale)
  const city = await openCity(backend, spec, options)
  if (backend === 'pglite') {
    const db = city.db as Db & { raw: { dumpDataDir(c: 'gzip'): Promise<Blob> } }
    await syncReferenceData(db)
    const dir = mkdtempSync(path.join(tmpdir(), 'gezhi-bench-ingest-'))
    const dump = path.join(dir, 'city.tar.gz')
    writeFileSync(dump, new Uint8Array(await (await db.raw.dumpDataDir('gzip')).arrayBuffer()))
    return {
      backend, spec, source: { dump }, localDb: db,
      connect: () => { throw new Error('PGlite has one connection: use localDb') },
      close: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }) },
    }
  }
  await city.db.close() // a TEMPLATE must have no other sessions
  const url = await copyOnPostgres(`gezhi_bench_${cityKey(spec)}`, `gezhi_bench_ingest_${cityKey(spec)}`, options.adminUrl, options.log)
  const db = openPostgres({ connectionString: url, max: 1 })
  try {
    await syncReferenceData(db)
  } finally {
    await db.close()
  }
  return { backend, spec, source: { url }, connect: (max) => openPostgres({ connectionString: url, max }), close: async () => {} }
}

/** Creates `copy` from `template` unless it exists; drops older ingest copies of the same scale. */
async function copyOnPostgres(template: string, copy: string, adminUrl: string, log: (line: string) => void): Promise<string> {
  const admin = openPostgres({ connectionString: adminUrl, max: 1 })
  try {
    const existing = (await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'gezhi\\_bench\\_ingest\\_%'`)).map((r) => r.datname)
    const scalePrefix = copy.slice(0, copy.lastIndexOf('_') + 1)
    for (const stale of existing.filter((n) => n !== copy && n.startsWith(scalePrefix))) await admin.exec(`DROP DATABASE ${stale} WITH (FORCE)`)
    if (!existing.includes(copy)) {
      log(`  copying ${template} to ${copy} (kept for later runs)…`)
      // CREATE DATABASE … TEMPLATE needs the template to have no sessions: another benchmark may be reading it.
      for (let attempt = 1; ; attempt++) {
        try {
          await admin.exec(`CREATE DATABASE ${copy} TEMPLATE ${template}`)
          break
        } catch (error) {
          if (attempt >= 30 || !String((error as Error).message).includes('being accessed by other users')) throw error
          await new Promise((resolve) => setTimeout(resolve, 1000))
        }
      }
    }
  } finally {
    await admin.close()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${copy}`
  return url.toString()
}
