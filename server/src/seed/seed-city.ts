import { DEFAULT_GRID_LEVELS, HOUSEHOLD_TAG_KEYS, type HouseholdTag, type LngLat } from '@gezhi/geo'
import type { Db, Queryable } from '../db/db.ts'
import divisions from './data/jinshui-divisions.json' with { type: 'json' }
import { chineseNumber, DEPARTMENTS, GIVEN_CHARS, PLEDGES, ROADS, SURNAMES, THEMES } from './names.ts'
import { seedDemoUsers } from './demo-users.ts'
import { seedDemoApiKey } from './demo-api-key.ts'
import { districtOutline } from './outline.ts'
import { seededRandom } from './random.ts'
import * as Q from './seed.queries.ts'

export interface SeedOptions {
  /** Same seed, same city. */
  seed: number
  /** 1 = the demo city (~2,500 micro-grids, ~150,000 households); 40 ≈ 100,000 micro-grids. */
  scale: number
  /** Generate households (and party-member households and building leaders). Off for routing-only benchmarks. */
  households: boolean
  /** Reports progress: a step's name and how far along it is. */
  onProgress?: (step: string, done: number, total: number) => void
}

export interface CityCounts {
  grids: number; streets: number; communities: number; grid_cells: number; micro_grids: number
  households: number; party_centers: number; staff: number
}

/** The demo city's rules at scale 1; larger scales multiply micro-grids and spread over more streets. */
export const DEMO_CITY = {
  centre: [113.66, 34.78] as LngLat,
  microGridsAtScale1: 2500,
  /** Nuclei (= micro-grids) per community and per grid: ~40 communities and ~300 grids at scale 1. */
  nucleiPerCommunity: 62.5,
  nucleiPerGrid: 8.33,
  /** District radius at scale 1, metres; area grows with scale at constant density. */
  radiusM: 4200,
  /** Density floor at the edge relative to the centre, and the Gaussian's radius relative to the district's. */
  edgeDensity: 0.15,
  densitySigma: 0.5,
  generationValidFrom: '2024-01-01T00:00:00+08:00',
}

/** Probability of each sensitive tag per household (rough national shares). */
const TAG_SHARES: Record<HouseholdTag, number> = {
  hardship: 0.02, petitioner: 0.003, bereaved_parents: 0.002, left_behind_children: 0.01,
  elderly_alone: 0.04, disabled: 0.02, unemployed: 0.03, community_correction: 0.002,
}
const PARTY_CENTER_SHARE = 0.03
const THEME_SHARES = [0.12, 0.05, 0.03, 0.03]

/**
 * Generates a whole city into an empty database (or wipes it first with `wipe`), in one
 * transaction: it is all there or not at all. Returns the counts.
 */
export async function seedCity(db: Db, options: SeedOptions & { wipe?: boolean }): Promise<CityCounts> {
  return db.transaction(async (tx) => {
    if (options.wipe) await tx.exec(Q.WIPE_CITY)
    await generate(tx, options)
    const [counts] = await tx.query<CityCounts>(Q.CITY_COUNTS)
    await tx.query(Q.SET_META, ['city', JSON.stringify({ seed: options.seed, scale: options.scale, households: options.households, seededAt: new Date().toISOString(), counts })])
    // Fresh tables have no statistics: without them the first lookups may choose bad plans.
    await tx.exec('ANALYZE grids; ANALYZE grid_boundaries; ANALYZE grid_pieces; ANALYZE households; ANALYZE party_links; ANALYZE grid_staff')
    return counts!
  })
}

async function generate(tx: Queryable, { seed, scale, households, onProgress = () => {} }: SeedOptions): Promise<void> {
  const random = seededRandom(seed)
  const steps = households ? 9 : 6
  let step = 0
  const progress = (name: string) => onProgress(name, ++step, steps)

  for (const level of DEFAULT_GRID_LEVELS) await tx.query(Q.INSERT_LEVEL, [level.depth, level.key, level.name, level.nameEn])
  const [generation] = await tx.query<{ id: number }>(Q.INSERT_GENERATION, ['初始划分', DEMO_CITY.generationValidFrom, `demo city, seed ${seed}, scale ${scale}`])
  const generationId = generation!.id

  const radiusM = DEMO_CITY.radiusM * Math.sqrt(scale)
  const outline = districtOutline({ centre: DEMO_CITY.centre, radiusM, random })
  const { district } = divisions
  const [{ id: districtId }] = (await tx.query<{ id: number }>(Q.INSERT_DISTRICT, [district.code, district.name, district.city, JSON.stringify(outline)])) as [{ id: number }]
  for (const d of DEPARTMENTS) await tx.query(Q.INSERT_DEPARTMENT, [districtId, d.code, d.name, d.phone])
  progress('district outline')

  const nuclei = Math.round(DEMO_CITY.microGridsAtScale1 * scale)
  const metresPerDegLng = 111_320 * Math.cos((DEMO_CITY.centre[1] * Math.PI) / 180)
  const meanAcceptance = 0.36 // ≈ edge + (1 − edge)·∫Gaussian over the disc, for the constants above
  await tx.query(Q.CREATE_SAMPLES, [
    Math.ceil((nuclei / meanAcceptance) * 1.4), nuclei, seed, districtId, DEMO_CITY.edgeDensity,
    DEMO_CITY.centre[0], DEMO_CITY.centre[1], metresPerDegLng, radiusM * DEMO_CITY.densitySigma,
  ])
  progress('population nuclei')

  // Streets and communities carry real names and official codes, assigned in west→east,
  // north→south order so that codes are both official and positional.
  const streetCount = Math.min(divisions.streets.length, Math.max(1, Math.round(6 * Math.sqrt(scale))))
  const streets = divisions.streets.slice(0, streetCount)
  const streetNames = { [district.code]: streets.map((s) => ({ seg: s.code.slice(-3), name: s.name })) }
  const communityNames = Object.fromEntries(streets.map((s) => [s.code, s.communities.map((c) => ({ seg: c.code.slice(-3), name: c.name }))]))
  const numerals = Array.from({ length: 999 }, (_, i) => chineseNumber(i + 1))

  // Streets: exactly `streetCount` cells, so nuclei-per-child is the total over the count.
  await tx.query(Q.splitLevelQuery(1, 2), [1, generationId, nuclei / streetCount, 2, JSON.stringify(streetNames), numerals, '街道'])
  progress('streets')
  await tx.query(Q.splitLevelQuery(2, 2), [2, generationId, DEMO_CITY.nucleiPerCommunity, 1, JSON.stringify(communityNames), numerals, '社区'])
  await tx.query(Q.splitLevelQuery(3, 2), [3, generationId, DEMO_CITY.nucleiPerGrid, 1, '{}', numerals, '网格'])
  await tx.query(Q.ASSIGN_THEMES, [seed, THEMES, THEME_SHARES, 3])
  progress('communities and grids')
  await tx.query(Q.splitLevelQuery(4, 1), [4, generationId, 1, 1, '{}', numerals, '微网格'])
  const untiled = await tx.query<{ code: string }>(Q.UNTILED_PARENTS)
  if (untiled.length) throw new Error(`the partition lost area under ${untiled.length} grids (first: ${untiled[0]!.code}); the city was not saved`)
  await tx.query(Q.ADD_MISSING_LEAF_PIECES)
  progress('micro-grids')

  await insertStaffBoards(tx, seed)
  await seedDemoUsers(tx)
  await seedDemoApiKey(tx)
  progress('staff boards and demo accounts')
  if (!households) return

  const leafIds = (await tx.query<{ id: number }>(Q.LEAF_IDS)).map((r) => r.id)
  const batch = 500
  for (let i = 0; i < leafIds.length; i += batch) {
    const chunk = leafIds.slice(i, i + batch)
    await tx.query(Q.INSERT_HOUSEHOLDS, [seed, chunk[0], chunk.at(-1), ROADS, HOUSEHOLD_TAG_KEYS, HOUSEHOLD_TAG_KEYS.map((t) => TAG_SHARES[t]), PARTY_CENTER_SHARE])
    onProgress('households', step + (i + chunk.length) / leafIds.length, steps)
  }
  progress('households')
  await tx.query(Q.LINK_PARTY_CENTERS, [seed])
  progress('party-member households')
  await tx.query(Q.INSERT_BUILDING_LEADERS, [seed, SURNAMES, GIVEN_CHARS])
  progress('building leaders')
}

/** The "五级管理" chain: who sits on each level's board. Building leaders follow the households. */
async function insertStaffBoards(tx: Queryable, seed: number): Promise<void> {
  const boards: Array<[depth: number, roles: string[], counts: number[], fullTimeShares: number[]]> = [
    [1, ['grid_leader'], [1], [1]],
    [2, ['first_secretary', 'grid_leader'], [1, 1], [1, 1]],
    [3, ['grid_leader', 'grid_worker'], [1, 2], [1, 0.8]],
    [4, ['micro_grid_worker'], [1], [0.1]],
  ]
  for (const [depth, roles, counts, shares] of boards) {
    await tx.query(Q.INSERT_STAFF, [seed, depth, roles, counts, shares, SURNAMES, GIVEN_CHARS, PLEDGES])
  }
}
