/**
 * The real server(s) under the live benchmark: reports through POST /api/incidents at a fixed rate,
 * judged against the stream as the database numbered it; the single-server run also records the
 * deltas one wall received, for the bare baseline to replay.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { IncidentDelta } from '@gezhi/geo'
import type { Db } from '../../server/src/db/db.ts'
import { openPostgres } from '../../server/src/db/postgres.ts'
import { STREAM_HEAD } from '../../server/src/live/live.queries.ts'
import { CACHE_DIR, ROOT } from '../lib/cities.ts'
import { fixedRate, type LoadResult, type RequestSpec } from '../lib/load.ts'
import { summarize } from '../lib/stats.ts'
import type { LiveCity } from './city.ts'
import { type ClientPool, clientPool, EXCLUDED } from './clients.ts'
import { connectScreens, type Context, drain, type Measured, nowMs, screens, type Script, sum, summaryLine, verdict, window } from './measure.ts'
import { cpuAreas, type CpuProfile } from './profile.ts'
import { type ProbedServer, startRealServer } from './servers.ts'

/**
 * A report at one of the city's points (taken with a stride, so consecutive reports land in
 * different grids) in a category drawn at random (seeded): a point and a category do not pair up
 * in a cycle, so repeat flags (≥ 3 cases of a category within its radius) stay as rare as chance makes them.
 */
function reportRequests(city: LiveCity, tag: string): (i: number) => RequestSpec {
  let n = 0
  let state = [...tag].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261)
  const random = () => { // mulberry32
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return (i) => {
    const k = n++
    const [lng, lat] = city.points[(k * 7919 + tag.length) % city.points.length]!
    const category = city.categories[Math.floor(random() * city.categories.length)]
    const body = { source: 'resident', category, description: `实时基准 ${tag}-${i}: 路边堆放杂物`, location: { lng, lat } }
    return { method: 'POST', path: '/api/incidents', body: JSON.stringify(body) }
  }
}

/** Reports at `rate` per second for `seconds`, split evenly over the servers; the accept time of each new case by id. */
async function report(ctx: Context, servers: ProbedServer[], seconds: number, tag: string, accepted: Map<number, number>): Promise<LoadResult[]> {
  return Promise.all(servers.map((server, k) => {
    const url = new URL(server.url)
    return fixedRate({ host: url.hostname, port: Number(url.port) }, reportRequests(ctx.city, `${tag}${k}`), ctx.s.rate / servers.length, seconds, 256, (_i, status, body) => {
      if (status === 201) accepted.set((JSON.parse(body) as { incident: { id: number } }).incident.id, nowMs())
    })
  }))
}

/** The real server(s): reports through POST /api/incidents; with `redisUrl`, every server shares the stream through Redis. */
export async function measureReal(ctx: Context, count: number, redis?: { url: string; pid: number }): Promise<{ m: Measured; script?: Script }> {
  const { city, s, log } = ctx
  const label = count === 1 ? 'Gezhi, 1 server' : `Gezhi, ${count} servers + Redis`
  log(`\n▸ ${label}`)
  const database = await city.freshDatabase(`real${count}`)
  const db = openPostgres({ connectionString: database.url, max: 2 })
  const servers: ProbedServer[] = []
  let pool: ClientPool | null = null
  try {
    // One after the other: the first takes the stream's leader lock.
    for (let k = 0; k < count; k++) servers.push(await startRealServer(`server ${'AB'[k]}`, database.url, redis?.url))
    pool = clientPool(screens(city, s, servers.map((x) => x.url)), s.workers)
    const memory = await connectScreens(pool, servers)
    log(`  ${memory.connected} screens connected; warming up ${s.warmS} s…`)
    await report(ctx, servers, s.warmS, 'warm', new Map())
    await drain(pool)

    const [{ last_seq: head0 }] = (await db.query<{ last_seq: number }>(STREAM_HEAD)) as [{ last_seq: number }]
    const pgPids = () => db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()').then((r) => r.map((x) => x.pid))
    const stop = await window(servers, pgPids, redis?.pid)
    const profiler = s.profile && count === 1 ? await servers[0]!.profile() : null
    await pool.countFigures(true)
    log(`  reporting ${s.rate}/s for ${s.seconds} s…`)
    const accepted = new Map<number, number>()
    const startedAt = nowMs()
    const loads = await report(ctx, servers, s.seconds, 'run', accepted)
    await drain(pool)
    const profile = await profiler?.stop()
    const spent = await stop()
    await pool.countFigures(false)

    const [{ last_seq: head1 }] = (await db.query<{ last_seq: number }>(STREAM_HEAD)) as [{ last_seq: number }]
    const { rows, cell, acceptMs } = await expectations(db, head0, head1, accepted)
    const v = verdict(await pool.analyse(head0 + 1, acceptMs, cell), startedAt)
    const http = summarize(loads.flatMap((l) => [...l.latencies]))
    const m: Measured = {
      label, kind: 'real', servers: count, screens: memory.connected, cases: accepted.size, rate: accepted.size / s.seconds, ...v, ...spent,
      heapPerSocket: memory.heapPerSocket, rssPerSocket: memory.rssPerSocket,
      reports: { ok: sum(loads, 'ok'), failed: sum(loads, 'failed'), dropped: sum(loads, 'dropped'), p50: http.p50, p99: http.p99 },
      areas: profile ? cpuAreas(profile) : undefined,
    }
    if (profile) log(`  CPU profile of the server: ${saveProfile(profile)} (open it in Chrome DevTools)`)
    log(summaryLine(m))
    if (count > 1) return { m }
    const cellOfSeq = new Map(rows.map((r) => [r.seq, r.cell ?? 0]))
    return { m, script: scriptOf(await pool.recorded(), head0, head1, cellOfSeq) }
  } finally {
    await pool?.close()
    await Promise.all(servers.map((x) => x.close()))
    await db.close()
    await database.drop()
  }
}

/**
 * What each seq of the window should reach, from the database: the level-3 grid on its case's
 * path (0 when the case has none: walls only), and the accept time of its case (NaN if its 201 never came).
 */
async function expectations(db: Db, head0: number, head1: number, accepted: Map<number, number>) {
  const rows = await db.query<{ seq: number; incident_id: number; cell: number | null }>(
    `SELECT e.seq, e.incident_id, i.grid_path[3] AS cell FROM incident_events e JOIN incidents i ON i.id = e.incident_id
      WHERE e.seq > $1 AND e.seq <= $2 ORDER BY e.seq`, [head0, head1])
  const cell = new Int32Array(head1 - head0).fill(EXCLUDED)
  const acceptMs = new Float64Array(head1 - head0).fill(Number.NaN)
  for (const r of rows) {
    cell[r.seq - head0 - 1] = r.cell ?? 0
    acceptMs[r.seq - head0 - 1] = accepted.get(r.incident_id) ?? Number.NaN
  }
  return { rows, cell, acceptMs }
}

function saveProfile(profile: CpuProfile): string {
  const file = path.join(CACHE_DIR, `live-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`)
  mkdirSync(CACHE_DIR, { recursive: true })
  writeFileSync(file, JSON.stringify(profile))
  return path.relative(ROOT, file)
}

/** The recorded frames of the measured window, grouped by case in the order they arrived. */
function scriptOf(frames: string[], head0: number, head1: number, cellOfSeq: Map<number, number>): Script {
  const byCase = new Map<number, Array<[string, IncidentDelta]>>()
  for (const frame of frames) {
    const [event, delta] = JSON.parse(frame.slice(1)) as [string, IncidentDelta] // after the packet type '2'
    if (delta.seq <= head0 || delta.seq > head1) continue
    const list = byCase.get(delta.incident.id) ?? []
    list.push([event, delta])
    byCase.set(delta.incident.id, list)
  }
  return { cases: [...byCase.values()], cellOfSeq }
}

