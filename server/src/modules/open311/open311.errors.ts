import type { FastifyError } from 'fastify'
import { GezhiError } from '@gezhi/geo'

/**
 * An Open311 refusal: the spec's HTTP codes are 404 for a resource that does not exist, 403 for a
 * missing or wrong api_key, and "basically 400 for any other error"; the description is meant to
 * be shown to the person using the client, so it says what to send instead.
 */
export class Open311Error extends Error {
  constructor(readonly statusCode: 400 | 403 | 404, message: string) {
    super(message)
    this.name = 'Open311Error'
  }
}

/** Fastify's parsing failures, in words an Open311 client developer can act on. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'send the request as application/x-www-form-urlencoded (the GeoReport v2 POST format)',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the request body is too large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the request body does not match its content-length',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the request body is empty',
}

/**
 * Any error inside the Open311 door as the spec's `{ code, description }` and HTTP status.
 * Gezhi's own errors keep their message; their status folds into the spec's three (404, 403,
 * 400). Failures of ours stay 5xx — a client must not think its request was wrong when the
 * server broke — and say nothing about internals.
 */
export function toOpen311Error(error: FastifyError & { statusCode?: number }): { status: number; description: string } {
  if (error instanceof Open311Error) return { status: error.statusCode, description: error.message }
  if (error.validation) return { status: 400, description: validationDescription(error) }
  if (error instanceof GezhiError) {
    const status = error.statusCode === 404 ? 404 : error.statusCode === 401 || error.statusCode === 403 ? 403 : error.statusCode >= 500 ? error.statusCode : 400
    return { status, description: error.message }
  }
  const known = error.code ? FASTIFY_CODES[error.code] : undefined
  if (known) return { status: 400, description: known }
  const status = error.statusCode ?? 500
  if (status < 500) return { status: 400, description: error.message }
  return { status: 500, description: 'internal error; the server log has the details — please tell the operator of this endpoint' }
}

/** The first schema failure, named by its argument: `service_code was not provided`, `unknown argument lon`. */
function validationDescription(error: FastifyError): string {
  const first = error.validation![0]!
  const params = first.params as { missingProperty?: string; additionalProperty?: string }
  if (first.keyword === 'required') return `${params.missingProperty} was not provided`
  if (first.keyword === 'additionalProperties') return `unknown argument ${params.additionalProperty}; GeoReport v2 does not define it here`
  const field = first.instancePath.replace(/^\//, '').replaceAll('/', '.')
  return `${field || error.validationContext} ${first.message ?? 'is invalid'}`
}
