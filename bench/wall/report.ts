/** The wall benchmark's tables: figures beside their targets, then the details behind them. */
import { renderTable, fmt } from '../lib/table.ts'
import { type EventWindow, perDelta } from './events.ts'
import { describe } from './profile.ts'
import type { LongTask } from './trace.ts'
import type { TileTimes } from './tiles.ts'

export interface SummaryRow { figure: string; value: string; target: string; verdict: string }

export const verdict = (ok: boolean | null) => (ok === null ? '–' : ok ? 'PASS' : 'MISS')
export const ms = (v: number) => `${fmt(v)} ms`
export const mb = (bytes: number) => `${fmt(bytes / 1e6)} MB`

export function summaryTable(rows: SummaryRow[]): string {
  return renderTable(['figure', 'value', 'target', ''], rows.map((r) => [r.figure, r.value, r.target, r.verdict]), ['l', 'r', 'l', 'l'])
}

export interface EventRun { onScreen: number; idle: EventWindow; windows: EventWindow[] }

/**
 * Per window: what arrived and how busy the page was (CPU of its main thread as a share of the
 * window, and wall-clock busy time, which includes waiting for the GPU process); then per delta,
 * less the idle window's rate: CPU of the main thread, of the whole renderer and of the GPU process,
 * and the main thread's samples by what started the work (events.ts `split`): applying the event
 * (of which the case lists' publishing; both as measured, not less idle), map frames,
 * Vue re-rendering, charts, GC.
 */
export function eventsTable(runs: EventRun[]): string {
  const rows: string[][] = []
  const pct = (part: number, whole: number) => `${fmt((100 * part) / whole)} %`
  for (const run of runs) {
    for (const w of [run.idle, ...run.windows]) {
      const p = w === run.idle ? null : perDelta(w, run.idle)
      const cell = (v: number | undefined) => (p && v !== undefined ? fmt(v) : '–')
      rows.push([
        fmt(run.onScreen), w.rate ? `${w.rate}/s` : 'idle', fmt(w.reported), fmt(w.deltas), pct(w.cpu.rendererMainMs, w.wallMs), pct(w.busyMs, w.wallMs),
        cell(p?.mainCpu), cell(p?.rendererCpu), cell(p?.gpuCpu), cell(p?.apply), cell(p?.lists), cell(p?.frames), cell(p?.vue), cell(p?.charts), cell(p?.gc),
      ])
    }
  }
  const table = renderTable(
    ['on screen', 'feed', 'reported', 'deltas', 'main CPU', 'main busy (wall)', 'per delta ms: main CPU', 'renderer CPU', 'GPU process CPU', 'apply (JS)', 'of it lists', 'map frames', 'Vue', 'charts', 'GC'],
    rows, ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  )
  const idle = runs.map((r) => `  idle wall, ${fmt(r.onScreen)} cases, sampled main thread per second by origin: ${describe(new Map([...r.idle.profile.origins].map(([k, v]) => [k, (1000 * v) / r.idle.wallMs])))}`)
  const busiest = runs.flatMap((r) => r.windows.slice(-1).map((w) => `  ${fmt(r.onScreen)} cases at ${w.rate}/s, by origin (ms in the window): ${describe(w.profile.origins, 7)}`))
  return [table, ...idle, ...busiest].join('\n')
}

/** Ratio of per-delta costs between the busiest and the quietest screen, at each rate. */
export function eventRatios(runs: EventRun[]): Array<{ rate: number; gpuCpu: number; apply: number }> {
  const [few, many] = [runs[0], runs.at(-1)]
  if (!few || !many || few === many) return []
  return few.windows.map((w, k) => {
    const a = perDelta(w, few.idle)
    const b = perDelta(many.windows[k]!, many.idle)
    return { rate: w.rate, gpuCpu: b.gpuCpu / a.gpuCpu, apply: b.apply / a.apply }
  })
}

/** The longest tasks of a traced phase, with what ran inside them. */
export function longTaskTable(tasks: LongTask[], top = 10): string {
  const rows = [...tasks].sort((a, b) => b.durationMs - a.durationMs).slice(0, top).map((t) => [
    fmt(t.atMs / 1000), fmt(t.durationMs), fmt(t.durationMs - t.commitMs), t.what,
    t.areas.map(([a, v]) => `${a} ${fmt(v)}`).join('; '),
    t.client.map(([w, v]) => `${w} ${fmt(v)}`).join('; ') || '–',
  ])
  return renderTable(['at s', 'ms', 'less Commit', 'events directly under the task', 'samples by area, ms', 'client code inside (self ms)'], rows, ['r', 'r', 'r', 'l', 'l', 'l'])
}

/** The longest task once its Commit (waiting for the GPU process) is left out: the page's own work. */
export function longestOwnWork(tasks: LongTask[]): LongTask | null {
  return tasks.reduce<LongTask | null>((best, t) => (!best || t.durationMs - t.commitMs > best.durationMs - best.commitMs ? t : best), null)
}

/** All long tasks of a phase together: their total and how it splits by area. */
export function longTaskTotals(tasks: LongTask[]): string {
  const total = tasks.reduce((s, t) => s + t.durationMs, 0)
  const areas = new Map<string, number>()
  for (const t of tasks) for (const [a, v] of t.areas) areas.set(a, (areas.get(a) ?? 0) + v)
  const commit = tasks.reduce((s, t) => s + t.commitMs, 0)
  const parts = [...areas].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([a, v]) => `${a} ${Math.round((100 * v) / (total || 1))} %`)
  return `${tasks.length} long tasks, ${fmt(total)} ms in all; "Commit" (the main thread waiting for the compositor and GPU process) ${fmt(commit)} ms; by sampled area: ${parts.join(' · ')}`
}

export function tilesTable(rows: Array<{ backend: string; scale: number; times: TileTimes | null; note?: string }>): string {
  return renderTable(
    ['backend', 'scale', 'tiles', 'p50 ms', 'p95 ms', 'max ms', 'mean KB', '204 empty', 'failed', 'zooms', 'target p95 ≤ 25 ms'],
    rows.map(({ backend, scale, times: t, note }) => t
      ? [backend, String(scale), fmt(t.n), fmt(t.p50), fmt(t.p95), fmt(t.max), fmt(t.meanKb), fmt(t.empty), fmt(t.failed), t.byZoom, verdict(t.p95 <= 25)]
      : [backend, String(scale), note ?? '–', '', '', '', '', '', '', '', '']),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
  )
}
