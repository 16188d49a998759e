import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthSchema } from '@gezhi/geo'
import { sql } from '../../db/db.ts'
import { generationAt } from '../grids/grid-sql.ts'

const HEALTH = sql('health', `
  SELECT postgis_lib_version() AS postgis,
         (SELECT count(*) FROM grids) AS grids,
         (SELECT count(*) FROM households) AS households,
         (SELECT row_to_json(g) FROM (${generationAt('NULL')}) g) AS generation`)

/** `GET /api/health`: the server answers and its database too. */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    schema: { tags: ['system'], summary: 'Liveness, backend and what the database holds', response: { 200: HealthSchema } },
  }, async () => {
    const [row] = await app.db.query<{ postgis: string; grids: number; households: number; generation: { id: number; label: string; valid_from: string } | null }>(HEALTH)
    const g = row!.generation
    return {
      status: 'ok' as const,
      backend: app.db.backend,
      postgis: row!.postgis,
      generation: g && { id: g.id, label: g.label, validFrom: new Date(g.valid_from).toISOString() },
      counts: { grids: row!.grids, households: row!.households },
    }
  })
}

export default healthRoutes
