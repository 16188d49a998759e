/**
 * The live benchmark's city: the cached demo-scale city (bench/lib/cities.ts) copied into a base
 * database of this run, with its reference data, bench accounts — one leader per chosen level-3
 * grid and one commander for the walls — and signed tokens; then a fresh copy of that base for
 * every measured setup, so that each starts with no cases. Everything is dropped at the end.
 */
import { execFileSync } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { existsSync } from 'node:fs'
import type { LngLat } from '@gezhi/geo'
import { loadAppSecret } from '../../server/src/config/secret.ts'
import type { Db } from '../../server/src/db/db.ts'
import { openPostgres } from '../../server/src/db/postgres.ts'
import { prepareDatabase } from '../../server/src/db/prepare.ts'
import { hashPassword } from '../../server/src/modules/auth/passwords.ts'
import type { TokenClaims } from '../../server/src/plugins/auth.ts'
import { benchCity, cityKey, openCity } from '../lib/cities.ts'

export interface LiveCity {
  /** Level-3 grids with a leader: every screen of a leader joins `grid:<cell>`. */
  cells: number[]
  leaderTokens: Map<number, string>
  wallToken: string
  /** Points inside the chosen cells, to report at, in a fixed shuffled order. */
  points: LngLat[]
  categories: string[]
  /** A database holding a copy of the base, empty of cases; dropped by `drop`. */
  freshDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }>
  close(): Promise<void>
}

const PREFIX = 'gezhi_bench_live_'

/** Every setup starts from no cases and an empty stream (cached cities have none, but make sure). */
const NO_CASES = `
  TRUNCATE incidents, incident_events, photos, incident_followers, incident_departments RESTART IDENTITY CASCADE;
  UPDATE incident_stream SET last_seq = 0;`

function withDatabase(adminUrl: string, name: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** An HS256 JWT, as @fastify/jwt (fast-jwt) signs and checks them, with the server's secret. */
export function signToken(claims: TokenClaims, secret: string, lifetimeS = 12 * 3600): string {
  const now = Math.floor(Date.now() / 1000)
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const head = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ...claims, iat: now, exp: now + lifetimeS })}`
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`
}

/** Drops databases of earlier runs whose benchmark process is gone (an interrupted run). */
async function dropStale(admin: Db): Promise<void> {
  const rows = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}%'`)
  for (const { datname } of rows) {
    const pid = Number(datname.slice(PREFIX.length).split('_')[0])
    if (pid !== process.pid && !existsSync(`/proc/${pid}`)) await admin.exec(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`)
  }
}

/**
 * Copies `source` into a new database `target`: a file-level copy (CREATE DATABASE … TEMPLATE)
 * when nobody is connected to the source, else pg_dump piped into psql.
 */
async function copyDatabase(admin: Db, adminUrl: string, source: string, target: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      await admin.exec(`CREATE DATABASE ${target} TEMPLATE ${source}`)
      return
    } catch (error) {
      if (!/being accessed by other users/.test(String((error as Error).message))) throw error
      await new Promise((r) => setTimeout(r, 1000))
    }
  }
  await admin.exec(`CREATE DATABASE ${target}`)
  const dump = execFileSync('pg_dump', ['--no-owner', withDatabase(adminUrl, source)], { maxBuffer: 1 << 30 })
  execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', withDatabase(adminUrl, target)], { input: dump, stdio: ['pipe', 'ignore', 'inherit'] })
}

export async function prepareLiveCity(options: { adminUrl: string; cells: number; log: (line: string) => void }): Promise<LiveCity> {
  const { adminUrl, log } = options
  const city = await openCity('postgres', benchCity(1), { adminUrl, log })
  await city.db.close()
  const admin = openPostgres({ connectionString: adminUrl, max: 1 })
  await dropStale(admin)
  const base = `${PREFIX}${process.pid}_base`
  await copyDatabase(admin, adminUrl, `gezhi_bench_${cityKey(benchCity(1))}`, base)

  const db = openPostgres({ connectionString: withDatabase(adminUrl, base), max: 2 })
  let setup: Omit<LiveCity, 'freshDatabase' | 'close'>
  try {
    await prepareDatabase(db) // reference data (categories …), as the server does on start
    await db.exec(NO_CASES)
    setup = await accountsAndPoints(db, options.cells)
  } finally {
    await db.close()
  }

  const made: string[] = []
  return {
    ...setup,
    async freshDatabase(label) {
      const name = `${PREFIX}${process.pid}_${label}`
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.exec(`CREATE DATABASE ${name} TEMPLATE ${base}`)
      made.push(name)
      return { url: withDatabase(adminUrl, name), drop: () => admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
    },
    async close() {
      for (const name of [...made, base]) await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.close()
    },
  }
}

/** Chooses `count` level-3 grids spread over the district, binds a leader to each, signs tokens, picks points. */
async function accountsAndPoints(db: Db, count: number) {
  const cells = await db.query<{ id: number; path: number[]; name: string }>(`
    SELECT g.id, g.path, g.name FROM grids g JOIN grid_boundaries b ON b.grid_id = g.id AND b.generation_to IS NULL
     WHERE g.level = 3 AND g.retired_generation IS NULL ORDER BY md5(g.id::text) LIMIT $1`, [count])
  if (cells.length < count) throw new Error(`the city has only ${cells.length} level-3 grids; asked for ${count}`)
  const hash = await hashPassword('bench-live-password') // one hash, reused: nobody signs in with it
  const secret = await loadAppSecret(db) // the server's own: city_meta 'app_secret'
  const leaderTokens = new Map<number, string>()
  for (const [k, cell] of cells.entries()) {
    const username = `bench_leader_${String(k + 1).padStart(3, '0')}`
    const name = `基准网格长 ${k + 1}`
    const [{ id }] = (await db.query<{ id: number }>(
      `INSERT INTO users (username, display_name, password_hash, role, grid_id) VALUES ($1, $2, $3, 'leader', $4) RETURNING id`,
      [username, name, hash, cell.id],
    )) as [{ id: number }]
    leaderTokens.set(cell.id, signToken({ id, username, name, role: 'leader', gridPath: cell.path, departmentId: null }, secret))
  }
  const [{ id: wallId }] = (await db.query<{ id: number }>(
    `INSERT INTO users (username, display_name, password_hash, role) VALUES ('bench_wall', '基准指挥大屏', $1, 'commander') RETURNING id`, [hash],
  )) as [{ id: number }]
  const wallToken = signToken({ id: wallId, username: 'bench_wall', name: '基准指挥大屏', role: 'commander', gridPath: null, departmentId: null }, secret)

  // 60 seeded random points inside each chosen grid, interleaved so consecutive reports hit different grids.
  const rows = await db.query<{ k: number; lng: number; lat: number }>(`
    SELECT row_number() OVER (PARTITION BY b.grid_id ORDER BY p.path) AS k, ST_X(p.geom) AS lng, ST_Y(p.geom) AS lat
      FROM grid_boundaries b CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(b.geom, 60, b.grid_id)) p
     WHERE b.generation_to IS NULL AND b.grid_id = ANY ($1::int[])
     ORDER BY k, md5(b.grid_id::text)`, [cells.map((c) => c.id)])
  const categories = (await db.query<{ code: string }>(`SELECT code FROM categories WHERE active ORDER BY code`)).map((r) => r.code)
  return { cells: cells.map((c) => c.id), leaderTokens, wallToken, points: rows.map((r): LngLat => [r.lng, r.lat]), categories }
}
