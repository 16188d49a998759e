import Type from 'typebox'
import { CrsSchema, GenerationSchema, GridRefSchema, Latitude, LngLatSchema, Longitude, StaffMemberSchema } from './common.ts'

/** Most points one `POST /api/locate` may carry. */
export const LOCATE_BATCH_MAX = 10_000

export const LocateQuerySchema = Type.Object(
  {
    lng: Longitude,
    lat: Latitude,
    crs: Type.Optional(CrsSchema),
    at: Type.Optional(Type.String({ format: 'date-time', description: 'Route with the boundaries valid at this time (default: now)' })),
  },
  { additionalProperties: false },
)
export type LocateQuery = Type.Static<typeof LocateQuerySchema>

const Tested = Type.Object({ lng: Type.Number(), lat: Type.Number() }, { description: 'The WGS-84 coordinate actually tested' })

export const LocateAnswerSchema = Type.Object(
  {
    input: Type.Object({ lng: Type.Number(), lat: Type.Number(), crs: CrsSchema }),
    tested: Tested,
    generation: GenerationSchema,
    outside: Type.Boolean({ description: 'True when no grid covers the point; see `nearest`' }),
    leaf: Type.Union([GridRefSchema, Type.Null()], { description: 'The responsible leaf grid (e.g. the micro-grid)' }),
    chain: Type.Array(GridRefSchema, { description: 'Every grid from the top level down to the leaf' }),
    staff: Type.Array(StaffMemberSchema, { description: "The leaf's public staff board" }),
    nearest: Type.Union([
      Type.Object({ grid: GridRefSchema, distanceM: Type.Number({ description: 'Geodesic distance in metres' }) }),
      Type.Null(),
    ]),
  },
)
export type LocateAnswer = Type.Static<typeof LocateAnswerSchema>

export const LocateBatchBodySchema = Type.Object(
  {
    crs: Type.Optional(CrsSchema),
    at: Type.Optional(Type.String({ format: 'date-time' })),
    points: Type.Array(LngLatSchema, { minItems: 1, maxItems: LOCATE_BATCH_MAX, description: `Up to ${LOCATE_BATCH_MAX} [lng, lat] pairs` }),
  },
  { additionalProperties: false },
)
export type LocateBatchBody = Type.Static<typeof LocateBatchBodySchema>

export const LocateBatchResultSchema = Type.Object({
  tested: LngLatSchema,
  outside: Type.Boolean(),
  leafId: Type.Union([Type.Integer(), Type.Null()]),
  nearestId: Type.Union([Type.Integer(), Type.Null()]),
  distanceM: Type.Number({ description: '0 inside a grid; metres to the nearest grid outside' }),
})
export type LocateBatchResult = Type.Static<typeof LocateBatchResultSchema>

export const LocateBatchAnswerSchema = Type.Object(
  {
    generation: GenerationSchema,
    results: Type.Array(LocateBatchResultSchema, { description: 'One per point, in the order sent' }),
    grids: Type.Record(Type.String(), Type.Intersect([GridRefSchema, Type.Object({ path: Type.Array(Type.Integer()) })]), {
      description: 'Every grid named in results or on their paths, by id; path lists ancestors top level first, ending with the grid itself',
    }),
  },
)
export type LocateBatchAnswer = Type.Static<typeof LocateBatchAnswerSchema>
