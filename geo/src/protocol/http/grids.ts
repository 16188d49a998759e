import Type from 'typebox'
import { GenerationSchema, GridRefSchema, StaffMemberSchema } from './common.ts'

export const GridLevelSchema = Type.Object(
  { depth: Type.Integer(), key: Type.String(), name: Type.String(), nameEn: Type.String() },
)

export const GridsQuerySchema = Type.Object(
  {
    level: Type.Optional(Type.Integer({ minimum: 1, maximum: 9, description: 'Only grids at this depth' })),
    parent: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Only children of this grid' })),
    bbox: Type.Optional(Type.String({ description: 'west,south,east,north in WGS-84 degrees' })),
    zoom: Type.Optional(Type.Number({ minimum: 0, maximum: 22, description: 'Simplify for this web-map zoom (default: full detail)' })),
    labels: Type.Optional(Type.Boolean({ description: 'Return one label point per grid instead of polygons' })),
  },
  { additionalProperties: false },
)
export type GridsQuery = Type.Static<typeof GridsQuerySchema>

/** GeoJSON FeatureCollection of grid polygons (or label points); properties carry the GridRef fields. */
export const GridFeatureCollectionSchema = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(
      Type.Object({
        type: Type.Literal('Feature'),
        id: Type.Integer(),
        geometry: Type.Object({ type: Type.String(), coordinates: Type.Array(Type.Unknown()) }),
        properties: Type.Object({
          id: Type.Integer(),
          code: Type.String(),
          name: Type.String(),
          level: Type.Integer(),
          parentId: Type.Union([Type.Integer(), Type.Null()]),
        }),
      }),
    ),
  },
)

export const GridDetailSchema = Type.Object(
  {
    grid: GridRefSchema,
    chain: Type.Array(GridRefSchema, { description: 'Ancestors from the top level down, ending with this grid' }),
    themes: Type.Array(Type.String()),
    staff: Type.Array(StaffMemberSchema),
    counts: Type.Object({
      households: Type.Integer(),
      population: Type.Integer(),
      partyCenters: Type.Integer({ description: 'Party-member central households (党员中心户)' }),
      leaves: Type.Integer({ description: 'Leaf grids in this subtree (the grid itself when it is a leaf)' }),
    }),
    children: Type.Array(GridRefSchema),
    bbox: Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()]),
    areaM2: Type.Number(),
    generation: GenerationSchema,
  },
)
export type GridDetail = Type.Static<typeof GridDetailSchema>
