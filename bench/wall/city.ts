/**
 * The wall benchmark's cities on PostgreSQL: the cached seeded cities with households
 * (bench/lib/cities.ts; 150,000 households at scale 1, about 1,000,000 at scale 7), copied into
 * databases of this run so that the cases it writes land neither in the cached cities nor in the
 * developer's data. A base copy gets the default reference data (categories, work calendar) and
 * no cases; every measured setup gets a fresh copy of the base with the cases it asks for,
 * written through the incident service before the server starts. Everything is dropped at the end
 * (and databases of interrupted runs at the next start).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { LngLat } from '@gezhi/geo'
import { loadAppSecret } from '../../server/src/config/secret.ts'
import type { Db } from '../../server/src/db/db.ts'
import { openPostgres } from '../../server/src/db/postgres.ts'
import { prepareDatabase } from '../../server/src/db/prepare.ts'
import { numberEvents } from '../../server/src/live/sequencer.ts'
import { incidentService } from '../../server/src/modules/incidents/incidents.service.ts'
import { referenceCache } from '../../server/src/modules/reference/reference.cache.ts'
import { cityKey, type CitySpec, openCity } from '../lib/cities.ts'
import { categoryMix, reportBody, reportPoints } from '../ingest/reports.ts'

/** The seeded cities the wall shows: with households, unlike the routing-only bench cities. */
export const wallCity = (scale: number): CitySpec => ({ seed: 1, scale, households: true })

const PREFIX = 'gezhi_bench_wall_'

const NO_CASES = `
  TRUNCATE incidents, incident_events, photos, incident_followers, incident_departments RESTART IDENTITY CASCADE;
  UPDATE incident_stream SET last_seq = 0;`

export function withDatabase(adminUrl: string, name: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** CREATE DATABASE … TEMPLATE, waiting while another benchmark still has a session on the template. */
async function copyDatabase(admin: Db, source: string, target: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.exec(`CREATE DATABASE ${target} TEMPLATE ${source}`)
      return
    } catch (error) {
      if (attempt >= 60 || !/being accessed by other users/.test(String((error as Error).message))) throw error
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
  }
}

export interface WallCity {
  spec: CitySpec
  /** The cached city itself (read only: the big-city and tile figures need no cases). */
  cachedUrl: string
  /** Points of the district that the service accepts, for reports. */
  points: LngLat[]
  /** A fresh copy of the base holding `cases` open cases reported just now, their events numbered. */
  withCases(label: string, cases: number, log: (line: string) => void): Promise<{ url: string; drop(): Promise<void> }>
  close(): Promise<void>
}

/** Opens (seeding if needed) the cached city with households at `scale` and makes this run's base copy. */
export async function prepareWallCity(scale: number, options: { adminUrl: string; log: (line: string) => void }): Promise<WallCity> {
  const { adminUrl, log } = options
  const spec = wallCity(scale)
  const city = await openCity('postgres', spec, { adminUrl, log })
  const points = await reportPoints(city.db, 20_000)
  await city.db.close()
  const admin = openPostgres({ connectionString: adminUrl, max: 1 })
  await dropStale(admin)
  const base = `${PREFIX}${process.pid}_s${scale}_base`
  await copyDatabase(admin, `gezhi_bench_${cityKey(spec)}`, base)
  const db = openPostgres({ connectionString: withDatabase(adminUrl, base), max: 2 })
  try {
    await prepareDatabase(db) // the default categories and work calendar, as the server does on start
    await db.exec(NO_CASES)
  } finally {
    await db.close()
  }
  const made = new Set<string>()
  const drop = async (name: string) => { await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); made.delete(name) }
  return {
    spec, points, cachedUrl: withDatabase(adminUrl, `gezhi_bench_${cityKey(spec)}`),
    async withCases(label, cases, caseLog) {
      const name = `${PREFIX}${process.pid}_s${scale}_${label}`
      await drop(name)
      await copyDatabase(admin, base, name)
      made.add(name)
      const url = withDatabase(adminUrl, name)
      await preloadCases(url, points, cases, caseLog)
      return { url, drop: () => drop(name) }
    },
    async close() {
      for (const name of [...made, base]) await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.close()
    },
  }
}

/** Drops databases of earlier runs whose benchmark process is gone (an interrupted run). */
async function dropStale(admin: Db): Promise<void> {
  const rows = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX.replaceAll('_', '\\_')}%'`)
  for (const { datname } of rows) {
    const pid = Number(datname.slice(PREFIX.length).split('_')[0])
    if (pid !== process.pid && !existsSync(`/proc/${pid}`)) await admin.exec(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`)
  }
}

/**
 * Reports `n` cases through the incident service (the server's own code, no HTTP), 8 at a time,
 * as residents at distinct points, then numbers their events as the live stream would: a server
 * started afterwards has no backlog to publish, and a wall opened on it gets them in its snapshot.
 */
export async function preloadCases(url: string, points: LngLat[], n: number, log: (line: string) => void): Promise<void> {
  if (n <= 0) return
  const db = openPostgres({ connectionString: url, max: 8 })
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gezhi-bench-wall-'))
  try {
    const reference = referenceCache(db)
    await reference.refresh()
    const service = incidentService({ db, reference, secret: await loadAppSecret(db), dataDir })
    const categories = categoryMix()
    const t0 = performance.now()
    let next = 0
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let i = next++; i < n; i = next++) await service.report({ kind: 'public' }, reportBody(points, categories, 'preload', i), [])
    }))
    while ((await numberEvents(db, 50_000)).length > 0) { /* until every event has its seq */ }
    log(`  ${n.toLocaleString('en-US')} cases preloaded through the service in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  } finally {
    await db.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
