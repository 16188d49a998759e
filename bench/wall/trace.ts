/**
 * Long-task attribution from a Chromium performance trace (what the DevTools Performance panel
 * records): the renderer main thread's top-level tasks over 50 ms, each with the trace events
 * directly under it (FireAnimationFrame = a frame's rendering, TimerFire, FunctionCall,
 * EvaluateScript, v8.compile, ParseHTML, GC …) and the V8 samples inside it by area (profile.ts).
 * Traced runs are separate from timed runs: tracing slows the page down.
 */
import type { Browser, Page } from 'playwright-core'
import { type Attribution, type CpuProfile, type ProfileNode, summarise } from './profile.ts'

export const TRACE_CATEGORIES = [
  'devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', 'v8', 'blink.user_timing', 'loading',
  'disabled-by-default-v8.cpu_profiler',
]

interface TraceEvent {
  name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; id?: string | number
  args?: { name?: string; data?: Record<string, unknown> & { url?: string; functionName?: string; startTime?: number; cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] } }
}

export async function startTrace(browser: Browser, page: Page): Promise<void> {
  await browser.startTracing(page, { categories: TRACE_CATEGORIES, screenshots: false })
}

export interface LongTask {
  /** ms since the trace's first main-thread event. */
  atMs: number
  durationMs: number
  /**
   * Time of the task in "Commit": the main thread blocked while the compositor takes its frame, which
   * waits for the GPU process (here SwiftShader, software) to finish earlier frames.
   */
  commitMs: number
  /** The biggest events directly under the task, e.g. "FireAnimationFrame 182 ms". */
  what: string
  /** The biggest areas of the samples inside the task. */
  areas: Array<[string, number]>
  /** Heaviest client or geo source positions inside the task (own time), ms. */
  client: Array<[string, number]>
}

const isTask = (e: TraceEvent) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask')
const TOP_LEVEL_NAMES = new Set(['RunTask', 'ThreadControllerImpl::RunTask', 'RunMicrotasks'])

/** The wall page's main thread: the CrRendererMain with the most task time. */
function mainThread(events: TraceEvent[]): { pid: number; tid: number } {
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`)
  const busy = new Map<string, number>(mains.map((k) => [k, 0]))
  for (const e of events) if (isTask(e)) { const k = `${e.pid}:${e.tid}`; if (busy.has(k)) busy.set(k, busy.get(k)! + (e.dur ?? 0)) }
  const [best] = [...busy].sort((a, b) => b[1] - a[1])
  if (!best) throw new Error('no renderer main thread in the trace')
  const [pid, tid] = best[0].split(':').map(Number) as [number, number]
  return { pid, tid }
}

/** The main thread's V8 sampling profile, stitched from its ProfileChunk events. */
function mainProfile(events: TraceEvent[], main: { pid: number; tid: number }): CpuProfile | null {
  const profiles = new Map<string, { tid: number; startTime: number; nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }>()
  for (const e of events) {
    if (e.pid !== main.pid || e.id === undefined) continue
    const key = String(e.id)
    if (e.name === 'Profile') profiles.set(key, { tid: e.tid, startTime: e.args?.data?.startTime ?? e.ts, nodes: [], samples: [], timeDeltas: [] })
    else if (e.name === 'ProfileChunk') {
      const p = profiles.get(key)
      const data = e.args?.data
      if (!p || !data) continue
      p.nodes.push(...(data.cpuProfile?.nodes ?? []))
      p.samples.push(...(data.cpuProfile?.samples ?? []))
      p.timeDeltas.push(...(data.timeDeltas ?? []))
    }
  }
  const candidates = [...profiles.values()].sort((a, b) => Number(b.tid === main.tid) - Number(a.tid === main.tid) || b.samples.length - a.samples.length)
  const p = candidates[0]
  return p ? { nodes: p.nodes, samples: p.samples, timeDeltas: p.timeDeltas, startTime: p.startTime, endTime: 0 } : null
}

const label = (e: TraceEvent) => {
  const url = e.args?.data?.url
  const fn = e.args?.data?.functionName
  const file = typeof url === 'string' && url ? url.split('/').pop()!.replace(/-[\w-]{8}\.js$/, '.js') : ''
  return [e.name, fn || file ? `(${[fn, file].filter(Boolean).join(' ')})` : ''].join('')
}

/** Long tasks (≥ `minMs`) of the main thread in a trace, attributed. */
export function longTasks(trace: Buffer, attribution: Attribution, minMs = 50): LongTask[] {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents
  const main = mainThread(events)
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!)
  const origin = onMain[0]?.ts ?? 0
  const profile = mainProfile(events, main)
  const tasks: TraceEvent[] = []
  let end = -Infinity
  for (const e of onMain) {
    if (!isTask(e) || e.ts < end) continue
    end = e.ts + e.dur!
    if (e.dur! >= minMs * 1000) tasks.push(e)
  }
  return tasks.map((task) => {
    const taskEnd = task.ts + task.dur!
    // Direct children: inner events not inside an earlier inner event.
    const children: TraceEvent[] = []
    let childEnd = -Infinity
    for (const e of onMain) {
      if (e.ts < task.ts || e.ts + e.dur! > taskEnd || e === task || TOP_LEVEL_NAMES.has(e.name)) continue
      if (e.ts >= childEnd) { children.push(e); childEnd = e.ts + e.dur! }
    }
    const byLabel = new Map<string, number>()
    for (const c of children) byLabel.set(label(c), (byLabel.get(label(c)) ?? 0) + c.dur! / 1000)
    const what = [...byLabel].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([l, ms]) => `${l} ${Math.round(ms)} ms`).join(', ')
    const summary = profile ? summarise(attribution, profile, task.ts, taskEnd) : null
    return {
      atMs: (task.ts - origin) / 1000,
      durationMs: task.dur! / 1000,
      commitMs: children.filter((c) => c.name === 'Commit').reduce((sum, c) => sum + c.dur! / 1000, 0),
      what: what || '(no trace events inside)',
      areas: summary ? [...summary.areas].sort((a, b) => b[1] - a[1]).slice(0, 4) : [],
      client: summary?.topClient.slice(0, 3) ?? [],
    }
  })
}
