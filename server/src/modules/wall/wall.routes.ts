import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  ApiErrorSchema, MAX_PLAYBACK_EVENTS, MAX_PLAYBACK_HOURS, MAX_STATS_GRID_ROWS, PlaybackAnswerSchema, PlaybackQuerySchema,
  StatsGridsAnswerSchema, StatsGridsQuerySchema, StatsHourlyAnswerSchema, StatsHourlyQuerySchema,
} from '@gezhi/geo'
import { userOf } from '../../plugins/auth.ts'
import { wallService } from './wall.service.ts'

const errors = { 400: ApiErrorSchema, 401: ApiErrorSchema, 404: ApiErrorSchema }

/** `GET /api/stats/grids`, `/api/stats/hourly`, `/api/playback`: what the command-centre wall reads besides the live stream. */
const wallRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = wallService(app.db)

  app.get('/stats/grids', {
    schema: {
      tags: ['stats', 'wall'],
      summary: 'Figures per grid for a choropleth: households, reported, closed, 结案率, 按期结案率, overdue now, cases per 1,000 households',
      description: 'One row per child of `parent` (default: of your scope) or per grid at `level` in your scope, for a period as /api/stats takes it '
        + `(default today), with the formulas of /api/stats. More than ${MAX_STATS_GRID_ROWS} grids is a 400 TOO_MANY_GRIDS. `
        + 'A grid outside your subtree answers 404 like an unknown one.',
      security: [{ bearer: [] }],
      querystring: StatsGridsQuerySchema,
      response: { 200: StatsGridsAnswerSchema, ...errors },
    },
    onRequest: app.requireUser,
  }, (request) => service.grids(userOf(request), request.query))

  app.get('/stats/hourly', {
    schema: {
      tags: ['stats', 'wall'],
      summary: 'Cases reported and closed per hour of a day (Beijing time) and of the day before, for the trend chart',
      description: 'Always 24 rows. A case counts in the hour it was reported, and in the hour it was closed. Scope as /api/stats.',
      security: [{ bearer: [] }],
      querystring: StatsHourlyQuerySchema,
      response: { 200: StatsHourlyAnswerSchema, ...errors },
    },
    onRequest: app.requireUser,
  }, (request) => service.hourly(userOf(request), request.query))

  app.get('/playback', {
    schema: {
      tags: ['wall'],
      summary: 'Replay a period on the wall: the cases open at its start, then every event with the case as it stood after it',
      description: `A window of at most ${MAX_PLAYBACK_HOURS} h (default the last 24 h) and at most ${MAX_PLAYBACK_EVENTS} events (else 400 TOO_MANY_EVENTS). `
        + 'Events are those the live stream numbered, in its order (`seq`); each `summary` is what the stream would have carried then. Scope as /api/stats.',
      security: [{ bearer: [] }],
      querystring: PlaybackQuerySchema,
      response: { 200: PlaybackAnswerSchema, ...errors },
    },
    onRequest: app.requireUser,
  }, (request) => service.playback(userOf(request), request.query))
}

export default wallRoutes
