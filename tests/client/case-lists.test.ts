import { describe, expect, it } from 'vitest'
import { type IncidentState, type IncidentSummary, isOpenState } from '@gezhi/geo'
import { CaseLists } from '../../client/src/wall/case-lists.ts'

/**
 * The wall's lists used to be recomputed from every case on the wall once a second, so the cost
 * of an event grew with the cases on screen (2.5× at 10,000 vs 100 in the wall benchmark). They
 * are now kept case by case; whatever arrives, they must equal a recompute from scratch.
 */
const LEVEL = 3
const STATES: IncidentState[] = ['reported', 'filed', 'dispatched', 'accepted', 'handled', 'closed', 'evaluated', 'rejected', 'deferred']

function recompute(all: Iterable<IncidentSummary>) {
  const open = [...all].filter((c) => isOpenState(c.state) && c.dueAt)
  const byGrid = new Map<number, number>()
  for (const c of open) if (c.overdue) byGrid.set(c.gridPath[LEVEL - 1]!, (byGrid.get(c.gridPath[LEVEL - 1]!) ?? 0) + 1)
  return {
    grids: [...byGrid].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 10).map(([gridId, count]) => ({ gridId, count })),
    due: open.sort((a, b) => Date.parse(a.dueAt!) - Date.parse(b.dueAt!) || a.id - b.id).slice(0, 12).map((c) => c.id),
  }
}

describe('CaseLists, kept case by case', () => {
  let seed = 11
  const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647)
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!
  const version = (id: number): IncidentSummary => ({
    id, number: `C${id}`, state: pick(STATES), category: 'E0102', source: 'resident', position: [113.66, 34.78],
    gridPath: [1, 10 + Math.floor(random() * 3), 100 + Math.floor(random() * 8), 1000 + id], unitLevel: null, departmentIds: [],
    overdue: random() < 0.4, everOverdue: false, supervised: false, repeat: false, reportedAt: '2026-11-23T01:00:00Z',
    dueAt: random() < 0.1 ? null : new Date(Date.UTC(2026, 10, 23, 2, Math.floor(random() * 30))).toISOString(),
    closedAt: null, rating: null, lastSeq: id,
  }) as IncidentSummary

  it('equals a recompute from scratch after any sequence of new and changed cases', () => {
    const truth = new Map<number, IncidentSummary>()
    for (let id = 1; id <= 40; id++) truth.set(id, version(id))
    const lists = new CaseLists(LEVEL)
    lists.reset(truth.values())
    for (let step = 0; step < 2000; step++) {
      const c = version(1 + Math.floor(random() * 80)) // a change, or a new case
      truth.set(c.id, c)
      lists.update(c)
      if (step % 50 === 0 || step === 1999) {
        const expected = recompute(truth.values())
        expect(lists.overdueGrids()).toEqual(expected.grids)
        expect(lists.dueSoonest().map((x) => x.id)).toEqual(expected.due)
      }
    }
  })

  it('shows each case as it last stood, and forgets what closed', () => {
    const lists = new CaseLists(LEVEL)
    const c = { ...version(1), state: 'dispatched', dueAt: '2026-11-23T03:00:00Z', overdue: true } as IncidentSummary
    lists.reset([c])
    lists.update({ ...c, supervised: true })
    expect(lists.dueSoonest()[0]?.supervised).toBe(true)
    lists.update({ ...c, state: 'closed' })
    expect(lists.dueSoonest()).toEqual([])
    expect(lists.overdueGrids()).toEqual([])
  })

  it('counts at another level after a reset', () => {
    const c = { ...version(1), state: 'dispatched', dueAt: '2026-11-23T03:00:00Z', overdue: true, gridPath: [1, 12, 105, 1001] } as IncidentSummary
    const lists = new CaseLists(3)
    lists.reset([c])
    expect(lists.overdueGrids()).toEqual([{ gridId: 105, count: 1 }])
    lists.reset([c], 2)
    expect(lists.overdueGrids()).toEqual([{ gridId: 12, count: 1 }])
  })
})
