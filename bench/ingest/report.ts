import type { Backend } from '../lib/cities.ts'
import { fmt, renderTable } from '../lib/table.ts'
import { type Measurement, perSecond } from '../locate/measure.ts'
import { type Writes, writesPerCase } from './writes.ts'

export interface Row {
  backend: Backend
  /** Stable key: 'seq', 'conc-8', 'fixed-1000', 'bare-insert-4', 'bare-lookup-4', … */
  key: string
  name: string
  /** Whether it went over HTTP to the server child (CPU "node" is then the server's). */
  http: boolean
  m: Measurement
  maxMs?: number
  /** PostgreSQL: row versions written during the case. */
  writes?: Writes
  ratio?: string
  note?: string
}

export const BACKEND_NAME: Record<Backend, string> = { pglite: 'PGlite (embedded)', postgres: 'PostgreSQL' }

export const problems = (m: Measurement) => (m.dropped || m.failed ? `⚠ ${fmt(m.dropped ?? 0)} dropped, ${fmt(m.failed ?? 0)} failed` : '')

/** One table per backend, so that no figure can be read as the other backend's. */
export function resultsTable(rows: Row[], backend: Backend): string {
  const mine = rows.filter((r) => r.backend === backend)
  const per = (us: number, r: Row) => fmt(us / r.m.count)
  return renderTable(
    ['case', 'reports/s', 'p50 ms', 'p99 ms', 'max ms', 'CPU µs node', 'CPU µs pg', 'CPU µs all', 'rows: case · events', 'ratio', 'note'],
    mine.map((r) => [
      r.name, fmt(perSecond(r.m)), fmt(r.m.latency.p50), fmt(r.m.latency.p99), fmt(r.maxMs),
      per(r.m.cpu.nodeUs, r), r.backend === 'postgres' ? per(r.m.cpu.postgresUs, r) : '–', per(r.m.cpu.machineUs, r),
      writesPerCase(r.writes), r.ratio ?? '', [problems(r.m), r.note ?? ''].filter(Boolean).join('; '),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
  )
}

/** The targets, on PostgreSQL (2 cores, durable commits). */
export function targetsTable(rows: Row[], synchronousCommit: string): string {
  const pg = rows.filter((r) => r.backend === 'postgres')
  const find = (key: string) => pg.find((r) => r.key === key)
  const concurrent = pg.filter((r) => r.key.startsWith('conc-')).sort((a, b) => perSecond(b.m) - perSecond(a.m))[0]
  const fixed = find('fixed-1000')
  const bare = find('bare-lookup-4')
  if (!concurrent || !fixed || !bare) return '(targets need the PostgreSQL cases: run with --backend postgres or both)'
  const check = (ok: boolean) => (ok ? 'PASS' : 'MISS')
  const best = perSecond(concurrent.m)
  const share = best / perSecond(bare.m)
  const durable = synchronousCommit === 'on' ? '' : `  ⚠ synchronous_commit = ${synchronousCommit}: commits are not durable`
  return `targets (PostgreSQL, ${synchronousCommit === 'on' ? 'durable commits' : 'NOT durable'})${durable}\n` + renderTable(['target', 'wanted', 'measured', ''], [
    [`reports/s sustained (best closed loop: ${concurrent.name.replace(/^POST \/api\/incidents, /, '')})`, '≥ 2,000/s', `${fmt(best)}/s`, check(best >= 2000 && !concurrent.m.failed)],
    ['p99 at a fixed 1,000 reports/s', '≤ 25 ms', `${fmt(fixed.m.latency.p99)} ms (max ${fmt(fixed.maxMs)})`, check(fixed.m.latency.p99 <= 25 && !fixed.m.dropped && !fixed.m.failed)],
    ['end to end ÷ bare lookup + INSERT + COMMIT (4 connections)', '≥ 60 %', `${fmt(100 * share)} % (${fmt(best)} ÷ ${fmt(perSecond(bare.m))})`, check(share >= 0.6)],
  ], ['l', 'r', 'r', 'l'])
}
