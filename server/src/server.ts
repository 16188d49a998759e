/**
 * Starts Gezhi: reads the configuration, opens the database (embedded PGlite in DATA_DIR, or
 * PostgreSQL at DATABASE_URL), applies migrations, seeds the demo city on the first start, and
 * serves API, docs and client on one port. Stops gracefully on SIGINT/SIGTERM.
 */
import { buildApp } from './app.ts'
import { ConfigError, loadConfig } from './config/config.ts'
import { prepareDatabase } from './db/prepare.ts'
import { openDb } from './db/open.ts'
import { hasCity } from './seed/has-city.ts'
import { seedCity } from './seed/seed-city.ts'
import { backfill } from './simulate/backfill.ts'
import { describeStats } from './simulate/port.ts'
import { type Simulator, startSimulator } from './simulate/simulator.ts'

async function main() {
  const config = loadConfig()
  const where = config.databaseUrl ? `PostgreSQL at ${new URL(config.databaseUrl).host}` : `embedded PGlite in ${config.dataDir}`
  console.log(`格治 Gezhi: opening ${where}`)
  const db = await openDb(config)
  const applied = await prepareDatabase(db)
  if (applied.length) console.log(`applied migrations: ${applied.join(', ')}`)

  let seededNow = false
  if (config.seedOnStart && !(await hasCity(db))) {
    console.log(`first start: seeding the demo city (seed ${config.demoSeed}); this takes about half a minute…`)
    let last = ''
    const counts = await seedCity(db, {
      seed: config.demoSeed, scale: 1, households: true,
      onProgress: (step) => { if (step !== last) console.log(`  · ${(last = step)}`) },
    })
    console.log(`seeded: ${counts.streets} streets, ${counts.communities} communities, ${counts.grid_cells} grids, ${counts.micro_grids} micro-grids, ${counts.households} households`)
    seededNow = true
  }
  // History for a lived-in demo, before the app's deadline scheduler starts sweeping in today's time.
  if (config.simulate && seededNow && config.simulateBackfillDays > 0) {
    console.log(`first start: backfilling ${config.simulateBackfillDays} days of simulated cases (SIMULATE_BACKFILL_DAYS)…`)
    const history = await backfill({ db, days: config.simulateBackfillDays, seed: config.demoSeed, dataDir: config.dataDir, secret: config.secret, warnShare: config.warnShare })
    console.log(`backfilled in ${(history.elapsedMs / 1000).toFixed(1)} s: ${describeStats(history.stats)}`)
  }

  const app = await buildApp({ config, db, closeDbWithApp: true })
  let simulator: Simulator | null = null
  let closing = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, async () => {
      if (closing) return
      closing = true
      app.log.info(`${signal}: closing`)
      await simulator?.stop()
      await app.close()
      process.exit(0)
    })
  }
  await app.listen({ port: config.port, host: config.host })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  console.log(`\n  格治 Gezhi is running: http://localhost:${port}/   (API docs: http://localhost:${port}/api/docs)\n`)
  if (config.simulate && !closing) {
    // The living demo talks to this server over HTTP like any client (SIMULATE=false turns it off).
    const host = typeof address === 'object' && address && !['0.0.0.0', '::'].includes(address.address) ? address.address : '127.0.0.1'
    simulator = startSimulator({
      baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, ratePerMin: config.simulateRate, speed: config.simulateSpeed, seed: config.demoSeed,
      stream: Date.now() % 2 ** 31, // the city's hot spots stay; the stream differs at every start
      log: (line) => app.log.info(line), warn: (line) => app.log.warn(line),
    })
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
})
