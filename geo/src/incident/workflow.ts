/**
 * The closed loop (发现—上传—分流—办结—评价) and the national seven steps as a state machine.
 * One table says, for every step, from which states it may be taken, where it leads and who may
 * take it; the server enforces it and the client greys out what it does not allow.
 */

export const INCIDENT_STATES = [
  { key: 'reported', name: '已上报', nameEn: 'Reported', open: true },
  { key: 'filed', name: '已立案', nameEn: 'Filed', open: true },
  { key: 'dispatched', name: '已派遣', nameEn: 'Dispatched', open: true },
  { key: 'accepted', name: '已签收', nameEn: 'Accepted', open: true },
  { key: 'coordinating', name: '协调中', nameEn: 'Departments called in', open: true },
  { key: 'appealed', name: '申诉中', nameEn: 'Appealed', open: true },
  { key: 'rework', name: '返工', nameEn: 'Rework', open: true },
  { key: 'deferred', name: '缓办', nameEn: 'Deferred', open: true },
  { key: 'handled', name: '已处置', nameEn: 'Handled', open: true },
  { key: 'closed', name: '已结案', nameEn: 'Closed', open: false },
  { key: 'evaluated', name: '已评价', nameEn: 'Evaluated', open: false },
  { key: 'rejected', name: '不予立案', nameEn: 'Rejected', open: false },
  { key: 'voided', name: '已作废', nameEn: 'Voided', open: false },
] as const

export type IncidentState = (typeof INCIDENT_STATES)[number]['key']
export const INCIDENT_STATE_KEYS = INCIDENT_STATES.map((s) => s.key) as IncidentState[]
export const OPEN_STATES = INCIDENT_STATES.filter((s) => s.open).map((s) => s.key) as IncidentState[]
export const isOpenState = (state: IncidentState) => OPEN_STATES.includes(state)

/**
 * Who may take a step, relative to the case:
 * - `command`: commander or admin anywhere; a leader whose grid's subtree holds the case
 * - `unit`: a member of the unit the case is assigned to (a leader or worker of that grid or above
 *   it, or staff of the assigned department)
 * - `street`: commander, admin, or a leader of the case's street (level 1) — who may blow the whistle
 * - `whistled`: staff of a department the street called in
 * - `reporter`: whoever holds the case's tracking token
 * - `system`: the deadline scheduler
 */
export type StepActor = 'command' | 'unit' | 'street' | 'whistled' | 'reporter' | 'system'

export interface StepRule {
  name: string
  nameEn: string
  from: readonly IncidentState[]
  /** `same` keeps the state (the step records a fact, e.g. 督办). */
  to: IncidentState | 'same'
  by: readonly StepActor[]
  /** The step needs a note saying why. */
  note?: boolean
  /** The step needs photos (before/after). */
  photos?: boolean
}

const UNIT_WORK: IncidentState[] = ['dispatched', 'accepted', 'rework']

export const STEPS = {
  file: { name: '立案', nameEn: 'File', from: ['reported'], to: 'filed', by: ['command'] },
  reject: { name: '不予立案', nameEn: 'Reject', from: ['reported'], to: 'rejected', by: ['command'], note: true },
  void: { name: '作废', nameEn: 'Void', from: ['reported', 'filed'], to: 'voided', by: ['command'], note: true },
  self_handle: { name: '自行处置', nameEn: 'Fixed on the spot', from: ['reported'], to: 'closed', by: ['unit'], photos: true },
  dispatch: { name: '派遣', nameEn: 'Dispatch', from: ['filed'], to: 'dispatched', by: ['command'] },
  return: { name: '退回', nameEn: 'Return as wrongly dispatched', from: ['dispatched'], to: 'filed', by: ['unit'], note: true },
  accept: { name: '签收', nameEn: 'Accept', from: ['dispatched'], to: 'accepted', by: ['unit'] },
  escalate: { name: '上报上级', nameEn: 'Escalate', from: UNIT_WORK, to: 'dispatched', by: ['unit', 'system'], note: true },
  whistle: { name: '街道吹哨', nameEn: 'Call in departments', from: ['filed', ...UNIT_WORK], to: 'coordinating', by: ['street'] },
  report_in: { name: '部门报到', nameEn: 'Department reports in', from: ['coordinating'], to: 'same', by: ['whistled'] },
  // The last department's reply moves the case on to `handled` (decided by the server, which knows who replied).
  reply: { name: '部门回复', nameEn: 'Department replies', from: ['coordinating'], to: 'same', by: ['whistled'], note: true },
  handle: { name: '处置', nameEn: 'Handle', from: ['accepted', 'rework'], to: 'handled', by: ['unit'], photos: true },
  check_pass: { name: '核查通过', nameEn: 'Check passed', from: ['handled'], to: 'closed', by: ['command'] },
  check_fail: { name: '核查不通过', nameEn: 'Check failed: rework', from: ['handled'], to: 'rework', by: ['command'], note: true },
  request_extension: { name: '申请延期', nameEn: 'Request extension', from: UNIT_WORK, to: 'same', by: ['unit'], note: true },
  approve_extension: { name: '批准延期', nameEn: 'Approve extension', from: UNIT_WORK, to: 'same', by: ['command'] },
  deny_extension: { name: '驳回延期', nameEn: 'Deny extension', from: UNIT_WORK, to: 'same', by: ['command'], note: true },
  // A case waiting on departments can be put on hold when one never answers.
  defer: { name: '缓办', nameEn: 'Defer', from: ['filed', ...UNIT_WORK, 'coordinating'], to: 'deferred', by: ['command'], note: true },
  resume: { name: '恢复办理', nameEn: 'Resume', from: ['deferred'], to: 'filed', by: ['command'] },
  appeal: { name: '申诉', nameEn: 'Appeal', from: UNIT_WORK, to: 'appealed', by: ['unit'], note: true },
  uphold_appeal: { name: '申诉成立', nameEn: 'Uphold appeal', from: ['appealed'], to: 'filed', by: ['command'] },
  dismiss_appeal: { name: '申诉驳回', nameEn: 'Dismiss appeal', from: ['appealed'], to: 'accepted', by: ['command'], note: true },
  supervise: { name: '督办', nameEn: 'Supervise', from: OPEN_STATES, to: 'same', by: ['command'], note: true },
  evaluate: { name: '评价', nameEn: 'Evaluate', from: ['closed'], to: 'evaluated', by: ['reporter', 'command'] },
} as const satisfies Record<string, StepRule>

export type IncidentStep = keyof typeof STEPS
export const STEP_KEYS = Object.keys(STEPS) as IncidentStep[]

/** Facts the server records without a step anyone takes. */
export const SYSTEM_EVENTS = ['reported', 'joined', 'warned', 'overdue', 'repeat_flagged'] as const
export type SystemEvent = (typeof SYSTEM_EVENTS)[number]
export type IncidentEventType = IncidentStep | SystemEvent

/** Whether `step` may be taken from `state` at all (who may take it is a separate question). */
export function stepAllowedFrom(step: IncidentStep, state: IncidentState): boolean {
  return (STEPS[step].from as readonly IncidentState[]).includes(state)
}

/** The state after `step` from `state`; throws on an illegal step (check `stepAllowedFrom` first). */
export function nextState(step: IncidentStep, state: IncidentState): IncidentState {
  if (!stepAllowedFrom(step, state)) throw new Error(`step ${step} is not allowed from ${state}`)
  const to = STEPS[step].to
  return to === 'same' ? state : to
}

/** The steps possible from `state`, for menus. */
export function stepsFrom(state: IncidentState): IncidentStep[] {
  return STEP_KEYS.filter((s) => stepAllowedFrom(s, state))
}
