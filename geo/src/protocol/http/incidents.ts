import Type from 'typebox'
import { INCIDENT_KIND_KEYS, INCIDENT_SOURCE_KEYS } from '../../incident/sources.ts'
import { INCIDENT_STATE_KEYS, STEP_KEYS } from '../../incident/workflow.ts'
import { CrsSchema, GridRefSchema, Latitude, LngLatSchema, Longitude } from './common.ts'

/** Most photos one report or step may carry (WeChat's own limit is 9). */
export const MAX_PHOTOS = 9
/** Largest photo accepted, bytes. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const

const Iso = Type.String({ format: 'date-time' })
const IsoOrNull = Type.Union([Iso, Type.Null()])
const CategoryCode = Type.String({ pattern: '^[ECG][0-9]{4}$', description: 'e.g. E0102 (暴露垃圾)' })

export const ClockSchema = Type.Enum(['urgent_hours', 'working_hours', 'working_days', 'natural_days'])
export const TimeLimitSchema = Type.Object(
  { clock: ClockSchema, amount: Type.Number({ exclusiveMinimum: 0, maximum: 3650 }) },
  { additionalProperties: false },
)

/** A new case. With photos, send multipart/form-data: this object as the `data` field plus up to 9 `photos` files. */
export const ReportBodySchema = Type.Object(
  {
    source: Type.Enum([...INCIDENT_SOURCE_KEYS]),
    category: CategoryCode,
    description: Type.String({ minLength: 1, maxLength: 2000 }),
    location: Type.Object({ lng: Longitude, lat: Latitude, crs: Type.Optional(CrsSchema) }, { additionalProperties: false }),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    kind: Type.Optional(Type.Enum([...INCIDENT_KIND_KEYS])),
    reporter: Type.Optional(Type.Object({
      name: Type.Optional(Type.String({ maxLength: 50 })),
      phone: Type.Optional(Type.String({ pattern: '^[0-9+\\- ]{5,20}$' })),
    }, { additionalProperties: false })),
    idempotencyKey: Type.Optional(Type.String({ minLength: 8, maxLength: 100, description: 'A retry with the same key returns the same case' })),
    selfHandled: Type.Optional(Type.Boolean({ description: '自行处置: fixed on the spot by the reporting grid worker; needs `after` photos' })),
  },
  { additionalProperties: false },
)
export type ReportBody = Type.Static<typeof ReportBodySchema>

/** Input of a step; which fields matter depends on the step (see STEPS in @gezhi/geo). */
export const StepBodySchema = Type.Object(
  {
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    level: Type.Optional(Type.Integer({ minimum: 0, maximum: 9, description: 'dispatch: the grid level to handle it (0 = district departments)' })),
    departmentIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 20, uniqueItems: true })),
    extension: Type.Optional(TimeLimitSchema),
    rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  },
  { additionalProperties: false },
)
export type StepBody = Type.Static<typeof StepBodySchema>

export const PhotoRefSchema = Type.Object({ id: Type.Integer(), kind: Type.String(), url: Type.String() })

export const IncidentSchema = Type.Object({
  id: Type.Integer(),
  number: Type.String({ description: 'Readable case number, e.g. 20261123-000042' }),
  source: Type.String(),
  category: Type.Object({ code: Type.String(), name: Type.String(), majorName: Type.String() }),
  kind: Type.String(),
  description: Type.String(),
  address: Type.Union([Type.String(), Type.Null()]),
  position: LngLatSchema,
  input: Type.Object({ lng: Type.Number(), lat: Type.Number(), crs: CrsSchema }),
  state: Type.Enum([...INCIDENT_STATE_KEYS]),
  generationId: Type.Integer({ description: 'Boundary generation used for routing, frozen at report time' }),
  grids: Type.Array(GridRefSchema, { description: 'The responsible grids from the street down to the leaf' }),
  outside: Type.Boolean({ description: 'Reported just outside every grid and routed to the nearest' }),
  unit: Type.Object({
    level: Type.Union([Type.Integer(), Type.Null()], { description: 'Grid level handling it; 0 = departments; null before dispatch' }),
    gridId: Type.Union([Type.Integer(), Type.Null()]),
    departmentIds: Type.Array(Type.Integer()),
  }),
  flags: Type.Object({
    supervised: Type.Boolean(), extensionRequested: Type.Boolean(), repeat: Type.Boolean(), overdue: Type.Boolean(), everOverdue: Type.Boolean(),
  }),
  counts: Type.Object({ dispatches: Type.Integer(), returns: Type.Integer(), reworks: Type.Integer(), followers: Type.Integer() }),
  times: Type.Object({
    reportedAt: Iso, filedAt: IsoOrNull, dispatchedAt: IsoOrNull, acceptedAt: IsoOrNull, handledAt: IsoOrNull, closedAt: IsoOrNull,
    dueAt: IsoOrNull, warnAt: IsoOrNull, dueDispatchAt: Iso, dueHandleAt: IsoOrNull, dueCheckAt: IsoOrNull, dueCloseAt: IsoOrNull,
  }),
  rating: Type.Union([Type.Integer(), Type.Null()]),
  lastSeq: Type.Integer({ description: 'Stream sequence number of the latest numbered event of this case (0 before the first)' }),
  photos: Type.Array(PhotoRefSchema),
  calledIn: Type.Array(Type.Object({ departmentId: Type.Integer(), reportedIn: Type.Boolean(), replied: Type.Boolean() }), { description: '街道吹哨: departments called in and how far each has got' }),
  reporter: Type.Optional(Type.Object({ name: Type.Union([Type.String(), Type.Null()]), phone: Type.Union([Type.String(), Type.Null()]) }, { description: 'Staff in scope only' })),
})
export type Incident = Type.Static<typeof IncidentSchema>

export const IncidentEventSchema = Type.Object({
  id: Type.Integer({ description: 'Order of this event within its case' }),
  seq: Type.Union([Type.Integer(), Type.Null()], { description: 'Position in the live stream, in commit order; null for the moment between commit and numbering' }),
  incidentId: Type.Integer(),
  type: Type.String({ description: 'A step (see STEPS) or a fact: reported, joined, warned, overdue, repeat_flagged' }),
  fromState: Type.Union([Type.String(), Type.Null()]),
  toState: Type.Union([Type.String(), Type.Null()]),
  actor: Type.Object({ kind: Type.String(), id: Type.Union([Type.Integer(), Type.Null()]), name: Type.String() }),
  at: Iso,
  note: Type.String(),
  photos: Type.Array(Type.Integer()),
  data: Type.Record(Type.String(), Type.Unknown()),
})
export type IncidentEvent = Type.Static<typeof IncidentEventSchema>

export const SimilarIncidentSchema = Type.Object({
  id: Type.Integer(), number: Type.String(), state: Type.String(), description: Type.String(), distanceM: Type.Number(), reportedAt: Iso,
})

export const ReportAnswerSchema = Type.Object({
  created: Type.Boolean({ description: 'false when an earlier request with the same idempotency key already created it' }),
  incident: IncidentSchema,
  trackingToken: Type.String({ description: 'Lets the reporter follow and rate the case at /api/track/{token} without an account' }),
  similar: Type.Array(SimilarIncidentSchema, { description: 'Open cases of the same category nearby: the reporter may join one instead ("me too")' }),
})

export const StepAnswerSchema = Type.Object({ incident: IncidentSchema, event: IncidentEventSchema })

export const IncidentListQuerySchema = Type.Object(
  {
    state: Type.Optional(Type.String({ description: 'Comma-separated states, or "open"' })),
    category: Type.Optional(CategoryCode),
    grid: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Cases routed to this grid or beneath it' })),
    bbox: Type.Optional(Type.String({ description: 'west,south,east,north' })),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Text in the number, description or address' })),
    overdue: Type.Optional(Type.Boolean()),
    from: Type.Optional(Iso),
    to: Type.Optional(Iso),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'Cursor: the smallest id of the previous page (newest first)' })),
  },
  { additionalProperties: false },
)
export type IncidentListQuery = Type.Static<typeof IncidentListQuerySchema>

export const IncidentPageSchema = Type.Object({ items: Type.Array(IncidentSchema), nextBefore: Type.Union([Type.Integer(), Type.Null()]) })

export const SimilarQuerySchema = Type.Object(
  { lng: Longitude, lat: Latitude, crs: Type.Optional(CrsSchema), category: CategoryCode },
  { additionalProperties: false },
)

export const StepParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }), step: Type.Enum([...STEP_KEYS]) })
