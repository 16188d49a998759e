import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'

/** OpenAPI 3 generated from the route schemas, browsable at /api/docs (assets served locally: works offline). */
export default fp(async function docs(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: '格治 Gezhi API',
        description: 'Grids, routing of locations to the responsible grid at every level, households. Coordinates are always [lng, lat]; WGS-84 unless `crs` says otherwise.',
        version: '0.1.0',
      },
      tags: [
        { name: 'locate', description: 'Which grid is responsible for a place' },
        { name: 'grids', description: 'The grid hierarchy and its boundaries' },
        { name: 'households', description: 'Households and party-member households' },
        { name: 'auth', description: 'Sign in' },
        { name: 'incidents', description: 'Cases: the closed loop from report to evaluation' },
        { name: 'reference', description: 'Taxonomy, departments, work calendar' },
        { name: 'open311', description: 'Open311 GeoReport v2 at /open311/v2 (XML or JSON by extension; errors in the spec\'s format)' },
        { name: 'wall', description: 'The command-centre wall: figures per grid and per hour, playback of a period, vector tiles of the grids' },
        { name: 'system', description: 'Health and metadata' },
      ],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs' })
}, { name: 'docs' })
