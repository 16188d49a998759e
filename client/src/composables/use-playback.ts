import { onBeforeUnmount, shallowRef } from 'vue'
import type { IncidentDelta, IncidentSummary } from '@gezhi/geo'
import { api, query } from '../services/api.ts'

interface PlaybackData {
  from: string
  to: string
  start: IncidentSummary[]
  events: Array<{ seq: number; at: string; type: string; incidentId: number; summary: IncidentSummary }>
}

/**
 * Replays a chosen period (default the last 24 h) at 1–60× real time: the cases as they stood at
 * its start, then every event in order, with a clock the widgets read instead of "now". The
 * wall switches its source to this and back to live without reloading anything.
 */
export function usePlayback(onChanges: (changed: IncidentSummary[], deltas: IncidentDelta[], reset: boolean) => void) {
  const active = shallowRef(false)
  const playing = shallowRef(false)
  const speed = shallowRef(10)
  const clock = shallowRef<Date | null>(null)
  const span = shallowRef<{ from: Date; to: Date } | null>(null)
  const cases = new Map<number, IncidentSummary>()
  const ticker = shallowRef<IncidentDelta[]>([])
  let events: PlaybackData['events'] = []
  let next = 0
  let timer: ReturnType<typeof setInterval> | null = null
  let lastTick = 0

  async function load(from: Date, to: Date, grid: number | null) {
    stop()
    const data = await api.get<PlaybackData>(`/api/playback${query({ from: from.toISOString(), to: to.toISOString(), grid })}`)
    cases.clear()
    for (const c of data.start) cases.set(c.id, c)
    events = data.events
    next = 0
    ticker.value = []
    span.value = { from: new Date(data.from), to: new Date(data.to) }
    clock.value = new Date(data.from)
    active.value = true
    onChanges([...cases.values()], [], true)
  }

  function tick() {
    const now = performance.now()
    const elapsed = (now - lastTick) * speed.value
    lastTick = now
    const until = Math.min(clock.value!.getTime() + elapsed, span.value!.to.getTime())
    clock.value = new Date(until)
    const changed: IncidentSummary[] = []
    const deltas: IncidentDelta[] = []
    while (next < events.length && Date.parse(events[next]!.at) <= until) {
      const e = events[next++]!
      cases.set(e.incidentId, e.summary)
      changed.push(e.summary)
      deltas.push({ seq: e.seq, type: e.type, fromState: null, toState: e.summary.state, at: e.at, actor: { kind: 'system', name: '' }, incident: e.summary })
    }
    if (changed.length) {
      onChanges(changed, deltas, false)
      ticker.value = [...deltas.slice(-40).reverse(), ...ticker.value].slice(0, 40)
    }
    if (until >= span.value!.to.getTime()) pause()
  }

  function play() {
    if (!active.value || playing.value) return
    playing.value = true
    lastTick = performance.now()
    timer = setInterval(tick, 100)
  }
  function pause() {
    playing.value = false
    if (timer) clearInterval(timer)
    timer = null
  }
  function stop() {
    pause()
    active.value = false
    clock.value = null
  }

  onBeforeUnmount(pause)
  return { active, playing, speed, clock, span, cases, ticker, load, play, pause, stop }
}
