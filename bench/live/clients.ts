/**
 * The screens of the live benchmark, spread over worker threads of the benchmark process (their
 * own event loops; the report generator runs on the main thread). See client-worker.ts.
 */
import { Worker } from 'node:worker_threads'

/** A screen: where it connects, its token, and the level-3 grid whose room it joins (WALL: room `all`). */
export interface ClientSpec { url: string; token: string; cell: number }

export const WALL = -1
/** A seq the analysis must not judge (warm-up cases). */
export const EXCLUDED = -2
export const KIND = { created: 0, updated: 1, overdue: 2 } as const

export type WorkerRequest =
  | { cmd: 'connect'; which: 'wall' | 'leader'; concurrency: number }
  | { cmd: 'progress' }
  | { cmd: 'figures'; on: boolean }
  | { cmd: 'recorded' }
  | { cmd: 'analyse'; minSeq: number; acceptMs: Float64Array; cell: Int32Array }
  | { cmd: 'close' }

export interface WorkerAnalysis {
  created: number
  updated: number
  overdue: number
  /** (seq, screen) pairs that should have arrived. */
  expected: number
  lost: number
  duplicates: number
  /** Deliveries to a screen outside the seq's rooms. */
  unexpected: number
  /** Deliveries of seqs not judged (warm-up, or not in the table). */
  outside: number
  /** Deliveries with a smaller seq than the one before on the same screen. */
  outOfOrder: number
  /** stats:updated deliveries while counting was on. */
  figures: number
  disconnected: number
  /** Receive time − accept time of every judged delivery whose case has an accept time, ms. */
  latencies: Float64Array
  lastDeltaAt: number
}

export type WorkerReply = Record<string, unknown>

export interface ClientPool {
  connect(which: 'wall' | 'leader', concurrency?: number): Promise<{ connected: number; failed: number; errors: string[] }>
  progress(): Promise<{ deltas: number; lastDeltaAt: number; disconnected: number }>
  countFigures(on: boolean): Promise<void>
  /** The raw frames of the recording screen (the first wall), in arrival order. */
  recorded(): Promise<string[]>
  analyse(minSeq: number, acceptMs: Float64Array, cell: Int32Array): Promise<WorkerAnalysis[]>
  close(): Promise<void>
}

/**
 * Node 20 loads a worker's entry module before `--import tsx` has registered its hooks in that
 * thread, so the TypeScript entry is imported through tsx's API from a plain-JS bootstrap.
 */
const BOOT = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(new URL('./client-worker.ts', import.meta.url).href)}, ${JSON.stringify(import.meta.url)}))`

/** Starts `workers` threads and deals the screens out round-robin; screen 0 records its frames. */
export function clientPool(specs: ClientSpec[], workers: number): ClientPool {
  const threads = Array.from({ length: workers }, (_, w) => {
    const mine = specs.filter((_, i) => i % workers === w)
    return new Worker(BOOT, { eval: true, workerData: { sockets: mine, recordIndex: w === 0 ? 0 : null } })
  })
  let nextId = 1
  const ask = <T>(thread: Worker, request: WorkerRequest): Promise<T> => new Promise((resolve, reject) => {
    const id = nextId++
    const onMessage = (reply: { id: number }) => {
      if (reply.id !== id) return
      thread.off('message', onMessage)
      thread.off('error', reject)
      resolve(reply as T)
    }
    thread.on('message', onMessage)
    thread.once('error', reject)
    thread.postMessage({ ...request, id })
  })
  const all = <T>(request: WorkerRequest) => Promise.all(threads.map((t) => ask<T>(t, request)))

  return {
    async connect(which, concurrency = 32) {
      const replies = await all<{ connected: number; failed: number; errors: string[] }>({ cmd: 'connect', which, concurrency })
      return { connected: sum(replies, 'connected'), failed: sum(replies, 'failed'), errors: replies.flatMap((r) => r.errors) }
    },
    async progress() {
      const replies = await all<{ deltas: number; lastDeltaAt: number; disconnected: number }>({ cmd: 'progress' })
      return { deltas: sum(replies, 'deltas'), lastDeltaAt: Math.max(...replies.map((r) => r.lastDeltaAt)), disconnected: sum(replies, 'disconnected') }
    },
    async countFigures(on) { await all({ cmd: 'figures', on }) },
    async recorded() { return (await ask<{ frames: string[] }>(threads[0]!, { cmd: 'recorded' })).frames },
    analyse: (minSeq, acceptMs, cell) => all<WorkerAnalysis>({ cmd: 'analyse', minSeq, acceptMs, cell }),
    async close() {
      await all({ cmd: 'close' })
      await Promise.all(threads.map((t) => t.terminate()))
    },
  }
}

const sum = <T, K extends keyof T>(rows: T[], key: K) => rows.reduce((a, r) => a + (r[key] as number), 0)
