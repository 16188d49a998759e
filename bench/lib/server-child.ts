/**
 * The Gezhi HTTP server as the benchmarks run it: a child process (its own event loop and CPU
 * account), `buildApp` with logging off, on an ephemeral port of 127.0.0.1. The parent passes the
 * city in BENCH_CITY (JSON: `{ dump }` for PGlite, `{ url }` for PostgreSQL), optional config settings
 * in BENCH_SERVER_SETTINGS (JSON: `clientDir`, `deadlineSweepMs`), and talks over IPC:
 * the child sends `{ port }` once listening, answers `'cpu'` with its `process.cpuUsage()`, and
 * `{ exec: sql }` with `{ executed: null }` (or the error's message) after running `sql` on its
 * database: the only way into a PGlite database, which lives in this process.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { buildApp } from '../../server/src/app.ts'
import { openPglite } from '../../server/src/db/pglite.ts'
import { openPostgres } from '../../server/src/db/postgres.ts'

const source = JSON.parse(process.env.BENCH_CITY ?? '{}') as { dump?: string; url?: string }
const db = source.url
  ? openPostgres({ connectionString: source.url })
  : await openPglite({ loadDataDir: new Blob([readFileSync(source.dump!)]) })
const settings = JSON.parse(process.env.BENCH_SERVER_SETTINGS ?? '{}') as { clientDir?: string; deadlineSweepMs?: number }
const app = await buildApp({
  config: { clientDir: '/nonexistent', logLevel: 'silent', dataDir: mkdtempSync(path.join(tmpdir(), 'gezhi-bench-')), ...settings },
  db, closeDbWithApp: true, logger: false,
})
await app.listen({ host: '127.0.0.1', port: 0 })
const address = app.server.address()
process.send!({ port: typeof address === 'object' && address ? address.port : 0 })

process.on('message', (message) => {
  if (message === 'cpu') process.send!({ cpu: process.cpuUsage() })
  else if (typeof message === 'object' && message !== null && 'exec' in message) {
    db.exec(String(message.exec)).then(() => process.send!({ executed: null }), (error: Error) => process.send!({ executed: error.message }))
  }
})
process.on('disconnect', () => { void app.close().finally(() => process.exit(0)) })
