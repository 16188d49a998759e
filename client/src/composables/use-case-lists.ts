import { onBeforeUnmount, shallowRef } from 'vue'
import type { IncidentSummary } from '@gezhi/geo'
import { CaseLists } from '../wall/case-lists.ts'

/**
 * The wall's case lists — the grids with most overdue cases and the cases overdue or due soonest.
 * Fed the cases that changed (or everything, on a reset), kept incrementally by CaseLists, and
 * published to the widgets at most once a second whatever the event rate.
 */
export function useCaseLists(options: { gridLevel: () => number; names: () => Map<number, string> }) {
  const lists = new CaseLists(options.gridLevel())
  const overdueGrids = shallowRef<Array<{ gridId: number; name: string; count: number }>>([])
  const dueSoon = shallowRef<IncidentSummary[]>([])
  let timer: ReturnType<typeof setTimeout> | null = null

  function publish() {
    timer = null
    const names = options.names()
    overdueGrids.value = lists.overdueGrids().map((row) => ({ ...row, name: names.get(row.gridId) ?? `#${row.gridId}` }))
    dueSoon.value = lists.dueSoonest()
  }
  const schedule = () => { if (!timer) timer = setTimeout(publish, 1000) }

  onBeforeUnmount(() => { if (timer) clearTimeout(timer) })
  return {
    overdueGrids, dueSoon,
    /** Applies changed cases; with `reset`, `all` replaces everything (a snapshot, a playback jump, another level). */
    apply(changed: Iterable<IncidentSummary>, reset: boolean, all: () => Iterable<IncidentSummary>) {
      if (reset) lists.reset(all(), options.gridLevel())
      else for (const c of changed) lists.update(c)
      schedule()
    },
    /** Publishes again (the grid names arrived). */
    refresh: schedule,
  }
}
