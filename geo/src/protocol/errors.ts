import Type from 'typebox'

/**
 * Every error Gezhi reports, in one place, shared by client and server. HTTP bodies and socket
 * acks use the same shape `{ code, message, details? }`; the message says what is wrong in words
 * a developer can act on, and never leaks internals.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  COORDINATE_INVALID: 400,
  BBOX_INVALID: 400,
  CRS_UNKNOWN: 400,
  BATCH_TOO_LARGE: 400,
  BODY_MALFORMED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  LOGIN_FAILED: 401,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  GRID_NOT_FOUND: 404,
  GENERATION_NOT_FOUND: 404,
  INCIDENT_NOT_FOUND: 404,
  CATEGORY_NOT_FOUND: 404,
  DEPARTMENT_NOT_FOUND: 404,
  PHOTO_NOT_FOUND: 404,
  INCIDENT_ILLEGAL_TRANSITION: 409,
  INCIDENT_NOT_YOUR_UNIT: 403,
  INCIDENT_ESCALATION_AT_TOP: 409,
  INCIDENT_NO_EXTENSION_PENDING: 409,
  INCIDENT_EXTENSION_PENDING: 409,
  INCIDENT_NOT_WHISTLED: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  USERNAME_TAKEN: 409,
  LOCATION_OUTSIDE_TERRITORY: 422,
  PERIOD_INVALID: 400,
  TOO_MANY_GRIDS: 400,
  TOO_MANY_EVENTS: 400,
  TILE_OUT_OF_RANGE: 400,
  PHOTO_REQUIRED: 400,
  DATE_INVALID: 400,
  IMPORT_ROW_MALFORMED: 400,
  IMPORT_DUPLICATE_ID: 409,
  PHOTO_INVALID: 400,
  TOO_MANY_PHOTOS: 400,
  ROUTE_NOT_FOUND: 404,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const satisfies Record<string, number>

export type ErrorCode = keyof typeof ERROR_CODES

export const ApiErrorSchema = Type.Object(
  {
    code: Type.String({ description: 'SCREAMING_SNAKE error code, see ERROR_CODES' }),
    message: Type.String({ description: 'What is wrong, in words a developer can act on' }),
    details: Type.Optional(Type.Unknown()),
  },
  { description: 'The one error shape of HTTP bodies and socket acks' },
)
export type ApiError = Type.Static<typeof ApiErrorSchema>

/** An error to throw inside the server; the error handler turns it into `{ code, message, details }`. */
export class GezhiError extends Error {
  readonly code: ErrorCode
  readonly statusCode: number
  readonly details?: unknown
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message)
    this.name = 'GezhiError'
    this.code = code
    this.statusCode = ERROR_CODES[code]
    this.details = details
  }
}
