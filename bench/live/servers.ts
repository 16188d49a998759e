/**
 * The processes the live benchmark measures: the real Gezhi server (`server/src/server.ts`, as
 * deployed), the bare Socket.IO server of the baseline (`bare-server.ts`), and a private Redis.
 * Every Node server is started with `probe.ts` preloaded, so CPU, heap and event-loop delay come
 * from inside it, and answers over IPC.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ROOT } from '../lib/cities.ts'
import type { ProbeStats } from './probe.ts'
import type { CpuProfile } from './profile.ts'

const PROBE = path.join(import.meta.dirname, 'probe.ts')
const NODE_ARGS = ['--expose-gc', '--import', 'tsx', '--import', PROBE]

export interface ProbedServer {
  name: string
  url: string
  pid: number
  stats(): Promise<ProbeStats>
  /** Heap and RSS after two full collections. */
  gc(): Promise<{ heapUsed: number; rss: number }>
  /** Starts a CPU profile of the server's main thread; stop() returns it. */
  profile(): Promise<{ stop(): Promise<CpuProfile> }>
  /** A command to the process itself (the bare server's script and emit); resolves with its reply. */
  ask<T>(message: Record<string, unknown>): Promise<T>
  close(): Promise<void>
}

let nextId = 1

/** Every process started here, so that none outlives the benchmark, whatever way it ends. */
const children = new Set<ChildProcess>()
process.on('exit', () => { for (const child of children) child.kill('SIGKILL') })
function track(child: ChildProcess): ChildProcess {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

function probed(name: string, child: ChildProcess, url: string, cleanup: () => void): ProbedServer {
  const call = <T>(message: Record<string, unknown>, replyKey: string): Promise<T> => new Promise((resolve, reject) => {
    const id = nextId++
    const onMessage = (reply: Record<string, unknown>) => {
      if (reply[replyKey] !== id) return
      child.off('message', onMessage)
      child.off('exit', onExit)
      resolve(reply as T)
    }
    const onExit = (code: number | null) => reject(new Error(`${name} exited (code ${code}) before answering ${JSON.stringify(message)}`))
    child.on('message', onMessage)
    child.once('exit', onExit)
    child.send({ ...message, id })
  })
  return {
    name, url, pid: child.pid!,
    stats: () => call<{ stats: ProbeStats }>({ probe: 'stats' }, 'probeReply').then((r) => r.stats),
    gc: () => call<{ heapUsed: number; rss: number }>({ probe: 'gc' }, 'probeReply'),
    profile: async () => {
      await call({ probe: 'profile-start' }, 'probeReply')
      return { stop: () => call<{ profile: CpuProfile }>({ probe: 'profile-stop' }, 'probeReply').then((r) => r.profile) }
    },
    ask: (message) => call(message, 'reply'),
    close: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000)
      child.once('exit', () => { clearTimeout(force); cleanup(); resolve() })
      child.kill('SIGTERM')
    }),
  }
}

/** Starts `script` with the probe, and waits until its output says where it listens. */
function startNode(name: string, args: string[], env: NodeJS.ProcessEnv, listening: RegExp, cleanup = () => {}): Promise<ProbedServer> {
  const child = track(spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }))
  return new Promise((resolve, reject) => {
    let out = ''
    let started = false
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${name} did not start within 60 s:\n${out}`)) }, 60_000)
    const onData = (chunk: Buffer) => {
      if (started) {
        process.stderr.write(`[${name}] ${chunk.toString()}`) // warnings and errors while measuring
        return
      }
      out += chunk.toString()
      const match = out.match(listening)
      if (match) {
        started = true
        clearTimeout(timer)
        resolve(probed(name, child, `http://127.0.0.1:${match[1]}`, cleanup))
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => { if (!started) { clearTimeout(timer); reject(new Error(`${name} exited with ${code}:\n${out}`)) } })
  })
}

/** The real server exactly as deployed: `node server/src/server.ts`, configured by its environment. */
export function startRealServer(name: string, databaseUrl: string, redisUrl?: string): Promise<ProbedServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gezhi-bench-live-'))
  return startNode(name, [path.join(ROOT, 'server/src/server.ts')], {
    DATABASE_URL: databaseUrl, REDIS_URL: redisUrl ?? '', PORT: '0', HOST: '127.0.0.1',
    SEED_ON_START: 'false', SIMULATE: 'false', DEADLINE_SWEEP_MS: '0', LOG_LEVEL: 'warn',
    CLIENT_DIR: '/nonexistent', DATA_DIR: dataDir,
  }, /is running: http:\/\/localhost:(\d+)\//, () => rmSync(dataDir, { recursive: true, force: true }))
}

/**
 * The baseline: Socket.IO alone on a bare HTTP server, no database, no API. With `discardRequest`,
 * it drops each connection's handshake request (a variant for the memory figure only).
 */
export function startBareServer(name: string, redisUrl?: string, discardRequest = false): Promise<ProbedServer> {
  return startNode(name, [path.join(import.meta.dirname, 'bare-server.ts')], { REDIS_URL: redisUrl ?? '', BARE_DISCARD_REQUEST: discardRequest ? '1' : '' }, /bare socket\.io listening on (\d+)/)
}

/**
 * A Redis of our own on a free port. Redis pub/sub channels are shared by every database number,
 * so two Socket.IO adapters on the same Redis with the default key hear each other: a test suite
 * running its multi-server test on the shared Redis at the same time would inject its broadcasts
 * into this benchmark's rooms (and the other way round).
 */
export async function startPrivateRedis(): Promise<{ url: string; pid: number; close(): Promise<void> }> {
  const port = await freePort()
  const child = track(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] }))
  await new Promise<void>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (/Ready to accept connections/.test(out)) resolve()
    })
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)))
  })
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid!,
    close: () => new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM') }),
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo
      server.close(() => resolve(address.port))
    })
  })
}
