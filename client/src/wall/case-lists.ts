import { type IncidentSummary, isOpenState } from '@gezhi/geo'

interface Counted { id: number; due: number; grid: number | undefined }

/**
 * The wall's two case lists — the grids with most overdue cases and the open cases due soonest —
 * kept up to date case by case: applying a changed case costs the same whether a hundred or a
 * hundred thousand are on the wall. Only open cases with a deadline count. Cases due at the same
 * moment keep id order.
 */
export class CaseLists {
  /** What each counted case contributed, to take it back when the case changes. */
  private counted = new Map<number, Counted>()
  private latest = new Map<number, IncidentSummary>()
  /** Counted cases by (due, id), ascending. */
  private byDue: Counted[] = []
  private overdueByGrid = new Map<number, number>()

  /** @param level the grid level (1 = top) the overdue counts are kept at. */
  constructor(private level: number) {}

  reset(all: Iterable<IncidentSummary>, level = this.level): void {
    this.level = level
    this.counted.clear()
    this.latest.clear()
    this.byDue = []
    this.overdueByGrid.clear()
    for (const c of all) this.add(c)
  }

  /** Takes a changed (or new) case as it now stands. */
  update(c: IncidentSummary): void {
    this.remove(c.id)
    this.add(c)
  }

  /** The `n` grids with most overdue open cases, most first (ties by id). */
  overdueGrids(n = 10): Array<{ gridId: number; count: number }> {
    return [...this.overdueByGrid].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, n).map(([gridId, count]) => ({ gridId, count }))
  }

  /** The `n` open cases due soonest. */
  dueSoonest(n = 12): IncidentSummary[] {
    return this.byDue.slice(0, n).map((e) => this.latest.get(e.id)!)
  }

  private add(c: IncidentSummary) {
    if (!isOpenState(c.state) || !c.dueAt) return
    const grid = c.overdue ? c.gridPath[Math.min(this.level, c.gridPath.length) - 1] : undefined
    const entry: Counted = { id: c.id, due: Date.parse(c.dueAt), grid }
    this.counted.set(c.id, entry)
    this.latest.set(c.id, c)
    this.byDue.splice(this.position(entry), 0, entry)
    if (grid !== undefined) this.overdueByGrid.set(grid, (this.overdueByGrid.get(grid) ?? 0) + 1)
  }

  private remove(id: number) {
    const entry = this.counted.get(id)
    if (!entry) return
    this.counted.delete(id)
    this.latest.delete(id)
    this.byDue.splice(this.position(entry), 1)
    if (entry.grid !== undefined) {
      const left = this.overdueByGrid.get(entry.grid)! - 1
      if (left > 0) this.overdueByGrid.set(entry.grid, left)
      else this.overdueByGrid.delete(entry.grid)
    }
  }

  /** Where `entry` is, or would go, in `byDue` (binary search on due, then id). */
  private position(entry: Counted): number {
    let lo = 0
    let hi = this.byDue.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const e = this.byDue[mid]!
      if (e.due < entry.due || (e.due === entry.due && e.id < entry.id)) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
