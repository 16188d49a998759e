/**
 * What the benchmark reports: residents' cases (`source: resident`, no photos) at points of the
 * demo city, in categories drawn by their default weights (so 非法小广告 and 暴露垃圾 dominate, as
 * on a real board), each with a description no other report has.
 */
import { type CategoryDefinition, DEFAULT_CATEGORIES, type LngLat, type ReportBody } from '@gezhi/geo'
import type { Db } from '../../server/src/db/db.ts'
import { LOCATE_MANY } from '../../server/src/modules/locate/locate.queries.ts'
import { seededRandom } from '../../server/src/seed/random.ts'
import type { RequestSpec } from '../lib/load.ts'
import { districtPoints } from '../locate/points.ts'

/** The service refuses reports farther than this outside every grid (its default maxOutsideM is 1,000 m). */
const ACCEPTED_OUTSIDE_M = 900

/**
 * `n` WGS-84 points over the district (bench/locate/points.ts: uniform, 2 % just outside it),
 * keeping only those the service accepts: inside a grid or within 900 m of one.
 */
export async function reportPoints(db: Db, n: number, seed = 11): Promise<LngLat[]> {
  const drawn = await districtPoints(db, Math.ceil(n * 1.05), seed)
  const rows = await db.query<{ i: number; outside: boolean; distance_m: number }>(LOCATE_MANY, [drawn.map((p) => p[0]), drawn.map((p) => p[1]), null])
  const accepted = new Set(rows.filter((r) => !r.outside || r.distance_m <= ACCEPTED_OUTSIDE_M).map((r) => r.i - 1))
  return drawn.filter((_, i) => accepted.has(i)).slice(0, n)
}

/** Categories drawn by weight from a seeded generator: `at(i)` is the same for the same `i`. */
export function categoryMix(size = 10_000, seed = 5): { at(i: number): CategoryDefinition; shareOf(code: string): number } {
  const active = DEFAULT_CATEGORIES
  const total = active.reduce((sum, c) => sum + c.weight, 0)
  const random = seededRandom(seed)
  const drawn = Array.from({ length: size }, () => {
    let r = random() * total
    for (const c of active) if ((r -= c.weight) < 0) return c
    return active.at(-1)!
  })
  return { at: (i) => drawn[i % size]!, shareOf: (code) => drawn.filter((c) => c.code === code).length / size }
}

const STREETS = ['紫荆山路', '金水路', '经三路', '纬五路', '花园路', '农业路', '文化路', '丰产路', '东风路', '黄河路']

/**
 * Report `i` of run `run` as a JSON body: the category's name, a street address and the run and
 * index in the description (unique across runs); a phone number on every third; an idempotency
 * key when asked for.
 */
export function reportBody(points: LngLat[], categories: ReturnType<typeof categoryMix>, run: string, i: number, withKey = false): ReportBody {
  const [lng, lat] = points[(i * 7919) % points.length]!
  const category = categories.at(i)
  const address = `${STREETS[i % STREETS.length]}${(i % 280) + 1}号附近`
  const body: ReportBody = {
    source: 'resident', category: category.code, location: { lng, lat }, address,
    description: `${address}发现${category.name}，请尽快处理。（压测 ${run}-${i}）`,
  }
  if (i % 3 === 0) body.reporter = { name: '张女士', phone: `138${String(10_000_000 + (i % 90_000_000)).padStart(8, '0')}` }
  if (withKey) body.idempotencyKey = `bench-${run}-${i}`
  return body
}

/** `POST /api/incidents` requests over `reportBody`. */
export function reportRequests(points: LngLat[], categories: ReturnType<typeof categoryMix>, run: string, withKey = false): (i: number) => RequestSpec {
  return (i) => ({ method: 'POST', path: '/api/incidents', body: JSON.stringify(reportBody(points, categories, run, i, withKey)) })
}
