import type { LngLat } from '@gezhi/geo'
import { type CpuSources, type CpuSpent, startCpu } from '../lib/cpu.ts'
import { closedLoop, fixedRate, type LoadResult, type RequestSpec } from '../lib/load.ts'
import type { BenchServer } from '../lib/server.ts'
import { type Latency, Samples, summarize } from '../lib/stats.ts'
import type { InMemoryIndex } from './in-memory.ts'

/** What one case did: `count` lookups (or points), in `cpu.wallMs`, with per-call latency. */
export interface Measurement {
  count: number
  cpu: CpuSpent
  latency: Latency
  failed?: number
  dropped?: number
}

export const perSecond = (m: Measurement) => m.count / (m.cpu.wallMs / 1000)

/**
 * Calls `op(i)` for `durationS` seconds from `concurrency` loops (at least once each); `op`
 * returns how many lookups it did. CPU "node" is this process's.
 */
export async function repeatFor(durationS: number, concurrency: number, op: (i: number) => Promise<number>, postgresPids?: CpuSources['postgresPids']): Promise<Measurement> {
  const latencies = new Samples()
  let i = 0, count = 0
  const stop = await startCpu({ postgresPids })
  const until = performance.now() + durationS * 1000
  await Promise.all(Array.from({ length: concurrency }, async () => {
    do {
      const t = performance.now()
      const done = await op(i++) // not `count += await …`: that reads `count` before awaiting and loses the other loops' counts
      count += done
      latencies.push(performance.now() - t)
    } while (performance.now() < until)
  }))
  const cpu = await stop()
  return { count, cpu, latency: summarize(latencies.values()) }
}

/** Baseline (a): the in-memory index, one synchronous lookup after another, each timed. */
export async function inMemoryLookups(index: InMemoryIndex, points: LngLat[], durationS: number): Promise<Measurement> {
  const latencies = new Samples()
  const stop = await startCpu()
  const until = performance.now() + durationS * 1000
  let sink = 0
  for (let i = 0; ; i++) {
    const t = performance.now()
    sink += index.locate(points[i % points.length]!)
    const done = performance.now()
    latencies.push(done - t)
    if (done > until) break
  }
  const cpu = await stop()
  if (sink === Number.MIN_VALUE) console.log(sink) // keep the lookups observable
  return { count: latencies.length, cpu, latency: summarize(latencies.values()) }
}

const locateGet = (points: LngLat[]) => (i: number): RequestSpec => {
  const [lng, lat] = points[i % points.length]!
  return { method: 'GET', path: `/api/locate?lng=${lng}&lat=${lat}` }
}

async function overHttp(server: BenchServer, pointsPerRequest: number, load: () => Promise<LoadResult>): Promise<Measurement> {
  const stop = await startCpu({ node: server.cpu, postgresPids: server.postgresPids })
  const result = await load()
  const cpu = await stop()
  return { count: result.ok * pointsPerRequest, cpu, latency: summarize(result.latencies), failed: result.failed, dropped: result.dropped }
}

/** `GET /api/locate` at a fixed arrival rate (open loop). CPU "node" is the server process's. */
export function httpFixedRate(server: BenchServer, points: LngLat[], ratePerS: number, durationS: number): Promise<Measurement> {
  return overHttp(server, 1, () => fixedRate(server.target, locateGet(points), ratePerS, durationS))
}

/** `GET /api/locate` as fast as `concurrency` keep-alive connections go. */
export function httpMax(server: BenchServer, points: LngLat[], concurrency: number, durationS: number): Promise<Measurement> {
  return overHttp(server, 1, () => closedLoop(server.target, locateGet(points), concurrency, durationS))
}

/** `POST /api/locate` with all `points` in each request, from `concurrency` clients one request after another. */
export function httpBatch(server: BenchServer, points: LngLat[], durationS: number, concurrency = 1): Promise<Measurement> {
  const body = JSON.stringify({ points })
  return overHttp(server, points.length, () => closedLoop(server.target, () => ({ method: 'POST', path: '/api/locate', body }), concurrency, durationS))
}
