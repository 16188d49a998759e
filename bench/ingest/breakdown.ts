/**
 * Where the time of one report goes: the app built in this process (no server code changed) on a
 * `Db` that times every statement by its name, fed one `POST /api/incidents` at a time through
 * `app.inject`. Each statement's time is its round trip from Node (send, PostgreSQL's work, the
 * answer parsed by `pg`); "BEGIN" includes taking a pooled connection, "COMMIT" the WAL flush of a
 * durable commit. What the report's own statements leave of the inject time is JavaScript in
 * the server: Fastify, validation, time limits, serialising the answer.
 * The live stream's statements run after the answer (the sequencer numbers the new event and
 * publishes it), on other connections: listed apart, as work per report but not latency.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { LngLat } from '@gezhi/geo'
import { buildApp } from '../../server/src/app.ts'
import type { Db, NamedQuery, Queryable } from '../../server/src/db/db.ts'
import type { CpuSources } from '../lib/cpu.ts'
import { Samples, summarize } from '../lib/stats.ts'
import { fmt, renderTable } from '../lib/table.ts'
import { type Measurement, repeatFor } from '../locate/measure.ts'
import { categoryMix, reportBody, reportRequests } from './reports.ts'

interface Stat { n: number; ms: number }

/** The report's statements in the order it runs them, with what each is for. */
const STEPS: Array<[key: string, what: string]> = [
  ['locate_one', 'locate: LOCATE_ONE (leaf, chain of grids, staff board)'],
  ['SELECT path FROM grids WHERE id = $1', "leaf's path (SELECT path FROM grids)"],
  ['similar_open_incidents', 'similar open cases (offered as duplicates)'],
  ['BEGIN report', 'BEGIN (and a pooled connection)'],
  ['next_incident_id', "  nextval('incidents_id_seq')"],
  ['insert_incident', '  INSERT case'],
  ['lock_incident', '  read the new case back FOR UPDATE'],
  ['insert_incident_event', '  INSERT event (+ UPDATE case.updated_at)'],
  ['repeat_incidents_near', '  repeat query (same category nearby, 30 days)'],
  ['update_incident', '  UPDATE case (repeat flag, when ≥ 3)'],
  ['COMMIT report', 'COMMIT (durable: WAL flush)'],
  ['incident_view', 'view: the case as the answer shows it'],
]
const LIVE_STEPS: Array<[key: string, what: string]> = [
  ['BEGIN live', 'BEGIN'],
  ['lock_incident_stream', '  lock the stream head'],
  ['number_incident_events', '  number new events, stamp cases'],
  ['COMMIT live', 'COMMIT'],
  ['incident_summaries', 'summaries of the numbered cases (for the deltas)'],
]

/** The same database, timing every statement by its name (or its text), and BEGIN and COMMIT by the first statement of their transaction. */
function timed(db: Db, stats: Map<string, Stat>): Db {
  const note = (key: string, ms: number) => {
    const s = stats.get(key) ?? { n: 0, ms: 0 }
    s.n++
    s.ms += ms
    stats.set(key, s)
  }
  const wrap = (q: Queryable, onFirst?: (name: string) => void): Queryable => ({
    async query<R>(query: NamedQuery | string, params?: readonly unknown[]) {
      const name = typeof query === 'string' ? query.trim().replace(/\s+/g, ' ') : query.name
      onFirst?.(name)
      onFirst = undefined
      const started = performance.now()
      try {
        return await q.query<R>(query, params)
      } finally {
        note(name, performance.now() - started)
      }
    },
    exec: (text: string) => q.exec(text),
  })
  return {
    ...db,
    ...wrap(db),
    async transaction(fn) {
      const called = performance.now()
      let began = 0, ended = 0, first = ''
      const result = await db.transaction(async (tx) => {
        began = performance.now()
        try {
          return await fn(wrap(tx, (name) => { first = name }))
        } finally {
          ended = performance.now()
        }
      })
      const kind = first === 'lock_incident_stream' ? 'live' : first === 'next_incident_id' ? 'report' : `(${first})`
      note(`BEGIN ${kind}`, began - called)
      note(`COMMIT ${kind}`, performance.now() - ended)
      return result
    },
  }
}

export interface Breakdown { reports: number; totalMs: ReturnType<typeof summarize>; stats: Map<string, Stat>; floorMs: number; repeatShare: number }

export interface InProcess {
  /** Empties the cases, then sends `reports` reports one after another through `app.inject`, timing each statement. */
  timeOneByOne(reports: number): Promise<Breakdown>
  /**
   * Empties the cases, then calls the service itself (no HTTP, no Fastify) from `concurrency`
   * loops; counts the live stream's numbering transactions (each a commit) per report.
   */
  serviceRate(concurrency: number, durationS: number, pids?: CpuSources['postgresPids']): Promise<{ m: Measurement; liveCommitsPerReport: number }>
  close(): Promise<void>
}

/**
 * Builds the app on `db` in this process and warms it up. `db` must not be served by another
 * process meanwhile: their live streams would take turns at the stream lock.
 */
export async function inProcess(db: Db, points: LngLat[], run: string, resetSql: string): Promise<InProcess> {
  const stats = new Map<string, Stat>()
  const app = await buildApp({
    config: { clientDir: '/nonexistent', logLevel: 'silent', dataDir: mkdtempSync(path.join(tmpdir(), 'gezhi-bench-')) },
    db: timed(db, stats), logger: false,
  })
  await app.ready()
  const categories = categoryMix()
  const next = reportRequests(points, categories, run)
  const send = async (i: number) => {
    const spec = next(i)
    const answer = await app.inject({ method: 'POST', url: spec.path, payload: spec.body, headers: { 'content-type': 'application/json' } })
    if (answer.statusCode !== 201) throw new Error(`report ${i}: ${answer.statusCode} ${answer.body.slice(0, 300)}`)
    return answer.json() as { incident: { flags: { repeat: boolean } } }
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 200)) // the live stream numbers the last events
  let sent = 0
  for (; sent < 200; sent++) await send(sent)

  return {
    async timeOneByOne(reports) {
      await db.exec(resetSql)
      const floor = new Samples()
      for (let i = 0; i < 200; i++) {
        const t = performance.now()
        await db.query({ name: 'bench_select_1', text: 'SELECT 1' })
        floor.push(performance.now() - t)
      }
      await settle()
      stats.clear()
      const totals = new Samples()
      let repeats = 0
      for (let i = 0; i < reports; i++) {
        const t = performance.now()
        const answer = await send(sent++)
        totals.push(performance.now() - t)
        if (answer.incident.flags.repeat) repeats++
      }
      await settle()
      return { reports, totalMs: summarize(totals.values()), stats: new Map([...stats].map(([k, s]) => [k, { ...s }])), floorMs: summarize(floor.values()).p50, repeatShare: repeats / reports }
    },
    async serviceRate(concurrency, durationS, pids) {
      await db.exec(resetSql)
      await settle()
      const report = (i: number) => app.incidents.report({ kind: 'public' }, reportBody(points, categories, run, i), []).then(() => 1)
      const liveCommits = () => stats.get('COMMIT live')?.n ?? 0
      const before = liveCommits()
      const m = await repeatFor(durationS, concurrency, () => report(sent++), pids)
      await settle()
      return { m, liveCommitsPerReport: (liveCommits() - before) / m.count }
    },
    close: () => app.close(),
  }
}

/** Mean ms per report of each step, its share of the mean report, and calls per report. */
export function breakdownTable(b: Breakdown, backendName: string): string {
  const per = (key: string) => b.stats.get(key) ?? { n: 0, ms: 0 }
  const row = ([key, what]: [string, string]) => {
    const s = per(key)
    return [what, fmt(s.n / b.reports), fmt(s.ms / b.reports), `${fmt((100 * s.ms) / b.reports / b.totalMs.mean)} %`, s.n ? fmt(s.ms / s.n) : '–']
  }
  const inPath = STEPS.reduce((sum, [key]) => sum + per(key).ms, 0) / b.reports
  const known = new Set([...STEPS, ...LIVE_STEPS].map(([key]) => key))
  const others = [...b.stats.keys()].filter((k) => !known.has(k))
  const rows = [
    ...STEPS.map(row),
    ['statements in the answer’s path, together', '', fmt(inPath), `${fmt((100 * inPath) / b.totalMs.mean)} %`, ''],
    ['JavaScript in the server (the rest of the inject time)', '', fmt(b.totalMs.mean - inPath), `${fmt((100 * (b.totalMs.mean - inPath)) / b.totalMs.mean)} %`, ''],
    ['one report through app.inject (mean)', '1', fmt(b.totalMs.mean), '100 %', `p50 ${fmt(b.totalMs.p50)}, p99 ${fmt(b.totalMs.p99)}`],
    ['after the answer: live stream (other connections)', '', '', '', ''],
    ...LIVE_STEPS.map(row),
    ...others.map((k) => row([k, `other: ${k.slice(0, 60)}`])),
  ]
  return `where the time of one report goes, ${backendName}: ${fmt(b.reports)} reports one after another through app.inject (no socket), ` +
    `on an emptied database; ${fmt(100 * b.repeatShare)} % of them flagged as repeats; a bare SELECT 1 round trip takes ${fmt(b.floorMs)} ms\n` +
    renderTable(['step', 'calls per report', 'ms per report', 'share', 'ms per call'], rows, ['l', 'r', 'r', 'r', 'r'])
}
