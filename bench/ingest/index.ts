/**
 * `npm run bench -- ingest [--quick] [--backend pglite|postgres|both] [--scale 1] [--pg-url postgres://…]
 *                          [--connections 4,8,16] [--rate 1000]`
 * Reports per second end to end (POST /api/incidents: validate, route, insert case and event,
 * answer) against the server in a child process, one at a time, over N connections and at a
 * fixed arrival rate, beside bare INSERT and bare lookup + INSERT baselines on the same database,
 * on PostgreSQL and PGlite; then where the time of one report goes. See bench/README.md.
 */
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import type { LngLat } from '@gezhi/geo'
import type { Db } from '../../server/src/db/db.ts'
import { type Backend, PG_URL_OPTION } from '../lib/cities.ts'
import { machineBusyShare, startCpu } from '../lib/cpu.ts'
import { closedLoop, fixedRate, type LoadResult } from '../lib/load.ts'
import { type BenchServer, startServer } from '../lib/server.ts'
import { summarize } from '../lib/stats.ts'
import { fmt } from '../lib/table.ts'
import { type Measurement, perSecond } from '../locate/measure.ts'
import { baselines, type Connect } from './baseline.ts'
import { type Breakdown, breakdownTable, inProcess } from './breakdown.ts'
import { type IngestCity, openIngestCity, RESET_CASES } from './city.ts'
import { BACKEND_NAME, problems, resultsTable, type Row, targetsTable } from './report.ts'
import { categoryMix, reportPoints, reportRequests } from './reports.ts'
import { countWrites, type Writes } from './writes.ts'

interface Settings {
  connections: number[]
  /** Seconds: warm-up, one at a time, each N connections, idempotency keys (0 = skip), each baseline. */
  warmS: number; seqS: number; concS: number; keysS: number; bareS: number
  /** Fixed arrival rates and how long each runs. */
  fixed: Array<{ rate: number; seconds: number }>
  /** Open loop: requests waiting beyond this are dropped, so that an overwhelmed backend's queue drains in seconds. */
  maxInFlight: number
  /** Reports timed one by one in the breakdown (0 = skip). */
  breakdownReports: number
  /** PostgreSQL: count the row versions each case writes (costs 2.2 s a case). */
  countWrites: boolean
}

function options(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean', default: false },
      backend: { type: 'string', default: 'both' },
      scale: { type: 'string', default: '1' },
      connections: { type: 'string' },
      rate: { type: 'string', default: '1000' },
      'pg-url': PG_URL_OPTION,
    },
  })
  const backends = (values.backend === 'both' ? ['postgres', 'pglite'] : [values.backend]) as Backend[]
  if (!backends.every((b) => b === 'pglite' || b === 'postgres')) throw new Error(`--backend must be pglite, postgres or both; got "${values.backend}"`)
  const scale = Number(values.scale)
  if (!(scale > 0 && scale <= 100)) throw new Error(`--scale must be a number in (0, 100]; got "${values.scale}"`)
  const rate = Number(values.rate)
  const quick = values.quick!
  const connections = (values.connections ?? (quick ? '4,16' : '4,8,16')).split(',').map(Number)
  /** PGlite serves one query at a time in the server process: shorter runs say all there is to say. */
  const settings: Record<Backend, Settings> = quick
    ? {
        postgres: { connections, warmS: 1, seqS: 2, concS: 2, keysS: 0, bareS: 1.5, fixed: [{ rate, seconds: 5 }], maxInFlight: 256, breakdownReports: 100, countWrites: false },
        pglite: { connections: connections.slice(0, 1), warmS: 1, seqS: 2, concS: 2, keysS: 0, bareS: 1.5, fixed: [{ rate, seconds: 2 }], maxInFlight: 16, breakdownReports: 0, countWrites: false },
      }
    : {
        postgres: { connections, warmS: 3, seqS: 10, concS: 15, keysS: 10, bareS: 10, fixed: [{ rate, seconds: 45 }, { rate: 2 * rate, seconds: 20 }], maxInFlight: 256, breakdownReports: 1000, countWrites: true },
        pglite: { connections, warmS: 3, seqS: 10, concS: 10, keysS: 10, bareS: 10, fixed: [{ rate, seconds: 10 }], maxInFlight: 16, breakdownReports: 300, countWrites: false },
      }
  return { backends, scale, settings, adminUrl: values['pg-url']! }
}

export async function main(args: string[]): Promise<void> {
  const { backends, scale, settings, adminUrl } = options(args)
  const busy = await machineBusyShare(1000)
  const load0 = loadavg()
  console.log(`ingest benchmark · ${cpus().length} × ${cpus()[0]?.model ?? '?'} · Node ${process.version} · demo city scale ${scale}`)
  console.log(`load average at start: ${load0.map((l) => l.toFixed(2)).join(' ')}; machine busy before start: ${fmt(busy * 100)} % of one core${busy > 0.1 ? '  ⚠ something else is running: figures will be noisy' : ''}`)

  const rows: Row[] = []
  const breakdowns: Array<[Backend, Breakdown]> = []
  let durability = ''
  let synchronousCommit = '?'
  for (const backend of backends) {
    console.log(`\n▸ ${BACKEND_NAME[backend]}`)
    const city = await openIngestCity(backend, scale, { adminUrl, log: console.log })
    try {
      const suite = await runSuite(city, settings[backend])
      rows.push(...suite.rows)
      if (suite.breakdown) breakdowns.push([backend, suite.breakdown])
      if (suite.durability) ({ durability, synchronousCommit } = suite.durability)
    } finally {
      await city.close()
    }
  }

  console.log(`\n${'═'.repeat(40)}\ningest: POST /api/incidents end to end, and bare SQL on the same database\n`)
  for (const backend of backends) {
    console.log(`${BACKEND_NAME[backend]}${backend === 'postgres' ? ` — ${durability}` : ' — in the server process, one connection, in-memory data directory: nothing is durable; expect far lower figures'}`)
    console.log(`${resultsTable(rows, backend)}\n`)
  }
  console.log(`${targetsTable(rows, synchronousCommit)}\n`)
  for (const [backend, b] of breakdowns) console.log(`${breakdownTable(b, BACKEND_NAME[backend])}\n`)
  console.log(`load average at start: ${load0.map((l) => l.toFixed(2)).join(' ')}; at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
}

interface Suite { rows: Row[]; breakdown?: Breakdown; durability?: { durability: string; synchronousCommit: string } }

interface Context {
  city: IngestCity
  s: Settings
  isPg: boolean
  /** A database with n connections (PGlite: the benchmark's one instance). */
  connect: Connect
  /** The PostgreSQL backends serving the copy (baselines', server's, ours), or undefined on PGlite. */
  pids?: () => Promise<number[]>
  /** Tags this run's descriptions, so that no two reports of any run share one. */
  run: string
  points: LngLat[]
  /** Empties the cases (and checkpoints PostgreSQL). */
  resetSql: string
  rows: Row[]
  /** Runs a case and the row versions it wrote (PostgreSQL, when counted). */
  counted<T>(work: () => Promise<T>): Promise<[T, Writes | undefined]>
  add(row: Omit<Row, 'backend'>): void
  find(key: string): Row | undefined
}

/** "62 % of <label>": `m`'s rate as a share of `ref`'s. */
const share = (m: Measurement, ref: Row | undefined, label: string) => (ref ? `${fmt((100 * perSecond(m)) / perSecond(ref.m))} % of ${label}` : '')

/** The bare lookup + INSERT row an end-to-end case at `n` connections compares with (PGlite has one connection). */
const bareRef = (ctx: Context, n: number): [Row | undefined, string] => {
  const k = ctx.isPg && n > 1 ? 4 : 1
  return [ctx.find(`bare-lookup-${k}`), `bare lookup+INSERT ×${k}`]
}

async function runSuite(city: IngestCity, s: Settings): Promise<Suite> {
  const isPg = city.backend === 'postgres'
  // One connection of the benchmark's own: points, resets of the baselines, the backends' pids.
  const own = isPg ? city.connect(1) : city.localDb!
  try {
    const durability = isPg ? await durabilityOf(own) : undefined
    if (durability) console.log(`  ${durability.durability}`)
    const rows: Row[] = []
    const ctx: Context = {
      city, s, isPg, rows,
      connect: isPg ? (n) => { const db = city.connect(n); return { db, release: () => db.close() } } : () => ({ db: own, release: async () => {} }),
      pids: isPg
        ? () => own.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()').then((r) => r.map((x) => x.pid))
        : undefined,
      run: Date.now().toString(36),
      points: await reportPoints(own, 10_000),
      resetSql: RESET_CASES + (isPg ? 'CHECKPOINT;' : ''),
      async counted(work) {
        if (!isPg || !s.countWrites) return [await work(), undefined]
        const stop = await countWrites(own)
        const result = await work()
        return [result, await stop()]
      },
      add(row) {
        const full = { backend: city.backend, ...row }
        rows.push(full)
        console.log(`  ${full.name}: ${fmt(perSecond(full.m))}/s, p50 ${fmt(full.m.latency.p50)} ms, p99 ${fmt(full.m.latency.p99)} ms ${problems(full.m)}`)
      },
      find: (key) => rows.find((r) => r.key === key),
    }
    // Baselines first, with no server running (its live stream would number their events).
    await bareCases(ctx, () => own.exec(ctx.resetSql))
    await httpCases(ctx)
    const breakdown = s.breakdownReports ? await inProcessCases(ctx) : undefined
    await own.exec(ctx.resetSql)
    return { rows, breakdown, durability }
  } finally {
    if (isPg) await own.close()
  }
}

async function durabilityOf(db: Db): Promise<NonNullable<Suite['durability']>> {
  const [d] = await db.query<{ sc: string; fsync: string; method: string; version: string }>(
    `SELECT current_setting('synchronous_commit') AS sc, current_setting('fsync') AS fsync, current_setting('wal_sync_method') AS method, current_setting('server_version') AS version`)
  const durable = d!.sc === 'on' && d!.fsync === 'on'
  return { synchronousCommit: d!.sc, durability: `PostgreSQL ${d!.version}, synchronous_commit = ${d!.sc}, fsync = ${d!.fsync}, wal_sync_method = ${d!.method}${durable ? ' (durable commits)' : '  ⚠ commits are not durable'}` }
}

/** Baselines (a) and (b) from this process, 1 and 4 connections (PGlite: 1). */
async function bareCases(ctx: Context, reset: () => Promise<void>): Promise<void> {
  const { s, pids } = ctx
  const bare = await baselines(ctx.connect, ctx.points, ctx.run, s.warmS / 2)
  const conns = ctx.isPg ? [1, 4] : [1]
  for (const n of conns) {
    await reset()
    const [m, writes] = await ctx.counted(() => bare.insert(n, s.bareS, pids))
    ctx.add({ key: `bare-insert-${n}`, name: `bare SQL: INSERT case + event, COMMIT, ${n} conn`, http: false, m, writes, ratio: '1 (floor)' })
  }
  for (const n of conns) {
    await reset()
    const [m, writes] = await ctx.counted(() => bare.lookupInsert(n, s.bareS, pids))
    ctx.add({ key: `bare-lookup-${n}`, name: `bare SQL: LOCATE_ONE + INSERT case + event, COMMIT, ${n} conn`, http: false, m, writes, ratio: share(m, ctx.find(`bare-insert-${n}`), `bare INSERT ×${n}`) })
  }
}

/** POST /api/incidents against the server child: one at a time, N connections, with keys, fixed rates. */
async function httpCases(ctx: Context): Promise<void> {
  const { s, points, run } = ctx
  const server = await startServer(ctx.city.source, ctx.pids)
  try {
    const categories = categoryMix()
    const requests = (tag: string, withKeys = false) => reportRequests(points, categories, `${run}-${tag}`, withKeys)
    await preflight(server, requests('pre')(0))
    await closedLoop(server.target, requests('warm'), Math.max(...s.connections), s.warmS)
    const closed = async (key: string, name: string, n: number, seconds: number, withKeys = false, ref = bareRef(ctx, n)) => {
      await server.exec(ctx.resetSql)
      const [result, writes] = await ctx.counted(() => overHttp(server, () => closedLoop(server.target, requests(key, withKeys), n, seconds)))
      ctx.add({ key, name, http: true, ...result, writes, ratio: share(result.m, ...ref) })
    }
    await closed('seq', 'POST /api/incidents, 1 connection (one at a time)', 1, s.seqS)
    for (const n of s.connections) await closed(`conc-${n}`, `POST /api/incidents, ${n} connections`, n, s.concS)
    if (s.keysS) {
      const n = s.connections.includes(8) ? 8 : s.connections.at(-1)!
      await closed(`keys-${n}`, `POST /api/incidents with idempotency keys, ${n} connections`, n, s.keysS, true, [ctx.find(`conc-${n}`), `no keys ×${n}`])
    }
    for (const { rate, seconds } of s.fixed) {
      await server.exec(ctx.resetSql)
      const [fixed, writes] = await ctx.counted(() => overHttp(server, () => fixedRate(server.target, requests(`f${rate}`), rate, seconds, s.maxInFlight)))
      ctx.add({ key: `fixed-${rate}`, name: `POST /api/incidents at ${fmt(rate)}/s for ${seconds} s (open loop)`, http: true, ...fixed, writes, note: `${fmt(fixed.m.count)} cases written` })
    }
  } finally {
    await server.close()
  }
}

/** The app in this process: the time of one report, step by step; then the service's rate without HTTP. */
async function inProcessCases(ctx: Context): Promise<Breakdown> {
  console.log(`  in this process: timing ${ctx.s.breakdownReports} reports one by one, then the service without HTTP…`)
  const { db, release } = ctx.connect(10) // the server's pool size
  try {
    const app = await inProcess(db, ctx.points, `${ctx.run}-b`, ctx.resetSql)
    try {
      const timing = await app.timeOneByOne(ctx.s.breakdownReports)
      const n = ctx.isPg ? 8 : 1
      const [{ m, liveCommitsPerReport }, writes] = await ctx.counted(() => app.serviceRate(n, ctx.s.concS, ctx.pids))
      ctx.add({
        key: `service-${n}`, name: `service without HTTP (app.incidents.report), ${n} concurrent`, http: false, m, writes,
        ratio: share(m, ...bareRef(ctx, n)), note: `${fmt(liveCommitsPerReport)} live-stream commits per report`,
      })
      return timing
    } finally {
      await app.close()
    }
  } finally {
    await release()
  }
}

/** One report first: a refusal (wrong schema, no categories…) should stop the run with its reason, not count as failures. */
async function preflight(server: BenchServer, spec: { path: string; body?: string }): Promise<void> {
  const answer = await fetch(`http://${server.target.host}:${server.target.port}${spec.path}`, { method: 'POST', body: spec.body, headers: { 'content-type': 'application/json' } })
  if (answer.status !== 201) throw new Error(`POST ${spec.path} answered ${answer.status}: ${(await answer.text()).slice(0, 500)}`)
}

/** A load against the server child, with its CPU, the PostgreSQL backends' and the machine's. */
async function overHttp(server: BenchServer, load: () => Promise<LoadResult>): Promise<{ m: Measurement; maxMs: number }> {
  const stop = await startCpu({ node: server.cpu, postgresPids: server.postgresPids })
  const result = await load()
  const cpu = await stop()
  let maxMs = 0
  for (const v of result.latencies) if (v > maxMs) maxMs = v
  return { m: { count: result.ok, cpu, latency: summarize(result.latencies), failed: result.failed, dropped: result.dropped }, maxMs }
}
