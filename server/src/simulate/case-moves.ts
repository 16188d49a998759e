import type { Incident, IncidentStep, StepBody } from '@gezhi/geo'
import { delayMs, type DelayKind, type Fate, NEGLECT_CAP_MS, NEGLECT_MARGIN_MS } from './behaviour.ts'
import { type Photo, type Port, SimError, type Who } from './port.ts'
import type { Rng } from './random.ts'
import { photo } from './report-draw.ts'
import { NOTES } from './texts.ts'
import type { World } from './world.ts'

/** What the simulator remembers of a case while it lives. */
export interface Memory {
  neglected: boolean
  escalated: boolean
  whistled: boolean
  extensionAsked: boolean
  superviseTried: boolean
  checksFailed: number
  evaluated: boolean
  reportedIn: Set<number>
  replied: Set<number>
}

export const freshMemory = (): Memory => ({
  neglected: false, escalated: false, whistled: false, extensionAsked: false, superviseTried: false, checksFailed: 0,
  evaluated: false, reportedIn: new Set(), replied: new Set(),
})

/** The next thing someone does to the case: after `waitMs`, `run` takes the step(s). */
export interface Move {
  step: IncidentStep | 'look'
  waitMs: number
  /** Work on the street or in a department: at night it waits for the morning shift (backfill only). */
  fieldWork: boolean
  run: () => Promise<Incident>
}

/** What deciding a move needs. */
export interface MoveContext {
  port: Port
  world: World
  now: number
  incident: Incident
  trackingToken: string | null
  fate: Fate
  m: Memory
  r: Rng
}

const COMMANDER: Who = { as: 'commander' }
const streetOf = (incident: Incident) => incident.grids.find((g) => g.level === 1)?.id ?? incident.grids[0]!.id

/** Who works the case now: the assigned department's account, or the leader of the case's street. */
function unitOf(incident: Incident): Who {
  if (incident.unit.level === 0 && incident.unit.departmentIds.length) return { as: 'department', departmentId: incident.unit.departmentIds[0]! }
  return { as: 'street', streetId: streetOf(incident) }
}

/** A step by `who` after a human delay of `kind`; `done` runs once it succeeded. */
function move(c: MoveContext, step: IncidentStep, kind: DelayKind, who: Who, input: StepBody = {}, photos: Photo[] = [], done?: () => void): Move {
  return {
    step, waitMs: delayMs(c.r, kind, c.world.speed), fieldWork: who.as === 'street' || who.as === 'department',
    run: async () => {
      const next = await c.port.step(who, c.incident.id, step, input, photos)
      done?.()
      return next
    },
  }
}

/** Leave the case alone past its due time (the deadline scheduler marks it overdue), then look at it again. */
function neglect(c: MoveContext): Move {
  const dueMs = c.incident.times.dueAt ? Date.parse(c.incident.times.dueAt) - c.now : 0
  const waitMs = Math.min(NEGLECT_CAP_MS, Math.max(0, dueMs) + c.r.between(NEGLECT_MARGIN_MS[0], NEGLECT_MARGIN_MS[1]))
  return { step: 'look', waitMs, fieldWork: false, run: async () => { c.m.neglected = true; return c.port.view(c.incident.id) } }
}

/** The next move for the case as it is now, or null when the simulator has nothing more to do with it. */
export function nextMove(c: MoveContext): Move | null {
  const { incident, m } = c
  if (incident.state === 'closed') return evaluate(c)
  if (!OPEN.has(incident.state)) return null
  // 督办: the command centre chases a case the moment it sees it overdue.
  if (incident.flags.overdue && !incident.flags.supervised && !m.superviseTried) {
    m.superviseTried = true
    return move(c, 'supervise', 'supervise', COMMANDER, { note: c.r.pick(NOTES.supervise) })
  }
  switch (incident.state) {
    case 'reported': return whenReported(c)
    case 'filed': return whenFiled(c)
    case 'dispatched': return move(c, 'accept', 'accept', unitOf(incident))
    case 'accepted':
    case 'rework': return whenAtWork(c)
    case 'coordinating': return whenCoordinating(c)
    case 'handled':
      // A case the street handed to departments straight from filing has no unit to rework it
      // (nobody may `handle` it in `rework`), so its check always passes; see the README.
      if (m.checksFailed < c.fate.checkFails && incident.unit.level !== null) {
        return move(c, 'check_fail', 'check', COMMANDER, { note: c.r.pick(NOTES.checkFail) }, [], () => { m.checksFailed++ })
      }
      return move(c, 'check_pass', 'check', COMMANDER)
  }
  return null
}

const OPEN = new Set(['reported', 'filed', 'dispatched', 'accepted', 'rework', 'coordinating', 'handled'])

function whenReported(c: MoveContext): Move {
  const { fate, r } = c
  if (fate.neglect === 'reported' && !c.m.neglected) return neglect(c)
  if (fate.outcome === 'reject') return move(c, 'reject', 'file', COMMANDER, { note: r.pick(NOTES.reject) })
  if (fate.outcome === 'void') return move(c, 'void', 'file', COMMANDER, { note: r.pick(NOTES.void) })
  return move(c, 'file', 'file', COMMANDER)
}

/** Dispatched at the category's level, or (街道吹哨) the street calls in departments straight away. */
function whenFiled(c: MoveContext): Move {
  const { fate, world, r, incident } = c
  if (fate.whistle === 0 || c.m.whistled || world.departments.length === 0) return move(c, 'dispatch', 'dispatch', COMMANDER)
  const ids = [...(world.categories.get(incident.category.code)?.departmentIds ?? [])]
  while (ids.length < Math.min(fate.whistle, world.departments.length)) {
    const d = r.pick(world.departments).id
    if (!ids.includes(d)) ids.push(d)
  }
  const whistle = move(c, 'whistle', 'whistle', { as: 'street', streetId: streetOf(incident) }, { departmentIds: ids.slice(0, fate.whistle), note: r.pick(NOTES.whistle) }, [], () => { c.m.whistled = true })
  return { ...whistle, fieldWork: false } // the street office calls departments in from its desk, day or night
}

function whenAtWork(c: MoveContext): Move | null {
  const { incident, fate, m, r } = c
  if (incident.unit.level === null) return null // whistled straight from filing: no unit may work it again (see 'handled')
  const unit = unitOf(incident)
  if (incident.flags.extensionRequested) {
    return fate.extension?.approve ?? true
      ? move(c, 'approve_extension', 'decideExtension', COMMANDER)
      : move(c, 'deny_extension', 'decideExtension', COMMANDER, { note: r.pick(NOTES.denyExtension) })
  }
  if (incident.state === 'accepted' && fate.escalate && !m.escalated && (incident.unit.level ?? 0) >= 2) {
    return move(c, 'escalate', 'escalate', unit, { note: r.pick(NOTES.escalate) }, [], () => { m.escalated = true })
  }
  if (fate.neglect === 'accepted' && !m.neglected) return neglect(c)
  if (fate.extension && !m.extensionAsked) {
    return move(c, 'request_extension', 'extension', unit, { note: r.pick(NOTES.extension), extension: fate.extension.limit }, [], () => { m.extensionAsked = true })
  }
  return move(c, 'handle', 'handle', unit, { note: r.pick(NOTES.handle) }, r.chance(0.5) ? [photo('before', r), photo('after', r)] : [photo('after', r)])
}

/** 部门报到: every department called in reports in, then replies; the last reply hands the case on. */
function whenCoordinating(c: MoveContext): Move | null {
  const { incident, m, r } = c
  const departmentStep = (step: 'report_in' | 'reply', departmentId: number, done: Set<number>): Move => ({
    step, waitMs: delayMs(r, step === 'report_in' ? 'reportIn' : 'reply', c.world.speed), fieldWork: true,
    run: async () => {
      try {
        const next = await c.port.step({ as: 'department', departmentId }, incident.id, step, step === 'reply' ? { note: r.pick(NOTES.reply) } : {})
        done.add(departmentId)
        return next
      } catch (error) {
        // Already done (a case carried on after a restart): remember, and go on with the next.
        if (error instanceof SimError && error.code === 'INCIDENT_NOT_WHISTLED') { done.add(departmentId); return c.port.view(incident.id) }
        throw error
      }
    },
  })
  const toReportIn = incident.unit.departmentIds.find((d) => !m.reportedIn.has(d))
  if (toReportIn !== undefined) return departmentStep('report_in', toReportIn, m.reportedIn)
  const toReply = incident.unit.departmentIds.find((d) => !m.replied.has(d))
  if (toReply !== undefined) return departmentStep('reply', toReply, m.replied)
  return null
}

/** The reporter rates the result with the tracking token; a case without one is rated on the hotline's return call. */
function evaluate(c: MoveContext): Move | null {
  const { fate, m } = c
  if (!fate.evaluate || m.evaluated) return null
  const note = fate.ratingNote ?? undefined
  return {
    step: 'evaluate', waitMs: delayMs(c.r, 'evaluate', c.world.speed), fieldWork: false,
    run: async () => {
      const next = c.trackingToken
        ? await c.port.evaluate(c.trackingToken, fate.rating, note)
        : await c.port.step(COMMANDER, c.incident.id, 'evaluate', { rating: fate.rating, ...(note ? { note } : {}) })
      m.evaluated = true
      return next
    },
  }
}
