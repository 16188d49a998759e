import { describe, expect, it } from 'vitest'
import {
  addTimeLimit, CHINA_CALENDAR, elapsedOnClock, isWorkingDay, limitMs, shareOfLimitAt, validateCalendar,
  validateTimeLimit, type Clock, type TimeLimit, type WorkCalendar,
} from '@gezhi/geo'

/**
 * All instants are written in Beijing time (+08:00) and every expected value is worked out by
 * hand in a comment. CHINA_CALENDAR works 09:00–12:00 and 13:30–17:30: 3 h + 4 h = 7 h a day.
 */
const HOUR_MS = 3_600_000

/** An instant shown in Beijing time, so a failure reads like the comments. */
const beijing = (d: Date) => new Date(d.getTime() + 8 * HOUR_MS).toISOString().replace(/\.\d{3}Z$/, '+08:00')
const due = (startIso: string, clock: Clock, amount: number, calendar: WorkCalendar = CHINA_CALENDAR) =>
  beijing(addTimeLimit(new Date(startIso), { clock, amount }, calendar))
const warnAt = (startIso: string, limit: TimeLimit, share: number) =>
  beijing(shareOfLimitAt(new Date(startIso), limit, share, CHINA_CALENDAR))
const elapsed = (fromIso: string, toIso: string, clock: Clock) =>
  elapsedOnClock(new Date(fromIso), new Date(toIso), clock, CHINA_CALENDAR)

describe('isWorkingDay', () => {
  it.each([
    ['2026-03-02', true], // an ordinary Monday
    ['2026-03-07', false], // an ordinary Saturday
    ['2026-03-08', false], // an ordinary Sunday
    ['2026-10-01', false], // 国庆, a Thursday: a listed holiday is off whatever the weekday
    ['2026-02-23', false], // last day of 春节 2026, a Monday
    ['2026-02-15', false], // first day of 春节 2026, a Sunday, listed for clarity
    ['2026-02-14', true], // 调休 Saturday before 春节 2026
    ['2026-01-04', true], // 调休 Sunday after 元旦 2026
    ['2025-01-26', true], // 调休 Sunday before 春节 2025
    ['2025-10-11', true], // 调休 Saturday after 国庆 2025
  ])('%s → %s', (date, expected) => expect(isWorkingDay(date, CHINA_CALENDAR)).toBe(expected))

  it('refuses a date that is not a real YYYY-MM-DD', () => {
    expect(() => isWorkingDay('2026-2-14', CHINA_CALENDAR)).toThrow(RangeError)
    expect(() => isWorkingDay('2026-02-30', CHINA_CALENDAR)).toThrow(RangeError)
  })
})

describe('natural clocks: urgent_hours and natural_days ignore working time and holidays', () => {
  it.each([
    // Sat 23:30 on a 调休 day + 30 min → midnight, the first night of 春节.
    ['2026-02-14T23:30:00+08:00', 'urgent_hours', 0.5, '2026-02-15T00:00:00+08:00'],
    // 12:30 in the lunch break + 1 h → 13:30: lunch counts on a natural clock.
    ['2026-03-02T12:30:00+08:00', 'urgent_hours', 1, '2026-03-02T13:30:00+08:00'],
    // 1/6 h = 599,999.999… ms, rounded to 600,000 ms = 10 min.
    ['2026-03-02T10:00:00+08:00', 'urgent_hours', 1 / 6, '2026-03-02T10:10:00+08:00'],
    // Fri 16:00 + 3 × 24 h → Mon 16:00, the second day of 春节 2026 (holidays do not matter).
    ['2026-02-13T16:00:00+08:00', 'natural_days', 3, '2026-02-16T16:00:00+08:00'],
    // Across the year boundary onto 元旦: Dec 31 16:00 + 24 h → Jan 1 16:00.
    ['2025-12-31T16:00:00+08:00', 'natural_days', 1, '2026-01-01T16:00:00+08:00'],
    // Half a day = 12 h: 20:00 → 08:00 the next morning.
    ['2026-03-02T20:00:00+08:00', 'natural_days', 0.5, '2026-03-03T08:00:00+08:00'],
  ] as const)('%s + %s %s → %s', (start, clock, amount, expected) => {
    expect(due(start, clock, amount)).toBe(expected)
  })
})

describe('working_hours', () => {
  it.each([
    // Inside the morning period: 10:00 + 1 h → 11:00.
    ['2026-03-02T10:00:00+08:00', 1, '2026-03-02T11:00:00+08:00'],
    // 暴露垃圾, 4 working hours from Mon 10:00: 10–12 = 2 h, 2 h left → 13:30 + 2 h = 15:30.
    ['2026-03-02T10:00:00+08:00', 4, '2026-03-02T15:30:00+08:00'],
    // Across lunch: 11:00–12:00 = 1 h, 1 h left → 13:30 + 1 h = 14:30.
    ['2026-03-02T11:00:00+08:00', 2, '2026-03-02T14:30:00+08:00'],
    // Friday evening: Fri 18:00 is after work, Sat/Sun are off; Mon 09:00–12:00 = 3 h, 1 h left
    // → 13:30 + 1 h = Mon 14:30.
    ['2026-03-06T18:00:00+08:00', 4, '2026-03-09T14:30:00+08:00'],
    // Reported in the lunch break: counting starts at 13:30 → 13:30 + 1 h = 14:30.
    ['2026-03-02T12:30:00+08:00', 1, '2026-03-02T14:30:00+08:00'],
    // Lunch break + 4 h: 13:30–17:30 is exactly 4 h → due at that period's end, 17:30 the same day.
    ['2026-03-02T12:30:00+08:00', 4, '2026-03-02T17:30:00+08:00'],
    // Before work: 08:00 → starts 09:00, + 15 min → 09:15.
    ['2026-03-02T08:00:00+08:00', 0.25, '2026-03-02T09:15:00+08:00'],
    // From midnight, 7 h is the whole working day → 17:30 that day, not 09:00 the next.
    ['2026-03-03T00:00:00+08:00', 7, '2026-03-03T17:30:00+08:00'],
  ] as const)('%s + %s h → %s', (start, amount, expected) => {
    expect(due(start, 'working_hours', amount)).toBe(expected)
  })

  it.each([
    // Starts exactly at a period's start: 09:00 + 3 h → 12:00, the period's end, not 13:30.
    ['2026-03-02T09:00:00+08:00', 3, '2026-03-02T12:00:00+08:00'],
    // Starts exactly at a period's end: 12:00 counts nothing until 13:30 → 13:30 + 1 h = 14:30.
    ['2026-03-02T12:00:00+08:00', 1, '2026-03-02T14:30:00+08:00'],
    // Starts at 13:30, + 4 h → 17:30 exactly.
    ['2026-03-02T13:30:00+08:00', 4, '2026-03-02T17:30:00+08:00'],
    // Starts at the day's end: Mon 17:30 → Tue 09:00 + 30 min = 09:30.
    ['2026-03-02T17:30:00+08:00', 0.5, '2026-03-03T09:30:00+08:00'],
    // Fri 17:00 + 0.5 h ends exactly at Fri 17:30, not on Monday.
    ['2026-03-06T17:00:00+08:00', 0.5, '2026-03-06T17:30:00+08:00'],
  ] as const)('at a period boundary: %s + %s h → %s', (start, amount, expected) => {
    expect(due(start, 'working_hours', amount)).toBe(expected)
  })

  it('works on a 调休 Saturday and not on an ordinary one', () => {
    // Sat 2025-02-08 is a make-up working day: 10–12 = 2 h, 2 h left → 13:30 + 2 h = 15:30 that Saturday.
    expect(due('2025-02-08T10:00:00+08:00', 'working_hours', 4)).toBe('2025-02-08T15:30:00+08:00')
    // Sat 2025-02-15 is an ordinary Saturday: Mon 02-17 09–12 = 3 h, 1 h left → 14:30.
    expect(due('2025-02-15T10:00:00+08:00', 'working_hours', 4)).toBe('2025-02-17T14:30:00+08:00')
  })

  it('works on the 调休 Sunday after 元旦 2026', () => {
    // Sat 2026-01-03 20:00 (元旦 holiday) → Sun 01-04 is a make-up day: 09:00 + 3 h = 12:00.
    expect(due('2026-01-03T20:00:00+08:00', 'working_hours', 3)).toBe('2026-01-04T12:00:00+08:00')
  })

  it('reads local time from the calendar, not from the machine', () => {
    // The same hours written in UTC: Mon 08:00+08:00 = 00:00Z → starts 09:00Z, + 1 h = 10:00Z = 18:00+08:00.
    const utc = { ...CHINA_CALENDAR, utcOffsetMinutes: 0 }
    expect(due('2026-03-02T08:00:00+08:00', 'working_hours', 1, utc)).toBe('2026-03-02T18:00:00+08:00')
  })
})

describe('working_days = amount × 7 working hours', () => {
  it.each([
    // Fri 15:00 + 7 h: Fri 15:00–17:30 = 2.5 h, Mon 09–12 = 3 h (5.5 h), 1.5 h left → 13:30 + 1.5 h = Mon 15:00.
    ['2026-03-06T15:00:00+08:00', 1, '2026-03-09T15:00:00+08:00'],
    // Reported on a Saturday: Mon 09:00 + 7 h of working time → Mon 17:30 (ends at the period's end).
    ['2026-03-07T10:00:00+08:00', 1, '2026-03-09T17:30:00+08:00'],
    // Half a working day = 3.5 h: 09–12 = 3 h, 0.5 h left → 13:30 + 0.5 h = 14:00.
    ['2026-03-02T09:00:00+08:00', 0.5, '2026-03-02T14:00:00+08:00'],
    // 春节 2026: Fri 02-13 16:00 + 14 h: Fri 16:00–17:30 = 1.5 h (12.5 h left); Sat 02-14 is 调休,
    // a full 7 h (5.5 h left); Sun 02-15 … Mon 02-23 are off; Tue 02-24 09–12 = 3 h (2.5 h left)
    // → 13:30 + 2.5 h = Tue 16:00.
    ['2026-02-13T16:00:00+08:00', 2, '2026-02-24T16:00:00+08:00'],
    // Across the year: Wed 2025-12-31 16:00 + 7 h: 1.5 h on Dec 31 (5.5 h left); Jan 1–3 off;
    // Sun 01-04 is 调休: 09–12 = 3 h (2.5 h left) → 13:30 + 2.5 h = Sun 2026-01-04 16:00.
    ['2025-12-31T16:00:00+08:00', 1, '2026-01-04T16:00:00+08:00'],
  ] as const)('%s + %s working days → %s', (start, amount, expected) => {
    expect(due(start, 'working_days', amount)).toBe(expected)
  })

  // From inside a period, N working days end at the same clock time on the Nth working day after.
  it('around 国庆+中秋 2025 and its 调休 days', () => {
    // Fri 09-26 10:00: Sat 09-27 off, Sun 09-28 调休 (1), Mon 09-29 (2), Tue 09-30 (3) → Tue 10:00.
    expect(due('2025-09-26T10:00:00+08:00', 'working_days', 3)).toBe('2025-09-30T10:00:00+08:00')
    // Tue 09-30 10:00: Oct 1–8 off, Thu 10-09 (1), Fri 10-10 (2) → Fri 10:00.
    expect(due('2025-09-30T10:00:00+08:00', 'working_days', 2)).toBe('2025-10-10T10:00:00+08:00')
    // One more: Sat 10-11 is 调休 (3) → Sat 10:00.
    expect(due('2025-09-30T10:00:00+08:00', 'working_days', 3)).toBe('2025-10-11T10:00:00+08:00')
  })

  it('20 working days (私搭乱建 demolition) across 劳动节 2026', () => {
    // From Mon 04-20 10:00: Apr 21–24 (1–4), Apr 27–30 (5–8), May 1–5 off, May 6–8 (9–11),
    // Sat May 9 调休 (12), May 11–15 (13–17), May 18 (18), 19 (19), Wed May 20 (20) → 10:00.
    expect(due('2026-04-20T10:00:00+08:00', 'working_days', 20)).toBe('2026-05-20T10:00:00+08:00')
  })
})

describe('limitMs', () => {
  it.each([
    ['urgent_hours', 0.5, 1_800_000], // 30 min
    ['working_hours', 4, 14_400_000], // 4 × 3,600,000
    ['working_days', 1, 25_200_000], // one working day = 3 h + 4 h = 7 h
    ['working_days', 20, 504_000_000], // 20 × 7 h = 140 h
    ['natural_days', 1, 86_400_000],
  ] as const)('%s %s → %s ms', (clock, amount, expected) => {
    expect(limitMs({ clock, amount }, CHINA_CALENDAR)).toBe(expected)
  })
})

describe('elapsedOnClock', () => {
  it.each([
    // Fri 16:00 → Mon 10:00: Fri 16:00–17:30 = 1.5 h + Mon 09:00–10:00 = 1 h → 2.5 h.
    ['2026-03-06T16:00:00+08:00', '2026-03-09T10:00:00+08:00', 'working_hours', 2.5 * HOUR_MS],
    // The same span on a natural clock: 8 h to midnight + 48 h + 10 h = 66 h.
    ['2026-03-06T16:00:00+08:00', '2026-03-09T10:00:00+08:00', 'urgent_hours', 66 * HOUR_MS],
    // Across lunch: 11:00–12:00 = 1 h + 13:30–14:00 = 0.5 h → 1.5 h.
    ['2026-03-02T11:00:00+08:00', '2026-03-02T14:00:00+08:00', 'working_hours', 1.5 * HOUR_MS],
    // working_days measures working time too.
    ['2026-03-02T11:00:00+08:00', '2026-03-02T14:00:00+08:00', 'working_days', 1.5 * HOUR_MS],
    // Wholly inside 春节 2026: no working time.
    ['2026-02-16T10:00:00+08:00', '2026-02-18T10:00:00+08:00', 'working_hours', 0],
    // The 20-working-day case above: 20 × 7 h = 140 h.
    ['2026-04-20T10:00:00+08:00', '2026-05-20T10:00:00+08:00', 'working_days', 140 * HOUR_MS],
    // Backwards is negative, like a subtraction.
    ['2026-03-09T10:00:00+08:00', '2026-03-06T16:00:00+08:00', 'working_hours', -2.5 * HOUR_MS],
    ['2026-03-09T10:00:00+08:00', '2026-03-06T16:00:00+08:00', 'natural_days', -66 * HOUR_MS],
  ] as const)('%s → %s on %s = %s ms', (from, to, clock, expected) => {
    expect(elapsed(from, to, clock)).toBe(expected)
  })

  it('measures back exactly the limit addTimeLimit consumed, from any start', () => {
    // Every half hour from Thu 2026-02-12 to Thu 2026-02-26: weekdays, nights, lunch, 调休, 春节.
    const limits: TimeLimit[] = [
      { clock: 'working_hours', amount: 0.5 }, { clock: 'working_hours', amount: 4 },
      { clock: 'working_days', amount: 1 }, { clock: 'working_days', amount: 2.5 }, { clock: 'working_days', amount: 20 },
    ]
    const first = new Date('2026-02-12T00:00:00+08:00').getTime()
    for (let startMs = first; startMs < first + 14 * 24 * HOUR_MS; startMs += HOUR_MS / 2) {
      for (const limit of limits) {
        const start = new Date(startMs)
        const end = addTimeLimit(start, limit, CHINA_CALENDAR)
        expect(elapsedOnClock(start, end, limit.clock, CHINA_CALENDAR)).toBe(limitMs(limit, CHINA_CALENDAR))
      }
    }
  })
})

describe('shareOfLimitAt: the 80 % warning', () => {
  it.each([
    // 暴露垃圾, 4 wh from Mon 10:00: 80 % = 3.2 h = 3 h 12 min: 10–12 = 2 h, 1 h 12 min left → 14:42 (due 15:30).
    ['2026-03-02T10:00:00+08:00', { clock: 'working_hours', amount: 4 }, 0.8, '2026-03-02T14:42:00+08:00'],
    // 1 working day from Fri 15:00: 80 % of 7 h = 5 h 36 min: Fri 15:00–17:30 = 2.5 h (3 h 06 min left),
    // Mon 09–12 = 3 h (6 min left) → Mon 13:36 (due Mon 15:00).
    ['2026-03-06T15:00:00+08:00', { clock: 'working_days', amount: 1 }, 0.8, '2026-03-09T13:36:00+08:00'],
    // 1 urgent hour from 10:00: 48 min → 10:48.
    ['2026-03-02T10:00:00+08:00', { clock: 'urgent_hours', amount: 1 }, 0.8, '2026-03-02T10:48:00+08:00'],
    // 1 natural day from Fri 16:00 in 春节 time: 19.2 h = 19 h 12 min → Sat 11:12.
    ['2026-02-13T16:00:00+08:00', { clock: 'natural_days', amount: 1 }, 0.8, '2026-02-14T11:12:00+08:00'],
    // 75 % of 4 wh from 09:00 = 3 h → 12:00, the period's end, not 13:30.
    ['2026-03-02T09:00:00+08:00', { clock: 'working_hours', amount: 4 }, 0.75, '2026-03-02T12:00:00+08:00'],
    // Share 0 is the start itself, even on a Saturday.
    ['2026-03-07T10:00:00+08:00', { clock: 'working_hours', amount: 4 }, 0, '2026-03-07T10:00:00+08:00'],
  ] as const)('%s, %j, share %s → %s', (start, limit, share, expected) => {
    expect(warnAt(start, limit, share)).toBe(expected)
  })

  it('share 1 is the due time', () => {
    const limit: TimeLimit = { clock: 'working_days', amount: 2 }
    expect(warnAt('2026-02-13T16:00:00+08:00', limit, 1)).toBe(due('2026-02-13T16:00:00+08:00', 'working_days', 2))
  })

  it.each([-0.1, 1.2, Number.NaN])('refuses share %s', (share) => {
    expect(() => shareOfLimitAt(new Date(), { clock: 'working_hours', amount: 4 }, share, CHINA_CALENDAR)).toThrow(RangeError)
  })
})

describe('validateCalendar', () => {
  const withPeriods = (periods: Array<[number, number]>): WorkCalendar => ({ ...CHINA_CALENDAR, periods })

  it('accepts the China calendar and touching periods', () => {
    expect(validateCalendar(CHINA_CALENDAR)).toEqual({ valid: true })
    expect(validateCalendar(withPeriods([[540, 720], [720, 1050]]))).toEqual({ valid: true })
  })

  it.each([
    [withPeriods([]), /at least one working period/],
    [withPeriods([[720, 540]]), /does not end after it starts/],
    [withPeriods([[540, 540]]), /does not end after it starts/],
    [withPeriods([[540, 720], [700, 1050]]), /before the previous period ends/], // overlap
    [withPeriods([[810, 1050], [540, 720]]), /before the previous period ends/], // unsorted
    [withPeriods([[540, 1500]]), /outside the day/],
    [withPeriods([[540.5, 720]]), /whole minutes/],
    [{ ...CHINA_CALENDAR, holidays: ['2026-02-30'] }, /holidays: "2026-02-30" is not a real date/],
    [{ ...CHINA_CALENDAR, workdays: ['2026-2-14'] }, /workdays: "2026-2-14" is not a real date/],
    [{ ...CHINA_CALENDAR, workdays: ['2026-10-01'] }, /2026-10-01 is listed both/],
    [{ ...CHINA_CALENDAR, utcOffsetMinutes: 480.5 }, /utcOffsetMinutes/],
    [{ ...CHINA_CALENDAR, utcOffsetMinutes: 900 }, /utcOffsetMinutes/],
  ])('refuses a bad calendar and says why (%#)', (calendar, reason) => {
    const v = validateCalendar(calendar as WorkCalendar)
    expect(v.valid).toBe(false)
    expect(!v.valid && v.reason).toMatch(reason)
  })

  it('computations throw on a bad calendar instead of looping', () => {
    const start = new Date('2026-03-02T10:00:00+08:00')
    expect(() => addTimeLimit(start, { clock: 'working_hours', amount: 1 }, withPeriods([]))).toThrow(/invalid work calendar: a calendar needs at least one working period/)
    expect(() => elapsedOnClock(start, start, 'working_hours', withPeriods([]))).toThrow(RangeError)
  })
})

describe('time limits that are wrong or absurd', () => {
  const start = new Date('2026-03-02T10:00:00+08:00')

  it.each([
    [{ clock: 'working_hours', amount: 0 }, /amount must be a finite number > 0/],
    [{ clock: 'working_hours', amount: -1 }, /amount must be a finite number > 0/],
    [{ clock: 'urgent_hours', amount: Number.NaN }, /amount must be a finite number > 0/],
    [{ clock: 'natural_days', amount: Number.POSITIVE_INFINITY }, /amount must be a finite number > 0/],
    [{ clock: 'hours', amount: 1 }, /unknown clock "hours"/],
    // Ten years = 3,653 days = 87,672 hours; one more is refused before any computing.
    [{ clock: 'natural_days', amount: 3654 }, /longer than ten years/],
    [{ clock: 'urgent_hours', amount: 87_673 }, /longer than ten years/],
    [{ clock: 'working_days', amount: 3654 }, /longer than ten years/],
  ])('refuses %j', (limit, reason) => {
    const v = validateTimeLimit(limit as TimeLimit)
    expect(!v.valid && v.reason).toMatch(reason)
    expect(() => addTimeLimit(start, limit as TimeLimit, CHINA_CALENDAR)).toThrow(RangeError)
  })

  it('accepts the longest natural limit, ten years', () => {
    expect(validateTimeLimit({ clock: 'natural_days', amount: 3653 })).toEqual({ valid: true })
  })

  it('throws when a working limit cannot end within ten years on the calendar', () => {
    // 3,000 working days at ≤ 261 working days a year is more than 11 years.
    expect(() => addTimeLimit(start, { clock: 'working_days', amount: 3000 }, CHINA_CALENDAR)).toThrow(/within ten years/)
    // A calendar whose next ten years are all holidays never reaches working time.
    const offMs = Date.parse('2026-03-02T00:00:00Z')
    const holidays = Array.from({ length: 3660 }, (_, i) => new Date(offMs + i * 24 * HOUR_MS).toISOString().slice(0, 10))
    expect(() => addTimeLimit(start, { clock: 'working_hours', amount: 1 }, { ...CHINA_CALENDAR, holidays, workdays: [] })).toThrow(/within ten years/)
  })

  it('computes a long limit that does end within ten years, and measures it back', () => {
    // 2,400 working days × 7 h: about 9.2 years of weekdays after the listed holidays run out.
    const limit: TimeLimit = { clock: 'working_days', amount: 2400 }
    const end = addTimeLimit(start, limit, CHINA_CALENDAR)
    expect(elapsedOnClock(start, end, 'working_days', CHINA_CALENDAR)).toBe(2400 * 7 * HOUR_MS)
  })

  it('refuses an invalid start', () => {
    expect(() => addTimeLimit(new Date('not a date'), { clock: 'urgent_hours', amount: 1 }, CHINA_CALENDAR)).toThrow(/start must be a valid Date/)
  })
})
