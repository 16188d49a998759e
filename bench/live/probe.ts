/**
 * Preloaded into every server the live benchmark starts (`node --expose-gc --import tsx --import
 * bench/live/probe.ts …`), so the figures come from inside the server's own process without
 * changing server code. Answers over the IPC channel:
 * - `{ probe: 'stats', id }`: CPU (process.cpuUsage, µs: all threads, as /proc/<pid>/stat counts
 *   them), memory, event-loop utilisation, the event-loop delay histogram and the time queries
 *   waited for a pooled PostgreSQL connection, both since the last 'stats' (which resets them);
 * - `{ probe: 'gc', id }`: two full collections, then memory: the live heap;
 * - `{ probe: 'profile-start' | 'profile-stop', id }`: a CPU profile (V8's sampling profiler
 *   through node:inspector), returned on stop.
 */
import { createRequire } from 'node:module'
import { Session } from 'node:inspector/promises'
import { createHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks'

export interface ProbeStats {
  cpuUs: number
  heapUsed: number
  rss: number
  /** Event-loop utilisation since the previous 'stats' (0..1). */
  elu: number
  /** Event-loop delay since the previous 'stats', ms (sampled every 10 ms). */
  loop: { p50: number; p99: number; max: number }
  /** Waits for a pooled `pg` connection since the previous 'stats', ms (count 0 without PostgreSQL). */
  poolWait: { count: number; p50: number; p99: number; max: number; totalMs: number }
}

const histogram = monitorEventLoopDelay({ resolution: 10 })
histogram.enable()
let lastElu = performance.eventLoopUtilization()

/**
 * Times every `pool.connect()` of the `pg` the server uses (the same module instance: one
 * node_modules/pg), from the call to the moment a client is handed over: `pool.query` and
 * transactions both go through it. Nothing else changes.
 */
const poolWaits = createHistogram()
let poolWaitNs = 0
try {
  const pg = createRequire(import.meta.url)('pg') as { Pool: { prototype: object } }
  const proto = Object.getPrototypeOf(pg.Pool.prototype) as { connect: (this: unknown, cb?: (...a: unknown[]) => void) => unknown }
  const connect = proto.connect
  const record = (t0: bigint) => {
    const ns = Number(process.hrtime.bigint() - t0)
    poolWaits.record(Math.max(1, ns))
    poolWaitNs += ns
  }
  proto.connect = function timedConnect(cb) {
    const t0 = process.hrtime.bigint()
    if (cb) return connect.call(this, (...args: unknown[]) => { record(t0); cb(...args) })
    return (connect.call(this) as Promise<unknown>).then((client) => { record(t0); return client })
  }
} catch { /* no pg here (the bare server) */ }

function stats(): ProbeStats {
  const cpu = process.cpuUsage()
  const mem = process.memoryUsage()
  const elu = performance.eventLoopUtilization(lastElu)
  lastElu = performance.eventLoopUtilization()
  const ms = (h: { percentile(p: number): number }, p: number) => h.percentile(p) / 1e6
  const loop = { p50: ms(histogram, 50), p99: ms(histogram, 99), max: histogram.max / 1e6 }
  const poolWait = { count: poolWaits.count, p50: ms(poolWaits, 50), p99: ms(poolWaits, 99), max: poolWaits.count ? poolWaits.max / 1e6 : 0, totalMs: poolWaitNs / 1e6 }
  histogram.reset()
  poolWaits.reset()
  poolWaitNs = 0
  return { cpuUs: cpu.user + cpu.system, heapUsed: mem.heapUsed, rss: mem.rss, elu: elu.utilization, loop, poolWait }
}

let session: Session | null = null

async function answer(message: { probe: string }): Promise<Record<string, unknown>> {
  switch (message.probe) {
    case 'stats': return { stats: stats() }
    case 'gc': {
      const gc = (globalThis as { gc?: () => void }).gc
      gc?.()
      gc?.()
      const mem = process.memoryUsage()
      return { heapUsed: mem.heapUsed, rss: mem.rss, collected: gc !== undefined }
    }
    case 'profile-start':
      session = new Session()
      session.connect()
      await session.post('Profiler.enable')
      await session.post('Profiler.setSamplingInterval', { interval: 500 }) // µs
      await session.post('Profiler.start')
      return {}
    case 'profile-stop': {
      const { profile } = await session!.post('Profiler.stop')
      session!.disconnect()
      session = null
      return { profile }
    }
    default: return {}
  }
}

if (process.send) {
  process.channel?.unref() // the probe never keeps the server alive
  process.on('message', (message: { probe?: string; id?: number }) => {
    if (message?.probe) void answer(message as { probe: string }).then((reply) => process.send!({ ...reply, probeReply: message.id }))
  })
}
