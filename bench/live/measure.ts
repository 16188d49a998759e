/**
 * What every measured setup of the live benchmark shares: the screens and how they connect (with
 * the heap they cost the server), waiting for the stream to drain, the measured window (CPU, loop
 * delay, pool waits) and the verdict on what arrived. `real.ts` drives the real servers through
 * the API; `bare.ts` the bare Socket.IO baseline.
 */
import type { IncidentDelta } from '@gezhi/geo'
import { startCpu } from '../lib/cpu.ts'
import { percentile } from '../lib/stats.ts'
import type { LiveCity } from './city.ts'
import { type ClientPool, type ClientSpec, WALL, type WorkerAnalysis } from './clients.ts'
import type { ProbeStats } from './probe.ts'
import type { ProbedServer } from './servers.ts'

export interface Settings {
  /** Cases per second (reports, or scripted cases for the bare server). */
  rate: number
  seconds: number
  warmS: number
  cells: number
  leadersPerCell: number
  walls: number
  workers: number
  /** Take a CPU profile of the single Gezhi server during its measured window. */
  profile: boolean
}

/** The deltas of a real run as a wall received them, one list per case, and the level-3 grid of each seq. */
export interface Script { cases: Array<Array<[event: string, delta: IncidentDelta]>>; cellOfSeq: Map<number, number> }

export interface Measured {
  label: string
  kind: 'real' | 'bare'
  servers: number
  screens: number
  /** Cases in the measured window (reports accepted, or scripted cases). */
  cases: number
  /** Cases per second actually streamed: reports accepted ÷ seconds, or the replay rate. */
  rate: number
  latency: { n: number; p50: number; p99: number; max: number; min: number; early: number }
  judged: Omit<WorkerAnalysis, 'latencies' | 'lastDeltaAt' | 'figures'>
  figures: number
  /** Judged deltas plus figures delivered, per second of the window (first case to last delivery). */
  deliveriesPerS: number
  deliveries: number
  cpu: { serverUs: number; postgresUs: number; redisUs: number; benchUs: number; machineUs: number; wallMs: number }
  heapPerSocket: number
  rssPerSocket: number
  loop: { p50: number; p99: number; max: number }
  elu: number
  /** Waits for a pooled PostgreSQL connection in the server(s), ms. */
  poolWait: ProbeStats['poolWait']
  /** Main-thread CPU by area, µs (with --profile). */
  areas?: Map<string, number>
  reports?: { ok: number; failed: number; dropped: number; p50: number; p99: number }
}

export const nowMs = () => Number(process.hrtime.bigint()) / 1e6
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Walls first (screen 0, a wall, records its frames), then `leadersPerCell` screens per cell; servers dealt in turn. */
export function screens(city: LiveCity, s: Settings, urls: string[]): ClientSpec[] {
  const specs: Array<Omit<ClientSpec, 'url'>> = [
    ...Array.from({ length: s.walls }, () => ({ token: city.wallToken, cell: WALL })),
    ...city.cells.flatMap((cell) => Array.from({ length: s.leadersPerCell }, () => ({ token: city.leaderTokens.get(cell)!, cell }))),
  ]
  // Consecutive screens go to different worker threads (round-robin there), so deal servers by i / workers.
  return specs.map((spec, i) => ({ ...spec, url: urls[Math.floor(i / s.workers) % urls.length]! }))
}

/** Connects the walls, then the leaders; the heap the leaders add, after full collections, is the cost of idle sockets. */
export async function connectScreens(pool: ClientPool, servers: ProbedServer[]) {
  const walls = await pool.connect('wall')
  await sleep(500)
  const before = await Promise.all(servers.map((s) => s.gc()))
  const leaders = await pool.connect('leader')
  await sleep(1000)
  const after = await Promise.all(servers.map((s) => s.gc()))
  const failed = walls.failed + leaders.failed
  if (failed) throw new Error(`${failed} screens could not connect, e.g. ${[...walls.errors, ...leaders.errors][0]}`)
  const delta = (key: 'heapUsed' | 'rss') => after.reduce((a, m, k) => a + m[key] - before[k]![key], 0) / Math.max(1, leaders.connected)
  return {
    heapPerSocket: delta('heapUsed'), rssPerSocket: delta('rss'), connected: walls.connected + leaders.connected,
  }
}

/** Waits until no delta has arrived for `quietMs` (or `maxMs` passed). */
export async function drain(pool: ClientPool, quietMs = 2000, maxMs = 180_000) {
  const until = nowMs() + maxMs
  for (;;) {
    await sleep(250)
    const p = await pool.progress()
    if (nowMs() - p.lastDeltaAt > quietMs || nowMs() > until) return
  }
}

/** CPU of the servers (their probes), of PostgreSQL, of Redis, of this process, of the machine; loop delay and utilisation. */
export async function window(servers: ProbedServer[], postgresPids?: () => Promise<number[]>, redisPid?: number) {
  const s0 = await Promise.all(servers.map((s) => s.stats())) // also resets the delay histograms
  const stopBench = await startCpu({ postgresPids })
  // startCpu reads any pids' /proc CPU as "postgres": here, Redis's.
  const stopRedis = redisPid ? await startCpu({ postgresPids: async () => [redisPid] }) : null
  return async () => {
    const s1 = await Promise.all(servers.map((s) => s.stats()))
    const spent = await stopBench()
    const redis = stopRedis ? await stopRedis() : null
    return {
      cpu: {
        serverUs: s1.reduce((a, s, k) => a + s.cpuUs - s0[k]!.cpuUs, 0), postgresUs: spent.postgresUs,
        redisUs: redis?.postgresUs ?? Number.NaN, benchUs: spent.nodeUs, machineUs: spent.machineUs, wallMs: spent.wallMs,
      },
      loop: { p50: Math.max(...s1.map((s) => s.loop.p50)), p99: Math.max(...s1.map((s) => s.loop.p99)), max: Math.max(...s1.map((s) => s.loop.max)) },
      elu: Math.max(...s1.map((s) => s.elu)),
      poolWait: {
        count: s1.reduce((a, s) => a + s.poolWait.count, 0), p50: Math.max(...s1.map((s) => s.poolWait.p50)), p99: Math.max(...s1.map((s) => s.poolWait.p99)),
        max: Math.max(...s1.map((s) => s.poolWait.max)), totalMs: s1.reduce((a, s) => a + s.poolWait.totalMs, 0),
      },
    }
  }
}

/** Sums the workers' verdicts and summarises the latencies of every judged delivery. */
export function verdict(analyses: WorkerAnalysis[], startedAt: number) {
  const total = analyses.reduce((a, r) => a + r.latencies.length, 0)
  const all = new Float64Array(total)
  let at = 0
  for (const r of analyses) { all.set(r.latencies, at); at += r.latencies.length }
  all.sort()
  let early = 0
  while (early < all.length && all[early]! < 0) early++
  const add = (key: keyof Measured['judged']) => analyses.reduce((a, r) => a + r[key], 0)
  const judged = {
    created: add('created'), updated: add('updated'), overdue: add('overdue'), expected: add('expected'), lost: add('lost'),
    duplicates: add('duplicates'), unexpected: add('unexpected'), outside: add('outside'), outOfOrder: add('outOfOrder'), disconnected: add('disconnected'),
  }
  const figures = analyses.reduce((a, r) => a + r.figures, 0)
  const deliveries = judged.created + judged.updated + judged.overdue + figures
  const lastAt = Math.max(...analyses.map((r) => r.lastDeltaAt))
  return {
    latency: { n: all.length, p50: percentile(all, 50), p99: percentile(all, 99), max: all[all.length - 1] ?? Number.NaN, min: all[0] ?? Number.NaN, early: early / Math.max(1, all.length) },
    judged, figures, deliveries, deliveriesPerS: deliveries / ((lastAt - startedAt) / 1000),
  }
}


export interface Context { city: LiveCity; s: Settings; log: (line: string) => void }

export function summaryLine(m: Measured): string {
  const r = m.reports ? `; reports ${m.reports.ok} ok, ${m.reports.failed} failed, ${m.reports.dropped} dropped` : ''
  return `  p50 ${m.latency.p50.toFixed(1)} ms, p99 ${m.latency.p99.toFixed(1)} ms, max ${m.latency.max.toFixed(1)} ms; lost ${m.judged.lost}, dup ${m.judged.duplicates}; ` +
    `${Math.round(m.deliveriesPerS)} deliveries/s; server CPU ${(m.cpu.serverUs / m.deliveries).toFixed(1)} µs/delivery${r}`
}

export const sum = <T, K extends keyof T>(rows: T[], key: K) => rows.reduce((a, r) => a + (r[key] as number), 0)
