import { type Incident, type IncidentPageSchema } from '@gezhi/geo'
import type Type from 'typebox'
import { DEMO_PASSWORD } from '../seed/demo-users.ts'
import { adoptCase, type CaseEnv, reportCase } from './case-life.ts'
import { liveClock } from './clock.ts'
import { httpClient, type HttpClient, httpPort } from './http-port.ts'
import type { LabelFeature } from './places.ts'
import { emptyStats, type SimStats } from './port.ts'
import { deriveSeed, rng } from './random.ts'
import { SIM_PHONE_PREFIX } from './texts.ts'
import { buildWorld, type Department, type SimCategory, SIM_PASSWORD, simAccounts, type World } from './world.ts'

export interface SimulatorOptions {
  /** Where Gezhi answers, e.g. http://localhost:8080 */
  baseUrl: string
  /** Reports per minute, Poisson arrivals (default 6: a calm demo). */
  ratePerMin?: number
  /** Divides every human delay: 2 = twice as lively (default 1). */
  speed?: number
  /** Same seed, same hot spots, and (unless `stream` is given) the same stream of reports and fates (default 1). */
  seed?: number
  /** Seed of the stream alone (default `seed`): the server passes a new one at each start, so a restarted demo does not replay the last run's reports. */
  stream?: number
  adminPassword?: string
  commanderPassword?: string
  /** Pick up the open cases earlier runs left behind (their reporters' phones are 1700000xxxx). Default true. */
  adopt?: boolean
  log?: (line: string) => void
  /** Failures, one line each (default: `log`). */
  warn?: (line: string) => void
}

export interface Simulator {
  /** Resolves true once signed in and set up (it keeps retrying while the server is away), false if stopped first. */
  ready: Promise<boolean>
  stats: SimStats
  /** Stops reporting and moving cases; resolves when every request in flight has been answered. */
  stop(): Promise<void>
}

/** Most case lives at once; beyond it new arrivals are skipped (a server away for hours must not pile up memory). */
const MAX_LIVES = 5000

/**
 * The living demo: reports a realistic stream through the HTTP API and moves each case along as
 * simulated staff would, until stopped. Runs the same in-process or from another machine; never
 * throws — failures are logged, one line each, and it backs off while the server is away.
 */
export function startSimulator(options: SimulatorOptions): Simulator {
  const rate = options.ratePerMin ?? 6
  const speed = options.speed ?? 1
  const seed = options.seed ?? 1
  const stream = options.stream ?? seed
  const log = options.log ?? ((line: string) => console.log(line))
  const warn = options.warn ?? log
  if (!(rate > 0) || !(speed > 0)) throw new Error('rate and speed must be positive')
  const stats = emptyStats()
  const clock = liveClock((error) => warn(`simulator: unexpected ${(error as Error)?.stack ?? error}`))
  const client = httpClient({ baseUrl: options.baseUrl, clock, stats, log: warn })
  let resolveReady: (ok: boolean) => void = () => {}
  const ready = new Promise<boolean>((resolve) => { resolveReady = resolve })

  clock.spawn(async () => {
    let world: World | null = null
    while (!world) {
      try {
        world = await setUp(client, { seed, stream, speed, adminPassword: options.adminPassword ?? DEMO_PASSWORD, commanderPassword: options.commanderPassword ?? DEMO_PASSWORD })
      } catch (error) {
        warn(`simulator: setting up failed (${(error as Error).message}); trying again in 10 s`)
        if (!(await clock.sleep(10_000))) break
      }
    }
    resolveReady(world !== null)
    if (!world) return
    const departmentCode = (id: number) => world.departments.find((d) => d.id === id)?.code
    const env: CaseEnv = { port: httpPort(client, departmentCode), clock, world, stats, log }
    if (options.adopt ?? true) await adoptOpenCases(env, client)
    log(`simulator: reporting ${rate}/min at speed ${speed} (seed ${seed}) to ${options.baseUrl}`)

    const arrivals = rng(deriveSeed(stream, 0, 3))
    for (let n = 1; ; n++) {
      if (!(await clock.sleep(arrivals.exponential(60_000 / rate)))) return
      if (clock.running >= MAX_LIVES) continue
      clock.spawn(() => reportCase(env, n))
    }
  })

  return {
    ready,
    stats,
    async stop() {
      await clock.stop()
      resolveReady(false)
    },
  }
}

/** Signs in, reads the reference data and makes sure the simulated staff have accounts. */
async function setUp(client: HttpClient, o: { seed: number; stream: number; speed: number; adminPassword: string; commanderPassword: string }): Promise<World> {
  client.addAccount('admin', 'admin', o.adminPassword)
  client.addAccount('commander', 'commander', o.commanderPassword)
  const admin = client.account('admin')
  const [labels, categories, departments, users] = await Promise.all([
    client.request<{ features: LabelFeature[] }>('GET', '/api/grids?labels=true'),
    client.request<SimCategory[]>('GET', '/api/categories'),
    client.request<Department[]>('GET', '/api/departments'),
    client.request<Array<{ username: string }>>('GET', '/api/users', { account: admin }),
  ])
  const top = Math.min(...labels.features.map((f) => f.properties.level))
  const streets = labels.features.filter((f) => f.properties.level === top).map((f) => ({ id: f.properties.id, name: f.properties.name }))
  const existing = new Set(users.map((u) => u.username))
  for (const account of simAccounts(streets, departments)) {
    if (!existing.has(account.username)) {
      await client.request('POST', '/api/users', { account: admin, json: { ...account, password: SIM_PASSWORD } }).catch((error) => {
        if ((error as { code?: string }).code !== 'USERNAME_TAKEN') throw error // another simulator made it meanwhile
      })
    }
    client.addAccount(account.username, account.username, SIM_PASSWORD)
  }
  return buildWorld({ categories, departments, labels: labels.features, speed: o.speed, nightShift: false, meToo: true, seed: o.seed, streamSeed: o.stream, runId: `${o.seed}-${Date.now().toString(36)}` })
}

type IncidentPage = Type.Static<typeof IncidentPageSchema>

/** Open cases of earlier simulator runs (after a restart, or left by the backfill), each carried on. */
async function adoptOpenCases(env: CaseEnv, client: HttpClient): Promise<void> {
  const commander = client.account('commander')
  const found: Incident[] = []
  let before: number | null = null
  try {
    do {
      const page: IncidentPage = await client.request('GET', `/api/incidents?state=open&limit=500${before ? `&before=${before}` : ''}`, { account: commander })
      found.push(...page.items.filter((i) => i.reporter?.phone?.startsWith(SIM_PHONE_PREFIX)))
      before = page.nextBefore
    } while (before !== null && found.length < MAX_LIVES / 2)
  } catch {
    return // logged by the client; the stream goes on without them
  }
  const r = rng(deriveSeed(env.world.streamSeed, found.length, 4))
  for (const incident of found) {
    // Spread them over a couple of minutes (at speed 1) so a restart is not a burst.
    const delay = r.between(0, 120_000) / env.world.speed
    env.clock.spawn(async () => { if (await env.clock.sleep(delay)) await adoptCase(env, incident) })
  }
  if (found.length) env.log(`simulator: carrying on ${found.length} open cases of earlier runs`)
}
