import { createReadStream } from 'node:fs'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import {
  ApiErrorSchema, GezhiError, IdParam, IncidentEventSchema, IncidentListQuerySchema, IncidentPageSchema, IncidentSchema,
  type IncidentSource, INCIDENT_STATE_KEYS, OPEN_STATES, parseBBox, ReportAnswerSchema, ReportBodySchema, SimilarIncidentSchema,
  SimilarQuerySchema, StepAnswerSchema, StepBodySchema, StepParamsSchema, toWgs84, INCIDENT_SOURCE_KEYS,
} from '@gezhi/geo'
import type { Actor } from '../../plugins/auth.ts'
import { userOf } from '../../plugins/auth.ts'
import { multipartJson, photosOf } from './photos.ts'
import { INCIDENT_LIST, PHOTO_BY_ID } from './incidents.queries.ts'
import { scopeParams } from './incidents.scope.ts'
import { normaliseIncident } from './incident-rows.ts'
import type { Incident } from '@gezhi/geo'

const errors = { 400: ApiErrorSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema, 409: ApiErrorSchema, 413: ApiErrorSchema, 415: ApiErrorSchema, 422: ApiErrorSchema }

/** Which sources each kind of reporter may claim: a resident cannot file as the hotline. */
function allowedSources(actor: Actor): readonly IncidentSource[] {
  if (actor.kind !== 'user') return ['resident', 'supervisor']
  if (actor.role === 'admin' || actor.role === 'commander') return INCIDENT_SOURCE_KEYS.filter((s) => s !== 'open311')
  if (actor.role === 'leader' || actor.role === 'worker') return ['patrol', 'resident', 'supervisor']
  return ['resident', 'supervisor']
}

const MeTooBodySchema = Type.Object(
  {
    source: Type.Enum(['resident', 'supervisor', 'patrol', 'hotline']),
    reporter: Type.Optional(Type.Object({ name: Type.Optional(Type.String({ maxLength: 50 })), phone: Type.Optional(Type.String({ pattern: '^[0-9+\\- ]{5,20}$' })) }, { additionalProperties: false })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)
const TrackParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 80 }) })
const EvaluateBody = Type.Object({ rating: Type.Integer({ minimum: 1, maximum: 5 }), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false })

/** The case routes: report, follow, take steps. */
const incidentsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const incidents = app.incidents

  app.post('/incidents', {
    schema: {
      tags: ['incidents'],
      summary: 'Report a case (JSON, or multipart/form-data with the JSON in `data` and up to 9 `photos`)',
      description: 'Routed to the grid responsible for the location at every level; the boundary generation used is kept with the case. A retry with the same idempotencyKey returns the same case.',
      body: ReportBodySchema,
      response: { 200: ReportAnswerSchema, 201: ReportAnswerSchema, ...errors },
    },
    preValidation: multipartJson,
  }, async (request, reply) => {
    const allowed = allowedSources(request.actor)
    if (!allowed.includes(request.body.source)) throw new GezhiError('FORBIDDEN', `source "${request.body.source}" is not yours to claim; you may report as ${allowed.join(', ')}`)
    const answer = await incidents.report(request.actor, request.body, photosOf(request))
    return reply.status(answer.created ? 201 : 200).send(answer)
  })

  app.get('/incidents/similar', {
    schema: {
      tags: ['incidents'],
      summary: 'Open cases of a category near a point, to join ("me too") instead of filing a duplicate',
      querystring: SimilarQuerySchema,
      response: { 200: Type.Array(SimilarIncidentSchema), ...errors },
    },
  }, (request) => incidents.similar(toWgs84([request.query.lng, request.query.lat], request.query.crs ?? 'wgs84'), request.query.category))

  app.post('/incidents/:id/me-too', {
    schema: {
      tags: ['incidents'], summary: 'Join an open case ("me too"); answers with a tracking token for it',
      params: IdParam, body: MeTooBodySchema,
      response: { 200: Type.Object({ incident: IncidentSchema, trackingToken: Type.String() }), ...errors },
    },
  }, (request) => incidents.join(request.actor, request.params.id, request.body))

  app.get('/incidents', {
    schema: {
      tags: ['incidents'], summary: 'Cases in your scope, newest first', security: [{ bearer: [] }],
      querystring: IncidentListQuerySchema, response: { 200: IncidentPageSchema, ...errors },
    },
    onRequest: app.requireUser,
  }, async (request) => {
    const q = request.query
    const states = q.state === undefined ? null : q.state === 'open' ? OPEN_STATES : q.state.split(',').map((s) => s.trim())
    const unknown = states?.filter((s) => !(INCIDENT_STATE_KEYS as string[]).includes(s))
    if (unknown?.length) throw new GezhiError('VALIDATION_FAILED', `unknown state ${unknown.join(', ')}; states are ${INCIDENT_STATE_KEYS.join(', ')} or "open"`)
    let bbox: number[] = [NaN, NaN, NaN, NaN]
    if (q.bbox !== undefined) {
      const parsed = parseBBox(q.bbox)
      if (!parsed.valid) throw new GezhiError('BBOX_INVALID', parsed.reason)
      bbox = parsed.bbox
    }
    const limit = q.limit ?? 100
    const rows = await app.db.query<{ incident: Incident; id: number }>(INCIDENT_LIST, [
      ...scopeParams(request.actor), true, states, q.category ?? null, q.grid ?? null, ...bbox.map((v) => (Number.isNaN(v) ? null : v)),
      q.q ?? null, q.overdue ?? null, q.from ?? null, q.to ?? null, q.before ?? null, limit,
    ])
    return { items: rows.map((r) => normaliseIncident(r.incident)), nextBefore: rows.length === limit ? rows.at(-1)!.id : null }
  })

  app.get('/incidents/:id', {
    schema: { tags: ['incidents'], summary: 'One case in your scope', security: [{ bearer: [] }], params: IdParam, response: { 200: IncidentSchema, ...errors } },
    onRequest: app.requireUser,
  }, (request) => incidents.view(userOf(request), request.params.id))

  app.get('/incidents/:id/events', {
    schema: {
      tags: ['incidents'], summary: "A case's history: every step and fact, in order", security: [{ bearer: [] }],
      params: IdParam, response: { 200: Type.Array(IncidentEventSchema), ...errors },
    },
    onRequest: app.requireUser,
  }, (request) => incidents.events(userOf(request), request.params.id))

  app.post('/incidents/:id/steps/:step', {
    schema: {
      tags: ['incidents'],
      summary: 'Take a step of the closed loop (立案, 派遣, 签收, 处置, 核查, 吹哨 …); multipart for photos (`before`, `after`, `reply`)',
      description: 'An illegal step answers 409 INCIDENT_ILLEGAL_TRANSITION; a step outside your role 403; a case outside your scope 404. Nothing is written unless everything succeeds.',
      security: [{ bearer: [] }],
      params: StepParamsSchema, body: StepBodySchema,
      response: { 200: StepAnswerSchema, ...errors },
    },
    preValidation: multipartJson,
    onRequest: app.requireUser,
  }, (request) => incidents.step(userOf(request), request.params.id, request.params.step, request.body ?? {}, photosOf(request)))

  app.get('/track/:token', {
    schema: {
      tags: ['incidents'], summary: 'Follow your own case with its tracking token (no account needed)',
      params: TrackParams,
      response: { 200: Type.Object({ incident: IncidentSchema, timeline: Type.Array(Type.Object({ type: Type.String(), toState: Type.Union([Type.String(), Type.Null()]), at: Type.String() })) }), ...errors },
    },
  }, async (request) => {
    const id = await incidents.idForToken(request.params.token)
    const events = await incidents.events({ kind: 'system' }, id)
    return { incident: await incidents.viewAsReporter(id), timeline: events.map((e) => ({ type: e.type, toState: e.toState, at: e.at })) }
  })

  app.post('/track/:token/evaluate', {
    schema: { tags: ['incidents'], summary: 'Rate the result of your closed case (评价), 1–5', params: TrackParams, body: EvaluateBody, response: { 200: StepAnswerSchema, ...errors } },
  }, async (request) => {
    const id = await incidents.idForToken(request.params.token)
    return incidents.step({ kind: 'public' }, id, 'evaluate', request.body, [], true)
  })

  app.get('/photos/:id', {
    schema: { tags: ['incidents'], summary: 'A photo of a case in your scope', security: [{ bearer: [] }], params: IdParam, response: { 401: ApiErrorSchema, 404: ApiErrorSchema } },
    onRequest: app.requireUser,
  }, async (request, reply) => {
    const [photo] = await app.db.query<{ path: string; mime: string }>(PHOTO_BY_ID, [...scopeParams(request.actor), request.params.id])
    if (!photo) throw new GezhiError('PHOTO_NOT_FOUND', `no photo with id ${request.params.id}`)
    return reply.type(photo.mime).header('cache-control', 'private, max-age=86400').send(createReadStream(incidents.photoPath(photo.path)) as never)
  })
}

export default incidentsRoutes
