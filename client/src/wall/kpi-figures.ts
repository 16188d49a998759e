import type { IncidentSummary, StatsAnswer } from '@gezhi/geo'
import type { HourlyFigures } from '../composables/use-wall-data.ts'

export const KPI_KEYS = ['reported', 'closed', 'closureRate', 'onTimeClosureRate', 'overdueNow', 'satisfiedRate'] as const
export type KpiKey = (typeof KPI_KEYS)[number]
export type KpiFigures = Record<KpiKey, { value: number | null; previous: number | null }>

/** The cards' figures from /api/stats (live mode): exactly the server's KPIs. */
export function kpisFromStats(stats: StatsAnswer | null): KpiFigures | null {
  if (!stats) return null
  return Object.fromEntries(KPI_KEYS.map((k) => [k, { value: stats.kpis[k].value, previous: stats.kpis[k].previous }])) as KpiFigures
}

/**
 * The cards' figures from the cases a playback holds at its clock: what the day looked like then.
 * Rates use what a case summary carries — closed ÷ (closed or overdue) — as the playback has no
 * handling times; on-time closure is left out (no reference) rather than guessed.
 */
export function kpisFromCases(cases: Iterable<IncidentSummary>, dayStart: Date, at: Date): KpiFigures {
  let reported = 0
  let closed = 0
  let overdue = 0
  let due = 0
  let rated = 0
  let satisfied = 0
  for (const c of cases) {
    const reportedAt = Date.parse(c.reportedAt)
    const open = !['closed', 'evaluated', 'rejected', 'voided'].includes(c.state)
    if (open && c.overdue) overdue++
    if (reportedAt < dayStart.getTime() || reportedAt > at.getTime()) continue
    reported++
    const isClosed = c.state === 'closed' || c.state === 'evaluated'
    if (isClosed) closed++
    if (isClosed || (open && c.everOverdue)) due++
    if (c.rating !== null) {
      rated++
      if (c.rating >= 4) satisfied++
    }
  }
  const none = { value: null, previous: null }
  return {
    reported: { value: reported, previous: null },
    closed: { value: closed, previous: null },
    closureRate: { value: due ? closed / due : null, previous: null },
    onTimeClosureRate: none,
    overdueNow: { value: overdue, previous: null },
    satisfiedRate: { value: rated ? satisfied / rated : null, previous: null },
  }
}

const HOUR_MS = 3_600_000

/**
 * The trend from the cases a playback holds at its clock: reported and closed per hour of the
 * played day (`dayStart` is its Beijing midnight), nothing after `at`. The day before is not in a
 * playback's cases, so its series is left empty rather than drawn as zeros.
 */
export function hourlyFromCases(cases: Iterable<IncidentSummary>, dayStart: Date, at: Date): HourlyFigures {
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, reported: 0, closed: 0, reportedYesterday: null, closedYesterday: null }))
  const hourOf = (iso: string | null) => {
    if (!iso) return -1
    const t = Date.parse(iso)
    return t < dayStart.getTime() || t > at.getTime() ? -1 : Math.floor((t - dayStart.getTime()) / HOUR_MS)
  }
  for (const c of cases) {
    const reported = hourOf(c.reportedAt)
    if (reported >= 0 && reported < 24) hours[reported]!.reported++
    const closed = hourOf(c.closedAt)
    if (closed >= 0 && closed < 24) hours[closed]!.closed++
  }
  return { date: new Date(dayStart.getTime() + 8 * HOUR_MS).toISOString().slice(0, 10), hours }
}

/** Cases reported on the played day up to `at`, by 小类, most first (ties by code), as /api/stats's byCategory. */
export function categoriesFromCases(cases: Iterable<IncidentSummary>, dayStart: Date, at: Date): CategoryCount[] {
  const counts = new Map<string, number>()
  for (const c of cases) {
    const t = Date.parse(c.reportedAt)
    if (t >= dayStart.getTime() && t <= at.getTime()) counts.set(c.category, (counts.get(c.category) ?? 0) + 1)
  }
  return [...counts].map(([code, count]) => ({ code, name: code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
}

export type CategoryCount = StatsAnswer['counts']['byCategory'][number]
