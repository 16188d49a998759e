import {
  GezhiError, type Incident, type IncidentEvent, type IncidentStep, type LngLat, type ReportBody, shareOfLimitAt,
  addTimeLimit, type StepBody, toWgs84,
} from '@gezhi/geo'
import type { Db, Queryable } from '../../db/db.ts'
import type { Actor } from '../../plugins/auth.ts'
import { locateRepository } from '../locate/locate.repository.ts'
import type { ReferenceCache } from '../reference/reference.cache.ts'
import type { IncidentMutable, IncidentRecord } from './incident-record.ts'
import { type EventRow, normaliseIncident, type RecordRow, toEvent, toRecord, updateParams } from './incident-rows.ts'
import * as Q from './incidents.queries.ts'
import { scopeParams } from './incidents.scope.ts'
import { actorRelations, applyStep, authorizeStep } from './incidents.workflow.ts'
import { type IncomingPhoto, type PhotoKind, photoStore } from './photos.ts'
import { trackingToken, verifyTrackingToken } from './tracking-token.ts'

export interface IncidentServiceOptions {
  db: Db
  reference: ReferenceCache
  secret: string
  dataDir: string
  /** Share of a stage's time limit after which a warning is raised. */
  warnShare?: number
  /** Reports farther than this outside every grid are refused; nearer ones go to the nearest grid. */
  maxOutsideM?: number
  /** Cases of one category within the duplicate radius in 30 days that flag a place for review (复诊). */
  repeatThreshold?: number
  now?: () => Date
  /** Called after every committed change: lets the live stream number and publish it without waiting to poll. */
  onCommitted?: () => void
}

/** Extra facts a report may carry when it comes through an import or another platform. */
export interface ReportOptions {
  reportedAt?: Date
  externalId?: string
}

const actorName = (actor: Actor, fallback = '群众') => (actor.kind === 'user' ? actor.name : actor.kind === 'system' ? '系统' : fallback)
const actorId = (actor: Actor) => (actor.kind === 'user' ? actor.id : null)

/** `YYYYMMDD-NNNNNN` in Beijing time: readable on a phone call, unique by the id. */
function caseNumber(id: number, reportedAt: Date): string {
  const local = new Date(reportedAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '')
  return `${local}-${String(id).padStart(6, '0')}`
}

/**
 * The closed loop as a service: report, take steps, read. Every change is one transaction that
 * writes the case's new state and its event together; photos are written first and removed
 * again if the transaction fails, so a refused request leaves nothing behind.
 */
export function incidentService(options: IncidentServiceOptions) {
  const { db, reference, secret } = options
  const warnShare = options.warnShare ?? 0.8
  const maxOutsideM = options.maxOutsideM ?? 1000
  const repeatThreshold = options.repeatThreshold ?? 3
  const now = options.now ?? (() => new Date())
  const locator = locateRepository(db)
  const store = photoStore(options.dataDir)

  async function insertEvent(tx: Queryable, incidentId: number, type: string, from: string | null, to: string | null, actor: Actor, at: Date, note: string, photos: number[], data: object, fallbackName?: string): Promise<number> {
    const [row] = await tx.query<{ id: number }>(Q.INSERT_EVENT, [incidentId, type, from, to, actor.kind === 'user' ? actor.role : actor.kind, actorId(actor), actorName(actor, fallbackName), at, note, photos, JSON.stringify(data)])
    return row!.id
  }

  async function insertPhotos(tx: Queryable, incidentId: number, photos: IncomingPhoto[], paths: string[], at: Date, kindOverride?: PhotoKind): Promise<number[]> {
    const ids: number[] = []
    for (const [i, p] of photos.entries()) {
      const [row] = await tx.query<{ id: number }>(Q.INSERT_PHOTO, [incidentId, kindOverride ?? p.kind, paths[i], p.mime, p.bytes.length, p.sha256, at])
      ids.push(row!.id)
    }
    return ids
  }

  /** Runs `work` with the photos stored; removes newly stored files if it throws. */
  async function withPhotos<T>(photos: IncomingPhoto[], work: (paths: string[]) => Promise<T>): Promise<T> {
    const { relativePaths, created } = store.store(photos)
    try {
      return await work(relativePaths)
    } catch (error) {
      store.discard(created)
      throw error
    }
  }

  function stepContext(record: IncidentRecord, whistled: Array<{ departmentId: number; reportedIn: boolean; replied: boolean }>, photoCount: number, at: Date) {
    const category = reference.category(record.categoryCode)
    return {
      now: at, calendar: reference.calendar(), limits: category.limits, handlingLevel: category.handlingLevel,
      departmentIds: category.departmentIds, whistled, warnShare, photoCount,
    }
  }

  async function view(actor: Actor, id: number): Promise<Incident> {
    const [row] = await db.query<{ incident: Incident }>(Q.INCIDENT_VIEW, [...scopeParams(actor), actor.kind === 'user', id])
    if (!row) throw new GezhiError('INCIDENT_NOT_FOUND', `no case with id ${id}`)
    return normaliseIncident(row.incident)
  }

  /** The case as its reporter may see it: no reporter contact, no scope needed. */
  async function viewAsReporter(id: number): Promise<Incident> {
    return view({ kind: 'system' }, id).then((incident) => ({ ...incident, reporter: undefined }))
  }

  async function similar(position: LngLat, categoryCode: string, excludeId: number | null = null) {
    const category = reference.category(categoryCode)
    const rows = await db.query<{ id: number; number: string; state: string; description: string; reported_at: Date; distance_m: number }>(
      Q.SIMILAR_OPEN, [position[0], position[1], categoryCode, category.duplicateRadiusM, excludeId])
    return rows.map((r) => ({ id: r.id, number: r.number, state: r.state, description: r.description, distanceM: r.distance_m, reportedAt: r.reported_at.toISOString() }))
  }

  async function existingForKey(actor: Actor, key: string, body: ReportBody) {
    const [existing] = await db.query<{ id: number; number: string; category_code: string; description: string }>(Q.BY_IDEMPOTENCY_KEY, [key])
    if (!existing) return null
    if (existing.category_code !== body.category || existing.description !== body.description) {
      throw new GezhiError('IDEMPOTENCY_KEY_REUSED', `idempotency key already used for case ${existing.number} with different content; use a new key for a new report`)
    }
    const incident = actor.kind === 'user' ? await view({ kind: 'system' }, existing.id) : await viewAsReporter(existing.id)
    return { created: false, incident, trackingToken: trackingToken(secret, existing.number), similar: [] }
  }

  return {
    view,
    viewAsReporter,
    similar,

    async report(actor: Actor, body: ReportBody, photos: IncomingPhoto[], opts: ReportOptions = {}) {
      if (body.idempotencyKey) {
        const existing = await existingForKey(actor, body.idempotencyKey, body)
        if (existing) return existing
      }
      if (opts.externalId) {
        const [dup] = await db.query<{ id: number; number: string }>(Q.BY_EXTERNAL_ID, [opts.externalId])
        if (dup) return { created: false, incident: await view({ kind: 'system' }, dup.id), trackingToken: trackingToken(secret, dup.number), similar: [] }
      }
      const category = reference.category(body.category)
      const crs = body.location.crs ?? 'wgs84'
      const position = toWgs84([body.location.lng, body.location.lat], crs)
      const reportedAt = opts.reportedAt ?? now()
      const routed = await locator.locate(position, reportedAt.toISOString())
      const leaf = routed.leaf ?? routed.nearest?.grid ?? null
      if (!leaf || (routed.outside && routed.nearest!.distanceM > maxOutsideM)) {
        throw new GezhiError('LOCATION_OUTSIDE_TERRITORY', `the location is ${Math.round(routed.nearest?.distanceM ?? Infinity)} m outside every grid (more than ${maxOutsideM} m); check the coordinates and their crs`)
      }
      const [path] = await db.query<{ path: number[] }>('SELECT path FROM grids WHERE id = $1', [leaf.id])
      const gridPath = path!.path
      if (body.selfHandled) {
        const fixer = actor.kind === 'user' && (actor.role === 'worker' || actor.role === 'leader') && actor.gridPath && gridPath[actor.gridPath.length - 1] === actor.gridPath.at(-1)
        if (!fixer) throw new GezhiError('FORBIDDEN', 'only a grid worker or leader of this grid may report a case as fixed on the spot (自行处置)')
        if (!photos.some((p) => p.kind === 'after')) throw new GezhiError('PHOTO_REQUIRED', 'a case fixed on the spot needs at least one `after` photo')
      }
      const offered = await similar(position, body.category)
      const calendar = reference.calendar()
      const dueDispatchAt = addTimeLimit(reportedAt, category.limits.dispatch, calendar)

      const created = await withPhotos(photos, (paths) => db.transaction(async (tx) => {
        const [{ id }] = (await tx.query<{ id: number }>(Q.NEXT_INCIDENT_ID)) as [{ id: number }]
        const number = caseNumber(id, reportedAt)
        const warnAt = shareOfLimitAt(reportedAt, category.limits.dispatch, warnShare, calendar)
        await tx.query(Q.INSERT_INCIDENT, [
          id, number, body.source, category.code, body.kind ?? (category.handlingLevel === 0 ? 'coordinated' : 'committed'), body.description.trim(), body.address ?? null,
          position[0], position[1], body.location.lng, body.location.lat, crs, routed.generation.id, leaf.id, gridPath, routed.outside,
          routed.nearest?.distanceM ?? 0, body.reporter?.name ?? null, body.reporter?.phone ?? null, actorId(actor),
          body.idempotencyKey ?? null, opts.externalId ?? null, reportedAt, dueDispatchAt, warnAt,
        ])
        const photoIds = await insertPhotos(tx, id, photos, paths, reportedAt)
        const [lockedRow] = await tx.query<RecordRow>(Q.LOCK_INCIDENT, ['system', null, null, id])
        let record = toRecord(lockedRow!)
        const initial: Partial<IncidentMutable> = Object.fromEntries(Object.entries(record).filter(([k]) => !['id', 'number', 'categoryCode', 'gridPath', 'reportedAt', 'dueDispatchAt'].includes(k)))
        await insertEvent(tx, id, 'reported', null, 'reported', actor, reportedAt, body.description, photoIds, { source: body.source, set: initial }, body.reporter?.name)
        if (body.selfHandled) {
          const { next, set } = applyStep(record, 'self_handle', {}, stepContext(record, [], photos.length, reportedAt))
          await tx.query(Q.UPDATE_INCIDENT, updateParams(next))
          await insertEvent(tx, id, 'self_handle', 'reported', next.state, actor, reportedAt, '', photoIds, { set })
          record = next
        }
        const radius = Math.max(category.duplicateRadiusM, 50)
        const [repeats] = await tx.query<{ n: number }>(Q.REPEATS_NEAR, [position[0], position[1], category.code, radius, reportedAt])
        if (repeats!.n >= repeatThreshold) {
          const next = { ...record, repeatFlag: true }
          await tx.query(Q.UPDATE_INCIDENT, updateParams(next))
          await insertEvent(tx, id, 'repeat_flagged', record.state, record.state, { kind: 'system' }, reportedAt, `${repeats!.n} cases of this category within ${radius} m in 30 days`, [], { set: { repeatFlag: true }, count: repeats!.n })
        }
        return { id, number }
      })).catch(async (error: { code?: string; constraint?: string }) => {
        // A concurrent retry with the same key won the race: answer with its case.
        if (error.code === '23505' && body.idempotencyKey && String(error.constraint ?? '').includes('idempotency')) {
          const existing = await existingForKey(actor, body.idempotencyKey, body)
          if (existing) return existing
        }
        throw error
      })
      if ('created' in created) return created
      options.onCommitted?.()
      const incident = actor.kind === 'user' ? await view({ kind: 'system' }, created.id) : await viewAsReporter(created.id)
      return { created: true, incident, trackingToken: trackingToken(secret, created.number), similar: offered }
    },

    /** Takes `step` on case `id` as `actor`; `asReporter` when the actor proved the case's tracking token. */
    async step(actor: Actor, id: number, step: IncidentStep, input: StepBody, photos: IncomingPhoto[], asReporter = false): Promise<{ incident: Incident; event: IncidentEvent }> {
      const at = now()
      const eventId = await withPhotos(photos, (paths) => db.transaction(async (tx) => {
        const scope = asReporter ? scopeParams({ kind: 'system' }) : scopeParams(actor)
        const [row] = await tx.query<RecordRow>(Q.LOCK_INCIDENT, [...scope, id])
        if (!row) throw new GezhiError('INCIDENT_NOT_FOUND', `no case with id ${id}`)
        const record = toRecord(row)
        // Departments called in matter only to department staff and to a coordinated case.
        const needsWhistled = record.state === 'coordinating' || (actor.kind === 'user' && actor.role === 'department')
        let whistled = needsWhistled
          ? (await tx.query<{ department_id: number; reported_in: boolean; replied: boolean }>(Q.WHISTLED, [id])).map((w) => ({ departmentId: w.department_id, reportedIn: w.reported_in, replied: w.replied }))
          : []
        const relations = actorRelations(actor, record, whistled.map((w) => w.departmentId))
        if (asReporter) relations.add('reporter')
        authorizeStep(step, record, relations, actor)

        if (step === 'whistle') {
          const [{ n }] = (await tx.query<{ n: number }>(Q.DEPARTMENTS_EXIST, [input.departmentIds ?? []])) as [{ n: number }]
          if (!input.departmentIds?.length || n !== input.departmentIds.length) throw new GezhiError('DEPARTMENT_NOT_FOUND', 'whistle needs departmentIds of existing departments (GET /api/departments)')
          await tx.query(Q.CALL_IN, [id, input.departmentIds, at])
        }
        if (step === 'dispatch' && input.departmentIds) {
          const [{ n }] = (await tx.query<{ n: number }>(Q.DEPARTMENTS_EXIST, [input.departmentIds])) as [{ n: number }]
          if (n !== input.departmentIds.length) throw new GezhiError('DEPARTMENT_NOT_FOUND', 'unknown department in departmentIds (GET /api/departments)')
        }
        if (step === 'report_in' || step === 'reply') {
          const departmentId = actor.kind === 'user' ? actor.departmentId : null
          const done = await tx.query(step === 'report_in' ? Q.REPORT_IN : Q.REPLY, step === 'report_in' ? [id, departmentId, at] : [id, departmentId, at, input.note ?? ''])
          if (done.length === 0) throw new GezhiError('INCIDENT_NOT_WHISTLED', `your department has already ${step === 'report_in' ? 'reported in' : 'replied'} on case ${record.number}`)
          whistled = whistled.map((w) => (w.departmentId === departmentId ? { ...w, reportedIn: true, replied: w.replied || step === 'reply' } : w))
        }
        const { next, set } = applyStep(record, step, input, stepContext(record, whistled, photos.length, at))
        await tx.query(Q.UPDATE_INCIDENT, updateParams(next))
        const kind: PhotoKind | undefined = step === 'reply' ? 'reply' : undefined
        const photoIds = await insertPhotos(tx, id, photos, paths, at, kind)
        return insertEvent(tx, id, step, record.state, next.state, actor, at, input.note ?? '', photoIds, { input: { ...input, note: undefined }, set }, asReporter ? '报告人' : undefined)
      }))
      options.onCommitted?.()
      const [event] = await db.query<EventRow>(Q.EVENT_BY_ID, [eventId])
      return { incident: await (asReporter ? viewAsReporter(id) : view(actor.kind === 'public' ? { kind: 'system' } : actor, id)), event: toEvent(event!) }
    },

    /** The case a tracking token proves, or 404. */
    async idForToken(token: string): Promise<number> {
      const number = verifyTrackingToken(secret, token)
      const [row] = number ? await db.query<{ id: number }>('SELECT id FROM incidents WHERE number = $1', [number]) : []
      if (!row) throw new GezhiError('INCIDENT_NOT_FOUND', 'no case for this tracking token')
      return row.id
    },

    async events(actor: Actor, id: number): Promise<IncidentEvent[]> {
      const rows = await db.query<EventRow>(Q.INCIDENT_EVENTS, [...scopeParams(actor), id])
      if (rows.length === 0) throw new GezhiError('INCIDENT_NOT_FOUND', `no case with id ${id}`)
      return rows.map(toEvent)
    },

    /** "Me too": a reporter joins an open case instead of filing a duplicate. */
    async join(actor: Actor, id: number, body: { source: string; reporter?: { name?: string; phone?: string }; note?: string }) {
      const at = now()
      const number = await db.transaction(async (tx) => {
        const [row] = await tx.query<RecordRow>(Q.LOCK_INCIDENT, ['system', null, null, id])
        if (!row || ['closed', 'evaluated', 'rejected', 'voided'].includes(row.state)) throw new GezhiError('INCIDENT_NOT_FOUND', `no open case with id ${id} to join`)
        const [follower] = await tx.query<{ id: number }>(Q.INSERT_FOLLOWER, [id, body.source, body.reporter?.name ?? null, body.reporter?.phone ?? null, body.note ?? '', at])
        await insertEvent(tx, id, 'joined', row.state, row.state, actor, at, body.note ?? '', [], { followerId: follower!.id, source: body.source }, body.reporter?.name)
        return row.number
      })
      options.onCommitted?.()
      return { incident: await viewAsReporter(id), trackingToken: trackingToken(secret, number) }
    },

    photoPath: (relative: string) => store.absolute(relative),
  }
}

export type IncidentService = ReturnType<typeof incidentService>
