import { createHash } from 'node:crypto'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import type { Category } from '../reference/reference.cache.ts'
import { errorDocument, FORMATS, type Format, formatOf, listOf, send } from './open311.format.ts'
import { Open311Error, toOpen311Error } from './open311.errors.ts'
import { filtersOf, isCaseNumber, locationOf, MAX_REQUESTS, mediaUrlOf, type RequestForm, reporterOf } from './open311.input.ts'
import { apiKeyName } from './open311.keys.ts'
import { OPEN311_KINDS, type RequestRow, requestOf, serviceNotice, serviceOf, servesCategory, withMedia, w3 } from './open311.mapping.ts'
import { NUMBER_FOR_TOKEN, REQUESTS_BY_NUMBER, REQUESTS_IN_WINDOW } from './open311.queries.ts'
import {
  CreatedSchema, DiscoverySchema, ErrorListSchema, FormatParams, ReadQuery, RequestFormSchema, RequestParams, RequestsQuerySchema,
  ServiceDefinitionSchema, ServiceParams, ServiceRequestSchema, ServiceSchema, TokenAnswerSchema, TokenParams,
} from './open311.schemas.ts'

export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2'
const errors = { 400: ErrorListSchema, 403: ErrorListSchema, 404: ErrorListSchema }
const tags = ['open311']
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g

/**
 * The Open311 GeoReport v2 door (wiki.open311.org/GeoReport_v2): other platforms and apps list
 * our services, file cases and follow them. Registered under /open311/v2, outside /api, in a scope
 * of its own: its own body parser (form encoding only), its own error handler and 404, so every
 * answer here — refusals included — is in the spec's format, never in Gezhi's `{ code, message }`.
 */
const open311Routes: FastifyPluginAsyncTypebox = async (app) => {
  app.removeAllContentTypeParsers()
  await app.register(formbody)

  app.setErrorHandler((error, request, reply) => {
    const { status, description } = toOpen311Error(error as FastifyError)
    if (status >= 500) request.log.error({ err: error }, 'open311 request failed')
    return send(reply, formatOf(request), errorDocument(status, description), status)
  })
  const notFound = (request: FastifyRequest, reply: FastifyReply) =>
    send(reply, formatOf(request), errorDocument(404, `no GeoReport v2 resource ${request.method} ${request.url.split('?')[0]}; see ${app.prefix}/discovery.xml`), 404)
  app.setNotFoundHandler(notFound)

  // An unknown format is a resource that does not exist: 404, answered in XML (the required format).
  app.addHook('onRequest', async (request) => {
    const format = (request.params as { format?: string }).format
    if (format !== undefined && !(FORMATS as string[]).includes(format)) throw new Open311Error(404, `format ${JSON.stringify(format.slice(0, 20))} is not served; use .xml or .json`)
  })
  // "A null parameter should be treated as equivalent to a non-declared parameter" (spec, Optional
  // Arguments). Control characters (NUL above all, which PostgreSQL text cannot hold) mean nothing
  // in any argument and are dropped; line breaks and tabs stay.
  app.addHook('preValidation', async (request) => {
    for (const part of [request.query, request.body] as Array<Record<string, unknown> | undefined>) {
      if (!part || typeof part !== 'object') continue
      for (const [k, v] of Object.entries(part)) {
        if (typeof v === 'string') part[k] = v.replace(CONTROL, '')
        if (part[k] === '') delete part[k]
      }
    }
  })

  const byCode = () => new Map(app.reference.categories().map((c) => [c.code, c]))
  const offered = (code: string): Category => {
    const category = byCode().get(code)
    if (!category || !servesCategory(category)) throw new Open311Error(404, `service_code ${JSON.stringify(code.slice(0, 40))} was not found; GET services.json lists them`)
    return category
  }
  const kinds = [...OPEN311_KINDS]
  const requestsOf = (rows: RequestRow[]) => {
    const categories = byCode()
    return rows.map((r) => requestOf(r, categories.get(r.category_code)))
  }
  const fmt = (request: FastifyRequest) => (request.params as { format: Format }).format
  const changeset = changesetOf(() => app.reference.categories().filter(servesCategory))

  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.redirect(`${app.prefix}/discovery.xml`))

  app.get('/discovery.:format', {
    schema: { tags, summary: 'Service discovery: where this GeoReport v2 endpoint is and what it serves', params: FormatParams, querystring: ReadQuery, response: { 200: DiscoverySchema, ...errors } },
  }, (request, reply) => send(reply, fmt(request), {
    root: 'discovery',
    value: {
      changeset: changeset(),
      contact: 'Run by the district command centre (区城运中心) on Gezhi 格治; ask the operator of this server. Full API: /api/docs',
      key_service: 'Reading needs no key. To POST requests, ask the district command centre (区城运中心) for an api_key for your application.',
      endpoints: listOf('endpoint', [{
        specification: SPECIFICATION,
        url: `${request.protocol}://${request.host}${app.prefix}`,
        changeset: changeset(),
        type: 'production',
        formats: listOf('format', ['text/xml', 'application/json']),
      }]),
    },
  }))

  app.get('/services.:format', {
    schema: { tags, summary: 'The services (case categories) that can be requested', params: FormatParams, querystring: ReadQuery, response: { 200: Type.Array(ServiceSchema), ...errors } },
  }, (request, reply) => {
    const services = app.reference.categories().filter(servesCategory).sort((a, b) => a.code.localeCompare(b.code)).map(serviceOf)
    return send(reply, fmt(request), { root: 'services', item: 'service', items: services })
  })

  app.get('/services/:service_code.:format', {
    schema: { tags, summary: 'A service definition (no service defines extra attributes)', params: ServiceParams, querystring: ReadQuery, response: { 200: ServiceDefinitionSchema, ...errors } },
  }, (request, reply) => send(reply, fmt(request), {
    root: 'service_definition', value: { service_code: offered(request.params.service_code).code, attributes: listOf('attribute', []) },
  }))

  app.post('/requests.:format', {
    schema: {
      tags, summary: 'File a service request (form-encoded, with api_key): becomes a case routed to its grid',
      description: 'lat and long (WGS-84) are required: cases are routed by coordinates. Refused requests write nothing.',
      params: FormatParams, querystring: ReadQuery, body: RequestFormSchema, response: { 201: CreatedSchema, ...errors },
    },
    // Before the arguments are validated: a client without a valid key learns only that (403).
    preValidation: async (request) => {
      const key = (request.body as { api_key?: unknown } | undefined)?.api_key ?? request.query.api_key
      if (typeof key !== 'string' || key === '') throw new Open311Error(403, 'api_key was not provided')
      const name = await apiKeyName(app.db, key)
      if (!name) throw new Open311Error(403, 'api_key is invalid or revoked')
      request.log.info({ apiKey: name }, 'open311 request from key')
    },
  }, async (request, reply) => {
    const form: RequestForm = request.body
    const category = offered(form.service_code)
    const location = locationOf(form)
    const reporter = reporterOf(form)
    const described = form.description?.trim() || `${category.name}（Open311 上报，未附描述）`
    const description = withMedia(described, mediaUrlOf(form))
    if (description.length > 2000) throw new Open311Error(400, 'description and media_url together must not be longer than 2000 characters')
    const answer = await app.incidents.report({ kind: 'system' }, {
      source: 'open311', category: category.code, description, location,
      ...(form.address_string ? { address: form.address_string.trim() } : {}), ...(reporter ? { reporter } : {}),
    }, [])
    const { incident } = answer
    request.log.info({ number: incident.number }, 'open311 request filed')
    const where = incident.grids.map((g) => g.name).join(' ')
    return send(reply, fmt(request), {
      root: 'service_requests', item: 'request',
      items: [{
        service_request_id: incident.number,
        service_notice: `已受理，案件编号 ${incident.number}，由 ${where} 负责。${serviceNotice(category)}`,
        account_id: null, // accounts of other platforms are not kept
        gezhi_tracking_token: answer.trackingToken,
      }],
    }, 201)
  })

  app.get('/tokens/:token_id.:format', {
    schema: { tags, summary: 'The service_request_id for a token (a Gezhi tracking token or a case number)', params: TokenParams, querystring: ReadQuery, response: { 200: TokenAnswerSchema, ...errors } },
  }, async (request, reply) => {
    const token = request.params.token_id
    const id = isCaseNumber(token) ? null : await app.incidents.idForToken(token).catch(() => null)
    const [row] = await app.db.query<{ number: string }>(NUMBER_FOR_TOKEN, [id, isCaseNumber(token) ? token : null, kinds])
    if (!row) throw new Open311Error(404, 'token was not found')
    return send(reply, fmt(request), { root: 'service_requests', item: 'request', items: [{ service_request_id: row.number, token }] })
  })

  app.get('/requests.:format', {
    schema: {
      tags, summary: 'Service requests: the last 90 days by default, at most 1000, newest first',
      params: FormatParams, querystring: RequestsQuerySchema, response: { 200: Type.Array(ServiceRequestSchema), ...errors },
    },
  }, async (request, reply) => {
    const categories = byCode()
    const f = filtersOf(request.query, new Date(), (code) => Boolean(categories.get(code) && servesCategory(categories.get(code)!)))
    const rows = f.numbers
      ? await app.db.query<RequestRow>(REQUESTS_BY_NUMBER, [f.numbers.slice(0, MAX_REQUESTS), kinds])
      : await app.db.query<RequestRow>(REQUESTS_IN_WINDOW, [f.codes, f.start, f.end, f.states, kinds, MAX_REQUESTS])
    return send(reply, fmt(request), { root: 'service_requests', item: 'request', items: requestsOf(rows) })
  })

  app.get('/requests/:service_request_id.:format', {
    schema: { tags, summary: 'One service request by its id (the case number)', params: RequestParams, querystring: ReadQuery, response: { 200: Type.Array(ServiceRequestSchema), ...errors } },
  }, async (request, reply) => {
    const id = request.params.service_request_id
    const rows = isCaseNumber(id) ? await app.db.query<RequestRow>(REQUESTS_BY_NUMBER, [[id], kinds]) : []
    if (rows.length === 0) throw new Open311Error(404, `service_request_id ${JSON.stringify(id.slice(0, 40))} was not found`)
    return send(reply, fmt(request), { root: 'service_requests', item: 'request', items: requestsOf(rows) })
  })

  // Anything else under the prefix is ours to refuse, in our format: without this the client's
  // catch-all (index.html for client-side routes) would answer.
  app.all('/*', { schema: { hide: true } }, notFound)
}

/**
 * The discovery `changeset`: sortable, and it must move when the services change so clients
 * refresh their cached lists. Categories carry no edit time, so it is the time this process
 * first saw the current list — a restart moves it too, which costs a client one refresh.
 */
function changesetOf(services: () => Category[]) {
  let seen = ''
  let at = ''
  return () => {
    const hash = createHash('sha256').update(JSON.stringify(services().map(serviceOf))).digest('hex')
    if (hash !== seen) [seen, at] = [hash, w3(new Date())!]
    return at
  }
}

export default open311Routes
