import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance } from 'fastify'
import { type ApiError, type ErrorCode, GezhiError } from '@gezhi/geo'

/**
 * One error shape for every failure: `{ code, message, details? }`. Schema failures name the
 * field and what is wrong with it; a 500 says only that it happened and which request to look
 * up in the log — internals never leak.
 */
export default fp(async function errors(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError & { details?: unknown }, request, reply) => {
    const { status, body } = toApiError(error)
    if (status >= 500) request.log.error({ err: error }, 'request failed')
    reply.status(status).send(body)
  })

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ code: 'ROUTE_NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } satisfies ApiError)
  })
}, { name: 'errors' })

/** Fastify's own error codes for malformed requests, mapped to ours. */
const FASTIFY_CODES: Record<string, [number, ErrorCode, string?]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'BODY_MALFORMED', 'the request body is empty but its content-type is application/json'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'BODY_MALFORMED'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'BODY_MALFORMED'],
}

export function toApiError(error: FastifyError & { details?: unknown }): { status: number; body: ApiError } {
  if (error instanceof GezhiError) {
    return { status: error.statusCode, body: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } }
  }
  if (error.validation) {
    const first = error.validation[0]
    const field = first?.instancePath?.replace(/^\//, '').replaceAll('/', '.') || (first?.params as { missingProperty?: string })?.missingProperty || ''
    return {
      status: 400,
      body: { code: validationCode(error.validationContext ?? '', field, first?.keyword ?? ''), message: error.message, details: error.validation.map((v) => ({ path: `${error.validationContext}${v.instancePath}`, message: v.message, params: v.params })) },
    }
  }
  const known = error.code ? FASTIFY_CODES[error.code] : undefined
  if (known) return { status: known[0], body: { code: known[1], message: known[2] ?? error.message } }
  if (error instanceof SyntaxError) return { status: 400, body: { code: 'BODY_MALFORMED', message: `the request body is not valid JSON: ${error.message}` } }
  const status = error.statusCode ?? 500
  if (status < 500) return { status, body: { code: 'BAD_REQUEST', message: error.message } }
  return { status: 500, body: { code: 'INTERNAL_ERROR', message: 'internal error; the server log has the details' } }
}

/** A more specific code than VALIDATION_FAILED where the field tells us what kind of mistake it is. */
export function validationCode(context: string, field: string, keyword: string): ErrorCode {
  const name = field.split('.').at(-1) ?? ''
  if (name === 'crs') return 'CRS_UNKNOWN'
  if (name === 'bbox') return 'BBOX_INVALID'
  if (field === 'points' && keyword === 'maxItems') return 'BATCH_TOO_LARGE'
  if (['lng', 'lat'].includes(name) || /^points\.\d+/.test(field)) return 'COORDINATE_INVALID'
  if (context === 'body' && keyword === 'type' && field === '') return 'BODY_MALFORMED'
  return 'VALIDATION_FAILED'
}
