/**
 * A small HTTP load generator (keep-alive `node:http`), run in the benchmark process while the
 * server runs in a child process, so the two never share an event loop.
 *
 * Why not autocannon: its latency histogram records whole milliseconds (a 0.4 ms answer counts
 * as 1 ms), which cannot test a 2 ms p99, and its rate limit lets each connection send its
 * per-second quota in a burst at the start of every second rather than at a steady rate.
 */
import http from 'node:http'
import { Samples } from './stats.ts'

export interface LoadResult {
  /** Completed 2xx responses. */
  ok: number
  failed: number
  /** Requests not sent because too many were already waiting (the server fell behind). */
  dropped: number
  /** Milliseconds from sending each request to the end of its response. */
  latencies: Float64Array
  wallMs: number
}

export interface Target { host: string; port: number }
export interface RequestSpec { method: 'GET' | 'POST'; path: string; body?: string }

/**
 * Called as each answer ends, with its status and body (read only when a caller asks for it).
 * `i` is the request's index, as passed to `next`.
 */
export type OnResponse = (i: number, status: number, body: string) => void

function send(agent: http.Agent, target: Target, spec: RequestSpec, keepBody = false): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      agent, host: target.host, port: target.port, method: spec.method, path: spec.path,
      headers: spec.body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(spec.body) },
    }, (res) => {
      let body = ''
      if (keepBody) res.setEncoding('utf8').on('data', (chunk: string) => { body += chunk })
      else res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(spec.body)
  })
}

/**
 * Open loop: starts request `next(i)` at `ratePerS` per second for `durationS`, whether or not
 * earlier ones have answered (up to `maxInFlight`, beyond which it counts drops), then waits for
 * the stragglers. Requests go out on a 1 ms timer, i.e. about two at a time at 2,000/s.
 * `onResponse`, when given, sees every answer's body.
 */
export function fixedRate(target: Target, next: (i: number) => RequestSpec, ratePerS: number, durationS: number, maxInFlight = 256, onResponse?: OnResponse): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
  const latencies = new Samples()
  const total = Math.round(ratePerS * durationS)
  let started = 0, inFlight = 0, ok = 0, failed = 0, dropped = 0
  const t0 = performance.now()
  return new Promise((resolve) => {
    const finish = () => {
      agent.destroy()
      resolve({ ok, failed, dropped, latencies: latencies.values(), wallMs: performance.now() - t0 })
    }
    const fire = (i: number) => {
      inFlight++
      const sent = performance.now()
      send(agent, target, next(i), onResponse !== undefined).then(
        ({ status, body }) => {
          if (status >= 200 && status < 300) { ok++; latencies.push(performance.now() - sent) } else failed++
          onResponse?.(i, status, body)
        },
        () => { failed++ },
      ).finally(() => { if (--inFlight === 0 && started === total) finish() })
    }
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * ratePerS) + 1)
      for (; started < due; started++) {
        if (inFlight >= maxInFlight) dropped++
        else fire(started)
      }
      if (started < total) setTimeout(tick, 1)
      else if (inFlight === 0) finish()
    }
    tick()
  })
}

/** Closed loop: `concurrency` clients each send the next request as soon as the last answered. */
export async function closedLoop(target: Target, next: (i: number) => RequestSpec, concurrency: number, durationS: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  const latencies = new Samples()
  let i = 0, ok = 0, failed = 0
  const t0 = performance.now()
  const until = t0 + durationS * 1000
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      const sent = performance.now()
      try {
        const { status } = await send(agent, target, next(i++))
        if (status >= 200 && status < 300) { ok++; latencies.push(performance.now() - sent) } else failed++
      } catch { failed++ }
    }
  }))
  agent.destroy()
  return { ok, failed, dropped: 0, latencies: latencies.values(), wallMs: performance.now() - t0 }
}
