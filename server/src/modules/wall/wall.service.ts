import {
  calendarPeriods, GezhiError, type GridRef, localDateOf, localIso, MAX_PLAYBACK_EVENTS, MAX_PLAYBACK_HOURS, MAX_STATS_GRID_ROWS,
  parseLocalInstant, type PlaybackAnswer, type PlaybackEvent, type PlaybackQuery, type StatsGridsAnswer, type StatsGridsQuery,
  type StatsHourlyAnswer, type StatsHourlyQuery, type IncidentSummary,
} from '@gezhi/geo'
import type { Db } from '../../db/db.ts'
import type { UserActor } from '../../plugins/auth.ts'
import { scopeParams } from '../incidents/incidents.scope.ts'
import { resolvePeriods, statsService } from '../stats/stats.service.ts'
import { PLAYBACK, PLAYBACK_COUNT } from './playback.queries.ts'
import { WALL_GRID_COUNT, WALL_HOURLY, WALL_STATS_BY_GRID } from './wall.queries.ts'

const HOUR_MS = 3_600_000

interface GridRow {
  grid: GridRef; households: number; reported: number; closed: number; due_to_close: number
  closure_rate: number | null; on_time_closure_rate: number | null; overdue_now: number; cases_per_1000_households: number | null
}
interface HourRow { hour: number; reported: number; closed: number; reported_yesterday: number; closed_yesterday: number }

/**
 * What the command-centre wall reads besides the live stream: figures per grid for the
 * choropleth, the hourly trend, and a period's events for playback. Scope as /api/stats: a grid
 * outside the caller's subtree is a 404 like an unknown one, and SCOPE_SQL holds in every query.
 */
export interface WallOptions {
  now?: () => Date
  /** Most rows of GET /api/stats/grids (default MAX_STATS_GRID_ROWS). */
  maxGridRows?: number
  /** Most events of one playback (default MAX_PLAYBACK_EVENTS). */
  maxEvents?: number
}

export function wallService(db: Db, options: WallOptions = {}) {
  const now = options.now ?? (() => new Date())
  const maxGridRows = options.maxGridRows ?? MAX_STATS_GRID_ROWS
  const maxEvents = options.maxEvents ?? MAX_PLAYBACK_EVENTS
  const stats = statsService(db, now)

  /** One row per child of `parent` (default: of the caller's scope), or per grid at `level` in scope. */
  async function grids(actor: UserActor, query: StatsGridsQuery): Promise<StatsGridsAnswer> {
    if (query.parent !== undefined && query.level !== undefined) throw new GezhiError('BAD_REQUEST', 'send parent or level, not both')
    const at = now()
    const periods = resolvePeriods(query, at)
    const { current } = periods
    const { grid: root, department } = await stats.resolveFilter(actor, { grid: query.parent, department: query.department })
    const level = query.level ?? (root?.level ?? 0) + 1
    const [count] = await db.query<{ n: number }>(WALL_GRID_COUNT, [level, root?.id ?? null])
    if (count!.n > maxGridRows) {
      throw new GezhiError('TOO_MANY_GRIDS', `${count!.n} grids at level ${level} here, more than ${maxGridRows}: ask for the children of one grid (parent=) instead`, { count: count!.n, max: maxGridRows })
    }
    const rows = await db.query<GridRow>(WALL_STATS_BY_GRID, [...scopeParams(actor), root?.id ?? null, department?.id ?? null, current.from, current.to, level])
    return {
      period: { kind: periods.kind, from: localIso(current.from), to: localIso(current.to), label: current.label },
      filter: { parent: root?.ref ?? null, level, department },
      computedAt: localIso(at),
      grids: rows.map((r) => ({
        grid: r.grid, households: r.households, reported: r.reported, closed: r.closed, dueToClose: r.due_to_close,
        closureRate: r.closure_rate, onTimeClosureRate: r.on_time_closure_rate, overdueNow: r.overdue_now,
        casesPer1000Households: r.cases_per_1000_households,
      })),
    }
  }

  /** Reported and closed per hour of `date` (Beijing) and of the day before. */
  async function hourly(actor: UserActor, query: StatsHourlyQuery): Promise<StatsHourlyAnswer> {
    const date = query.date ?? localDateOf(now())
    let day: Date
    try {
      day = calendarPeriods('day', date).current.from
    } catch {
      throw new GezhiError('PERIOD_INVALID', `${date} is not a date`)
    }
    const { grid, department } = await stats.resolveFilter(actor, query)
    const yesterday = new Date(day.getTime() - 24 * HOUR_MS)
    const rows = await db.query<HourRow>(WALL_HOURLY, [...scopeParams(actor), grid?.id ?? null, department?.id ?? null, yesterday, day])
    return {
      date,
      filter: { grid: grid?.ref ?? null, department },
      hours: rows.map((r) => ({ hour: r.hour, reported: r.reported, closed: r.closed, reportedYesterday: r.reported_yesterday, closedYesterday: r.closed_yesterday })),
    }
  }

  /** The window asked for: default the last 24 h; at most MAX_PLAYBACK_HOURS. */
  function playbackWindow(query: PlaybackQuery): { from: Date; to: Date } {
    const read = (name: 'from' | 'to', text: string | undefined, fallback: () => Date) => {
      if (text === undefined) return fallback()
      const instant = parseLocalInstant(text)
      if (!instant) throw new GezhiError('PERIOD_INVALID', `cannot read ${name}=${text}; use an ISO date-time or YYYY-MM-DD`)
      return instant
    }
    const to = read('to', query.to, now)
    const from = read('from', query.from, () => new Date(to.getTime() - 24 * HOUR_MS))
    if (from.getTime() >= to.getTime()) throw new GezhiError('PERIOD_INVALID', `from (${localIso(from)}) must be before to (${localIso(to)})`)
    if (to.getTime() - from.getTime() > MAX_PLAYBACK_HOURS * HOUR_MS) {
      throw new GezhiError('PERIOD_INVALID', `a playback window is at most ${MAX_PLAYBACK_HOURS} h; ${localIso(from)}/${localIso(to)} is longer`)
    }
    return { from, to }
  }

  /** The cases open at `from` as they stood then, and every event up to `to` with the case after it. */
  async function playback(actor: UserActor, query: PlaybackQuery): Promise<PlaybackAnswer> {
    const { from, to } = playbackWindow(query)
    const { grid } = await stats.resolveFilter(actor, { grid: query.grid })
    const params = [...scopeParams(actor), grid?.id ?? null, from, to]
    const [count] = await db.query<{ n: number }>(PLAYBACK_COUNT, [...params, maxEvents + 1])
    if (count!.n > maxEvents) {
      throw new GezhiError('TOO_MANY_EVENTS', `more than ${maxEvents} events in ${localIso(from)}/${localIso(to)}: ask for a shorter window or one grid`, { max: maxEvents })
    }
    const [row] = await db.query<{ start: IncidentSummary[]; events: PlaybackEvent[] }>(PLAYBACK, params)
    return { from: from.toISOString(), to: to.toISOString(), start: row!.start, events: row!.events }
  }

  return { grids, hourly, playback }
}

export type WallService = ReturnType<typeof wallService>
