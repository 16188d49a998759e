import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { buildApp, type App } from '../../server/src/app.ts'
import { ROOT } from './city-cache.ts'
import { testDb } from './test-db.ts'

/** The whole app on the shared test city, silent, ready for `app.inject(...)`. */
export async function testApp(): Promise<App> {
  const db = await testDb()
  const app = await buildApp({ config: { clientDir: path.join(ROOT, 'client/dist'), logLevel: 'silent', dataDir: mkdtempSync(path.join(tmpdir(), 'gezhi-test-')) }, db, logger: false })
  await app.ready()
  return app
}
