/**
 * CPU time (not wall time) of Chromium's processes, from CDP SystemInfo.getProcessInfo, and of a
 * renderer's main thread from /proc (its tid is the process id). On a busy 2-core machine a task's
 * wall time includes time descheduled and time waiting for the GPU process; CPU time does not, so
 * per-event costs taken this way hold up better against whatever else runs.
 */
import { readFileSync } from 'node:fs'
import type { Browser, CDPSession } from 'playwright-core'

const TICK_MS = 10 // USER_HZ = 100

/** utime + stime of one thread, ms; NaN without /proc. */
function threadCpuMs(pid: number, tid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(after[11]) + Number(after[12])) * TICK_MS
  } catch {
    return Number.NaN
  }
}

export interface ChromiumCpu {
  /** Per process id: type and CPU ms so far; and for renderers, their main thread's CPU ms. */
  read(): Promise<Map<number, { type: string; cpuMs: number; mainMs: number }>>
}

export async function chromiumCpu(browser: Browser): Promise<ChromiumCpu> {
  const session: CDPSession = await browser.newBrowserCDPSession()
  return {
    async read() {
      const { processInfo } = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; id: number; cpuTime: number }> }
      return new Map(processInfo.map((p) => [p.id, { type: p.type, cpuMs: p.cpuTime * 1000, mainMs: p.type === 'renderer' ? threadCpuMs(p.id, p.id) : Number.NaN }]))
    },
  }
}

export interface CpuSpent {
  /** The busiest renderer over the window (the page's): its main thread, and all its threads. */
  rendererMainMs: number
  rendererMs: number
  /** The GPU process: with software WebGL, the rasterising of every frame. */
  gpuMs: number
}

/** What each kind of process spent between two readings. */
export function cpuBetween(before: Awaited<ReturnType<ChromiumCpu['read']>>, after: Awaited<ReturnType<ChromiumCpu['read']>>): CpuSpent {
  let renderer = { cpu: 0, main: 0 }
  let gpuMs = 0
  for (const [id, a] of after) {
    const b = before.get(id)
    if (!b) continue
    const cpu = a.cpuMs - b.cpuMs
    if (a.type === 'renderer' && cpu > renderer.cpu) renderer = { cpu, main: a.mainMs - b.mainMs }
    if (a.type === 'GPU') gpuMs += cpu
  }
  return { rendererMainMs: renderer.main, rendererMs: renderer.cpu, gpuMs }
}
