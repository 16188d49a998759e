/**
 * `npm run seed [-- --seed N --scale S --no-households --force]`
 * Generates the demo city into the configured database (DATABASE_URL or the embedded one in DATA_DIR).
 */
import { parseArgs } from 'node:util'
import cliProgress from 'cli-progress'
import { ConfigError, loadConfig } from '../config/config.ts'
import { prepareDatabase } from '../db/prepare.ts'
import { openDb } from '../db/open.ts'
import { hasCity } from './has-city.ts'
import { seedCity } from './seed-city.ts'

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    scale: { type: 'string', default: '1' },
    'no-households': { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
  },
})

try {
  const config = loadConfig()
  const seed = Number(values.seed ?? config.demoSeed)
  const scale = Number(values.scale)
  if (!Number.isInteger(seed) || seed < 0) throw new ConfigError([`--seed must be a non-negative integer; got "${values.seed}"`])
  if (!(scale > 0 && scale <= 100)) throw new ConfigError([`--scale must be a number in (0, 100]; got "${values.scale}"`])

  const db = await openDb(config)
  await prepareDatabase(db)
  if ((await hasCity(db)) && !values.force) {
    console.log('A city is already seeded here; pass --force to replace it.')
    await db.close()
    process.exit(0)
  }
  const bar = new cliProgress.SingleBar({ format: 'seeding |{bar}| {percentage}% {step} · {duration_formatted}', hideCursor: true }, cliProgress.Presets.shades_classic)
  bar.start(100, 0, { step: 'starting' })
  const started = Date.now()
  const counts = await seedCity(db, {
    seed, scale, households: !values['no-households'], wipe: values.force,
    onProgress: (step, done, total) => bar.update(Math.round((100 * done) / total), { step }),
  })
  bar.update(100, { step: 'done' })
  bar.stop()
  console.log(`Seeded in ${((Date.now() - started) / 1000).toFixed(1)} s on ${db.backend}:`, counts)
  await db.close()
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : error)
  process.exit(1)
}
