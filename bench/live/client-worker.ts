/**
 * A worker thread holding a share of the live benchmark's screens: raw Engine.IO clients
 * (engine.io-client over a WebSocket) that speak the few Socket.IO packets a screen needs by hand —
 * CONNECT with `{ token }`, `snapshot:get` with an ack, and the events. socket.io-client would
 * decode every packet into objects and dispatch it through two emitters; on a 2-core machine
 * that the clients share with the server, the client side must cost as little as possible.
 * Each delivery is stamped on arrival (monotonic ms from `process.hrtime`, the same clock in every
 * thread and process) and kept as (socket, seq, time, kind); the analysis runs here at the end,
 * against the table of what each seq should have reached.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { Socket as EioSocket } from 'engine.io-client'
import { Samples } from '../lib/stats.ts'
import { type ClientSpec, EXCLUDED, KIND, type WorkerAnalysis, type WorkerReply, type WorkerRequest, WALL } from './clients.ts'

const { sockets: specs, recordIndex } = workerData as { sockets: ClientSpec[]; recordIndex: number | null }
const nowMs = () => Number(process.hrtime.bigint()) / 1e6

/** Deliveries as parallel growable columns, so 2.4 million of them stay flat arrays. */
class Deliveries {
  private sock = new Int32Array(1 << 16)
  private seq = new Int32Array(1 << 16)
  private kind = new Uint8Array(1 << 16)
  readonly at = new Samples()
  length = 0
  push(sock: number, seq: number, kind: number, at: number) {
    if (this.length === this.sock.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T): T => { const b = new (a.constructor as new (n: number) => T)(a.length * 2); b.set(a); return b }
      this.sock = grow(this.sock)
      this.seq = grow(this.seq)
      this.kind = grow(this.kind)
    }
    this.sock[this.length] = sock
    this.seq[this.length] = seq
    this.kind[this.length] = kind
    this.at.push(at)
    this.length++
  }
  columns() { return { sock: this.sock, seq: this.seq, kind: this.kind, at: this.at.values() } }
}

const deliveries = new Deliveries()
const lastSeq = new Int32Array(specs.length).fill(-1)
const open: Array<EioSocket | null> = specs.map(() => null)
const recorded: string[] = []
let outOfOrder = 0
let figures = 0
let countFigures = false
let disconnected = 0
let lastDeltaAt = 0

/** `"seq":<digits>` after `from`, read without parsing the rest of the frame. */
function seqOf(frame: string, from: number): number {
  let i = frame.indexOf('"seq":', from) + 6
  let n = 0
  for (let c = frame.charCodeAt(i); c >= 48 && c <= 57; c = frame.charCodeAt(++i)) n = n * 10 + c - 48
  return n
}

/**
 * One Socket.IO packet, as the Engine.IO message carries it (its '4' already stripped):
 * '2["incident:created",{"seq":…}]' is an event, '3<id>[…]' an ack.
 */
function onFrame(local: number, frame: string) {
  if (frame.startsWith('2["incident:')) {
    const at = nowMs()
    const c = frame.charCodeAt(12)
    const kind = c === 99 ? KIND.created : c === 117 ? KIND.updated : KIND.overdue // c, u, o
    const seq = seqOf(frame, 19)
    if (seq < lastSeq[local]!) outOfOrder++
    lastSeq[local] = seq
    deliveries.push(local, seq, kind, at)
    lastDeltaAt = at
    if (local === recordIndex) recorded.push(frame)
  } else if (frame.startsWith('2["stats:updated"')) {
    if (countFigures) figures++
  }
}

/** Opens one screen: Engine.IO handshake, Socket.IO CONNECT with the token, then a snapshot. */
function connect(local: number): Promise<void> {
  const spec = specs[local]!
  return new Promise((resolve, reject) => {
    const eio = new EioSocket(spec.url, { transports: ['websocket'], upgrade: false, path: '/socket.io/' })
    let state: 'connecting' | 'snapshot' | 'ready' = 'connecting'
    const timer = setTimeout(() => { eio.close(); reject(new Error('no CONNECT answer within 30 s')) }, 30_000)
    eio.on('open', () => eio.send(`0${JSON.stringify({ token: spec.token })}`)) // CONNECT to '/' with auth
    eio.on('message', (data) => {
      if (typeof data !== 'string') return
      if (state === 'ready') return onFrame(local, data)
      if (state === 'connecting' && data.startsWith('0')) {
        state = 'snapshot'
        eio.send('20["snapshot:get",{}]') // an EVENT with ack id 0
      } else if (state === 'connecting' && data.startsWith('4')) {
        clearTimeout(timer)
        reject(new Error(`CONNECT refused: ${data.slice(1, 200)}`))
      } else if (state === 'snapshot' && data.startsWith('30')) {
        clearTimeout(timer)
        if (!data.includes('"ok":true')) return reject(new Error(`snapshot:get failed: ${data.slice(2, 200)}`))
        state = 'ready'
        open[local] = eio
        resolve()
      } else {
        onFrame(local, data)
      }
    })
    eio.on('close', (reason) => {
      if (state === 'ready') { disconnected++; open[local] = null }
      else { clearTimeout(timer); reject(new Error(`closed while connecting: ${reason}`)) }
    })
  })
}

async function connectAll(which: 'wall' | 'leader', concurrency: number) {
  const todo = specs.map((s, i) => ({ s, i })).filter(({ s }) => (which === 'wall') === (s.cell === WALL)).map(({ i }) => i)
  let next = 0, connected = 0
  const errors: string[] = []
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < todo.length) {
      const local = todo[next++]!
      try { await connect(local); connected++ } catch (error) { errors.push((error as Error).message) }
    }
  }))
  return { connected, failed: errors.length, errors: errors.slice(0, 3) }
}

/**
 * Compares what arrived with what should have: seq `s` (index s − minSeq in the tables) should
 * reach every wall and every leader of `cell[s]`, exactly once. Deliveries of seqs outside the
 * table, or marked EXCLUDED (warm-up), are counted apart and not judged.
 */
function analyse(minSeq: number, acceptMs: Float64Array, cell: Int32Array): WorkerAnalysis {
  const { sock, seq, kind, at } = deliveries.columns()
  const S = specs.length
  const walls = specs.filter((s) => s.cell === WALL).length
  const leaders = new Map<number, number>()
  for (const s of specs) if (s.cell !== WALL) leaders.set(s.cell, (leaders.get(s.cell) ?? 0) + 1)

  const latencies = new Samples()
  const keys = new Samples()
  const byKind = [0, 0, 0]
  let unexpected = 0, outside = 0
  for (let r = 0; r < deliveries.length; r++) {
    const s = seq[r]! - minSeq
    if (s < 0 || s >= cell.length || cell[s] === EXCLUDED) { outside++; continue }
    byKind[kind[r]!]!++
    const mine = specs[sock[r]!]!.cell
    if (mine !== WALL && mine !== cell[s]) unexpected++
    keys.push(s * S + sock[r]!)
    const accepted = acceptMs[s]!
    if (Number.isFinite(accepted)) latencies.push(at[r]! - accepted)
  }
  const sorted = keys.values().slice().sort()
  const got = new Int32Array(cell.length)
  let duplicates = 0
  for (let k = 0; k < sorted.length;) {
    let end = k + 1
    while (end < sorted.length && sorted[end] === sorted[k]) end++
    duplicates += end - k - 1
    const s = Math.floor(sorted[k]! / S)
    const mine = specs[sorted[k]! - s * S]!.cell
    if (mine === WALL || mine === cell[s]) got[s]!++
    k = end
  }
  let expected = 0, lost = 0
  for (let s = 0; s < cell.length; s++) {
    if (cell[s] === EXCLUDED) continue
    const want = walls + (leaders.get(cell[s]!) ?? 0)
    expected += want
    lost += want - got[s]!
  }
  const values = latencies.values()
  return {
    created: byKind[KIND.created]!, updated: byKind[KIND.updated]!, overdue: byKind[KIND.overdue]!,
    expected, lost, duplicates, unexpected, outside, outOfOrder, figures, disconnected,
    latencies: values.slice(), lastDeltaAt,
  }
}

function answer(request: WorkerRequest): WorkerReply | WorkerAnalysis | Promise<WorkerReply> {
  switch (request.cmd) {
    case 'connect': return connectAll(request.which, request.concurrency)
    case 'progress': return { deltas: deliveries.length, lastDeltaAt, disconnected }
    case 'figures': countFigures = request.on; return { figures }
    case 'recorded': return { frames: recorded.splice(0) }
    case 'analyse': return analyse(request.minSeq, request.acceptMs, request.cell)
    case 'close':
      for (const eio of open) eio?.close()
      return {}
  }
}

parentPort!.on('message', async (request: WorkerRequest & { id: number }) => {
  const reply = await answer(request)
  const transfer = 'latencies' in reply ? [(reply as WorkerAnalysis).latencies.buffer as ArrayBuffer] : []
  parentPort!.postMessage({ ...reply, id: request.id }, transfer)
})
