import type { IncidentState, ReportBody } from '@gezhi/geo'
import { Open311Error } from './open311.errors.ts'
import { statesWithStatus } from './open311.mapping.ts'

/**
 * What Open311 clients send, turned into what Gezhi needs — or a 400 that says what to send.
 * Pure functions: the routes look up categories and write; these only read arguments.
 */

/** POST requests arguments, all text as form encoding delivers them (`attribute[code]` aside). */
export interface RequestForm {
  api_key?: string; jurisdiction_id?: string; service_code: string
  lat?: string; long?: string; address_string?: string; address_id?: string
  email?: string; device_id?: string; account_id?: string; first_name?: string; last_name?: string; phone?: string
  description?: string; media_url?: string
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/

function degrees(text: string, name: 'lat' | 'long', limit: number): number {
  const value = DECIMAL.test(text.trim()) ? Number(text) : NaN
  if (!Number.isFinite(value) || Math.abs(value) > limit) {
    throw new Open311Error(400, `${name} must be a decimal number of degrees (WGS-84) between -${limit} and ${limit}; got ${JSON.stringify(text.slice(0, 40))}`)
  }
  return value
}

/**
 * The location as WGS-84, which is what GeoReport v2 specifies for lat/long. The spec also
 * accepts address_string or address_id alone, but Gezhi routes a case to its grid by its
 * coordinates and has no address register to look them up in: those alone are refused.
 */
export function locationOf(form: RequestForm): ReportBody['location'] {
  if (form.lat === undefined && form.long === undefined) {
    const only = form.address_string !== undefined ? 'address_string' : form.address_id !== undefined ? 'address_id' : null
    throw new Open311Error(400, only
      ? `${only} alone cannot be located: this endpoint routes every request to the responsible grid by its coordinates, so send lat and long (WGS-84) as well`
      : 'a location is required: send lat and long (WGS-84 degrees)')
  }
  if (form.lat === undefined || form.long === undefined) throw new Open311Error(400, `lat and long must both be sent; ${form.lat === undefined ? 'lat' : 'long'} is missing`)
  return { lng: degrees(form.long, 'long', 180), lat: degrees(form.lat, 'lat', 90), crs: 'wgs84' }
}

const PHONE = /^[0-9+\- ]{5,20}$/

/**
 * The reporter's name and phone, kept for staff only (never published). GeoReport splits names
 * into first and last; a Chinese name is written family name first without a space.
 * email, device_id and account_id have nowhere to go in a case and are not kept.
 */
export function reporterOf(form: RequestForm): ReportBody['reporter'] {
  const [first, last] = [form.first_name?.trim() ?? '', form.last_name?.trim() ?? '']
  const han = /\p{Script=Han}/u
  const name = han.test(first + last) ? `${last}${first}` : [first, last].filter(Boolean).join(' ')
  if (name.length > 50) throw new Open311Error(400, 'first_name and last_name together must not be longer than 50 characters')
  let phone: string | undefined
  if (form.phone !== undefined) {
    phone = form.phone.replace(/[().]/g, ' ').replace(/\s+/g, ' ').trim()
    if (!PHONE.test(phone)) throw new Open311Error(400, 'phone must be 5–20 digits (spaces, +, -, parentheses allowed)')
  }
  if (!name && !phone) return undefined
  return { ...(name ? { name } : {}), ...(phone ? { phone } : {}) }
}

/** A media_url is stored as text, never fetched: only a plain http(s) URL is accepted. */
export function mediaUrlOf(form: RequestForm): string | undefined {
  if (form.media_url === undefined) return undefined
  let url: URL | null = null
  try { url = new URL(form.media_url.trim()) } catch { /* refused below */ }
  if (!url || !['http:', 'https:'].includes(url.protocol) || /\s/.test(form.media_url.trim())) {
    throw new Open311Error(400, 'media_url must be an http or https URL')
  }
  return url.href
}

const CASE_NUMBER = /^\d{8}-\d{6}$/
export const isCaseNumber = (text: string) => CASE_NUMBER.test(text)

/** GET requests arguments (all optional). */
export interface RequestsQuery {
  jurisdiction_id?: string; service_request_id?: string; service_code?: string
  start_date?: string; end_date?: string; status?: string
}

export interface RequestFilters {
  /** Case numbers asked for: when given, they override every other filter (spec). */
  numbers: string[] | null
  codes: string[] | null
  start: Date
  end: Date
  states: IncidentState[] | null
}

export const WINDOW_DAYS = 90
/** The spec's "first 1000 requests returned". */
export const MAX_REQUESTS = 1000
const MAX_IDS = 200
const DAY_MS = 86_400_000

const list = (text: string | undefined) => (text === undefined ? null : text.split(',').map((s) => s.trim()).filter(Boolean))

/**
 * A W3C datetime with its time zone (the spec requires one): `2010-01-01T00:00:00Z` or
 * `…+08:00`. A `+` sent unencoded in a query string arrives as a space; that is read as `+`.
 */
export function w3Date(text: string, name: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+\- ]\d{2}:\d{2})$/.exec(text.trim())
  const [year, month, day, hour, minute, second] = m ? [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number] : []
  const daysInMonth = m ? new Date(Date.UTC(year!, month!, 0)).getUTCDate() : 0
  const date = m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${m[7] ?? ''}${m[8]!.replace(' ', '+')}`) : null
  if (!date || Number.isNaN(date.getTime()) || month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth || hour! > 23 || minute! > 59 || second! > 59) {
    throw new Open311Error(400, `${name} must be a W3C datetime with a time zone, e.g. 2010-01-01T00:00:00Z or 2010-01-01T08:00:00+08:00; got ${JSON.stringify(text.slice(0, 40))}`)
  }
  return date
}

/**
 * The filters of GET requests. Without dates the window is the last 90 days; with one date it is
 * the 90 days from (or up to) it; with both it may not span more than 90 days.
 */
export function filtersOf(query: RequestsQuery, now: Date, isService: (code: string) => boolean): RequestFilters {
  const numbers = list(query.service_request_id)
  if (numbers && numbers.length > MAX_IDS) throw new Open311Error(400, `at most ${MAX_IDS} service_request_id at once`)
  const codes = list(query.service_code)
  const unknown = codes?.find((c) => !isService(c))
  if (unknown !== undefined) throw new Open311Error(400, `unknown service_code ${unknown}; GET services.json lists them`)

  const start = query.start_date === undefined ? null : w3Date(query.start_date, 'start_date')
  const end = query.end_date === undefined ? null : w3Date(query.end_date, 'end_date')
  const window = WINDOW_DAYS * DAY_MS
  const [from, to] = start && end ? [start, end] : start ? [start, new Date(start.getTime() + window)] : end ? [new Date(end.getTime() - window), end] : [new Date(now.getTime() - window), now]
  if (from > to) throw new Open311Error(400, 'start_date is after end_date')
  if (to.getTime() - from.getTime() > window) throw new Open311Error(400, `start_date and end_date may not span more than ${WINDOW_DAYS} days`)

  let states: IncidentState[] | null = null
  const statuses = list(query.status)
  if (statuses) {
    const bad = statuses.find((s) => s !== 'open' && s !== 'closed')
    if (bad !== undefined) throw new Open311Error(400, `status must be open or closed (comma-separated for both); got ${JSON.stringify(bad.slice(0, 20))}`)
    const wanted = new Set(statuses as Array<'open' | 'closed'>)
    states = wanted.size === 2 ? null : statesWithStatus([...wanted][0]!)
  }
  return { numbers: numbers && numbers.filter(isCaseNumber), codes, start: from, end: to, states }
}
