import type { Incident } from '@gezhi/geo'
import { drawFate, type Fate, nextShift } from './behaviour.ts'
import { freshMemory, nextMove } from './case-moves.ts'
import type { Clock } from './clock.ts'
import { isTransient, type Port, SimError, type SimStats } from './port.ts'
import { deriveSeed, type Rng, rng } from './random.ts'
import { drawReport } from './report-draw.ts'
import { NOTES } from './texts.ts'
import type { World } from './world.ts'

export interface CaseEnv {
  port: Port
  clock: Clock
  world: World
  stats: SimStats
  log: (line: string) => void
}

/** The n-th report of a stream: sent (or joined to a similar open case), then the case's whole life. */
export async function reportCase(env: CaseEnv, n: number): Promise<void> {
  const { port, stats } = env
  const drawn = drawReport(env.world, n)
  if (drawn.looksForSimilar) {
    try {
      const near = await port.similar(drawn.at, drawn.body.category)
      if (near.length) {
        await port.join(near[0]!.id, { source: 'resident', reporter: drawn.body.reporter, note: drawn.r.pick(NOTES.meToo) })
        stats.joined++
        return
      }
    } catch (error) {
      if (!(error instanceof SimError)) throw error
      // Logged by the port; report it as a case of its own instead.
    }
  }
  let answer: Awaited<ReturnType<Port['report']>> | undefined
  for (let attempt = 0; !answer; attempt++) {
    try {
      answer = await port.report(drawn.who, drawn.body, drawn.photos)
    } catch (error) {
      // The idempotency key makes a retry safe: the server answers with the case it already made.
      if (!(error instanceof SimError)) throw error
      if (!isTransient(error) || attempt >= 3 || !(await env.clock.sleep(2000 * (attempt + 1)))) return
    }
  }
  stats.created.push(answer.incident.id)
  await runCase(env, answer.incident, answer.trackingToken, drawn.r, drawn.fate)
}

/** Carries on a case an earlier run left open (after a restart, or the backfill's last hours), with a fresh fate. */
export async function adoptCase(env: CaseEnv, incident: Incident): Promise<void> {
  const r = rng(deriveSeed(env.world.streamSeed, incident.id, 2))
  const fate = drawFate(r, env.world.categories.get(incident.category.code) ?? { handlingLevel: 1, departments: [] })
  fate.outcome = 'normal'
  fate.neglect = null
  env.stats.adopted.push(incident.id)
  await runCase(env, incident, null, r, fate)
}

/** Whether nothing that decides the next move changed between two readings of a case. */
const sameCase = (a: Incident, b: Incident) =>
  JSON.stringify([a.state, a.unit, a.flags, a.counts.reworks, a.counts.dispatches]) === JSON.stringify([b.state, b.unit, b.flags, b.counts.reworks, b.counts.dispatches])

/**
 * Moves one case along until it is finished or the clock stops. A refused step (someone else
 * moved the case) rereads it and carries on from where it is; a failed one is tried again a few
 * times; anything else ends this case's life, never the simulator.
 */
export async function runCase(env: CaseEnv, start: Incident, trackingToken: string | null, r: Rng, fate: Fate): Promise<void> {
  const { port, clock, stats, world } = env
  const m = freshMemory()
  let incident = start
  let setbacks = 0
  for (let turn = 0; turn < 60 && setbacks < 6; turn++) {
    const move = nextMove({ port, world, now: clock.now(), incident, trackingToken, fate, m, r })
    if (!move) return
    let waitMs = move.waitMs
    if (world.nightShift && move.fieldWork && world.categories.get(incident.category.code)?.limits.handle.clock !== 'urgent_hours') {
      waitMs = nextShift(clock.now() + waitMs, r) - clock.now()
    }
    if (!(await clock.sleep(waitMs))) return
    try {
      incident = await move.run()
      stats.steps[move.step] = (stats.steps[move.step] ?? 0) + 1
    } catch (error) {
      if (!(error instanceof SimError)) throw error // a bug of the simulator: logged by the clock, never the server's problem
      setbacks++
      if (error.code === 'STOPPED') return
      if (isTransient(error)) continue
      if (error.status !== 409 && error.status !== 403) return
      // Refused: someone else may have moved the case. Carry on from where it is now, unless it has
      // not moved at all — then the same move would only be refused again.
      let now: Incident
      try { now = await port.view(incident.id) } catch { return }
      if (sameCase(now, incident)) return
      incident = now
    }
  }
}
