import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { sql } from '../../db/db.ts'

const TERRITORY = sql('territory_extent', `
  SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n
    FROM (SELECT ST_Extent(b.geom) AS e FROM grids g JOIN grid_boundaries b ON b.grid_id = g.id AND b.generation_to IS NULL
           WHERE g.level = 1 AND g.retired_generation IS NULL) x`)

const ClientConfigSchema = Type.Object({
  territory: Type.Union([Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()]), Type.Null()], { description: 'Extent of the top-level grids, [west, south, east, north]' }),
  basemap: Type.Union([Type.Object({ tiles: Type.Array(Type.String()), attribution: Type.String() }), Type.Null()], {
    description: 'An online raster base map, when the server is configured with one (BASEMAP_URL); null: fully offline',
  }),
})

/** `GET /api/config`: what a map page needs to open before it asks for anything else. */
export default function configRoutes(options: { basemapUrl?: string; basemapAttribution: string }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/config', {
      schema: { tags: ['system'], summary: 'The territory to open on, and the optional online base map', response: { 200: ClientConfigSchema } },
    }, async () => {
      const [t] = await app.db.query<{ w: number | null; s: number; e: number; n: number }>(TERRITORY)
      return {
        territory: t && t.w !== null ? [t.w, t.s, t.e, t.n] as [number, number, number, number] : null,
        basemap: options.basemapUrl ? { tiles: [options.basemapUrl], attribution: options.basemapAttribution } : null,
      }
    })
  }
}
