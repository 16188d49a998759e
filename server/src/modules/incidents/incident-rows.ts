import type { Incident, IncidentEvent, IncidentState, TimeLimit } from '@gezhi/geo'
import type { IncidentRecord } from './incident-record.ts'

/** A row of LOCK_INCIDENT (snake_case, Dates) as the workflow's record (camelCase, ISO strings). */
export interface RecordRow {
  id: number; number: string; category_code: string; grid_path: number[]; reported_at: Date; due_dispatch_at: Date
  state: IncidentState; unit_level: number | null; unit_grid_id: number | null; unit_departments: number[]
  supervised: boolean; extension_request: TimeLimit | null; repeat_flag: boolean
  dispatch_count: number; return_count: number; rework_count: number
  filed_at: Date | null; dispatched_at: Date | null; accepted_at: Date | null; handled_at: Date | null; closed_at: Date | null
  due_handle_at: Date | null; due_check_at: Date | null; due_close_at: Date | null; warn_at: Date | null; due_at: Date | null
  warned_at: Date | null; stage_overdue: boolean; overdue_at: Date | null
  handled_on_time: boolean | null; closed_on_time: boolean | null; rating: number | null; rating_comment: string | null
}

const iso = (d: Date | null) => (d ? d.toISOString() : null)

export function toRecord(r: RecordRow): IncidentRecord {
  return {
    id: r.id, number: r.number, categoryCode: r.category_code, gridPath: r.grid_path,
    reportedAt: r.reported_at.toISOString(), dueDispatchAt: r.due_dispatch_at.toISOString(),
    state: r.state, unitLevel: r.unit_level, unitGridId: r.unit_grid_id, unitDepartments: r.unit_departments,
    supervised: r.supervised, extensionRequest: r.extension_request, repeatFlag: r.repeat_flag,
    dispatchCount: r.dispatch_count, returnCount: r.return_count, reworkCount: r.rework_count,
    filedAt: iso(r.filed_at), dispatchedAt: iso(r.dispatched_at), acceptedAt: iso(r.accepted_at), handledAt: iso(r.handled_at), closedAt: iso(r.closed_at),
    dueHandleAt: iso(r.due_handle_at), dueCheckAt: iso(r.due_check_at), dueCloseAt: iso(r.due_close_at),
    warnAt: iso(r.warn_at), dueAt: iso(r.due_at), warnedAt: iso(r.warned_at), stageOverdue: r.stage_overdue, overdueAt: iso(r.overdue_at),
    handledOnTime: r.handled_on_time, closedOnTime: r.closed_on_time, rating: r.rating, ratingComment: r.rating_comment,
  }
}

/** Parameters of UPDATE_INCIDENT for a record. */
export function updateParams(n: IncidentRecord): unknown[] {
  return [
    n.id, n.state, n.unitLevel, n.unitGridId, n.unitDepartments, n.supervised, n.extensionRequest && JSON.stringify(n.extensionRequest),
    n.repeatFlag, n.dispatchCount, n.returnCount, n.reworkCount, n.filedAt, n.dispatchedAt, n.acceptedAt, n.handledAt, n.closedAt,
    n.dueHandleAt, n.dueCheckAt, n.dueCloseAt, n.warnAt, n.dueAt, n.warnedAt, n.stageOverdue, n.overdueAt,
    n.handledOnTime, n.closedOnTime, n.rating, n.ratingComment,
  ]
}

export interface EventRow {
  id: number; seq: number | null; incident_id: number; type: string; from_state: string | null; to_state: string | null
  actor_kind: string; actor_id: number | null; actor_name: string; at: Date; note: string; photos: number[]; data: Record<string, unknown>
}

export function toEvent(r: EventRow): IncidentEvent {
  return {
    id: r.id, seq: r.seq, incidentId: r.incident_id, type: r.type, fromState: r.from_state, toState: r.to_state,
    actor: { kind: r.actor_kind, id: r.actor_id, name: r.actor_name }, at: r.at.toISOString(), note: r.note, photos: r.photos, data: r.data,
  }
}

/** json_build_object renders timestamptz in the session's zone; the API speaks UTC ISO strings. */
export function normaliseIncident(incident: Incident): Incident {
  const times = Object.fromEntries(Object.entries(incident.times).map(([k, v]) => [k, v === null ? null : new Date(v).toISOString()]))
  return { ...incident, times: times as Incident['times'], reporter: incident.reporter ?? undefined }
}
