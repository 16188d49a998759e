import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ApiErrorSchema, GezhiError, HOUSEHOLD_POINTS_MEDIA_TYPE, HouseholdPageSchema, HouseholdsQuerySchema, parseBBox } from '@gezhi/geo'
import { householdsRepository } from './households.repository.ts'

/** `GET /api/households` (pages) and `/api/households/points` (binary, for map layers). */
const householdsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const repo = householdsRepository(app.db)

  app.get('/households', {
    schema: {
      tags: ['households'],
      summary: 'Households of a grid subtree or a bbox, paged by id',
      description: 'Sensitive tags (困难户, 上访户 …) are never part of this public answer.',
      querystring: HouseholdsQuerySchema,
      response: { 200: HouseholdPageSchema, 400: ApiErrorSchema, 404: ApiErrorSchema },
    },
  }, async (request) => {
    const { grid, bbox: bboxText, partyCenter, limit = 200, after = 0 } = request.query
    let bbox
    if (bboxText !== undefined) {
      const parsed = parseBBox(bboxText)
      if (!parsed.valid) throw new GezhiError('BBOX_INVALID', parsed.reason)
      bbox = parsed.bbox
    }
    return repo.page({ grid, bbox, partyCenter }, after, limit)
  })

  app.get('/households/points', {
    schema: {
      tags: ['households'],
      summary: `Every household position as binary (${HOUSEHOLD_POINTS_MEDIA_TYPE}): [u32 n][f32 lng, f32 lat]×n[u8 flags]×n, little-endian`,
      querystring: Type.Object({ grid: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })) }, { additionalProperties: false }),
      response: { 400: ApiErrorSchema, 404: ApiErrorSchema },
    },
  }, async (request, reply) => {
    const body = await repo.points(request.query.grid)
    return reply.type(HOUSEHOLD_POINTS_MEDIA_TYPE).send(body as never) // a Buffer is sent as is
  })
}

export default householdsRoutes
