import { INCIDENT_STATES, type IncidentState, isOpenState, type TimeLimit } from '@gezhi/geo'
import type { Category } from '../reference/reference.cache.ts'
import type { Value } from './open311.format.ts'

/**
 * Cases ⇄ GeoReport v2 service requests, and categories ⇄ services.
 *
 * Only events (事件) and components (部件) — matters of public space — go through this door.
 * Grid-governance items (综治与民生: disputes, visits to elderly people living alone or people under
 * community correction, help at home) are about people and their homes; the Open311 request
 * list is public, so they are neither offered as services nor listed.
 */
export const OPEN311_KINDS = ['event', 'component'] as const
export const servesCategory = (c: Category) => c.active && (OPEN311_KINDS as readonly string[]).includes(c.kind)

/** GeoReport has two statuses: every state that is still being worked on is open; closed, evaluated, rejected and voided are closed. */
export const open311Status = (state: IncidentState): 'open' | 'closed' => (isOpenState(state) ? 'open' : 'closed')
export const statesWithStatus = (status: 'open' | 'closed'): IncidentState[] => INCIDENT_STATES.filter((s) => open311Status(s.key) === status).map((s) => s.key)

/** W3C datetime in UTC without milliseconds (`2010-01-01T00:00:00Z`), the spec's own example form. */
export const w3 = (d: Date | null): string | null => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : null)

const round = (n: number) => Math.round(n * 100) / 100
/** A time limit in words: 30 分钟, 4 个工作小时, 2 个工作日, 7 天. */
export function limitText(limit: TimeLimit): string {
  const hours = limit.clock === 'urgent_hours' || limit.clock === 'working_hours'
  if (hours && limit.amount < 1) return `${Math.round(limit.amount * 60)} ${limit.clock === 'working_hours' ? '工作分钟' : '分钟'}`
  const unit = { urgent_hours: '小时', working_hours: '个工作小时', working_days: '个工作日', natural_days: '天' }[limit.clock]
  return `${round(limit.amount)} ${unit}`
}

/** What the city commits to for this kind of request (the spec's service_notice): its time limits. */
export function serviceNotice(category: Category | undefined): string | null {
  if (!category) return null
  const { dispatch, handle, check } = category.limits
  return `${category.name}：受理后 ${limitText(dispatch)}内立案派遣，派遣后 ${limitText(handle)}内处置，处置后 ${limitText(check)}内核查结案。`
}

/** One entry of GET services: the service code is the category code (E0102 = 市容环境 / 暴露垃圾). */
export function serviceOf(c: Category): Record<string, Value> {
  return {
    service_code: c.code,
    service_name: c.name,
    description: `${c.majorName} · ${c.name} (${c.nameEn})`,
    metadata: false, // no attributes are defined: the description and the location say it all
    type: 'realtime', // the case is created in the request: its number comes straight back
    keywords: [c.name, c.nameEn, c.majorName, c.code].join(', '),
    group: c.majorName,
  }
}

/**
 * `media_url` is kept as a line at the end of the description — staff see it with the report
 * and open it themselves; the server never fetches it — and given back as media_url.
 */
const MEDIA_MARK = '\n\n附件链接 media_url: '
export const withMedia = (description: string, mediaUrl: string | undefined) => (mediaUrl ? `${description}${MEDIA_MARK}${mediaUrl}` : description)
export function splitMedia(description: string): { description: string; mediaUrl: string | null } {
  const at = description.lastIndexOf(MEDIA_MARK)
  const url = at < 0 ? '' : description.slice(at + MEDIA_MARK.length)
  return /^https?:\/\/\S+$/.test(url) ? { description: description.slice(0, at), mediaUrl: url } : { description, mediaUrl: null }
}

/** A row of REQUESTS_BY_NUMBER / REQUESTS_IN_WINDOW. */
export interface RequestRow {
  id: number; number: string; state: IncidentState; category_code: string; service_name: string; description: string; address: string | null
  lng: number; lat: number; reported_at: Date; updated_at: Date; closed_at: Date | null; due_at: Date | null; due_close_at: Date | null
  stage_overdue: boolean; grid_code: string; place: string; agency: string | null
}

const STATE = new Map(INCIDENT_STATES.map((s) => [s.key as IncidentState, s]))

/**
 * A case as a GeoReport service request. The spec's fields first, then Gezhi's detail under a
 * `gezhi_` prefix: the spec lets an endpoint extend its answers (wiki.open311.org/GeoReport_v2/Extensions,
 * "Extended Attributes"), and the prefix keeps them clear of any future standard field.
 */
export function requestOf(row: RequestRow, category: Category | undefined): Record<string, Value> {
  const status = open311Status(row.state)
  const state = STATE.get(row.state)
  const { description, mediaUrl } = splitMedia(row.description)
  // When it can be expected to be fixed: the close deadline, known once the case is dispatched. The
  // current stage's deadline (30 minutes to dispatch, say) is not that; it is gezhi_due_datetime.
  const expected = status === 'open' && row.state !== 'deferred' ? row.due_close_at : null
  return {
    service_request_id: row.number,
    status,
    status_notes: state ? `${state.name} / ${state.nameEn}` : row.state,
    service_name: row.service_name,
    service_code: row.category_code,
    description,
    agency_responsible: row.agency,
    service_notice: serviceNotice(category),
    requested_datetime: w3(row.reported_at),
    updated_datetime: w3(status === 'closed' ? row.closed_at ?? row.updated_at : row.updated_at),
    expected_datetime: w3(expected),
    address: row.address ?? row.place,
    address_id: null, // no master address register behind the grids
    zipcode: null,
    lat: row.lat,
    long: row.lng,
    media_url: mediaUrl,
    gezhi_number: row.number,
    gezhi_state: row.state,
    gezhi_state_name: state?.name ?? row.state,
    gezhi_grid_code: row.grid_code,
    gezhi_due_datetime: w3(row.due_at),
    gezhi_overdue: row.stage_overdue,
  }
}
