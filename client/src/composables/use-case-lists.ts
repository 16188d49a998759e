import { onBeforeUnmount, shallowRef, watch, type Ref } from 'vue'
import { type IncidentSummary, isOpenState } from '@gezhi/geo'

const DUE_SOON = 12

/** The `n` open cases due soonest, in one pass: a wall may hold tens of thousands, the list shows twelve. */
export function dueSoonest(open: Iterable<IncidentSummary>, n = DUE_SOON): IncidentSummary[] {
  const best: Array<{ due: number; c: IncidentSummary }> = []
  for (const c of open) {
    const due = Date.parse(c.dueAt!)
    if (best.length === n && due >= best[n - 1]!.due) continue
    let i = best.length < n ? best.length : n - 1
    while (i > 0 && best[i - 1]!.due > due) i--
    best.splice(i, 0, { due, c })
    if (best.length > n) best.pop()
  }
  return best.map((b) => b.c)
}

/**
 * Lists derived from the cases on the wall — the grids with most overdue cases and the cases
 * overdue or due soonest — recomputed at most once a second whatever the event rate.
 */
export function useCaseLists(cases: () => Iterable<IncidentSummary>, version: Ref<unknown>, options: { gridLevel: () => number; names: () => Map<number, string> }) {
  const overdueGrids = shallowRef<Array<{ gridId: number; name: string; count: number }>>([])
  const dueSoon = shallowRef<IncidentSummary[]>([])
  let timer: ReturnType<typeof setTimeout> | null = null

  function compute() {
    timer = null
    const byGrid = new Map<number, number>()
    const open: IncidentSummary[] = []
    const level = options.gridLevel()
    for (const c of cases()) {
      if (!isOpenState(c.state) || !c.dueAt) continue
      open.push(c)
      if (c.overdue) {
        const grid = c.gridPath[Math.min(level, c.gridPath.length) - 1]
        if (grid !== undefined) byGrid.set(grid, (byGrid.get(grid) ?? 0) + 1)
      }
    }
    const names = options.names()
    overdueGrids.value = [...byGrid].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 10).map(([gridId, count]) => ({ gridId, count, name: names.get(gridId) ?? `#${gridId}` }))
    dueSoon.value = dueSoonest(open)
  }

  watch(version, () => { if (!timer) timer = setTimeout(compute, 1000) }, { immediate: true })
  onBeforeUnmount(() => { if (timer) clearTimeout(timer) })
  return { overdueGrids, dueSoon, recompute: compute }
}
