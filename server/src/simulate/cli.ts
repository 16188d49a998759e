/**
 * `npm run simulate -- [--url http://localhost:8080] [--rate 6] [--speed 1] [--seed 1] [--duration S]`
 *   streams simulated reports and staff work to a running Gezhi over HTTP until Ctrl-C.
 * `npm run simulate -- --backfill-days 7 [--backfill-per-day 60] [--seed 1]`
 *   writes history straight into this machine's database (DATA_DIR or DATABASE_URL, as `npm start`
 *   reads them) and exits; the server must be stopped meanwhile.
 */
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../config/config.ts'
import { openDb } from '../db/open.ts'
import { prepareDatabase } from '../db/prepare.ts'
import { DEMO_PASSWORD } from '../seed/demo-users.ts'
import { hasCity } from '../seed/has-city.ts'
import { backfill } from './backfill.ts'
import { describeStats as summary } from './port.ts'
import { startSimulator } from './simulator.ts'

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://localhost:8080' },
    rate: { type: 'string', default: '6' },
    speed: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    duration: { type: 'string' },
    password: { type: 'string', default: DEMO_PASSWORD },
    'no-adopt': { type: 'boolean', default: false },
    'backfill-days': { type: 'string', default: '0' },
    'backfill-per-day': { type: 'string', default: '60' },
  },
})

/** Refusals that need no stack trace. */
class RefusedError extends Error {}

const number = (name: string, text: string, ok: (v: number) => boolean, rule: string) => {
  const v = Number(text)
  if (!ok(v)) throw new ConfigError([`--${name} must be ${rule}; got "${text}"`])
  return v
}

try {
  const rate = number('rate', values.rate, (v) => v > 0 && v <= 6000, 'reports per minute in (0, 6000]')
  const speed = number('speed', values.speed, (v) => v > 0 && v <= 1000, 'a factor in (0, 1000]')
  const seed = number('seed', values.seed, (v) => Number.isInteger(v) && v >= 0, 'a non-negative integer')
  const days = number('backfill-days', values['backfill-days'], (v) => v >= 0 && v <= 366, 'a number of days in [0, 366]')
  const perDay = number('backfill-per-day', values['backfill-per-day'], (v) => v > 0 && v <= 100_000, 'a number in (0, 100000]')
  const duration = values.duration === undefined ? undefined : number('duration', values.duration, (v) => v > 0, 'seconds > 0')

  if (days > 0) {
    // History goes through the service layer with a simulated clock, so it needs the database
    // itself. PGlite is one process's, and a running server's deadline sweeps would stamp the
    // history's open cases overdue at today's time: the server must be stopped.
    const running = await fetch(new URL('/api/health', values.url), { signal: AbortSignal.timeout(2000) }).then(() => true, () => false)
    if (running) throw new RefusedError(`A server answers at ${values.url}: stop it before backfilling (the backfill writes into its database directly), then start it again.`)
    const config = loadConfig()
    const db = await openDb(config)
    try {
      await prepareDatabase(db)
      if (!(await hasCity(db))) throw new RefusedError('This database has no city yet: run `npm start` once (or `npm run seed`) first.')
      console.log(`backfilling ${days} days at ~${perDay} reports/day into ${config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`}…`)
      const result = await backfill({ db, days, perDay, seed, dataDir: config.dataDir, secret: config.secret, warnShare: config.warnShare })
      console.log(`backfilled ${result.from.toISOString()} → ${result.to.toISOString()} in ${(result.elapsedMs / 1000).toFixed(1)} s: ${summary(result.stats)}`)
    } finally {
      await db.close()
    }
    process.exit(0)
  }

  const simulator = startSimulator({ baseUrl: values.url, ratePerMin: rate, speed, seed, adminPassword: values.password, commanderPassword: values.password, adopt: !values['no-adopt'] })
  const every = setInterval(() => console.log(`simulator: ${summary(simulator.stats)}`), 60_000)
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    clearInterval(every)
    console.log('simulator: stopping, waiting for requests in flight…')
    await simulator.stop()
    console.log(`simulator: ${summary(simulator.stats)}`)
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  if (duration) setTimeout(stop, duration * 1000)
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof RefusedError ? error.message : error instanceof Error ? error.stack : error)
  process.exit(1)
}
