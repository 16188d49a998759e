import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ApiErrorSchema, StatsAnswerSchema, StatsQuerySchema } from '@gezhi/geo'
import { userOf } from '../../plugins/auth.ts'
import { statsService } from './stats.service.ts'

/** `GET /api/stats`: the figures of the closed loop (结案率, 按期结案率 …) for a grid or department and a period. */
const statsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = statsService(app.db)

  app.get('/stats', {
    schema: {
      tags: ['stats'],
      summary: 'Figures of the closed loop for a grid or department over a day, week, month, quarter, year or range, with 环比 and 同比',
      description: 'Cases count in a period by when they were reported (Beijing time, weeks from Monday); their outcome is as it stands now. '
        + 'A grid outside your subtree, or another department than yours, answers 404 like an unknown one.',
      security: [{ bearer: [] }],
      querystring: StatsQuerySchema,
      response: { 200: StatsAnswerSchema, 400: ApiErrorSchema, 401: ApiErrorSchema, 404: ApiErrorSchema },
    },
    onRequest: app.requireUser,
  }, (request) => service.stats(userOf(request), request.query))
}

export default statsRoutes
