import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { Db } from '../db/db.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
  }
}

/** Makes the database available as `app.db`. The caller opened it and decides whether closing the app closes it. */
export default fp(async function dbPlugin(app: FastifyInstance, options: { db: Db; closeWithApp: boolean }) {
  app.decorate('db', options.db)
  if (options.closeWithApp) app.addHook('onClose', async () => options.db.close())
}, { name: 'db' })
