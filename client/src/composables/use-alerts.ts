import { shallowRef } from 'vue'
import type { IncidentDelta, LngLat } from '@gezhi/geo'

export interface WallAlert { id: string; text: string; tone: 'bad' | 'warn'; place?: LngLat; until: number }

/** Cases going overdue within this window, at least this many, make a surge. */
const SURGE_WINDOW_MS = 10 * 60_000
const SURGE_COUNT = 5
const ALERT_LIFE_MS = 60_000

/**
 * Alerts a command centre must not miss: an overdue surge, and repeats at one place (复诊).
 * Each lives a minute and flashes its place on the map.
 */
export function useAlerts(texts: { surge: (n: number) => string; repeat: (d: IncidentDelta) => string }, flash: (place: LngLat) => void) {
  const alerts = shallowRef<WallAlert[]>([])
  let overdueTimes: number[] = []
  let lastSurge = 0

  function push(alert: WallAlert) {
    alerts.value = [alert, ...alerts.value.filter((a) => a.id !== alert.id)].slice(0, 4)
    if (alert.place) flash(alert.place)
  }

  return {
    alerts,
    /** Looks at a frame's deltas for alert conditions. */
    observe(deltas: IncidentDelta[], now = Date.now()) {
      alerts.value = alerts.value.filter((a) => a.until > now)
      for (const d of deltas) {
        if (d.type === 'overdue') overdueTimes.push(now)
        if (d.type === 'repeat_flagged') push({ id: `repeat-${d.incident.id}`, text: texts.repeat(d), tone: 'warn', place: d.incident.position as LngLat, until: now + ALERT_LIFE_MS })
      }
      overdueTimes = overdueTimes.filter((t) => now - t < SURGE_WINDOW_MS)
      if (overdueTimes.length >= SURGE_COUNT && now - lastSurge > SURGE_WINDOW_MS / 2) {
        lastSurge = now
        const last = deltas.filter((d) => d.type === 'overdue').at(-1)
        push({ id: `surge-${now}`, text: texts.surge(overdueTimes.length), tone: 'bad', place: last?.incident.position as LngLat | undefined, until: now + ALERT_LIFE_MS })
      }
    },
    dismiss(id: string) {
      alerts.value = alerts.value.filter((a) => a.id !== id)
    },
  }
}
