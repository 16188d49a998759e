import {
  calendarPeriods, CITY_WIDE_ROLES, GezhiError, type GridRef, INCIDENT_SOURCE_KEYS, INCIDENT_STATE_KEYS, localDateOf, localIso,
  type LngLat, parseLocalInstant, rangePeriods, type StatPeriods, type StatsAnswer, type StatsCount, type StatsKpi, type StatsQuery,
  type StatWindow,
} from '@gezhi/geo'
import type { Db } from '../../db/db.ts'
import type { UserActor } from '../../plugins/auth.ts'
import { scopeParams } from '../incidents/incidents.scope.ts'
import * as Q from './stats.queries.ts'

/** Side of a repeat-place cell: 100 m in degrees of latitude (1° ≈ 111,320 m). */
export const REPEAT_CELL_M = 100
const REPEAT_CELL_DEG = REPEAT_CELL_M / 111_320

/** One row of STATS_KPI_WINDOWS: the parts of every formula for one window. */
interface WindowRow {
  name: 'current' | 'previous' | 'lastYear'
  reported: number; closed: number; closed_on_time: number; due_to_close: number
  handled: number; handled_on_time: number; due_to_handle: number
  reworked: number; returned: number; dispatched: number; due_to_dispatch: number
  accept_hours: number; accepted: number; handle_hours: number; handled_after_dispatch: number; close_hours: number
  rating_sum: number; rated: number; satisfied: number
}
interface CountsRow { reported: number; by_state: Record<string, number>; by_source: Record<string, number>; by_category: Array<{ code: string; name: string; count: number }>; overdue_now: number }
interface TopRow { reported: number; closed: number; due_to_close: number }

/** numerator ÷ denominator, or null when nothing is due. */
const ratio = (numerator: number, denominator: number) => (denominator === 0 ? null : numerator / denominator)
/** A `top` row: its cases and their 结案率. */
const topFigures = (r: TopRow) => ({ reported: r.reported, closed: r.closed, dueToClose: r.due_to_close, closureRate: ratio(r.closed, r.due_to_close) })

/**
 * The period asked for: `period` (+ `date`, default today in Beijing) or `from` + `to`, never both.
 * Anything else is a 400 PERIOD_INVALID that says what to send.
 */
export function resolvePeriods(query: Pick<StatsQuery, 'period' | 'date' | 'from' | 'to'>, now: Date): StatPeriods {
  const { period, date, from, to } = query
  if (from !== undefined || to !== undefined) {
    if (period !== undefined || date !== undefined) throw new GezhiError('PERIOD_INVALID', 'send either period (with date) or from and to, not both')
    if (from === undefined || to === undefined) throw new GezhiError('PERIOD_INVALID', 'a range needs both from and to (to is exclusive)')
    const [start, end] = [parseLocalInstant(from), parseLocalInstant(to)]
    if (!start || !end) throw new GezhiError('PERIOD_INVALID', `cannot read ${!start ? `from=${from}` : `to=${to}`}; use YYYY-MM-DD or an ISO date-time`)
    if (start.getTime() >= end.getTime()) throw new GezhiError('PERIOD_INVALID', `from (${from}) must be before to (${to})`, { from, to })
    return rangePeriods(start, end)
  }
  const day = date ?? localDateOf(now)
  try {
    return calendarPeriods(period ?? 'day', day)
  } catch {
    throw new GezhiError('PERIOD_INVALID', `${day} is not a date`)
  }
}

const windowJson = (w: StatWindow) => ({ from: localIso(w.from), to: localIso(w.to), label: w.label })

/** Each KPI from its numerator and denominator columns, in the three windows; the division is the only arithmetic left to Node. */
function kpisOf(windows: WindowRow[], overdueNow: number): StatsAnswer['kpis'] {
  const byName = Object.fromEntries(windows.map((w) => [w.name, w])) as Record<WindowRow['name'], WindowRow>
  const kpi = (numerator: (w: WindowRow) => number, denominator: (w: WindowRow) => number): StatsKpi => ({
    value: ratio(numerator(byName.current), denominator(byName.current)),
    numerator: numerator(byName.current),
    denominator: denominator(byName.current),
    previous: ratio(numerator(byName.previous), denominator(byName.previous)),
    lastYear: ratio(numerator(byName.lastYear), denominator(byName.lastYear)),
  })
  const count = (of: (w: WindowRow) => number): StatsCount => ({ value: of(byName.current), previous: of(byName.previous), lastYear: of(byName.lastYear) })
  return {
    reported: count((w) => w.reported),
    closed: count((w) => w.closed),
    closureRate: kpi((w) => w.closed, (w) => w.due_to_close),
    onTimeClosureRate: kpi((w) => w.closed_on_time, (w) => w.due_to_close),
    onTimeHandlingRate: kpi((w) => w.handled_on_time, (w) => w.due_to_handle),
    reworkRate: kpi((w) => w.reworked, (w) => w.handled),
    accurateDispatchRate: kpi((w) => w.dispatched - w.reworked, (w) => w.due_to_dispatch),
    returned: count((w) => w.returned),
    overdueNow: { value: overdueNow, previous: null, lastYear: null },
    meanHoursToAccept: kpi((w) => w.accept_hours, (w) => w.accepted),
    meanHoursToHandle: kpi((w) => w.handle_hours, (w) => w.handled_after_dispatch),
    meanHoursToClose: kpi((w) => w.close_hours, (w) => w.closed),
    meanRating: kpi((w) => w.rating_sum, (w) => w.rated),
    satisfiedRate: kpi((w) => w.satisfied, (w) => w.rated),
  }
}

/** Figures of the closed loop for a grid or department over a period, computed by the database. */
export function statsService(db: Db, now: () => Date = () => new Date()) {
  /**
   * What the caller may ask for. A leader or worker sees their grid's subtree (default: their
   * grid); department staff their department (default: theirs). Outside that, the grid or
   * department does not exist for them: the same 404 as an unknown id, never a hint.
   */
  async function resolveFilter(actor: UserActor, query: Pick<StatsQuery, 'grid' | 'department'>) {
    const cityWide = CITY_WIDE_ROLES.includes(actor.role)
    const ownGrid = actor.gridPath?.at(-1) ?? null
    const gridId = query.grid ?? (cityWide ? null : ownGrid)
    let grid: { id: number; level: number; ref: GridRef } | null = null
    if (gridId !== null) {
      const [row] = await db.query<{ id: number; level: number; path: number[]; ref: GridRef }>(Q.STATS_GRID, [gridId])
      const visible = row && (cityWide || actor.role === 'department' || (ownGrid !== null && row.path.includes(ownGrid)))
      if (!visible) throw new GezhiError('GRID_NOT_FOUND', `no grid with id ${gridId}`)
      grid = row
    }
    const departmentId = query.department ?? (actor.role === 'department' ? actor.departmentId : null)
    let department: { id: number; code: string; name: string } | null = null
    if (departmentId !== null) {
      const [row] = actor.role === 'department' && departmentId !== actor.departmentId ? [] : await db.query<{ id: number; code: string; name: string }>(Q.STATS_DEPARTMENT, [departmentId])
      if (!row) throw new GezhiError('DEPARTMENT_NOT_FOUND', `no department with id ${departmentId}`)
      department = row
    }
    return { grid, department }
  }

  async function stats(actor: UserActor, query: StatsQuery): Promise<StatsAnswer> {
    const at = now()
    const periods = resolvePeriods(query, at)
    const { grid, department } = await resolveFilter(actor, query)
    const top = query.top ?? 10
    // Scope is applied in SQL too: the filter above decides the 404s, SCOPE_SQL guarantees nothing outside leaks.
    const base = [...scopeParams(actor), grid?.id ?? null, department?.id ?? null]
    const { current: cur, previous: prev, lastYear: ly } = periods
    const period = [cur.from, cur.to]

    const windows = await db.query<WindowRow>(Q.STATS_KPI_WINDOWS, [...base, cur.from, cur.to, prev.from, prev.to, ly.from, ly.to, at])
    const [counts] = await db.query<CountsRow>(Q.STATS_COUNTS, [...base, ...period, INCIDENT_STATE_KEYS, INCIDENT_SOURCE_KEYS])
    const grids = await db.query<TopRow & { grid: GridRef }>(Q.STATS_TOP_GRIDS, [...base, ...period, (grid?.level ?? 0) + 1, top])
    const categories = await db.query<TopRow & { code: string; name: string }>(Q.STATS_TOP_CATEGORIES, [...base, ...period, top])
    const repeats = await db.query<{ category: { code: string; name: string }; count: number; lng: number; lat: number; last_reported_at: Date; incident_ids: number[] }>(
      Q.STATS_REPEAT_PLACES, [...base, ...period, REPEAT_CELL_DEG, top])

    return {
      period: { kind: periods.kind, ...windowJson(cur), previous: windowJson(prev), lastYear: windowJson(ly) },
      filter: { grid: grid?.ref ?? null, department },
      computedAt: localIso(at),
      counts: {
        reported: counts!.reported,
        byState: counts!.by_state as StatsAnswer['counts']['byState'],
        bySource: counts!.by_source as StatsAnswer['counts']['bySource'],
        byCategory: counts!.by_category,
      },
      kpis: kpisOf(windows, counts!.overdue_now),
      top: {
        grids: grids.map((r) => ({ grid: r.grid, ...topFigures(r) })),
        categories: categories.map((r) => ({ code: r.code, name: r.name, ...topFigures(r) })),
        repeatPlaces: repeats.map((r) => ({
          category: r.category, count: r.count, centre: [r.lng, r.lat] as LngLat, lastReportedAt: localIso(r.last_reported_at), incidentIds: r.incident_ids,
        })),
      },
    }
  }

  return { stats, resolveFilter }
}

export type StatsService = ReturnType<typeof statsService>
