import type { Backend, OpenCity } from '../lib/cities.ts'
import { fmt, renderTable } from '../lib/table.ts'
import { type Measurement, perSecond } from './measure.ts'

export interface Row {
  scale: number
  backend: Backend
  /** Stable key for targets: 'http-fixed', 'http-max', 'sql-max', 'http-batch', … */
  key: string
  name: string
  unit: 'lookup' | 'point'
  m: Measurement
  /** Whether a PostgreSQL server did part of the work (its CPU column means something). */
  usesPostgres: boolean
  ratio?: string
  note?: string
  /** Leaf grids in the city (on the in-memory row). */
  leaves?: number
}

const BACKEND_NAME: Record<Backend, string> = { pglite: 'PGlite', postgres: 'PostgreSQL' }

/** One table per scale; each case's PGlite and PostgreSQL rows next to each other. */
export function resultsTable(rows: Row[], scale: number): string {
  const mine = rows.filter((r) => r.scale === scale)
  const cases = [...new Set(mine.map((r) => r.name))]
  const ordered = cases.flatMap((name) => mine.filter((r) => r.name === name))
  const per = (us: number, r: Row) => fmt(us / r.m.count)
  const body = ordered.map((r) => [
    r.name, BACKEND_NAME[r.backend], r.unit, fmt(perSecond(r.m)),
    per(r.m.cpu.nodeUs, r), r.usesPostgres ? per(r.m.cpu.postgresUs, r) : '–', per(r.m.cpu.machineUs, r),
    fmt(r.m.latency.p50), fmt(r.m.latency.p99), r.ratio ?? '', r.note ?? '',
  ])
  const leaves = mine.find((r) => r.leaves)?.leaves
  return `${fmt(leaves)} leaf grids (scale ${scale})\n` + renderTable(
    ['case', 'database', 'per', 'per s', 'CPU µs node', 'CPU µs pg', 'CPU µs all', 'p50 ms', 'p99 ms', 'ratio', 'note'],
    body, ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
  )
}

export function seedTable(cities: OpenCity[]): string {
  return renderTable(
    ['database', 'scale', 'micro-grids', 'seconds to seed', 'migrations first', 'seeded at'],
    cities.map((c) => [
      BACKEND_NAME[c.backend], String(c.spec.scale), fmt(c.seedTime?.counts.micro_grids), fmt(c.seedTime?.seconds),
      fmt(c.seedTime?.migrateSeconds), c.seedTime?.seededAt.replace('T', ' ').slice(0, 16) ?? 'not recorded',
    ]),
    ['l', 'r', 'r', 'r', 'r', 'l'],
  )
}

/** The targets, on PostgreSQL at 100,000 micro-grids (scale 40). */
export function targetsTable(rows: Row[], scale = 40): string {
  const find = (key: string) => rows.find((r) => r.backend === 'postgres' && r.scale === scale && r.key === key)
  const fixed = find('http-fixed'), httpMax = find('http-max'), sqlMax = find('sql-max')
  const batch = [find('http-batch'), find('http-batch-2')].filter((r) => r !== undefined).sort((a, b) => perSecond(b.m) - perSecond(a.m))[0]
  if (!fixed || !batch || !httpMax || !sqlMax) return `(targets need PostgreSQL at scale ${scale}: run without --quick, with --backend postgres or both)`
  const slowdown = perSecond(sqlMax.m) / perSecond(httpMax.m)
  const check = (ok: boolean) => (ok ? 'PASS' : 'MISS')
  return renderTable(['target (PostgreSQL, scale 40)', 'wanted', 'measured', ''], [
    ['single locate over HTTP, p99 at 2,000/s', '≤ 2 ms', `${fmt(fixed.m.latency.p99)} ms`, check(fixed.m.latency.p99 <= 2 && !fixed.m.dropped && !fixed.m.failed)],
    ['batch POST /api/locate, 10,000 points (1 or 2 at once, the faster)', '≥ 100,000 points/s', `${fmt(perSecond(batch.m))} points/s`, check(perSecond(batch.m) >= 100_000)],
    ['HTTP vs bare SQL, max lookups/s (same concurrency)', '≤ 2× slower', `${fmt(slowdown)}× slower`, check(slowdown <= 2)],
  ], ['l', 'r', 'r', 'l'])
}
