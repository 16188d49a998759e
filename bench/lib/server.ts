import { fork } from 'node:child_process'
import path from 'node:path'
import type { Target } from './load.ts'

export interface BenchServer {
  target: Target
  /** The server process's own CPU usage so far. */
  cpu(): Promise<ReturnType<typeof process.cpuUsage>>
  /** Runs `sql` (statements without parameters) on the server's own database, e.g. to reset it between cases. */
  exec(sql: string): Promise<void>
  /** The PostgreSQL backends the server's database uses, when it uses PostgreSQL. */
  postgresPids?: () => Promise<number[]>
  close(): Promise<void>
}

/**
 * Settings of `buildApp`'s config that a benchmark may change: `clientDir` to serve a built client
 * (default: none), `deadlineSweepMs` to run the deadline scheduler (default: off).
 */
export interface ServerSettings { clientDir?: string; deadlineSweepMs?: number }

/** Starts bench/lib/server-child.ts on `city` (a PGlite dump or a PostgreSQL URL) and waits until it listens. */
export function startServer(city: { dump: string } | { url: string }, postgresPids?: () => Promise<number[]>, settings: ServerSettings = {}): Promise<BenchServer> {
  const child = fork(path.join(import.meta.dirname, 'server-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_CITY: JSON.stringify(city), BENCH_SERVER_SETTINGS: JSON.stringify(settings) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const reply = <T>(key: string): Promise<T> => new Promise((resolve, reject) => {
    const onMessage = (message: Record<string, unknown>) => {
      if (key in message) { child.off('message', onMessage); child.off('exit', onExit); resolve(message[key] as T) }
    }
    const onExit = (code: number | null) => reject(new Error(`the bench server exited (code ${code})`))
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
  return reply<number>('port').then((port) => ({
    target: { host: '127.0.0.1', port },
    postgresPids,
    cpu: () => { const answer = reply<ReturnType<typeof process.cpuUsage>>('cpu'); child.send('cpu'); return answer },
    exec: async (sql: string) => {
      const answer = reply<string | null>('executed')
      child.send({ exec: sql })
      const error = await answer
      if (error !== null) throw new Error(`the bench server could not run the SQL: ${error}`)
    },
    close: () => new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.disconnect() }),
  }))
}
