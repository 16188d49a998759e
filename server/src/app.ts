import Fastify, { type FastifyServerOptions, LogController } from 'fastify'
import compress from '@fastify/compress'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from './config/config.ts'
import { loadAppSecret } from './config/secret.ts'
import type { Db } from './db/db.ts'
import authPlugin from './plugins/auth.ts'
import deadlineSchedulerPlugin from './plugins/deadline-scheduler.ts'
import livePlugin from './live/socket.plugin.ts'
import clientPlugin from './plugins/client.ts'
import dbPlugin from './plugins/db.ts'
import docsPlugin from './plugins/docs.ts'
import errorsPlugin from './plugins/errors.ts'
import finiteNumbersPlugin from './plugins/finite-numbers.ts'
import { validatorCompiler } from './plugins/validation.ts'
import gridsRoutes from './modules/grids/grids.routes.ts'
import healthRoutes from './modules/health/health.routes.ts'
import configRoutes from './modules/health/config.routes.ts'
import householdsRoutes from './modules/households/households.routes.ts'
import locateRoutes from './modules/locate/locate.routes.ts'
import authRoutes from './modules/auth/auth.routes.ts'
import incidentsRoutes from './modules/incidents/incidents.routes.ts'
import open311Routes from './modules/open311/open311.routes.ts'
import importRoutes from './modules/import/import.routes.ts'
import { type IncidentService, incidentService } from './modules/incidents/incidents.service.ts'
import { type ReferenceCache, referenceCache } from './modules/reference/reference.cache.ts'
import referenceRoutes from './modules/reference/reference.routes.ts'
import usersRoutes from './modules/users/users.routes.ts'
import statsRoutes from './modules/stats/stats.routes.ts'
import wallRoutes from './modules/wall/wall.routes.ts'
import tilesRoutes from './modules/tiles/tiles.routes.ts'
import multipart from '@fastify/multipart'

declare module 'fastify' {
  interface FastifyInstance {
    reference: ReferenceCache
    incidents: IncidentService
  }
}

export interface AppOptions {
  config: Pick<Config, 'clientDir' | 'logLevel' | 'dataDir'> & Partial<Pick<Config, 'secret' | 'deadlineSweepMs' | 'autoEscalateOverdue' | 'warnShare' | 'redisUrl' | 'replayLimit' | 'basemapUrl' | 'basemapAttribution'>>
  db: Db
  /** The server owns its database; tests share one across many apps and keep it open. */
  closeDbWithApp?: boolean
  logger?: FastifyServerOptions['logger']
}

/** Largest accepted request body: 10,000 points of JSON with room to spare. */
export const BODY_LIMIT_BYTES = 1024 * 1024

/** Builds the whole app without listening, so tests can `inject` requests into it. */
export async function buildApp({ config, db, closeDbWithApp = false, logger }: AppOptions) {
  const app = Fastify({
    logger: logger ?? { level: config.logLevel },
    bodyLimit: BODY_LIMIT_BYTES,
    // Two log lines per request drown what matters; failures are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<TypeBoxTypeProvider>()
  // Unknown fields are refused, not dropped (a typo such as `lon=` must not look up longitude 0);
  // bodies are not type-coerced. See plugins/validation.ts.
  app.setValidatorCompiler(validatorCompiler)

  await app.register(errorsPlugin)
  await app.register(finiteNumbersPlugin)
  await app.register(dbPlugin, { db, closeWithApp: closeDbWithApp })
  const secret = await loadAppSecret(db, config.secret)
  await app.register(authPlugin, { secret })
  await app.register(multipart)
  await app.register(compress, { threshold: 2048 })
  await app.register(docsPlugin)

  const reference = referenceCache(db)
  await reference.refresh()
  app.decorate('reference', reference)
  app.decorate('incidents', incidentService({ db, reference, secret, dataDir: config.dataDir, warnShare: config.warnShare, onCommitted: () => app.live?.pump() }))

  await app.register(async (api) => {
    await api.register(healthRoutes)
    await api.register(configRoutes({ basemapUrl: config.basemapUrl, basemapAttribution: config.basemapAttribution ?? '' }))
    await api.register(authRoutes)
    await api.register(locateRoutes)
    await api.register(gridsRoutes)
    await api.register(householdsRoutes)
    await api.register(referenceRoutes)
    await api.register(incidentsRoutes)
    await api.register(usersRoutes)
    await api.register(statsRoutes)
    await api.register(wallRoutes)
    await api.register(tilesRoutes)
    await api.register(importRoutes)
  }, { prefix: '/api' })
  await app.register(open311Routes, { prefix: '/open311/v2' })
  await app.register(livePlugin, { redisUrl: config.redisUrl, replayLimit: config.replayLimit })
  await app.register(deadlineSchedulerPlugin, { intervalMs: config.deadlineSweepMs ?? 0, autoEscalate: config.autoEscalateOverdue ?? false })
  await app.register(clientPlugin, { dir: config.clientDir })
  return app
}

export type App = Awaited<ReturnType<typeof buildApp>>
