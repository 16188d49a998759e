/**
 * The bare SQL baselines, from this process through the same `Db` interface the server uses
 * (`pg` pool on PostgreSQL, so named queries are prepared statements; the one PGlite connection):
 * (a) INSERT a case row like the server's and its `reported` event row, in one transaction;
 * (b) the same after the routing query the server runs first (LOCATE_ONE), as the issue measured.
 * No HTTP, no validation, no similar-cases or repeat queries, no answer to build.
 */
import type { LngLat } from '@gezhi/geo'
import { type Db, sql } from '../../server/src/db/db.ts'
import { GENERATION_AT, LOCATE_MANY, LOCATE_ONE } from '../../server/src/modules/locate/locate.queries.ts'
import type { CpuSources } from '../lib/cpu.ts'
import { type Measurement, repeatFor } from '../locate/measure.ts'
import { categoryMix, reportBody } from './reports.ts'

/** The columns and values the server's INSERT_INCIDENT writes, but with the id from its default and the number from the caller. */
const BARE_INSERT_INCIDENT = sql('bench_bare_insert_incident', `
  INSERT INTO incidents (number, source, category_code, kind, description, address, geom, input_lng, input_lat, input_crs,
                         generation_id, leaf_grid_id, grid_path, outside, outside_distance_m, state, reporter_name, reporter_phone,
                         reported_at, due_dispatch_at, due_at, warn_at)
  VALUES ($1, 'resident', $2, 'committed', $3, $4, ST_SetSRID(ST_MakePoint($5, $6), 4326), $5, $6, 'wgs84',
          $7, $8, $9, $10, $11, 'reported', $12, $13, $14, $15, $15, $16)
  RETURNING id`)

const BARE_INSERT_EVENT = sql('bench_bare_insert_event', `
  INSERT INTO incident_events (incident_id, type, from_state, to_state, actor_kind, actor_name, at, note, data)
  VALUES ($1, 'reported', NULL, 'reported', 'public', $2, $3, $4, $5)`)

interface Routed { generationId: number; leafId: number; path: number[]; outside: boolean; distanceM: number }

interface LocateRow { generation_id: number; grid_id: number; outside: boolean; distance_m: number; chain: Array<{ id: number }> }

/** The leaf's path is the chain's ids, top level first (the server reads it with a query of its own). */
const routedOf = (row: LocateRow): Routed => ({ generationId: row.generation_id, leafId: row.grid_id, path: row.chain.map((g) => g.id), outside: row.outside, distanceM: row.distance_m })

/** Every point routed in one batch, for (a), which inserts without looking up. */
async function routeAll(db: Db, points: LngLat[]): Promise<Routed[]> {
  const [gen] = await db.query<{ id: number }>(GENERATION_AT, [null])
  const rows = await db.query<{ i: number; grid_id: number; outside: boolean; distance_m: number }>(LOCATE_MANY, [points.map((p) => p[0]), points.map((p) => p[1]), null])
  const paths = new Map((await db.query<{ id: number; path: number[] }>('SELECT id, path FROM grids WHERE id = ANY ($1::int[])', [[...new Set(rows.map((r) => r.grid_id))]])).map((g) => [g.id, g.path]))
  const routed: Routed[] = []
  for (const r of rows) routed[r.i - 1] = { generationId: gen!.id, leafId: r.grid_id, path: paths.get(r.grid_id)!, outside: r.outside, distanceM: r.distance_m }
  return routed
}

/** A database with `n` connections and how to let go of it (PGlite: the one shared instance, kept open). */
export type Connect = (n: number) => { db: Db; release(): Promise<void> }

/** The `set` of a new case's `reported` event, about as large as the server's (every mutable field). */
const eventData = (at: Date) => JSON.stringify({
  source: 'resident',
  set: {
    state: 'reported', unitLevel: null, unitGridId: null, unitDepartments: [], supervised: false, extensionRequest: null, repeatFlag: false,
    dispatchCount: 0, returnCount: 0, reworkCount: 0, filedAt: null, dispatchedAt: null, acceptedAt: null, handledAt: null, closedAt: null,
    dueHandleAt: null, dueCheckAt: null, dueCloseAt: null, warnAt: new Date(at.getTime() + 24 * 60_000).toISOString(),
    dueAt: new Date(at.getTime() + 30 * 60_000).toISOString(), warnedAt: null, stageOverdue: false, overdueAt: null,
    handledOnTime: null, closedOnTime: null, rating: null, ratingComment: null,
  },
})

export interface Baselines {
  /** (a) INSERT case + event, COMMIT, with `concurrency` connections. */
  insert(concurrency: number, durationS: number, pids?: CpuSources['postgresPids']): Promise<Measurement>
  /** (b) LOCATE_ONE, then INSERT case + event, COMMIT. */
  lookupInsert(concurrency: number, durationS: number, pids?: CpuSources['postgresPids']): Promise<Measurement>
}

/**
 * `connect(n)` opens a database with `n` connections (a pool on PostgreSQL; PGlite has one).
 * The points are routed once up front, so that (a) inserts the same grids (b) looks up. Each
 * run first warms up for `warmS` seconds: connections opened, statements prepared.
 */
export async function baselines(connect: Connect, points: LngLat[], runTag: string, warmS: number): Promise<Baselines> {
  const categories = categoryMix()
  const setup = connect(1)
  const routes = await routeAll(setup.db, points).finally(() => setup.release())

  let written = 0
  async function insertCase(db: Db, i: number, routed: Routed): Promise<void> {
    const body = reportBody(points, categories, runTag, i)
    const at = new Date()
    await db.transaction(async (tx) => {
      const [row] = await tx.query<{ id: number }>(BARE_INSERT_INCIDENT, [
        `${runTag}-bare-${written++}`, body.category, body.description, body.address, body.location.lng, body.location.lat,
        routed.generationId, routed.leafId, routed.path, routed.outside, routed.distanceM, body.reporter?.name ?? null, body.reporter?.phone ?? null,
        at, new Date(at.getTime() + 30 * 60_000), new Date(at.getTime() + 24 * 60_000),
      ])
      await tx.query(BARE_INSERT_EVENT, [row!.id, body.reporter?.name ?? '群众', at, body.description, eventData(at)])
    })
  }

  async function run(concurrency: number, durationS: number, pids: CpuSources['postgresPids'], op: (db: Db, i: number) => Promise<void>) {
    const { db, release } = connect(concurrency)
    try {
      await repeatFor(warmS, concurrency, async (i) => (await op(db, i), 1)) // open the connections, prepare the statements
      return await repeatFor(durationS, concurrency, async (i) => (await op(db, i), 1), pids)
    } finally {
      await release()
    }
  }

  return {
    insert(concurrency, durationS, pids) {
      return run(concurrency, durationS, pids, (db, i) => insertCase(db, i, routes[(i * 7919) % points.length]!))
    },
    lookupInsert(concurrency, durationS, pids) {
      return run(concurrency, durationS, pids, async (db, i) => {
        const p = points[(i * 7919) % points.length]!
        const [row] = await db.query<LocateRow>(LOCATE_ONE, [p[0], p[1], new Date().toISOString()])
        await insertCase(db, i, routedOf(row!))
      })
    },
  }
}
