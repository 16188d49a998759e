import {
  addTimeLimit, GezhiError, type IncidentState, type IncidentStep, nextState, shareOfLimitAt, STEPS, type StepActor,
  stepAllowedFrom, type StepBody, type StepRule, type TimeLimit, type WorkCalendar,
} from '@gezhi/geo'
import type { Actor } from '../../plugins/auth.ts'
import { diffMutable, type IncidentMutable, type IncidentRecord } from './incident-record.ts'

/** What a step needs to know besides the case itself. */
export interface StepContext {
  now: Date
  calendar: WorkCalendar
  limits: { dispatch: TimeLimit; handle: TimeLimit; check: TimeLimit }
  /** The category's usual handling level and department ids (dispatch defaults). */
  handlingLevel: number
  departmentIds: number[]
  /** Departments called in on this case (after this step's own change, for `reply`). */
  whistled: Array<{ departmentId: number; reportedIn: boolean; replied: boolean }>
  /** Share of a stage's time limit after which a warning is raised (default 0.8). */
  warnShare: number
  /** Photos attached to this step. */
  photoCount: number
}

/** Which relations to the case an actor has, for the `by` lists of STEPS. */
export function actorRelations(actor: Actor, incident: IncidentRecord, whistled: number[]): Set<StepActor> {
  const relations = new Set<StepActor>()
  if (actor.kind === 'system') return new Set(['system'])
  if (actor.kind === 'public') return relations // reporters act through their tracking token: relation added by the caller
  const { role } = actor
  const ownGrid = actor.gridPath?.at(-1)
  const ownLevel = actor.gridPath?.length ?? 0
  const inScope = ownGrid !== undefined && incident.gridPath[ownLevel - 1] === ownGrid
  if (role === 'admin' || role === 'commander') relations.add('command').add('street')
  if (role === 'leader' && inScope) {
    relations.add('command')
    if (ownLevel === 1) relations.add('street')
  }
  // A unit member belongs to the assigned grid or stands above it in the same branch.
  if ((role === 'leader' || role === 'worker') && inScope && incident.unitLevel !== null && incident.unitLevel >= ownLevel) relations.add('unit')
  // Reporting grid workers may fix on the spot before any unit is assigned.
  if ((role === 'leader' || role === 'worker') && inScope && incident.state === 'reported') relations.add('unit')
  if (role === 'department' && actor.departmentId !== null) {
    if (incident.unitLevel === 0 && incident.unitDepartments.includes(actor.departmentId)) relations.add('unit')
    if (whistled.includes(actor.departmentId)) relations.add('whistled')
  }
  return relations
}

/**
 * Checks that `actor` may take `step` now: the role first (403 — this actor can never do it),
 * then the state (409 — not from here), then unit membership (403). Scope (404) is checked
 * before, when the case is loaded.
 */
export function authorizeStep(step: IncidentStep, incident: IncidentRecord, relations: Set<StepActor>, actor: Actor): void {
  const rule = STEPS[step]
  const roleCan = actorRoleCan(actor, rule.by)
  if (!roleCan) throw new GezhiError('FORBIDDEN', `${describe(actor)} may not take the step "${step}" (${rule.name}); it is for ${rule.by.join(' or ')}`)
  if (!stepAllowedFrom(step, incident.state)) {
    throw new GezhiError('INCIDENT_ILLEGAL_TRANSITION', `case ${incident.number} is ${incident.state}; "${step}" (${rule.name}) is only possible from ${rule.from.join(', ')}`, { state: incident.state, step, allowedFrom: rule.from })
  }
  if (!rule.by.some((by: StepActor) => relations.has(by))) {
    throw new GezhiError('INCIDENT_NOT_YOUR_UNIT', `case ${incident.number} is not assigned to your unit; "${step}" is for ${rule.by.join(' or ')}`)
  }
}

/** Whether the actor's role could ever take a step done `by` these relations. */
function actorRoleCan(actor: Actor, by: readonly StepActor[]): boolean {
  if (actor.kind === 'system') return by.includes('system')
  if (actor.kind === 'public') return by.includes('reporter')
  const can: Record<string, StepActor[]> = {
    admin: ['command', 'street'], commander: ['command', 'street'], planner: [],
    leader: ['command', 'street', 'unit'], worker: ['unit'], department: ['unit', 'whistled'],
  }
  return by.some((b) => can[actor.role]!.includes(b))
}

const describe = (actor: Actor) => (actor.kind === 'user' ? `a ${actor.role}` : actor.kind === 'public' ? 'the public' : 'the system')

/**
 * The pure heart of the closed loop: the case after `step`, and the diff the event records.
 * Throws a GezhiError (409 or 400) when the step's own conditions are not met.
 */
export function applyStep(incident: IncidentRecord, step: IncidentStep, input: StepBody, ctx: StepContext): { next: IncidentRecord; set: Partial<IncidentMutable> } {
  const rule: StepRule = STEPS[step]
  if (rule.note && !input.note?.trim()) throw new GezhiError('VALIDATION_FAILED', `"${step}" needs a note saying why`)
  if (rule.photos && ctx.photoCount === 0) throw new GezhiError('PHOTO_REQUIRED', `"${step}" needs at least one photo of the result`)
  const now = ctx.now.toISOString()
  const add = (from: string | Date, limit: TimeLimit) => addTimeLimit(new Date(from), limit, ctx.calendar).toISOString()
  const n: IncidentRecord = { ...incident, unitDepartments: [...incident.unitDepartments], state: nextState(step, incident.state) }

  switch (step) {
    case 'file':
      n.filedAt = now
      break
    case 'self_handle':
      n.filedAt = n.dispatchedAt = n.acceptedAt = n.handledAt = n.closedAt = now
      n.unitLevel = incident.gridPath.length
      n.unitGridId = incident.gridPath.at(-1)!
      n.handledOnTime = n.closedOnTime = true
      break
    case 'dispatch': {
      const level = Math.min(input.level ?? ctx.handlingLevel, incident.gridPath.length)
      assignUnit(n, level, input.departmentIds ?? ctx.departmentIds)
      markDispatched(n, now, ctx, add)
      break
    }
    case 'return':
    case 'resume':
    case 'uphold_appeal':
      if (step !== 'resume') n.returnCount++
      n.unitLevel = n.unitGridId = null
      n.unitDepartments = []
      n.extensionRequest = null
      break
    case 'accept':
      n.acceptedAt = now
      break
    case 'escalate': {
      if (incident.unitLevel === null || incident.unitLevel <= 1) {
        throw new GezhiError('INCIDENT_ESCALATION_AT_TOP', `case ${incident.number} is already at the ${incident.unitLevel === 0 ? 'departments' : 'street'}; a street calls in departments with "whistle"`)
      }
      assignUnit(n, incident.unitLevel - 1, [])
      n.extensionRequest = null
      break
    }
    case 'whistle':
      if (!input.departmentIds?.length) throw new GezhiError('VALIDATION_FAILED', '"whistle" needs departmentIds: the departments called in')
      n.unitDepartments = [...input.departmentIds]
      // Called in straight from filing, the departments are the unit: a failed check sends the
      // case back to them (rework goes to the same unit), not to nobody.
      if (n.unitLevel === null) n.unitLevel = 0
      if (n.dispatchedAt === null) markDispatched(n, now, ctx, add)
      break
    case 'report_in':
      break
    case 'reply':
      // The case moves on when every department called in has replied.
      if (ctx.whistled.length > 0 && ctx.whistled.every((w) => w.replied)) markHandled(n, now, ctx, add)
      break
    case 'handle':
      markHandled(n, now, ctx, add)
      break
    case 'check_pass':
      n.closedAt = now
      n.closedOnTime = n.dueCloseAt === null || now <= n.dueCloseAt
      break
    case 'check_fail':
      n.reworkCount++
      n.dueHandleAt = add(now, ctx.limits.handle)
      n.dueCloseAt = add(n.dueHandleAt, ctx.limits.check)
      break
    case 'request_extension':
      if (incident.extensionRequest) throw new GezhiError('INCIDENT_EXTENSION_PENDING', `case ${incident.number} already has an extension request waiting for a decision`)
      if (!input.extension) throw new GezhiError('VALIDATION_FAILED', '"request_extension" needs extension: { clock, amount }')
      n.extensionRequest = input.extension
      break
    case 'approve_extension':
    case 'deny_extension': {
      const request = incident.extensionRequest
      if (!request) throw new GezhiError('INCIDENT_NO_EXTENSION_PENDING', `case ${incident.number} has no extension request to decide`)
      if (step === 'approve_extension' && n.dueHandleAt) {
        n.dueHandleAt = add(n.dueHandleAt, request)
        n.dueCloseAt = n.dueCloseAt ? add(n.dueCloseAt, request) : null
      }
      n.extensionRequest = null
      break
    }
    case 'supervise':
      n.supervised = true
      break
    case 'evaluate':
      if (input.rating === undefined) throw new GezhiError('VALIDATION_FAILED', '"evaluate" needs a rating from 1 to 5')
      n.rating = input.rating
      n.ratingComment = input.note?.trim() || null
      break
    case 'reject':
    case 'void':
    case 'defer':
    case 'appeal':
    case 'dismiss_appeal':
      break
  }
  setStageClock(incident, n, ctx)
  return { next: n, set: diffMutable(incident, n) }
}

function assignUnit(n: IncidentRecord, level: number, departmentIds: number[]) {
  if (level === 0) {
    if (departmentIds.length === 0) throw new GezhiError('VALIDATION_FAILED', 'dispatching to departments (level 0) needs departmentIds; this category names none')
    n.unitLevel = 0
    n.unitGridId = null
    n.unitDepartments = [...departmentIds]
  } else {
    n.unitLevel = level
    n.unitGridId = n.gridPath[level - 1]!
    n.unitDepartments = []
  }
}

/** A dispatch (or a whistle straight from filing) starts the handling and closing clocks. */
function markDispatched(n: IncidentRecord, now: string, ctx: StepContext, add: (from: string, limit: TimeLimit) => string) {
  n.dispatchedAt = now
  n.dispatchCount++
  n.dueHandleAt = add(now, ctx.limits.handle)
  n.dueCloseAt = add(n.dueHandleAt, ctx.limits.check)
}

function markHandled(n: IncidentRecord, now: string, ctx: StepContext, add: (from: string, limit: TimeLimit) => string) {
  n.state = 'handled'
  if (n.handledOnTime === null) n.handledOnTime = n.dueHandleAt === null || now <= n.dueHandleAt // the first handling counts
  n.handledAt = now
  n.dueCheckAt = add(now, ctx.limits.check)
  n.extensionRequest = null
}

/** States whose clock runs, and which due time it runs against. Deferred and appealed cases pause. */
const STAGE_DUE: Partial<Record<IncidentState, keyof IncidentMutable>> = {
  reported: 'dueAt', filed: 'dueAt', dispatched: 'dueHandleAt', accepted: 'dueHandleAt', rework: 'dueHandleAt',
  coordinating: 'dueHandleAt', handled: 'dueCheckAt',
}

/**
 * Points `dueAt` and `warnAt` at the current stage. A new stage, or a moved due time, starts a
 * fresh warning and clears the overdue mark; `overdueAt` keeps the first time it ever went overdue.
 */
function setStageClock(prev: IncidentRecord, n: IncidentRecord, ctx: StepContext) {
  const dueField = STAGE_DUE[n.state]
  let dueAt: string | null = null
  let warnAt: string | null = null
  if (n.state === 'reported' || n.state === 'filed') {
    dueAt = n.dueDispatchAt
    warnAt = shareOfLimitAt(new Date(n.reportedAt), ctx.limits.dispatch, ctx.warnShare, ctx.calendar).toISOString()
  } else if (dueField) {
    dueAt = n[dueField] as string | null
    const [start, limit] = n.state === 'handled' ? [n.handledAt, ctx.limits.check] : [latest(n.dispatchedAt, prev.state === 'handled' ? ctx.now.toISOString() : null), ctx.limits.handle]
    warnAt = start && dueAt ? minIso(shareOfLimitAt(new Date(start), limit, ctx.warnShare, ctx.calendar).toISOString(), dueAt) : null
  }
  if (dueAt !== prev.dueAt || n.state !== prev.state && dueField !== STAGE_DUE[prev.state]) {
    n.warnedAt = null
    n.stageOverdue = false
  }
  n.dueAt = dueAt
  n.warnAt = warnAt
}

const latest = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b)
const minIso = (a: string, b: string) => (a < b ? a : b)
