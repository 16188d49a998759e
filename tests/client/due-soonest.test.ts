import { describe, expect, it } from 'vitest'
import type { IncidentSummary } from '@gezhi/geo'
import { dueSoonest } from '../../client/src/composables/use-case-lists.ts'

/** The overdue list's selection: the same twelve as sorting everything, without sorting everything. */
describe('dueSoonest', () => {
  const due = (minutes: number, id: number) => ({ id, dueAt: new Date(Date.UTC(2026, 10, 23, 0, minutes)).toISOString() }) as IncidentSummary

  it('equals a full sort, for any order of arrival', () => {
    let seed = 7
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647)
    for (let round = 0; round < 50; round++) {
      const cases = Array.from({ length: 1 + Math.floor(random() * 60) }, (_, i) => due(Math.floor(random() * 40), i))
      const sorted = [...cases].sort((a, b) => Date.parse(a.dueAt!) - Date.parse(b.dueAt!)).slice(0, 12)
      expect(dueSoonest(cases).map((c) => c.dueAt)).toEqual(sorted.map((c) => c.dueAt))
    }
  })

  it('keeps the first of equal deadlines, as a stable sort would', () => {
    const cases = Array.from({ length: 20 }, (_, i) => due(5, i))
    expect(dueSoonest(cases, 3).map((c) => c.id)).toEqual([0, 1, 2])
  })
})
