import type { Db } from '../db/db.ts'
import { loadAppSecret } from '../config/secret.ts'
import { USER_BY_USERNAME } from '../modules/auth/auth.queries.ts'
import { authRepository } from '../modules/auth/auth.repository.ts'
import { sweepDeadlines } from '../modules/deadlines/deadlines.sweep.ts'
import { gridsRepository } from '../modules/grids/grids.repository.ts'
import { incidentService } from '../modules/incidents/incidents.service.ts'
import { referenceCache } from '../modules/reference/reference.cache.ts'
import type { UserActor } from '../plugins/auth.ts'
import { HOURLY_RHYTHM, beijingHour } from './behaviour.ts'
import { type CaseEnv, reportCase } from './case-life.ts'
import { virtualClock } from './clock.ts'
import type { LabelFeature } from './places.ts'
import { emptyStats, type SimStats } from './port.ts'
import { deriveSeed, rng } from './random.ts'
import { servicePort } from './service-port.ts'
import { ANY_DEADLINE_DUE, DEPARTMENTS } from './simulate.queries.ts'
import { buildWorld, type Department, departmentUsername, SIM_PASSWORD, simAccounts, streetUsername } from './world.ts'

export interface BackfillOptions {
  db: Db
  /** Days of history to write, ending at `end`. */
  days: number
  /**
   * Reports per day on average, spread by the day/night rhythm. Default 60: a district of six streets
   * in a city that handles 10⁵–10⁶ cases a year (DOMAIN.md), and a first start that stays near a
   * minute on the embedded database (each case costs ~70–140 ms of service calls there).
   */
  perDay?: number
  seed?: number
  /** Where photos go (DATA_DIR), as for the server. */
  dataDir: string
  secret?: string
  warnShare?: number
  /** End of the history (default now). Cases still open then are left for the live stream to carry on. */
  end?: Date
  /** Simulated minutes between deadline sweeps (default 10). */
  sweepEveryMin?: number
  log?: (line: string) => void
}

export interface BackfillResult {
  stats: SimStats
  from: Date
  to: Date
  elapsedMs: number
}

/**
 * Writes `days` of lived-in history straight through the service layer, with the service's clock
 * set to simulated time moving forward: report times, every step's event, due times and the
 * deadline sweeps' warnings and overdue marks all carry simulated times. Runs one action at a
 * time in time order. Not over HTTP: the API stamps every step "now". Do not run it while a
 * server's deadline scheduler sweeps the same database (it would mark the history's open cases
 * overdue at today's time).
 */
export async function backfill(options: BackfillOptions): Promise<BackfillResult> {
  const started = performance.now()
  const { db } = options
  const log = options.log ?? ((line: string) => console.log(line))
  const seed = options.seed ?? 1
  const perDay = options.perDay ?? 60
  const to = options.end ?? new Date()
  const from = new Date(to.getTime() - options.days * 86_400_000)
  const stats = emptyStats()

  const secret = await loadAppSecret(db, options.secret)
  const reference = referenceCache(db)
  await reference.refresh()
  const labels = (JSON.parse(await gridsRepository(db).labels({})) as { features: LabelFeature[] }).features
  const departments = await db.query<Department>(DEPARTMENTS)
  const top = Math.min(...labels.map((f) => f.properties.level))
  const streets = labels.filter((f) => f.properties.level === top).map((f) => ({ id: f.properties.id, name: f.properties.name }))
  const actors = await simulatedActors(db, streets, departments)

  const clock = virtualClock(from.getTime(), (error) => log(`simulator (backfill): unexpected ${(error as Error)?.stack ?? error}`))
  const service = incidentService({ db, reference, secret, dataDir: options.dataDir, warnShare: options.warnShare, now: () => new Date(clock.now()) })
  // Residents do not "me too" in the backfill: the follower row's join time is the database's clock, not the simulation's.
  const world = buildWorld({
    categories: reference.categories(), departments, labels, speed: BACKFILL_PACE, nightShift: true, meToo: false, seed, runId: `${seed}-bf-${from.getTime().toString(36)}`,
  })
  const env: CaseEnv = { port: servicePort(service, actors, clock, stats, log), clock, world, stats, log }

  // Arrivals: a Poisson process whose rate follows the hour of the day (thinning).
  const meanPerMs = perDay / 86_400_000
  const peak = Math.max(...HOURLY_RHYTHM) * meanPerMs
  const arrivals = rng(deriveSeed(seed, from.getTime() % 2 ** 31, 5))
  clock.spawn(async () => {
    for (let n = 1; ; n++) {
      if (!(await clock.sleep(arrivals.exponential(1 / peak)))) return
      if (arrivals.next() * peak > HOURLY_RHYTHM[Math.floor(beijingHour(clock.now()))]! * meanPerMs) continue
      clock.spawn(() => reportCase(env, n))
    }
  })
  // The deadline scheduler, on the simulated clock: warnings and overdue marks carry simulated times.
  const sweepMs = (options.sweepEveryMin ?? 10) * 60_000
  clock.spawn(async () => {
    while (await clock.sleep(sweepMs)) {
      const now = new Date(clock.now())
      const [due] = await db.query<{ due: boolean }>(ANY_DEADLINE_DUE, [now])
      if (due!.due) await sweepDeadlines(db, { now })
    }
  })
  clock.spawn(async () => {
    for (let day = 1; await clock.sleep(86_400_000); day++) log(`  · day ${day}/${options.days}: ${stats.created.length} cases so far (${Math.round((performance.now() - started) / 1000)} s)`)
  })
  await clock.run(to.getTime())
  return { stats, from, to, elapsedMs: performance.now() - started }
}

/**
 * Human pace of the history, as a `speed`: 0.1 stretches the demo's minutes tenfold — filed in
 * 2–10 min, accepted within 20 min, handled within one or two hours, rated within the hour.
 */
export const BACKFILL_PACE = 0.1

/** The acting accounts, made if missing (the live stream's accounts: the same people). */
async function simulatedActors(db: Db, streets: Array<{ id: number; name: string }>, departments: Department[]) {
  const users = authRepository(db)
  const load = async (username: string): Promise<UserActor | null> => {
    const [u] = await db.query<{ id: number; username: string; display_name: string; role: UserActor['role']; department_id: number | null; grid_path: number[] | null; active: boolean }>(USER_BY_USERNAME, [username])
    return u && u.active ? { kind: 'user', id: u.id, username: u.username, name: u.display_name, role: u.role, gridPath: u.grid_path, departmentId: u.department_id } : null
  }
  const missing = []
  for (const account of simAccounts(streets, departments)) if (!(await load(account.username))) missing.push(account)
  // Hashing is the slow part (argon2, on the thread pool): all at once.
  await Promise.all(missing.map((account) => users.createUser({ ...account, password: SIM_PASSWORD })))
  const admin = await load('admin')
  const commander = await load('commander')
  if (!admin || !commander) throw new Error('the backfill acts as the demo accounts "admin" and "commander"; this database has no such active users')
  const street = new Map<number, UserActor>()
  for (const s of streets) street.set(s.id, (await load(streetUsername(s.id)))!)
  const department = new Map<number, UserActor>()
  for (const d of departments) department.set(d.id, (await load(departmentUsername(d.code)))!)
  return { admin, commander, street, department }
}
