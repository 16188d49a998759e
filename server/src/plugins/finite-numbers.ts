import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { GezhiError } from '@gezhi/geo'
import { validationCode } from './errors.ts'

/**
 * Ajv coerces "Infinity" and "1e400" in a query string to Infinity and then skips `maximum`,
 * and JSON.parse turns 1e400 into Infinity too. No Gezhi input is ever meant to be infinite or
 * NaN, so one hook rejects them everywhere, after schema validation and before any handler.
 */
export default fp(async function finiteNumbers(app: FastifyInstance) {
  app.addHook('preHandler', async (request) => {
    for (const [context, value] of [['querystring', request.query], ['params', request.params], ['body', request.body]] as const) {
      const path = findNonFinite(value, '')
      if (path !== null) {
        const field = path.replace(/^\./, '')
        throw new GezhiError(validationCode(context, field, 'type'), `${context}/${field.replaceAll('.', '/')} must be a finite number`)
      }
    }
  })
}, { name: 'finite-numbers' })

/** The dotted path of the first non-finite number in `value`, or null. */
export function findNonFinite(value: unknown, path: string): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNonFinite(value[i], `${path}.${i}`)
      if (found !== null) return found
    }
  } else if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [key, v] of Object.entries(value)) {
      const found = findNonFinite(v, `${path}.${key}`)
      if (found !== null) return found
    }
  }
  return null
}
