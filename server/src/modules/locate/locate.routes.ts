import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  ApiErrorSchema, type LngLat, LocateAnswerSchema, LocateBatchAnswerSchema, LocateBatchBodySchema, LocateQuerySchema, toWgs84,
} from '@gezhi/geo'
import { locateRepository } from './locate.repository.ts'

/** `GET /api/locate` and `POST /api/locate`: which grid is responsible for a place. */
const locateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const repo = locateRepository(app.db)

  app.get('/locate', {
    schema: {
      tags: ['locate'],
      summary: 'The grid responsible for one point, at every level, with its staff board',
      description: 'A point on a shared edge belongs to the grid with the lowest code. Outside every grid: 200 with `outside: true` and the nearest grid.',
      querystring: LocateQuerySchema,
      response: { 200: LocateAnswerSchema, 400: ApiErrorSchema, 404: ApiErrorSchema, 503: ApiErrorSchema },
    },
  }, async (request) => {
    const { lng, lat, crs = 'wgs84', at } = request.query
    const tested = toWgs84([lng, lat], crs)
    const found = await repo.locate(tested, at)
    return { input: { lng, lat, crs }, tested: { lng: tested[0], lat: tested[1] }, ...found }
  })

  app.post('/locate', {
    schema: {
      tags: ['locate'],
      summary: 'The responsible grids for up to 10,000 points, answered in the order sent',
      body: LocateBatchBodySchema,
      response: { 200: LocateBatchAnswerSchema, 400: ApiErrorSchema, 404: ApiErrorSchema, 413: ApiErrorSchema, 503: ApiErrorSchema },
    },
  }, async (request) => {
    const { points, crs = 'wgs84', at } = request.body
    const tested = points.map((p) => toWgs84(p as LngLat, crs))
    return repo.locateMany(tested, at)
  })
}

export default locateRoutes
