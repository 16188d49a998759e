import Type from 'typebox'

/**
 * Arguments and (JSON) answers of the GeoReport v2 door, for validation and the OpenAPI page.
 * Every argument is text: form encoding and query strings carry nothing else, and the routes
 * parse numbers and dates themselves so that a bad one is refused in words the spec's clients
 * understand. Arguments the spec does not define are refused (a typo such as `lon` must not
 * pass silently); `jurisdiction_id` is accepted and ignored — this endpoint serves one.
 */
const text = (maxLength: number, description?: string) => Type.String({ maxLength, ...(description ? { description } : {}) })

export const FormatParam = Type.Enum(['json', 'xml'], { description: 'Answer format: xml (the spec\'s required format) or json' })
export const FormatParams = Type.Object({ format: FormatParam })
export const ServiceParams = Type.Object({ service_code: text(40, 'A service_code from GET services'), format: FormatParam })
export const RequestParams = Type.Object({ service_request_id: text(40, 'The case number, e.g. 20261123-000042'), format: FormatParam })
export const TokenParams = Type.Object({ token_id: text(100, 'A Gezhi tracking token or a case number'), format: FormatParam })

export const ReadQuery = Type.Object({ jurisdiction_id: Type.Optional(text(200)), api_key: Type.Optional(text(200)) }, { additionalProperties: false })

export const RequestsQuerySchema = Type.Object(
  {
    jurisdiction_id: Type.Optional(text(200)),
    api_key: Type.Optional(text(200, 'Not needed to read; accepted and ignored')),
    service_request_id: Type.Optional(text(20_000, 'Comma-separated case numbers; overrides every other argument')),
    service_code: Type.Optional(text(2000, 'Comma-separated service codes')),
    start_date: Type.Optional(text(40, 'W3C datetime with time zone, e.g. 2010-01-01T00:00:00Z')),
    end_date: Type.Optional(text(40, 'W3C datetime with time zone; at most 90 days after start_date')),
    status: Type.Optional(text(20, 'open, closed, or both comma-separated')),
  },
  { additionalProperties: false },
)

const attributeValue = Type.Union([text(2000), Type.Array(text(2000), { maxItems: 50 })])

export const RequestFormSchema = Type.Object(
  {
    api_key: Type.Optional(text(200, 'Required: the key issued to your application')),
    jurisdiction_id: Type.Optional(text(200)),
    service_code: text(40, 'A service_code from GET services'),
    lat: Type.Optional(text(40, 'Latitude, WGS-84 degrees (required here: requests are routed by coordinates)')),
    long: Type.Optional(text(40, 'Longitude, WGS-84 degrees')),
    address_string: Type.Optional(text(200, 'Kept as the address; not enough alone to locate the request')),
    address_id: Type.Optional(text(200)),
    email: Type.Optional(text(200, 'Accepted, not kept')),
    device_id: Type.Optional(text(200, 'Accepted, not kept')),
    account_id: Type.Optional(text(200, 'Accepted, not kept')),
    first_name: Type.Optional(text(50)),
    last_name: Type.Optional(text(50)),
    phone: Type.Optional(text(30)),
    description: Type.Optional(text(2000, 'Up to 2000 characters here (the spec allows 4000)')),
    media_url: Type.Optional(text(1000, 'Kept with the description as a link; never fetched')),
  },
  // attribute[code]=value and attribute[code][]=value: no service defines attributes, so they are accepted and ignored.
  { additionalProperties: false, patternProperties: { '^attribute\\[[^\\]]{1,100}\\](\\[\\])?$': attributeValue } },
)

/** `[{ code, description }]`: every refusal, with the HTTP status in `code`. */
export const ErrorListSchema = Type.Array(Type.Object({ code: Type.Integer(), description: Type.String() }), { description: 'GeoReport v2 errors (XML: <errors><error>…)' })

const nullable = (schema: ReturnType<typeof Type.String>) => Type.Union([schema, Type.Null()])

export const DiscoverySchema = Type.Object({
  changeset: Type.String(), contact: Type.String(), key_service: Type.String(),
  endpoints: Type.Array(Type.Object({
    specification: Type.String(), url: Type.String(), changeset: Type.String(), type: Type.String(), formats: Type.Array(Type.String()),
  })),
})

export const ServiceSchema = Type.Object({
  service_code: Type.String(), service_name: Type.String(), description: Type.String(), metadata: Type.Boolean(),
  type: Type.String(), keywords: Type.String(), group: Type.String(),
})

export const ServiceDefinitionSchema = Type.Object({ service_code: Type.String(), attributes: Type.Array(Type.Unknown()) })

export const CreatedSchema = Type.Array(Type.Object({
  service_request_id: Type.String(), service_notice: nullable(Type.String()), account_id: Type.Null(),
  gezhi_tracking_token: Type.String({ description: 'Extension: lets the reporter follow and rate the case at /api/track/{token}' }),
}))

export const TokenAnswerSchema = Type.Array(Type.Object({ service_request_id: Type.String(), token: Type.String() }))

export const ServiceRequestSchema = Type.Object({
  service_request_id: Type.String(), status: Type.Enum(['open', 'closed']), status_notes: nullable(Type.String()),
  service_name: Type.String(), service_code: Type.String(), description: Type.String(), agency_responsible: nullable(Type.String()),
  service_notice: nullable(Type.String()), requested_datetime: Type.String(), updated_datetime: Type.String(), expected_datetime: nullable(Type.String()),
  address: Type.String(), address_id: Type.Null(), zipcode: Type.Null(), lat: Type.Number(), long: Type.Number(), media_url: nullable(Type.String()),
  gezhi_number: Type.String(), gezhi_state: Type.String(), gezhi_state_name: Type.String(), gezhi_grid_code: Type.String(),
  gezhi_due_datetime: nullable(Type.String()), gezhi_overdue: Type.Boolean(),
}, { description: 'A case as a GeoReport v2 service request; gezhi_* fields are extensions' })
