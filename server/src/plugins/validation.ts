import Ajv, { type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

/**
 * Two validators. Query strings, params and headers arrive as text, so numbers and booleans are
 * coerced there. JSON bodies are typed already: coercing them would quietly turn `{ "note": 1 }`
 * into "1" or `"true"` into true — there a wrong type is an error. Unknown fields are refused
 * everywhere (no silent removal), and only the first error is reported (allErrors is a DoS vector).
 */
const common: Options = { useDefaults: true, removeAdditional: false, allErrors: false, strict: false }
const forText = addFormats(new Ajv({ ...common, coerceTypes: 'array' }))
const forBodies = addFormats(new Ajv({ ...common, coerceTypes: false }))

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? forBodies : forText).compile(schema)
