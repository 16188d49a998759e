import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ApiErrorSchema, GezhiError, isTileInRange, MAX_TILE_ZOOM, TileParamsSchema } from '@gezhi/geo'
import Type from 'typebox'
import { TILE_LEVELS_BY_ZOOM } from './tile-levels.ts'
import { renderGridTile, tileGeneration } from './tiles.render.ts'

/** How long a browser or proxy may reuse a tile without asking; after that the ETag makes asking cheap. */
export const TILE_MAX_AGE_S = 300
const MVT_TYPE = 'application/vnd.mapbox-vector-tile'

const levelsText = TILE_LEVELS_BY_ZOOM.map((r) => `z ≥ ${r.minZoom}: levels 1–${r.maxLevel}`).join('; ')

/**
 * `GET /api/tiles/grids/{z}/{x}/{y}.pbf`: current grid boundaries as Mapbox Vector Tiles, for
 * cities too large for one GeoJSON. Public like `GET /api/grids` (the same boundaries), so shared
 * caches may keep tiles: `cache-control: public` would be wrong on an answer that depended on who asks.
 */
const tilesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/tiles/grids/:z/:x/:y.pbf', {
    schema: {
      tags: ['grids', 'wall'],
      summary: 'Grid boundaries as a Mapbox Vector Tile: a layer `grids-<level>` per level and a `labels` layer of label points',
      description: `Features carry id (also the feature id), code, name, level, parentId. Levels by zoom: ${levelsText}. `
        + `Current boundaries only; ETag names the boundary generation. 204 when no grid meets the tile; 400 for z > ${MAX_TILE_ZOOM} or x/y outside 0…2^z − 1.`,
      params: TileParamsSchema,
      response: {
        200: { description: `${MVT_TYPE} (gzip when accepted)`, content: { [MVT_TYPE]: { schema: Type.Unknown() } } },
        204: { description: 'No grid in this tile', type: 'null' },
        304: { description: 'Not modified since the ETag sent', type: 'null' },
        400: ApiErrorSchema,
      },
    },
    // Protobuf is not among @fastify/compress's default compressible types.
    compress: { customTypes: /^application\/vnd\.mapbox-vector-tile$/, encodings: ['gzip'], threshold: 1024 },
  }, async (request, reply) => {
    const { z, x, y } = request.params
    if (!isTileInRange(z, x, y)) throw new GezhiError('TILE_OUT_OF_RANGE', `no tile ${z}/${x}/${y}: at zoom ${z}, x and y run from 0 to ${2 ** z - 1}`, { z, x, y })
    const generation = await tileGeneration(app.db)
    const etag = `W/"grids-g${generation}"`
    reply.header('cache-control', `public, max-age=${TILE_MAX_AGE_S}`).header('etag', etag)
    const sent = request.headers['if-none-match']
    if (sent && sent.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) return reply.code(304).send(null)
    const tile = await renderGridTile(app.db, { z, x, y })
    if (tile.byteLength === 0) return reply.code(204).send(null)
    return reply.type(MVT_TYPE).send(Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength))
  })
}

export default tilesRoutes
