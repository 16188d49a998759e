import { existsSync } from 'node:fs'
import path from 'node:path'
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

/**
 * Serves the built client at `/`. Unknown paths outside /api fall back to index.html so that
 * client-side routes (/wall, /grid/…) survive a reload. Without a build, only the API is served.
 */
export default fp(async function client(app: FastifyInstance, options: { dir: string }) {
  const index = path.join(options.dir, 'index.html')
  if (!existsSync(index)) {
    app.log.warn(`no client build at ${options.dir}; run "npm run build" — serving the API only`)
    return
  }
  await app.register(fastifyStatic, { root: options.dir, wildcard: false, index: 'index.html', maxAge: '1h' })
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const url = request.url.split('?')[0]!
    if (url.startsWith('/api/') || path.extname(url)) {
      return reply.status(404).send({ code: 'ROUTE_NOT_FOUND', message: `no route ${request.method} ${url}` })
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html')
  })
}, { name: 'client' })
