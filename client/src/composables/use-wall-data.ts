import { onBeforeUnmount, shallowRef, watch, type Ref } from 'vue'
import type { StatsAnswer } from '@gezhi/geo'
import { api, query } from '../services/api.ts'

/** `YYYY-MM-DD` in Beijing time, `days` from today. */
export function beijingDate(days = 0, now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10)
}

export interface GridFigure {
  grid: { id: number; code: string; name: string; level: number; levelName: string }
  households: number
  reported: number
  closed: number
  dueToClose: number
  closureRate: number | null
  onTimeClosureRate: number | null
  overdueNow: number
  casesPer1000Households: number | null
}
/** Per hour of a day and of the day before; the day before is null where it is not known (playback). */
export interface HourlyFigures { date: string; hours: Array<{ hour: number; reported: number; closed: number; reportedYesterday: number | null; closedYesterday: number | null }> }

/**
 * The wall's server figures for the focused grid: today's /api/stats (with yesterday as 环比), the
 * same day last week, the hourly trend and the children's figures for the choropleth. Refetched
 * when the focus changes, shortly after live figures say something moved, and every minute.
 */
export function useWallData(grid: Ref<number | null>, poke: Ref<unknown>) {
  const today = shallowRef<StatsAnswer | null>(null)
  const lastWeek = shallowRef<StatsAnswer | null>(null)
  const hourly = shallowRef<HourlyFigures | null>(null)
  const children = shallowRef<GridFigure[]>([])
  const error = shallowRef<string | null>(null)
  let debounce: ReturnType<typeof setTimeout> | null = null
  let inFlight = false

  async function refresh() {
    if (inFlight) return
    inFlight = true
    const g = grid.value
    try {
      const [a, b, h, c] = await Promise.all([
        api.get<StatsAnswer>(`/api/stats${query({ grid: g, period: 'day', date: beijingDate(), top: 50 })}`),
        api.get<StatsAnswer>(`/api/stats${query({ grid: g, period: 'day', date: beijingDate(-7) })}`),
        api.get<HourlyFigures>(`/api/stats/hourly${query({ grid: g, date: beijingDate() })}`).catch(() => null),
        api.get<{ grids: GridFigure[] } | GridFigure[]>(`/api/stats/grids${query(g ? { parent: g, period: 'day' } : { level: 1, period: 'day' })}`).catch(() => null),
      ])
      if (g !== grid.value) return // the focus moved on meanwhile
      today.value = a
      lastWeek.value = b
      hourly.value = h
      children.value = c ? (Array.isArray(c) ? c : c.grids) : []
      error.value = null
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e)
    } finally {
      inFlight = false
    }
  }

  watch(grid, () => void refresh(), { immediate: true })
  watch(poke, () => {
    if (debounce) return
    debounce = setTimeout(() => { debounce = null; void refresh() }, 3000)
  })
  const timer = setInterval(() => void refresh(), 60_000)
  onBeforeUnmount(() => {
    clearInterval(timer)
    if (debounce) clearTimeout(debounce)
  })
  return { today, lastWeek, hourly, children, error, refresh }
}
