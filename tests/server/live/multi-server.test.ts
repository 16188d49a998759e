import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CaseStore, type IncidentSummary, type LngLat, liveSync, socketIoConnection } from '@gezhi/geo'
import { openPostgres } from '../../../server/src/db/postgres.ts'
import { prepareDatabase } from '../../../server/src/db/prepare.ts'
import { seedCity } from '../../../server/src/seed/seed-city.ts'
import { DEMO_PASSWORD } from '../../../server/src/seed/demo-users.ts'
import { ROOT } from '../../support/city-cache.ts'
import { connectSocket, eventually } from '../../support/live-clients.ts'
import { reportBody } from '../../support/incident-helpers.ts'
import { BACKEND } from '../../support/test-db.ts'

/**
 * Two server processes on different ports, one PostgreSQL database, one Redis: a client on
 * server B receives, in order and without gaps, what was reported through server A; when B is
 * killed, the client reconnects to A and loses nothing. The servers get a database of their own
 * (a small city), so the test processes' own servers do not compete to publish.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const adminUrl = process.env.DATABASE_URL

async function redisReachable(): Promise<boolean> {
  const client = createClient({ url: REDIS_URL, socket: { connectTimeout: 1000, reconnectStrategy: false } })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.ping()
    await client.quit()
    return true
  } catch {
    return false
  }
}
const runnable = BACKEND === 'postgres' && adminUrl !== undefined && (await redisReachable())
if (BACKEND === 'postgres' && !runnable) console.log(`SKIPPED multi-server test: Redis is not reachable at ${REDIS_URL}`)

/** Starts `node server.ts` and resolves with its URL once it listens. */
function startServer(databaseUrl: string, name: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/src/server.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL, PORT: '0', HOST: '127.0.0.1', SEED_ON_START: 'false', SIMULATE: 'false', DEADLINE_SWEEP_MS: '0', LOG_LEVEL: 'warn', CLIENT_DIR: '/nonexistent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${out}`)), 60_000)
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const match = out.match(/is running: (http:\/\/localhost:\d+)\//)
      if (match) {
        clearTimeout(timer)
        resolve({ child, url: match[1]!.replace('localhost', '127.0.0.1') })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${out}`)))
  })
}

describe.runIf(runnable)('several servers through Redis', () => {
  const name = `gezhi_multi_${Date.now()}_${process.pid}`
  let databaseUrl = ''
  const children: ChildProcess[] = []
  let a = ''
  let b = ''

  beforeAll(async () => {
    const admin = openPostgres({ connectionString: adminUrl!, max: 1 })
    await admin.exec(`CREATE DATABASE ${name}`)
    await admin.close()
    const url = new URL(adminUrl!)
    url.pathname = `/${name}`
    databaseUrl = url.toString()
    const db = openPostgres({ connectionString: databaseUrl, max: 2 })
    await db.exec('CREATE EXTENSION IF NOT EXISTS postgis')
    await prepareDatabase(db)
    await seedCity(db, { seed: 3, scale: 0.05, households: false })
    await db.close()
    const [sa, sb] = await Promise.all([startServer(databaseUrl, 'A'), startServer(databaseUrl, 'B')])
    children.push(sa.child, sb.child)
    a = sa.url
    b = sb.url
  }, 180_000)

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL')
    const admin = openPostgres({ connectionString: adminUrl!, max: 1 })
    await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.close()
  })

  it('delivers through B what A accepted, in order; after B dies the client catches up on A', { timeout: 180_000 }, async () => {
    const login = await fetch(`${a}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'commander', password: DEMO_PASSWORD }) })
    const { token } = (await login.json()) as { token: string }
    const labels = await (await fetch(`${a}/api/grids?level=4&labels=true`)).json() as { features: Array<{ geometry: { coordinates: LngLat } }> }
    const places = labels.features.map((f) => f.geometry.coordinates)
    const reportOn = async (base: string, i: number) => {
      const res = await fetch(`${base}/api/incidents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(reportBody(places[i % places.length]!, { category: 'E0104' })) })
      expect(res.status).toBe(201)
      return ((await res.json()) as { incident: { id: number } }).incident.id
    }

    const store = new CaseStore()
    const onB = connectSocket(b, token)
    const seqs: number[] = []
    for (const e of ['incident:created', 'incident:updated']) onB.on(e, (d: { seq: number }) => seqs.push(d.seq))
    const syncB = liveSync(socketIoConnection(onB as never), store)
    await eventually(() => syncB.status() === 'live', 20_000, 'client live on B')

    const first: number[] = []
    for (let i = 0; i < 60; i++) first.push(await reportOn(a, i))
    await eventually(() => first.every((id) => store.cases.has(id)), 20_000, 'B to deliver what A accepted')
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!)

    children[1]!.kill('SIGKILL')
    await eventually(() => !onB.connected, 10_000, 'B gone')
    onB.close()
    const second: number[] = []
    for (let i = 0; i < 30; i++) second.push(await reportOn(a, 100 + i))

    const onA = connectSocket(a, token)
    const syncA = liveSync(socketIoConnection(onA as never), store) // the same store: it asks A for what it missed since its seq
    await eventually(() => syncA.status() === 'live' && second.every((id) => store.cases.has(id)), 20_000, 'catch-up on A')
    const snapshot = (await onA.timeout(5000).emitWithAck('snapshot:get', {})).data as { incidents: IncidentSummary[] }
    for (const incident of snapshot.incidents) expect(store.cases.get(incident.id)).toEqual(incident)
    onA.close()
  })
})
