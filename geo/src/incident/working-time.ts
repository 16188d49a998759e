import { invalid, VALID, type Validation } from '../validate/result.ts'

/**
 * Due times for 限时办理. A time limit runs on one of four clocks:
 * - `urgent_hours`: natural hours, round the clock — due = start + amount × 1 h.
 * - `natural_days`: due = start + amount × 24 h; holidays and weekends do not matter.
 * - `working_hours`: only time inside the calendar's working periods on working days counts. A
 *   report outside working time starts counting at the next period's start; a limit used up exactly
 *   at a period's end is due at that end, not at the next period's start.
 * - `working_days`: amount × one working day's length (the sum of its periods) of working time —
 *   working hours scaled, so Friday 15:00 + 1 working day is Monday 15:00, and a report on a
 *   Saturday + 1 working day is due when Monday's last period ends.
 * Instants are `Date`s (UTC underneath); the calendar says which local civil time its periods
 * and dates are written in. Pure: no clock is read, "now" is always passed in.
 *
 * Bad data is a result from `validateCalendar` / `validateTimeLimit`; handing bad data to a
 * computation is misuse and throws a RangeError, as does a limit that would end more than ten
 * years after its start — so no loop here can run forever. Each computation reads the calendar
 * afresh (about 15 µs with two years of holidays), so a calendar edited in place is never stale.
 */
export const CLOCKS = ['urgent_hours', 'working_hours', 'working_days', 'natural_days'] as const
export type Clock = (typeof CLOCKS)[number]

/** `amount` > 0 in the clock's unit; fractional allowed (0.5 urgent hours = 30 min). */
export interface TimeLimit { clock: Clock; amount: number }

export interface WorkCalendar {
  /** Minutes east of UTC of the local civil time the calendar is written in (China: 480, no DST). */
  utcOffsetMinutes: number
  /**
   * Working periods of a working day, local minutes after midnight, sorted, non-overlapping, e.g.
   * [[540, 720], [810, 1050]] = 9:00–12:00, 13:30–17:30. Whole minutes in 0..1440; a period never
   * crosses midnight (a night shift is two periods, …–1440 and 0–…).
   */
  periods: Array<[startMinute: number, endMinute: number]>
  /** Local dates 'YYYY-MM-DD' that are days off although Mon–Fri (public holidays); weekend days inside a holiday may be listed too. */
  holidays: string[]
  /** Local dates 'YYYY-MM-DD' that are working days although Sat/Sun (调休 make-up days). */
  workdays: string[]
}

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000
const MINUTES_PER_DAY = 1440

/**
 * Ten years in days, leap days included. No real time limit is that long, so a longer one is a
 * mistake; it is also the bound that makes every search over days terminate.
 */
export const MAX_LIMIT_DAYS = 3653

/** A working calendar checked once and turned into numbers for the day-by-day loops. */
interface Compiled {
  offsetMs: number
  periodsMs: Array<[number, number]>
  /** One working day's length: the sum of the periods. */
  dayMs: number
  works: (day: number) => boolean
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

/** Days since 1970-01-01 of a local date 'YYYY-MM-DD' (years 1000–9999), or null when it is not a real date. */
function dayIndex(localDate: unknown): number | null {
  if (typeof localDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(localDate)) return null
  // slice, not split('-').map(Number): this runs for every listed date on every computation, and allocating arrays made it 5× slower.
  const year = Number(localDate.slice(0, 4))
  const month = Number(localDate.slice(5, 7))
  const date = Number(localDate.slice(8, 10))
  // Checked by hand: Date.UTC would quietly roll 2025-02-30 over to March and read year 0050 as 1950.
  if (year < 1000 || month < 1 || month > 12 || date < 1) return null
  if (date > (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!)) return null
  return Date.UTC(year, month - 1, date) / DAY_MS
}

/** Mon–Fri by the day index: 1970-01-01 was a Thursday. */
function isWeekday(day: number): boolean {
  const weekday = (((day + 4) % 7) + 7) % 7 // 0 = Sunday
  return weekday >= 1 && weekday <= 5
}

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`

/** The periods in ms after local midnight, or why they are not usable. */
function parsePeriods(periods: unknown): Array<[number, number]> | string {
  if (!Array.isArray(periods) || periods.length === 0) return 'a calendar needs at least one working period'
  let previousEnd = 0
  for (const [i, p] of periods.entries()) {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((x) => Number.isInteger(x))) {
      return `period ${i} must be [startMinute, endMinute] in whole minutes, got ${JSON.stringify(p)}`
    }
    const [start, end] = p as [number, number]
    if (start < 0 || end > MINUTES_PER_DAY) return `period ${i} [${start}, ${end}] is outside the day 0..1440`
    if (start >= end) return `period ${i} ${hhmm(start)}–${hhmm(end)} does not end after it starts`
    if (start < previousEnd) return `period ${i} starts at ${hhmm(start)}, before the previous period ends (${hhmm(previousEnd)}): periods must be sorted and not overlap`
    previousEnd = end
  }
  return periods.map(([s, e]: [number, number]): [number, number] => [s * MINUTE_MS, e * MINUTE_MS])
}

/** The dates as day indexes, or why one of them is not a date. */
function parseDates(name: 'holidays' | 'workdays', dates: unknown): Set<number> | string {
  if (!Array.isArray(dates)) return `${name} must be a list of 'YYYY-MM-DD' dates`
  const days = new Set<number>()
  for (const d of dates) {
    const day = dayIndex(d)
    if (day === null) return `${name}: ${JSON.stringify(d)} is not a real date 'YYYY-MM-DD'`
    days.add(day)
  }
  return days
}

/**
 * Checks a calendar and turns it into numbers in one pass, so validating and computing share one
 * reading of the data (and a computation parses the date lists once, not twice).
 */
function parseCalendar(calendar: WorkCalendar): { valid: true; compiled: Compiled } | { valid: false; reason: string } {
  const fail = (reason: string) => ({ valid: false as const, reason })
  if (typeof calendar !== 'object' || calendar === null) return fail('a calendar must be an object')
  const offset = calendar.utcOffsetMinutes
  // Real offsets run from UTC−12:00 to UTC+14:00.
  if (!Number.isInteger(offset) || offset < -720 || offset > 840) return fail(`utcOffsetMinutes must be whole minutes in -720..840, got ${String(offset)}`)
  const periodsMs = parsePeriods(calendar.periods)
  if (typeof periodsMs === 'string') return fail(periodsMs)
  const off = parseDates('holidays', calendar.holidays)
  if (typeof off === 'string') return fail(off)
  const on = parseDates('workdays', calendar.workdays)
  if (typeof on === 'string') return fail(on)
  const both = calendar.workdays.find((d) => off.has(dayIndex(d)!))
  if (both !== undefined) return fail(`${both} is listed both as a holiday and as a make-up working day`)
  return {
    valid: true,
    compiled: {
      offsetMs: offset * MINUTE_MS,
      periodsMs,
      dayMs: periodsMs.reduce((sum, [s, e]) => sum + e - s, 0),
      // Listed dates win over the weekday: a listed holiday is off even on a Monday, a make-up day works even on a Sunday.
      works: (day) => !off.has(day) && (on.has(day) || isWeekday(day)),
    },
  }
}

/** Checks a calendar that may come from a form or a file; the reason names the offending entry. */
export function validateCalendar(calendar: WorkCalendar): Validation {
  const parsed = parseCalendar(calendar)
  return parsed.valid ? VALID : invalid(parsed.reason)
}

/** Checks a limit: a known clock and an amount > 0 that could end within ten years. */
export function validateTimeLimit(limit: TimeLimit): Validation {
  if (typeof limit !== 'object' || limit === null) return invalid('a time limit must be an object')
  if (!(CLOCKS as readonly unknown[]).includes(limit.clock)) return invalid(`unknown clock ${JSON.stringify(limit.clock)}; one of ${CLOCKS.join(', ')}`)
  const { amount } = limit
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) return invalid(`amount must be a finite number > 0, got ${String(amount)}`)
  // Working time passes no faster than natural time, so this bound holds on every calendar;
  // a working limit that still needs more than ten years on a given calendar fails when computed.
  const maxAmount = limit.clock.endsWith('_hours') ? MAX_LIMIT_DAYS * 24 : MAX_LIMIT_DAYS
  if (amount > maxAmount) return invalid(`amount ${amount} ${limit.clock} is longer than ten years`)
  return VALID
}

/** Bad data passed to a computation is a programming error (validate at the edge), so it throws. */
function compile(calendar: WorkCalendar): Compiled {
  const parsed = parseCalendar(calendar)
  if (!parsed.valid) throw new RangeError(`invalid work calendar: ${parsed.reason}`)
  return parsed.compiled
}

function checkLimit(limit: TimeLimit): void {
  const v = validateTimeLimit(limit)
  if (!v.valid) throw new RangeError(`invalid time limit: ${v.reason}`)
}

function instantMs(date: Date, name: string): number {
  const ms = date instanceof Date ? date.getTime() : Number.NaN
  if (Number.isNaN(ms)) throw new RangeError(`${name} must be a valid Date`)
  return ms
}

/** Whether a local date 'YYYY-MM-DD' is a working day: listed holidays are off and listed make-up days work, whatever the weekday; otherwise Mon–Fri. */
export function isWorkingDay(localDate: string, calendar: WorkCalendar): boolean {
  const day = dayIndex(localDate)
  if (day === null) throw new RangeError(`not a real date 'YYYY-MM-DD': ${JSON.stringify(localDate)}`)
  return compile(calendar).works(day)
}

const isWorkingClock = (clock: Clock) => clock === 'working_hours' || clock === 'working_days'

/** The length of `limit` in the clock's own milliseconds (working_days = amount × the working day's length), rounded to whole ms. */
export function limitMs(limit: TimeLimit, calendar: WorkCalendar): number {
  checkLimit(limit)
  return lengthMs(limit, compile(calendar))
}

function lengthMs(limit: TimeLimit, c: Compiled): number {
  const unitMs = { urgent_hours: HOUR_MS, working_hours: HOUR_MS, working_days: c.dayMs, natural_days: DAY_MS }[limit.clock]
  return Math.round(limit.amount * unitMs)
}

/**
 * The instant after `workMs` of working time from `startMs` (UTC ms). Walks day by day in local
 * time; a working day still wholly needed is taken in one step. Stops after ten years.
 */
function addWorkingMs(c: Compiled, startMs: number, workMs: number): number {
  const startLocal = startMs + c.offsetMs
  let day = Math.floor(startLocal / DAY_MS)
  let msOfDay = startLocal - day * DAY_MS
  let remaining = workMs
  for (const lastDay = day + MAX_LIMIT_DAYS; day <= lastDay; day++, msOfDay = 0) {
    if (!c.works(day)) continue
    if (msOfDay === 0 && remaining > c.dayMs) {
      remaining -= c.dayMs
      continue
    }
    for (const [s, e] of c.periodsMs) {
      if (msOfDay >= e) continue
      const from = Math.max(msOfDay, s)
      // `<=`: a limit used up exactly at a period's end is due at that end.
      if (remaining <= e - from) return day * DAY_MS + from + remaining - c.offsetMs
      remaining -= e - from
    }
  }
  throw new RangeError('the time limit does not end within ten years on this calendar')
}

/** The instant `limit` after `start` on `calendar` (start may be any instant, inside or outside working time). */
export function addTimeLimit(start: Date, limit: TimeLimit, calendar: WorkCalendar): Date {
  return shareOfLimitAt(start, limit, 1, calendar)
}

/**
 * The instant at which `share` (0..1) of `limit` measured from `start` has been used: the warning
 * time at 0.8. Share 0 is `start` itself, even outside working time.
 */
export function shareOfLimitAt(start: Date, limit: TimeLimit, share: number, calendar: WorkCalendar): Date {
  const startMs = instantMs(start, 'start')
  if (typeof share !== 'number' || !(share >= 0 && share <= 1)) throw new RangeError(`share must be in 0..1, got ${String(share)}`)
  checkLimit(limit)
  const c = compile(calendar)
  const ms = Math.round(share * lengthMs(limit, c))
  if (ms === 0) return new Date(startMs)
  return new Date(isWorkingClock(limit.clock) ? addWorkingMs(c, startMs, ms) : startMs + ms)
}

/**
 * Milliseconds on `clock` between two instants, for the share of a limit used (warnings at 80 %):
 * working time inside periods on working days for the working clocks, plain elapsed time for the
 * natural ones. Negative when `to` is before `from`, like a plain subtraction.
 */
export function elapsedOnClock(from: Date, to: Date, clock: Clock, calendar: WorkCalendar): number {
  const fromMs = instantMs(from, 'from')
  const toMs = instantMs(to, 'to')
  if (!(CLOCKS as readonly unknown[]).includes(clock)) throw new RangeError(`unknown clock ${JSON.stringify(clock)}`)
  const c = compile(calendar)
  if (!isWorkingClock(clock)) return toMs - fromMs
  return toMs < fromMs ? -workingMsBetween(c, toMs, fromMs) : workingMsBetween(c, fromMs, toMs)
}

/** Working ms inside [fromMs, toMs], day by day; days wholly inside count their full length at once. */
function workingMsBetween(c: Compiled, fromMs: number, toMs: number): number {
  const lastDay = Math.floor((toMs + c.offsetMs) / DAY_MS)
  let sum = 0
  for (let day = Math.floor((fromMs + c.offsetMs) / DAY_MS); day <= lastDay; day++) {
    if (!c.works(day)) continue
    const midnightMs = day * DAY_MS - c.offsetMs
    if (midnightMs >= fromMs && midnightMs + DAY_MS <= toMs) {
      sum += c.dayMs
      continue
    }
    for (const [s, e] of c.periodsMs) {
      const overlap = Math.min(toMs, midnightMs + e) - Math.max(fromMs, midnightMs + s)
      if (overlap > 0) sum += overlap
    }
  }
  return sum
}
