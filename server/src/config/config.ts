import path from 'node:path'

/** Everything the server reads from its environment, validated once at boot. */
export interface Config {
  /** TCP port of the one HTTP server (API, docs, client, later Socket.IO). */
  port: number
  host: string
  /** Embedded database folder and uploaded files. */
  dataDir: string
  /** A PostgreSQL + PostGIS server; undefined means the embedded PGlite database in `dataDir`. */
  databaseUrl?: string
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Seed the demo city on first start when the database has no grids. */
  seedOnStart: boolean
  /** Seed of the demo city's random generator: the same seed gives the same city. */
  demoSeed: number
  /** Folder of the built client served at `/`; absent in API-only deployments. */
  clientDir: string
  /** Signs sign-in and tracking tokens; generated and kept in the database when unset. */
  secret?: string
  /** How often the deadline scheduler looks for warnings and overdue cases; 0 = never. */
  deadlineSweepMs: number
  /** Escalate a case to the level above when it goes overdue in a grid unit. */
  autoEscalateOverdue: boolean
  /** Share of each stage's time limit after which a case is warned about (default 0.8). */
  warnShare: number
  /** Run the living demo (server/src/simulate) after listening; default on for the embedded database, off with DATABASE_URL. */
  simulate: boolean
  /** The simulator's reports per minute. */
  simulateRate: number
  /** The simulator's pace: divides every simulated person's delay. */
  simulateSpeed: number
  /** Days of history the simulator backfills on the start that seeds the demo city. */
  simulateBackfillDays: number
  /** Redis shared by several servers: live events reach every server's sockets. */
  redisUrl?: string
  /** A reconnecting live client that missed more events than this takes a fresh snapshot. */
  replayLimit: number
  /** An optional online raster base map under the grids: a {z}/{x}/{y} URL template (WGS-84 tiles). */
  basemapUrl?: string
  basemapAttribution: string
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`)
    this.name = 'ConfigError'
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
const ROOT = path.resolve(import.meta.dirname, '../../..')

/** Reads and checks the configuration; throws ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = []

  const port = parseInteger(env.PORT ?? '8080', 'PORT', 0, 65535, problems)
  const demoSeed = parseInteger(env.DEMO_SEED ?? '1', 'DEMO_SEED', 0, 2 ** 31 - 1, problems)
  const seedOnStart = parseBoolean(env.SEED_ON_START ?? 'true', 'SEED_ON_START', problems)
  const deadlineSweepMs = parseInteger(env.DEADLINE_SWEEP_MS ?? '30000', 'DEADLINE_SWEEP_MS', 0, 86_400_000, problems)
  const autoEscalateOverdue = parseBoolean(env.AUTO_ESCALATE_OVERDUE ?? 'false', 'AUTO_ESCALATE_OVERDUE', problems)
  const warnShare = Number(env.WARN_SHARE ?? '0.8')
  if (!(warnShare > 0 && warnShare < 1)) problems.push(`WARN_SHARE must be a number between 0 and 1 (exclusive); got "${env.WARN_SHARE}"`)

  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel']
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${env.LOG_LEVEL}"`)

  const databaseUrl = env.DATABASE_URL?.trim() || undefined
  if (databaseUrl) {
    let url: URL | undefined
    try { url = new URL(databaseUrl) } catch { problems.push(`DATABASE_URL is not a URL: "${databaseUrl}"`) }
    if (url && url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      problems.push(`DATABASE_URL must start with postgres:// or postgresql://; got "${url.protocol}//"`)
    }
  }

  const redisUrl = env.REDIS_URL?.trim() || undefined
  if (redisUrl && !/^rediss?:\/\/./.test(redisUrl)) problems.push(`REDIS_URL must start with redis:// or rediss://; got "${redisUrl}"`)
  const replayLimit = parseInteger(env.REPLAY_LIMIT ?? '5000', 'REPLAY_LIMIT', 1, 1_000_000, problems)

  const basemapUrl = env.BASEMAP_URL?.trim() || undefined
  if (basemapUrl && !(/^https?:\/\//.test(basemapUrl) && basemapUrl.includes('{z}') && basemapUrl.includes('{x}') && basemapUrl.includes('{y}'))) {
    problems.push(`BASEMAP_URL must be an http(s) URL template with {z}, {x} and {y}; got "${basemapUrl}"`)
  }

  const secret = env.SECRET?.trim() || undefined
  if (secret && secret.length < 32) problems.push('SECRET must be at least 32 characters (or unset, to keep a generated one in the database)')

  const simulate = parseBoolean(env.SIMULATE ?? (env.DATABASE_URL?.trim() ? 'false' : 'true'), 'SIMULATE', problems)
  const simulateRate = Number(env.SIMULATE_RATE ?? '6')
  if (!(simulateRate > 0 && simulateRate <= 6000)) problems.push(`SIMULATE_RATE must be reports per minute in (0, 6000]; got "${env.SIMULATE_RATE}"`)
  const simulateSpeed = Number(env.SIMULATE_SPEED ?? '1')
  if (!(simulateSpeed > 0 && simulateSpeed <= 1000)) problems.push(`SIMULATE_SPEED must be a factor in (0, 1000]; got "${env.SIMULATE_SPEED}"`)
  const simulateBackfillDays = parseInteger(env.SIMULATE_BACKFILL_DAYS ?? '7', 'SIMULATE_BACKFILL_DAYS', 0, 366, problems)

  const host = env.HOST ?? '0.0.0.0'
  if (!host.trim()) problems.push('HOST must not be empty')

  if (problems.length) throw new ConfigError(problems)
  return {
    port,
    host,
    dataDir: path.resolve(env.DATA_DIR ?? path.join(ROOT, 'data')),
    databaseUrl,
    logLevel,
    seedOnStart,
    demoSeed,
    clientDir: path.resolve(env.CLIENT_DIR ?? path.join(ROOT, 'client/dist')),
    secret,
    deadlineSweepMs,
    autoEscalateOverdue,
    warnShare,
    simulate,
    simulateRate,
    simulateSpeed,
    simulateBackfillDays,
    redisUrl,
    replayLimit,
    basemapUrl,
    basemapAttribution: env.BASEMAP_ATTRIBUTION?.trim() || '',
  }
}

function parseInteger(text: string, name: string, min: number, max: number, problems: string[]): number {
  const value = Number(text)
  if (!/^\s*\d+\s*$/.test(text) || !Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer in ${min}..${max}; got "${text}"`)
    return min
  }
  return value
}

function parseBoolean(text: string, name: string, problems: string[]): boolean {
  const t = text.trim().toLowerCase()
  if (['1', 'true', 'yes', 'on'].includes(t)) return true
  if (['0', 'false', 'no', 'off'].includes(t)) return false
  problems.push(`${name} must be true or false; got "${text}"`)
  return false
}
