import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import {
  ApiErrorSchema, GezhiError, GridDetailSchema, GridFeatureCollectionSchema, GridLevelSchema, GridsQuerySchema, IdParam, parseBBox,
} from '@gezhi/geo'
import { gridsRepository } from './grids.repository.ts'

/** `GET /api/grids`, `/api/grids/:id`, `/api/levels`: the hierarchy and its boundaries. */
const gridsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const repo = gridsRepository(app.db)

  app.get('/levels', {
    schema: { tags: ['grids'], summary: 'The levels of the grid hierarchy (data, not code)', response: { 200: Type.Array(GridLevelSchema) } },
  }, () => repo.levels())

  app.get('/grids', {
    schema: {
      tags: ['grids'],
      summary: 'Current grid polygons as GeoJSON (or label points), filtered by level, parent and bbox',
      description: 'Pass `zoom` to simplify for a web map at that zoom, so a city-wide layer stays small.',
      querystring: GridsQuerySchema,
      response: { 200: GridFeatureCollectionSchema, 400: ApiErrorSchema },
    },
  }, async (request, reply) => {
    const { level, parent, bbox: bboxText, zoom, labels } = request.query
    let bbox
    if (bboxText !== undefined) {
      const parsed = parseBBox(bboxText)
      if (!parsed.valid) throw new GezhiError('BBOX_INVALID', parsed.reason)
      bbox = parsed.bbox
    }
    const filter = { level, parent, bbox, zoom }
    const body = labels ? await repo.labels(filter) : await repo.geojson(filter)
    // Already serialised by PostgreSQL; Fastify sends a JSON string as is.
    return reply.type('application/geo+json; charset=utf-8').send(body as never)
  })

  app.get('/grids/:id', {
    schema: {
      tags: ['grids'],
      summary: "One grid: its chain of ancestors, staff board, household and party-member counts, children",
      params: IdParam,
      response: { 200: GridDetailSchema, 400: ApiErrorSchema, 404: ApiErrorSchema },
    },
  }, (request) => repo.detail(request.params.id))
}

export default gridsRoutes
