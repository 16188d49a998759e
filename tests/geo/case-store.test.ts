import { describe, expect, it } from 'vitest'
import { CaseStore, type IncidentDelta, type IncidentSummary, localDayStart } from '@gezhi/geo'

/**
 * A wall left running for days: its live store once kept every case it ever saw, because only a
 * snapshot (on connect) dropped the closed ones. `forgetOutside` keeps what a snapshot taken now
 * would hold — open cases, and cases closed since the day began.
 */
const dayStart = new Date('2026-11-23T00:00:00+08:00')
let n = 0
function summary(over: Partial<IncidentSummary>): IncidentSummary {
  n++
  return {
    id: n, number: `C${n}`, state: 'filed', category: 'E0102', source: 'resident', position: [113.66, 34.78], gridPath: [1, 2, 3, 4],
    unitLevel: null, departmentIds: [], overdue: false, everOverdue: false, supervised: false, repeat: false,
    reportedAt: '2026-11-22T09:00:00+08:00', dueAt: null, closedAt: null, rating: null, lastSeq: n, ...over,
  } as IncidentSummary
}

describe('CaseStore.forgetOutside', () => {
  const open = summary({ state: 'dispatched' })
  const closedToday = summary({ state: 'closed', closedAt: '2026-11-23T08:30:00+08:00' })
  const evaluatedYesterday = summary({ state: 'evaluated', closedAt: '2026-11-22T17:00:00+08:00' })
  const closedYesterday = summary({ state: 'closed', closedAt: '2026-11-22T23:59:59+08:00' })
  const rejected = summary({ state: 'rejected' })

  function filled() {
    const store = new CaseStore()
    store.applySnapshot({ seq: 10, incidents: [open, closedToday, evaluatedYesterday, closedYesterday, rejected] } as never)
    return store
  }

  it('keeps open cases and cases closed today, drops the rest', () => {
    const store = filled()
    expect(store.forgetOutside(dayStart)).toBe(3)
    expect([...store.cases.keys()].sort()).toEqual([open.id, closedToday.id].sort())
    expect(store.seq).toBe(10) // the stream position is untouched: deltas go on applying
  })

  it('tells its listeners once, as a snapshot, and only when something went', () => {
    const store = filled()
    const heard: Array<[number, IncidentDelta | null]> = []
    store.subscribe((changed, delta) => heard.push([changed.length, delta]))
    store.forgetOutside(dayStart)
    store.forgetOutside(dayStart)
    expect(heard).toEqual([[2, null]])
  })

  it('takes a forgotten case back when an event about it arrives', () => {
    const store = filled()
    store.forgetOutside(dayStart)
    const rated = { ...closedYesterday, rating: 5, lastSeq: 11 }
    expect(store.applyDelta({ seq: 11, type: 'evaluate', incident: rated } as IncidentDelta)).toBe(true)
    expect(store.cases.get(closedYesterday.id)?.rating).toBe(5)
  })
})

describe('localDayStart', () => {
  it('is Beijing midnight, on either side of UTC midnight', () => {
    expect(localDayStart(new Date('2026-11-23T00:30:00+08:00')).toISOString()).toBe('2026-11-22T16:00:00.000Z')
    expect(localDayStart(new Date('2026-11-23T23:59:59+08:00')).toISOString()).toBe('2026-11-22T16:00:00.000Z')
    expect(localDayStart(new Date('2026-11-23T08:00:00+08:00')).toISOString()).toBe('2026-11-22T16:00:00.000Z')
  })
})
