/**
 * The periods figures are asked for (日清点、周例会、月调度、季分析、年总结), with the two
 * references every figure is compared with: 环比 (the period just before) and 同比 (the same
 * period a year earlier). Periods are in local civil time given as minutes east of UTC (China:
 * 480, no DST) — an offset, not a tz name, so nothing depends on a time-zone database. Weeks start
 * on Monday. Every window is half-open: [from, to). Pure: "today" is always passed in.
 */
export const STAT_PERIOD_KINDS = ['day', 'week', 'month', 'quarter', 'year'] as const
export type StatPeriodKind = (typeof STAT_PERIOD_KINDS)[number]

/** Beijing time, UTC+8, in minutes. */
export const BEIJING_OFFSET_MINUTES = 480

export interface StatWindow {
  from: Date
  /** Exclusive. */
  to: Date
  /** e.g. 2025-03-12, 2025-W11, 2025-03, 2025-Q1, 2025, or 2025-03-01–2025-03-15 for a range. */
  label: string
}

export interface StatPeriods {
  kind: StatPeriodKind | 'range'
  current: StatWindow
  /** 环比: a calendar period steps back one unit (the previous month, whatever its length); a range by its own duration. */
  previous: StatWindow
  /** 同比: the same calendar period a year earlier (a week: 52 weeks earlier, so Monday stays Monday); a range shifted by one calendar year. */
  lastYear: StatWindow
}

const DAY_MS = 86_400_000

/** A local civil date as whole days since 1970-01-01 (the UTC calendar used as a local one). */
const dayNumber = (y: number, m0: number, d: number) => Date.UTC(y, m0, d) / DAY_MS
const fields = (day: number) => {
  const t = new Date(day * DAY_MS)
  return { y: t.getUTCFullYear(), m0: t.getUTCMonth(), d: t.getUTCDate(), weekday: (t.getUTCDay() + 6) % 7 } // weekday 0 = Monday
}
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10)
const pad = (n: number) => String(n).padStart(2, '0')

/** `date` 'YYYY-MM-DD' as a day number, or null when it is not a real date (2025-02-30). */
export function parseLocalDate(date: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!match) return null
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const day = dayNumber(y, m - 1, d)
  const f = fields(day)
  return f.y === y && f.m0 === m - 1 && f.d === d ? day : null
}

/** The local date 'YYYY-MM-DD' of an instant. */
export function localDateOf(instant: Date, offsetMinutes = BEIJING_OFFSET_MINUTES): string {
  return new Date(instant.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 10)
}

/** The instant the local day of `instant` began (Beijing midnight by default). */
export function localDayStart(instant: Date, offsetMinutes = BEIJING_OFFSET_MINUTES): Date {
  const offset = offsetMinutes * 60_000
  return new Date(instant.getTime() - ((instant.getTime() + offset) % 86_400_000))
}

/** An instant as ISO 8601 in local time with its offset, e.g. 2025-03-10T00:00:00+08:00. */
export function localIso(instant: Date, offsetMinutes = BEIJING_OFFSET_MINUTES): string {
  const local = new Date(instant.getTime() + offsetMinutes * 60_000).toISOString()
  const ms = local.slice(19, 23) === '.000' ? '' : local.slice(19, 23)
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  return `${local.slice(0, 19)}${ms}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/**
 * An instant from text: 'YYYY-MM-DD' is local midnight; a date-time with Z or an offset is that
 * instant; a date-time without one is local time. Null when unreadable or not a real date.
 */
export function parseLocalInstant(text: string, offsetMinutes = BEIJING_OFFSET_MINUTES): Date | null {
  const day = parseLocalDate(text)
  if (day !== null) return new Date(day * DAY_MS - offsetMinutes * 60_000)
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(text)
  if (!match || parseLocalDate(match[1]!) === null) return null
  const [hh, mm, ss] = [Number(match[2]), Number(match[3]), Number(match[4] ?? 0)]
  if (hh > 23 || mm > 59 || ss > 59) return null
  const fraction = match[5] ? Math.floor(Number(match[5]) * 1000) : 0
  const zone = match[6]
  const zoneMinutes = zone === undefined ? offsetMinutes : /^z$/i.test(zone) ? 0
    : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)))
  const localMs = parseLocalDate(match[1]!)! * DAY_MS + ((hh * 60 + mm) * 60 + ss) * 1000 + fraction
  return new Date(localMs - zoneMinutes * 60_000)
}

/** First and last-exclusive local day of the calendar period of `kind` holding `day`, with its label. */
function calendarSpan(kind: StatPeriodKind, day: number): { start: number; end: number; label: string } {
  const { y, m0, weekday } = fields(day)
  switch (kind) {
    case 'day':
      return { start: day, end: day + 1, label: isoDay(day) }
    case 'week': {
      const start = day - weekday
      // ISO 8601 week numbering: the week belongs to the year of its Thursday.
      const thursday = fields(start + 3)
      const week = Math.floor((start + 3 - dayNumber(thursday.y, 0, 1)) / 7) + 1
      return { start, end: start + 7, label: `${thursday.y}-W${pad(week)}` }
    }
    case 'month':
      return { start: dayNumber(y, m0, 1), end: dayNumber(y, m0 + 1, 1), label: `${y}-${pad(m0 + 1)}` }
    case 'quarter': {
      const q0 = Math.floor(m0 / 3) * 3
      return { start: dayNumber(y, q0, 1), end: dayNumber(y, q0 + 3, 1), label: `${y}-Q${q0 / 3 + 1}` }
    }
    case 'year':
      return { start: dayNumber(y, 0, 1), end: dayNumber(y + 1, 0, 1), label: String(y) }
  }
}

/** The same local date a year earlier; 29 February becomes 28 February. */
function yearEarlier(day: number): number {
  const { y, m0, d } = fields(day)
  return Math.min(dayNumber(y - 1, m0, d), dayNumber(y - 1, m0 + 1, 0))
}

/** The calendar period of `kind` holding local date `date` ('YYYY-MM-DD'), with 环比 and 同比. Throws RangeError on a date that does not exist. */
export function calendarPeriods(kind: StatPeriodKind, date: string, offsetMinutes = BEIJING_OFFSET_MINUTES): StatPeriods {
  const day = parseLocalDate(date)
  if (day === null) throw new RangeError(`not a date: ${date}`)
  const window = (span: { start: number; end: number; label: string }): StatWindow => ({
    from: new Date(span.start * DAY_MS - offsetMinutes * 60_000), to: new Date(span.end * DAY_MS - offsetMinutes * 60_000), label: span.label,
  })
  const current = calendarSpan(kind, day)
  const lastYearAnchor = kind === 'week' ? current.start - 364 : yearEarlier(current.start)
  return {
    kind,
    current: window(current),
    previous: window(calendarSpan(kind, current.start - 1)),
    lastYear: window(calendarSpan(kind, lastYearAnchor)),
  }
}

/** A window's label: whole local days read "first–last" (inclusive), anything else as an ISO interval. */
function rangeLabel(from: Date, to: Date, offsetMinutes: number): string {
  const offsetMs = offsetMinutes * 60_000
  const wholeDays = (from.getTime() + offsetMs) % DAY_MS === 0 && (to.getTime() + offsetMs) % DAY_MS === 0
  if (!wholeDays) return `${localIso(from, offsetMinutes)}/${localIso(to, offsetMinutes)}`
  const first = localDateOf(from, offsetMinutes)
  const last = localDateOf(new Date(to.getTime() - DAY_MS), offsetMinutes)
  return first === last ? first : `${first}–${last}`
}

/** A free range [from, to) with 环比 (the same duration just before) and 同比 (one calendar year earlier). Throws RangeError unless from < to. */
export function rangePeriods(from: Date, to: Date, offsetMinutes = BEIJING_OFFSET_MINUTES): StatPeriods {
  if (!(from.getTime() < to.getTime())) throw new RangeError('a range needs from < to')
  const offsetMs = offsetMinutes * 60_000
  const shiftYear = (t: Date) => {
    const local = t.getTime() + offsetMs
    const day = Math.floor(local / DAY_MS)
    return new Date(yearEarlier(day) * DAY_MS + (local - day * DAY_MS) - offsetMs)
  }
  const window = (f: Date, t: Date): StatWindow => ({ from: f, to: t, label: rangeLabel(f, t, offsetMinutes) })
  const length = to.getTime() - from.getTime()
  return {
    kind: 'range',
    current: window(from, to),
    previous: window(new Date(from.getTime() - length), from),
    lastYear: window(shiftYear(from), shiftYear(to)),
  }
}
