/**
 * Time for simulated people. The live stream sleeps on real timers; the backfill runs on a
 * virtual clock that jumps from one due action to the next, one action at a time, so history is
 * written in time order and stamped with simulated times.
 */
export interface Clock {
  now(): number
  /** Resolves true after `ms`, or false at once when the clock is stopped: the caller then gives up. */
  sleep(ms: number): Promise<boolean>
  /** Starts `task` alongside the others. */
  spawn(task: () => Promise<void>): void
  readonly stopped: boolean
}

export interface LiveClock extends Clock {
  /** Wakes every sleeper with false and waits for every task to finish its current request. */
  stop(): Promise<void>
  readonly running: number
}

export function liveClock(onTaskError: (error: unknown) => void): LiveClock {
  let stopped = false
  const sleepers = new Set<() => void>()
  const tasks = new Set<Promise<void>>()
  return {
    now: () => Date.now(),
    get stopped() { return stopped },
    get running() { return tasks.size },
    sleep(ms) {
      if (stopped) return Promise.resolve(false)
      return new Promise((resolve) => {
        const wake = () => { clearTimeout(timer); sleepers.delete(wake); resolve(false) }
        const timer = setTimeout(() => { sleepers.delete(wake); resolve(true) }, Math.min(Math.max(0, ms), 2 ** 31 - 1))
        sleepers.add(wake)
      })
    },
    spawn(task) {
      if (stopped) return
      const p: Promise<void> = task().catch(onTaskError).finally(() => tasks.delete(p))
      tasks.add(p)
    },
    async stop() {
      stopped = true
      for (const wake of [...sleepers]) wake()
      while (tasks.size) await Promise.allSettled([...tasks])
    },
  }
}

interface Due { at: number; seq: number; fire: (go: boolean) => void }

export interface VirtualClock extends Clock {
  /** Runs every action due up to `until` (ms), strictly one after another; then ends what is left. */
  run(until: number): Promise<void>
}

export function virtualClock(start: number, onTaskError: (error: unknown) => void): VirtualClock {
  let now = start
  let seq = 0
  let stopped = false
  let parked: (() => void) | null = null
  const heap: Due[] = []
  const park = () => { const p = parked; parked = null; p?.() }
  const push = (due: Due) => { heap.push(due); up(heap, heap.length - 1) }
  const turn = (due: Due, go: boolean) => new Promise<void>((resolve) => { parked = resolve; due.fire(go) })

  return {
    now: () => now,
    get stopped() { return stopped },
    sleep(ms) {
      if (stopped) return Promise.resolve(false)
      return new Promise((resolve) => {
        push({ at: now + Math.max(0, ms), seq: seq++, fire: resolve })
        park() // this task waits now: hand the turn back to run()
      })
    },
    spawn(task) {
      if (stopped) return
      push({ at: now, seq: seq++, fire: (go) => { if (go) task().catch(onTaskError).finally(park); else park() } })
    },
    async run(until) {
      while (heap.length && heap[0]!.at <= until) {
        const due = pop(heap)
        now = due.at
        await turn(due, true)
      }
      stopped = true
      now = Math.max(now, until)
      while (heap.length) await turn(pop(heap), false)
    },
  }
}

const before = (a: Due, b: Due) => a.at < b.at || (a.at === b.at && a.seq < b.seq)
function up(h: Due[], i: number) {
  while (i > 0) {
    const p = (i - 1) >> 1
    if (!before(h[i]!, h[p]!)) break
    ;[h[i], h[p]] = [h[p]!, h[i]!]
    i = p
  }
}
function pop(h: Due[]): Due {
  const top = h[0]!
  const last = h.pop()!
  if (h.length) {
    h[0] = last
    let i = 0
    for (;;) {
      const l = 2 * i + 1, r = l + 1
      let m = i
      if (l < h.length && before(h[l]!, h[m]!)) m = l
      if (r < h.length && before(h[r]!, h[m]!)) m = r
      if (m === i) break
      ;[h[i], h[m]] = [h[m]!, h[i]!]
      i = m
    }
  }
  return top
}
