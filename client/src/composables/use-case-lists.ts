import { onBeforeUnmount, shallowRef, watch, type Ref } from 'vue'
import type { IncidentSummary } from '@gezhi/geo'

const CLOSED = new Set(['closed', 'evaluated', 'rejected', 'voided'])
export const isOpen = (c: IncidentSummary) => !CLOSED.has(c.state)

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
      if (!isOpen(c) || !c.dueAt) continue
      open.push(c)
      if (c.overdue) {
        const grid = c.gridPath[Math.min(level, c.gridPath.length) - 1]
        if (grid !== undefined) byGrid.set(grid, (byGrid.get(grid) ?? 0) + 1)
      }
    }
    const names = options.names()
    overdueGrids.value = [...byGrid].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 10).map(([gridId, count]) => ({ gridId, count, name: names.get(gridId) ?? `#${gridId}` }))
    dueSoon.value = open.sort((a, b) => Date.parse(a.dueAt!) - Date.parse(b.dueAt!)).slice(0, 12)
  }

  watch(version, () => { if (!timer) timer = setTimeout(compute, 1000) }, { immediate: true })
  onBeforeUnmount(() => { if (timer) clearTimeout(timer) })
  return { overdueGrids, dueSoon, recompute: compute }
}
