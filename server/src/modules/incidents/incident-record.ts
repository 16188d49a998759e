import type { IncidentState, TimeLimit } from '@gezhi/geo'

/**
 * A case as the workflow sees it. The immutable part is fixed at report time (routing, category,
 * report time); the mutable part is what steps change, written back whole in one UPDATE and
 * recorded as a diff in the step's event, so a case's history replays from its events.
 * Times are ISO strings.
 */
export interface IncidentFacts {
  id: number
  number: string
  categoryCode: string
  /** Leaf grid's path, top level first: grid at level L is gridPath[L − 1]. Frozen at report time. */
  gridPath: number[]
  reportedAt: string
  dueDispatchAt: string
}

export interface IncidentMutable {
  state: IncidentState
  unitLevel: number | null
  unitGridId: number | null
  unitDepartments: number[]
  supervised: boolean
  extensionRequest: TimeLimit | null
  repeatFlag: boolean
  dispatchCount: number
  returnCount: number
  reworkCount: number
  filedAt: string | null
  dispatchedAt: string | null
  acceptedAt: string | null
  handledAt: string | null
  closedAt: string | null
  dueHandleAt: string | null
  dueCheckAt: string | null
  dueCloseAt: string | null
  warnAt: string | null
  dueAt: string | null
  warnedAt: string | null
  stageOverdue: boolean
  overdueAt: string | null
  handledOnTime: boolean | null
  closedOnTime: boolean | null
  rating: number | null
  ratingComment: string | null
}

export type IncidentRecord = IncidentFacts & IncidentMutable

export const MUTABLE_FIELDS = [
  'state', 'unitLevel', 'unitGridId', 'unitDepartments', 'supervised', 'extensionRequest', 'repeatFlag',
  'dispatchCount', 'returnCount', 'reworkCount', 'filedAt', 'dispatchedAt', 'acceptedAt', 'handledAt', 'closedAt',
  'dueHandleAt', 'dueCheckAt', 'dueCloseAt', 'warnAt', 'dueAt', 'warnedAt', 'stageOverdue', 'overdueAt',
  'handledOnTime', 'closedOnTime', 'rating', 'ratingComment',
] as const satisfies ReadonlyArray<keyof IncidentMutable>

/** The fields of `next` that differ from `prev`: what an event records. */
export function diffMutable(prev: IncidentMutable, next: IncidentMutable): Partial<IncidentMutable> {
  const set: Record<string, unknown> = {}
  for (const field of MUTABLE_FIELDS) {
    if (JSON.stringify(prev[field]) !== JSON.stringify(next[field])) set[field] = next[field]
  }
  return set as Partial<IncidentMutable>
}

/** Rebuilds the mutable state from the `set` diffs of a case's events, in order (the first, `reported`, sets everything). */
export function replay(diffs: Array<Partial<IncidentMutable>>): IncidentMutable {
  return Object.assign({}, ...diffs) as IncidentMutable
}
