import { describe, expect, it } from 'vitest'
import type { IncidentSummary } from '@gezhi/geo'
import { categoriesFromCases, hourlyFromCases, kpisFromCases } from '../../client/src/wall/kpi-figures.ts'

/**
 * In playback the wall's cards, trend and categories all come from the cases as they stood at the
 * playback clock. (The trend and the categories once showed the live day's server figures while the
 * cards were replaying: widgets out of sync.)
 */
const dayStart = new Date('2026-11-22T00:00:00+08:00')
const at = (hhmm: string) => new Date(`2026-11-22T${hhmm}:00+08:00`)
let id = 0
function summary(reported: string, over: Partial<IncidentSummary> = {}): IncidentSummary {
  return {
    id: ++id, number: `C${id}`, state: 'filed', category: 'E0102', source: 'resident', position: [113.66, 34.78], gridPath: [1, 2, 3, 4],
    unitLevel: null, departmentIds: [], overdue: false, everOverdue: false, supervised: false, repeat: false,
    reportedAt: at(reported).toISOString(), dueAt: null, closedAt: null, rating: null, lastSeq: id, ...over,
  } as IncidentSummary
}

describe('figures of a playback at its clock', () => {
  const cases = [
    summary('08:10'),
    summary('08:40', { category: 'E0201', state: 'closed', closedAt: at('09:15').toISOString() }),
    summary('09:05', { category: 'E0201' }),
    summary('13:30', { category: 'E0201' }), // after the clock below
  ]
  const clock = at('10:00')

  it('counts reported and closed per hour up to the clock, and leaves the day before empty', () => {
    const hourly = hourlyFromCases(cases, dayStart, clock)
    expect(hourly.date).toBe('2026-11-22')
    expect(hourly.hours).toHaveLength(24)
    expect(hourly.hours.map((h) => h.reported).slice(7, 14)).toEqual([0, 2, 1, 0, 0, 0, 0])
    expect(hourly.hours.map((h) => h.closed).slice(7, 11)).toEqual([0, 0, 1, 0])
    expect(hourly.hours.every((h) => h.reportedYesterday === null && h.closedYesterday === null)).toBe(true)
  })

  it('counts categories of the cases reported by the clock, most first', () => {
    expect(categoriesFromCases(cases, dayStart, clock)).toEqual([
      { code: 'E0201', name: 'E0201', count: 2 },
      { code: 'E0102', name: 'E0102', count: 1 },
    ])
  })

  it('agrees with the cards', () => {
    const kpis = kpisFromCases(cases, dayStart, clock)
    expect(kpis.reported.value).toBe(categoriesFromCases(cases, dayStart, clock).reduce((n, c) => n + c.count, 0))
    expect(kpis.reported.value).toBe(hourlyFromCases(cases, dayStart, clock).hours.reduce((n, h) => n + h.reported, 0))
  })
})
