import { type Generation, GezhiError, type GridRef, type LngLat, type LocateBatchResult, type StaffMember } from '@gezhi/geo'
import type { Db } from '../../db/db.ts'
import { GENERATION_AT, GRID_REFS_ON_PATHS, LOCATE_MANY, LOCATE_ONE } from './locate.queries.ts'

export interface LocatedPoint {
  generation: Generation
  outside: boolean
  leaf: GridRef | null
  chain: GridRef[]
  staff: StaffMember[]
  nearest: { grid: GridRef; distanceM: number } | null
}

interface LocateRow {
  generation_id: number | null
  generation_label: string
  valid_from: Date
  grid_id: number | null
  outside: boolean
  distance_m: number
  chain: GridRef[] | null
  staff: StaffMember[]
}

/** No boundary generation in force: before the first one (when `at` is given), or none published at all. */
const noGeneration = (at?: string) => at
  ? new GezhiError('GENERATION_NOT_FOUND', `no grid boundaries were in force at ${at}`)
  : new GezhiError('SERVICE_UNAVAILABLE', 'no grid boundaries are published yet; seed the city first (npm run seed)')

/** Routing of locations to the responsible grid: PostGIS does the work, this shapes the answer. */
export function locateRepository(db: Db) {
  return {
    /** `position` is WGS-84 `[lng, lat]`; `at` picks the boundary generation (default now). */
    async locate(position: LngLat, at?: string): Promise<LocatedPoint> {
      const [row] = await db.query<LocateRow>(LOCATE_ONE, [position[0], position[1], at ?? null])
      if (!row || row.generation_id === null) throw noGeneration(at)
      const generation = { id: row.generation_id, label: row.generation_label, validFrom: row.valid_from.toISOString() }
      const chain = row.chain ?? []
      const grid = chain.at(-1) ?? null
      if (!grid) return { generation, outside: true, leaf: null, chain: [], staff: [], nearest: null } // no leaves at all
      if (row.outside) return { generation, outside: true, leaf: null, chain: [], staff: [], nearest: { grid, distanceM: row.distance_m } }
      return { generation, outside: false, leaf: grid, chain, staff: row.staff, nearest: null }
    },

    /** Many WGS-84 positions; results in input order, grids referenced by id. */
    async locateMany(positions: LngLat[], at?: string) {
      const [gen] = await db.query<{ id: number; label: string; valid_from: Date }>(GENERATION_AT, [at ?? null])
      if (!gen) throw noGeneration(at)
      const rows = await db.query<{ i: number; grid_id: number; outside: boolean; distance_m: number }>(LOCATE_MANY, [
        positions.map((p) => p[0]), positions.map((p) => p[1]), at ?? null,
      ])
      const results: LocateBatchResult[] = positions.map((p) => ({ tested: p, outside: true, leafId: null, nearestId: null, distanceM: 0 }))
      for (const r of rows) {
        const result = results[r.i - 1]!
        result.outside = r.outside
        result.distanceM = r.distance_m
        if (r.outside) result.nearestId = r.grid_id
        else result.leafId = r.grid_id
      }
      const leafIds = [...new Set(rows.map((r) => r.grid_id))]
      const refs = leafIds.length ? await db.query<{ id: number; code: string; name: string; level: number; level_name: string; path: number[] }>(GRID_REFS_ON_PATHS, [leafIds]) : []
      const grids = Object.fromEntries(refs.map((g) => [String(g.id), { id: g.id, code: g.code, name: g.name, level: g.level, levelName: g.level_name, path: g.path }]))
      return { generation: { id: gen.id, label: gen.label, validFrom: gen.valid_from.toISOString() }, results, grids }
    },
  }
}
