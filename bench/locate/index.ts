/**
 * `npm run bench -- locate [--quick] [--backend pglite|postgres|both] [--scale 1,40] [--rate 2000]
 *                          [--pg-url postgres://…] [--concurrency 8]`
 * How fast a location is routed to its grid: in memory, as bare SQL, and over HTTP, on PGlite
 * and PostgreSQL, at demo scale and at 100,000 micro-grids. See bench/README.md.
 */
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import type { LngLat } from '@gezhi/geo'
import { LOCATE_ONE } from '../../server/src/modules/locate/locate.queries.ts'
import { type Backend, benchCity, type OpenCity, openCity, PG_URL_OPTION } from '../lib/cities.ts'
import { machineBusyShare } from '../lib/cpu.ts'
import { startServer } from '../lib/server.ts'
import { factor, fmt } from '../lib/table.ts'
import { type InMemoryIndex, loadInMemoryIndex } from './in-memory.ts'
import { httpBatch, httpFixedRate, httpMax, inMemoryLookups, perSecond, repeatFor } from './measure.ts'
import { districtPoints } from './points.ts'
import { resultsTable, type Row, seedTable, targetsTable } from './report.ts'
import { type BatchRow, disagreements, SHIPPED, VARIANTS } from './variants.ts'

const BATCH_SIZE = 10_000

interface Settings {
  rate: number
  concurrency: number
  /** Seconds per case: in-memory, SQL lookups, HTTP at a fixed rate, HTTP max, batches. */
  seconds: { memory: number; sql: number; fixed: number; max: number; batch: number; warm: number }
}

function options(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean', default: false },
      backend: { type: 'string', default: 'both' },
      scale: { type: 'string' },
      rate: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '8' },
      'pg-url': PG_URL_OPTION,
    },
  })
  const backends = (values.backend === 'both' ? ['pglite', 'postgres'] : [values.backend]) as Backend[]
  if (!backends.every((b) => b === 'pglite' || b === 'postgres')) throw new Error(`--backend must be pglite, postgres or both; got "${values.backend}"`)
  const scales = (values.scale ?? (values.quick ? '1' : '1,40')).split(',').map(Number)
  if (!scales.every((x) => x > 0 && x <= 100)) throw new Error(`--scale must list numbers in (0, 100]; got "${values.scale}"`)
  const settings: Settings = {
    rate: Number(values.rate),
    concurrency: Number(values.concurrency),
    seconds: values.quick
      ? { memory: 0.5, sql: 0.5, fixed: 1, max: 0.5, batch: 0.3, warm: 0.2 }
      : { memory: 2, sql: 3, fixed: 10, max: 4, batch: 3, warm: 1 },
  }
  return { backends, scales, settings, adminUrl: values['pg-url']! }
}

export async function main(args: string[]): Promise<void> {
  const { backends, scales, settings, adminUrl } = options(args)
  const busy = await machineBusyShare(500)
  console.log(`locate benchmark · ${cpus().length} × ${cpus()[0]?.model ?? '?'} · Node ${process.version}`)
  console.log(`machine busy before start: ${fmt(busy * 100)} % of one core${busy > 0.1 ? '  ⚠ something else is running: figures will be noisy' : ''}`)

  const rows: Row[] = []
  const cities: OpenCity[] = []
  for (const scale of scales) {
    for (const backend of backends) {
      console.log(`\n▸ ${backend}, scale ${scale}`)
      const city = await openCity(backend, benchCity(scale), { adminUrl, log: console.log })
      cities.push(city)
      try {
        rows.push(...(await suite(city, settings)))
      } finally {
        await city.db.close()
      }
    }
  }

  console.log(`\n${'═'.repeat(40)}\nlocate: lookups (or points) per second, CPU per lookup (or point), latency per call\n`)
  for (const scale of scales) console.log(`${resultsTable(rows, scale)}\n`)
  console.log(`${targetsTable(rows)}\n`)
  console.log('time to seed each city (its first seeding; kept in bench/.cache/seed-times.json)')
  console.log(seedTable(cities))
  console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
}

interface Context {
  city: OpenCity
  s: Settings
  points: LngLat[]
  lngs: number[]
  lats: number[]
  /** The PostgreSQL backends serving this database (the bench's pool and the server's), or undefined on PGlite. */
  pids?: () => Promise<number[]>
  /** PostgreSQL plans a prepared statement's first five runs for their parameters (with JIT when the estimate is high), then usually keeps a generic plan. PGlite plans every call. */
  warmCalls: number
  rows: Row[]
  add(row: Omit<Row, 'scale' | 'backend' | 'usesPostgres'> & { usesPostgres?: boolean }): Row
}

const find = (ctx: Context, key: string) => ctx.rows.find((r) => r.key === key)!

/** The cases for one city on one backend, in the order the table prints them. */
async function suite(city: OpenCity, s: Settings): Promise<Row[]> {
  const usesPostgres = city.backend === 'postgres'
  const points = await districtPoints(city.db, BATCH_SIZE, 7)
  const ctx: Context = {
    city, s, points, lngs: points.map((p) => p[0]), lats: points.map((p) => p[1]),
    pids: usesPostgres
      ? () => city.db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()').then((r) => r.map((x) => x.pid))
      : undefined,
    warmCalls: usesPostgres ? 6 : 1,
    rows: [],
    add(row) {
      const full = { scale: city.spec.scale, backend: city.backend, usesPostgres, ...row }
      ctx.rows.push(full)
      console.log(`  ${full.name}: ${fmt(perSecond(full.m))} ${full.unit}s/s, p50 ${fmt(full.m.latency.p50)} ms, p99 ${fmt(full.m.latency.p99)} ms`)
      return full
    },
  }
  const index = await loadInMemoryIndex(city.db)
  await inMemoryLookups(index, points, s.seconds.warm)
  ctx.add({ key: 'memory', name: 'in-memory Flatbush + PIP, 1 core', unit: 'lookup', m: await inMemoryLookups(index, points, s.seconds.memory), usesPostgres: false, ratio: '1 (limit)', note: `${fmt(index.pieces)} pieces`, leaves: index.leaves })
  await singleSql(ctx)
  await batchSql(ctx, index)
  await overHttp(ctx)
  return ctx.rows
}

/** Baseline (b): LOCATE_ONE through the Db interface, no HTTP. */
async function singleSql(ctx: Context): Promise<void> {
  const { city: { db }, s, points, pids } = ctx
  const one = async (i: number) => { const p = points[i % points.length]!; await db.query(LOCATE_ONE, [p[0], p[1], null]); return 1 }
  const vsMemory = (m: Row['m']) => `${factor(perSecond(m) / perSecond(find(ctx, 'memory').m))} in-mem`
  await repeatFor(s.seconds.warm, s.concurrency, one)
  const sqlOne = await repeatFor(s.seconds.sql, 1, one, pids)
  ctx.add({ key: 'sql-one', name: 'SQL LOCATE_ONE, one at a time', unit: 'lookup', m: sqlOne, ratio: vsMemory(sqlOne) })
  const sqlMax = await repeatFor(s.seconds.sql, s.concurrency, one, pids)
  ctx.add({ key: 'sql-max', name: `SQL LOCATE_ONE, ${s.concurrency} concurrent`, unit: 'lookup', m: sqlMax, ratio: vsMemory(sqlMax) })
}

/** Point by point against whole-batch formulations, each checked against the shipped LOCATE_MANY. */
async function batchSql(ctx: Context, index: InMemoryIndex): Promise<void> {
  const { city: { db }, s, points, lngs, lats, pids } = ctx
  const byOne = await repeatFor(s.seconds.batch, 1, async (i) => (await SHIPPED.run(db, [lngs[i % BATCH_SIZE]!], [lats[i % BATCH_SIZE]!]), 1), pids)
  ctx.add({ key: 'sql-by-one', name: 'SQL LOCATE_MANY, 1 point per call', unit: 'point', m: byOne, ratio: '1 (by one)' })
  let shipped: BatchRow[] = []
  for (const variant of [SHIPPED, ...VARIANTS]) {
    const t = performance.now()
    let answer = await variant.run(db, lngs, lats)
    const firstMs = performance.now() - t
    for (let k = 1; k < ctx.warmCalls; k++) answer = await variant.run(db, lngs, lats)
    const m = await repeatFor(s.seconds.batch, 1, async () => { answer = await variant.run(db, lngs, lats); return BATCH_SIZE }, pids)
    let check: string
    if (variant === SHIPPED) {
      shipped = answer
      const inside = shipped.filter((r) => !r.outside)
      check = `in-memory agrees on ${fmt(inside.filter((r) => index.locate(points[r.i - 1]!) === r.grid_id).length)}/${fmt(inside.length)} inside`
    } else {
      const differ = disagreements(answer, shipped, BATCH_SIZE)
      check = differ ? `⚠ ${differ} answers differ` : 'same answers'
    }
    ctx.add({
      key: variant === SHIPPED ? 'sql-batch' : `sql-batch ${variant.name}`, name: `SQL batch 10k: ${variant.name}`, unit: 'point', m,
      ratio: `${factor(perSecond(m) / perSecond(byOne))} by one`, note: `1st call ${fmt(firstMs)} ms; ${check}`,
    })
  }
}

/** The same over HTTP, with the server in a child process. */
async function overHttp(ctx: Context): Promise<void> {
  const { city, s, points } = ctx
  const server = await startServer(city.source, ctx.pids)
  const problems = (m: Row['m']) => (m.dropped || m.failed ? `⚠ ${m.dropped ?? 0} dropped, ${m.failed ?? 0} failed` : '')
  try {
    await httpMax(server, points, s.concurrency, s.seconds.warm)
    const fixed = await httpFixedRate(server, points, s.rate, s.seconds.fixed)
    const sqlOne = find(ctx, 'sql-one').m
    ctx.add({ key: 'http-fixed', name: `HTTP GET /api/locate at ${fmt(s.rate)}/s`, unit: 'lookup', m: fixed, ratio: `p50 ${factor(fixed.latency.p50 / sqlOne.latency.p50)} SQL`, note: problems(fixed) })
    const max = await httpMax(server, points, s.concurrency, s.seconds.max)
    ctx.add({ key: 'http-max', name: `HTTP GET /api/locate, ${s.concurrency} connections`, unit: 'lookup', m: max, ratio: `${factor(perSecond(max) / perSecond(find(ctx, 'sql-max').m))} SQL`, note: problems(max) })
    for (let k = 0; k < ctx.warmCalls; k++) await httpBatch(server, points, 0)
    const batch = await httpBatch(server, points, s.seconds.batch)
    ctx.add({ key: 'http-batch', name: 'HTTP POST /api/locate, 10k points', unit: 'point', m: batch, ratio: `${factor(perSecond(batch) / perSecond(find(ctx, 'sql-batch').m))} SQL`, note: problems(batch) })
    const two = await httpBatch(server, points, s.seconds.batch, 2)
    ctx.add({ key: 'http-batch-2', name: 'HTTP POST /api/locate, 10k points, 2 at once', unit: 'point', m: two, ratio: `${factor(perSecond(two) / perSecond(batch))} 1 at once`, note: problems(two) })
  } finally {
    await server.close()
  }
}
