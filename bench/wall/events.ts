/**
 * Cost per incoming event on an open wall: cases are reported at a fixed rate through the API
 * (POST /api/incidents, open loop from this process, bench/lib/load.ts) while the page shows them.
 * Over each window: CPU time of the page's renderer main thread, of the whole renderer and of the
 * GPU process (chromium-cpu.ts: CPU, not wall time, so waiting and being descheduled do not count),
 * the main thread's wall-clock busy time (CDP Performance TaskDuration), and a V8 CPU profile (CDP
 * Profiler, 250 µs sampling) that splits the JavaScript by area; the page's Socket.IO case events
 * are counted. An idle window of the same page (no reports) is the baseline, subtracted per
 * millisecond. The probe's frame loop is off meanwhile: an idle wall draws nothing.
 */
import type { LngLat } from '@gezhi/geo'
import { fixedRate, type Target } from '../lib/load.ts'
import { categoryMix, reportRequests } from '../ingest/reports.ts'
import { type ChromiumCpu, cpuBetween, type CpuSpent } from './chromium-cpu.ts'
import type { WallSession } from './page.ts'
import { type AreaSummary, type Attribution, type CpuProfile, GC, NATIVE, ORIGIN_BATCH, ORIGIN_LISTS, ORIGIN_MAP_INPUTS, ORIGIN_SOCKET, summarise } from './profile.ts'

export interface EventWindow {
  rate: number
  /** Reports answered 201 / refused or failed. */
  reported: number
  failed: number
  /** incident:* frames the page received in the window. */
  deltas: number
  wallMs: number
  /** Main-thread wall-clock busy time (all tasks, waiting included) and its JavaScript part (CDP ScriptDuration), ms. */
  busyMs: number
  scriptMs: number
  cpu: CpuSpent
  profile: AreaSummary
}

/**
 * The main thread's sampled time by what started it: applying events (a Socket.IO message and the
 * CaseStore under it, use-live's batch that updates the map's case data, ticker and alerts,
 * use-case-lists' publishing, use-wall-map's density and shading); frames of the map
 * (MapLibre, deck.gl, luma.gl and the native work they cause); Vue re-rendering (widgets, clock);
 * charts; garbage collection; the rest.
 */
export function split(profile: AreaSummary): { apply: number; lists: number; frames: number; vue: number; charts: number; gc: number; other: number } {
  const out = { apply: 0, lists: 0, frames: 0, vue: 0, charts: 0, gc: 0, other: 0 }
  for (const [origin, ms] of profile.origins) {
    if (origin === ORIGIN_LISTS) { out.lists += ms; out.apply += ms }
    else if (origin === ORIGIN_SOCKET || origin === ORIGIN_BATCH || origin === ORIGIN_MAP_INPUTS) out.apply += ms
    else if (FRAME_AREAS.has(origin)) out.frames += ms
    else if (origin.startsWith('vue')) out.vue += ms
    else if (origin.startsWith('echarts')) out.charts += ms
    else if (origin === GC) out.gc += ms
    else out.other += ms
  }
  return out
}
const FRAME_AREAS = new Set(['maplibre-gl', 'deck.gl', 'luma.gl (WebGL)', 'math.gl, loaders.gl, probe.gl', NATIVE])

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A feeder of reports at `points`; `offset` keeps its report indices clear of the preloaded ones (distinct points). */
export function feeder(target: Target, points: LngLat[], run: string) {
  const categories = categoryMix()
  const requests = reportRequests(points, categories, run)
  let used = 0
  return {
    /** Reports at `rate` per second for `seconds`; resolves when every answer is in. */
    async run(rate: number, seconds: number, offset: number) {
      const base = offset + used
      used += Math.round(rate * seconds)
      return fixedRate(target, (i) => requests(base + i), rate, seconds, 256)
    },
  }
}

/**
 * One measured window: `rate` reports per second for `seconds` (0: idle), plus `settleS` for the page
 * to apply and draw what arrived. The page should be quiet when it starts.
 */
export async function eventWindow(wall: WallSession, feed: ReturnType<typeof feeder>, chromium: ChromiumCpu, attribution: Attribution, o: { rate: number; seconds: number; offset: number; settleS?: number }): Promise<EventWindow> {
  const { cdp } = wall
  await wall.frameProbe(false)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 })
  const d0 = wall.deltasReceived()
  const b0 = await wall.busyMs()
  const c0 = await chromium.read()
  await cdp.send('Profiler.start')
  const t0 = performance.now()
  let reported = 0, failed = 0
  if (o.rate > 0) {
    const result = await feed.run(o.rate, o.seconds, o.offset)
    reported = result.ok
    failed = result.failed + result.dropped
  } else {
    await sleep(o.seconds * 1000)
  }
  await sleep((o.settleS ?? 2) * 1000)
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile }
  const c1 = await chromium.read()
  const b1 = await wall.busyMs()
  const wallMs = performance.now() - t0
  await cdp.send('Profiler.disable')
  await wall.frameProbe(true)
  return {
    rate: o.rate, reported, failed, deltas: wall.deltasReceived() - d0, wallMs,
    busyMs: b1.task - b0.task, scriptMs: b1.script - b0.script, cpu: cpuBetween(c0, c1), profile: summarise(attribution, profile),
  }
}

export interface PerDelta {
  /** CPU ms: the renderer's main thread, the whole renderer, the GPU process. */
  mainCpu: number; rendererCpu: number; gpuCpu: number
  /** Sampled ms on the main thread by origin (see `split`); `lists` is part of `apply`. */
  apply: number; lists: number; frames: number; vue: number; charts: number; gc: number
}

/**
 * Per delta, ms: the window's figure less the idle window's over as long, divided by the deltas —
 * except `apply` and `lists`, work that only events start (an idle wall does almost none), taken as
 * they are: while frames keep the main thread waiting for the GPU process, the idle window's timers
 * (clock, lists) run less often than when idle, and subtracting them would only add noise.
 */
export function perDelta(window: EventWindow, idle: EventWindow): PerDelta {
  const n = Math.max(1, window.deltas)
  const scale = window.wallMs / idle.wallMs
  const w = split(window.profile)
  const i = split(idle.profile)
  return {
    mainCpu: (window.cpu.rendererMainMs - idle.cpu.rendererMainMs * scale) / n,
    rendererCpu: (window.cpu.rendererMs - idle.cpu.rendererMs * scale) / n,
    gpuCpu: (window.cpu.gpuMs - idle.cpu.gpuMs * scale) / n,
    apply: w.apply / n,
    lists: w.lists / n,
    frames: (w.frames - i.frames * scale) / n,
    vue: (w.vue - i.vue * scale) / n,
    charts: (w.charts - i.charts * scale) / n,
    gc: (w.gc - i.gc * scale) / n,
  }
}
