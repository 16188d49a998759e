/**
 * The baseline of the live benchmark: bare Socket.IO server(s) (bare-server.ts) replaying the
 * deltas recorded in the real run, to the same rooms, at the same rate; and the idle-memory variant.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { type ClientPool, clientPool, EXCLUDED } from './clients.ts'
import { connectScreens, type Context, drain, type Measured, screens, type Script, summaryLine, verdict, window } from './measure.ts'
import { type ProbedServer, startBareServer } from './servers.ts'

/** Hands cases to the bare server through a file; `seqOffset` renumbers them (warm-up cases stay out of the judged range). */
async function loadScript(server: ProbedServer, cases: Script['cases'], seqOffset: number): Promise<void> {
  const file = path.join(tmpdir(), `gezhi-bench-live-${process.pid}-${seqOffset}.json`)
  writeFileSync(file, JSON.stringify(seqOffset ? cases.map((c) => c.map(([e, d]) => [e, { ...d, seq: d.seq + seqOffset }])) : cases))
  try {
    await server.ask({ cmd: 'script', file })
  } finally {
    rmSync(file, { force: true })
  }
}

/**
 * The baseline: the same deltas to the same rooms from bare Socket.IO server(s), at the rate the
 * real run achieved (`real.cases` over its seconds: the API may accept fewer than it was offered),
 * so both stream the same cases over the same time.
 */
export async function measureBare(ctx: Context, count: number, script: Script, real: Measured, redis?: { url: string; pid: number }): Promise<Measured> {
  const { city, s, log } = ctx
  const label = count === 1 ? 'bare Socket.IO, 1 server' : `bare Socket.IO, ${count} servers + Redis`
  const cases = script.cases.slice(0, real.cases)
  if (!cases.length) throw new Error('the real run recorded no deltas to replay')
  const rate = cases.length / s.seconds
  log(`\n▸ ${label}`)
  const servers: ProbedServer[] = []
  let pool: ClientPool | null = null
  try {
    for (let k = 0; k < count; k++) servers.push(await startBareServer(`bare ${'AB'[k]}`, redis?.url))
    const [publisher] = servers as [ProbedServer]
    pool = clientPool(screens(city, s, servers.map((x) => x.url)), s.workers)
    const memory = await connectScreens(pool, servers)
    log(`  ${memory.connected} screens connected; warming up ${s.warmS} s…`)
    await loadScript(publisher, cases.slice(0, Math.round(rate * s.warmS)), 1e9)
    await publisher.ask({ cmd: 'emit', rate })
    await drain(pool)

    await loadScript(publisher, cases, 0)
    const stop = await window(servers, undefined, redis?.pid)
    await pool.countFigures(true)
    log(`  broadcasting ${cases.length} cases at ${rate.toFixed(0)}/s (the rate "${real.label}" achieved)…`)
    const { emittedAt } = await publisher.ask<{ emittedAt: number[] }>({ cmd: 'emit', rate })
    await drain(pool)
    const spent = await stop()
    await pool.countFigures(false)

    const { minSeq, cell, acceptMs } = expectations(cases, script.cellOfSeq, emittedAt)
    const v = verdict(await pool.analyse(minSeq, acceptMs, cell), emittedAt[0]!)
    const m: Measured = {
      label, kind: 'bare', servers: count, screens: memory.connected, cases: cases.length, rate, ...v, ...spent,
      heapPerSocket: memory.heapPerSocket, rssPerSocket: memory.rssPerSocket,
    }
    log(summaryLine(m))
    return m
  } finally {
    await pool?.close()
    await Promise.all(servers.map((x) => x.close()))
  }
}

/** Every scripted seq should reach the walls and the leaders of its grid; its "accept" time is when its case was emitted. */
function expectations(cases: Script['cases'], cellOfSeq: Map<number, number>, emittedAt: number[]) {
  const seqs = cases.flatMap((c) => c.map(([, d]) => d.seq))
  const minSeq = Math.min(...seqs)
  const n = Math.max(...seqs) - minSeq + 1
  const cell = new Int32Array(n).fill(EXCLUDED)
  const acceptMs = new Float64Array(n).fill(Number.NaN)
  cases.forEach((deltas, k) => {
    for (const [, d] of deltas) {
      cell[d.seq - minSeq] = cellOfSeq.get(d.seq) ?? 0
      acceptMs[d.seq - minSeq] = emittedAt[k]!
    }
  })
  return { minSeq, cell, acceptMs }
}

/** Heap per idle socket on a bare server that drops each connection's handshake request (Socket.IO's memory advice). */
export async function measureBareLeanMemory(ctx: Context): Promise<{ heapPerSocket: number; rssPerSocket: number }> {
  ctx.log('\n▸ bare Socket.IO, handshake request discarded (idle memory only)')
  const server = await startBareServer('bare lean', undefined, true)
  const pool = clientPool(screens(ctx.city, ctx.s, [server.url]), ctx.s.workers)
  try {
    const memory = await connectScreens(pool, [server])
    ctx.log(`  ${memory.connected} screens: ${(memory.heapPerSocket / 1024).toFixed(1)} KB heap per idle socket`)
    return memory
  } finally {
    await pool.close()
    await server.close()
  }
}

