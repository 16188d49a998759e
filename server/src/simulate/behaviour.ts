import type { IncidentSource, TimeLimit } from '@gezhi/geo'
import type { Rng } from './random.ts'
import { NOTES } from './texts.ts'

/**
 * The realistic mix, in one place: who reports, how each case's life goes, and how long people
 * take. Figures are the simulator's defaults, chosen to look like a district's day in the
 * published figures (DOMAIN.md) while keeping a demo lively; change them here.
 */

/** Share of reports per source. Patrols find most problems in grid work (日巡查); residents follow. */
export const SOURCE_MIX: ReadonlyArray<{ source: IncidentSource; share: number }> = [
  { source: 'resident', share: 0.40 },
  { source: 'patrol', share: 0.35 },
  { source: 'hotline', share: 0.18 },
  { source: 'sensor', share: 0.07 },
]

/** 小类 a camera or IoT sensor can find: rubbish, street trading and parking by video, covers, water and dust by sensors. */
export const SENSOR_CATEGORIES = ['E0102', 'E0502', 'E0504', 'E0505', 'E0406', 'E0302', 'C0101', 'C0102', 'C0103']

/**
 * What kind of place a hot spot is, and the 小类 it is known for: a night market's trading and
 * barbecue, an old estate's adverts and e-bike charging, a building site's noise and dust.
 */
export const HOT_SPOT_THEMES: ReadonlyArray<{ name: string; favourites: string[] }> = [
  { name: '夜市', favourites: ['E0502', 'E0108', 'E0102', 'E0501'] },
  { name: '老旧小区', favourites: ['E0201', 'E0102', 'G0304', 'E0505'] },
  { name: '建筑工地', favourites: ['E0301', 'E0302', 'E0303'] },
  { name: '地铁口', favourites: ['E0505', 'E0504', 'E0201'] },
  { name: '农贸市场', favourites: ['E0102', 'E0104', 'E0502', 'E0501'] },
  { name: '学校周边', favourites: ['E0504', 'E0501', 'E0201'] },
  { name: '商业街', favourites: ['E0201', 'E0502', 'E0504', 'C0305'] },
]

export const MIX = {
  /** Reports placed around a hot spot; the rest anywhere in the territory. */
  hotSpotShare: 0.7,
  hotSpotSpreadM: 80,
  anywhereSpreadM: 60,
  /** A hot spot's own 小类 (a night market's barbecue, a building site's noise) for this share of its reports. */
  hotSpotFavouriteShare: 0.4,
  residentPhoto: 0.6,
  /** Reports sent in GCJ-02, as WeChat's location picker gives them. */
  gcj02: 0.05,
  /** Residents who look for a similar open case first and join it ("me too") when there is one. */
  residentLooksForSimilar: 0.25,
  /** Patrol reports of a small matter (handled at grid level or below) fixed on the spot (随手清). */
  patrolFixesOnSpot: 0.2,
}

/** What will happen to one case, decided when it is reported. */
export interface Fate {
  outcome: 'normal' | 'reject' | 'void'
  /** Left untouched in this state past its due time, so the deadline scheduler marks it overdue. */
  neglect: 'reported' | 'accepted' | null
  escalate: boolean
  /** Departments the street calls in at filing (街道吹哨); 0 = none. */
  whistle: number
  extension: { approve: boolean; limit: TimeLimit } | null
  checkFails: number
  /** Whether the reporter rates the result; most do when asked, some never answer. */
  evaluate: boolean
  rating: number
  ratingNote: string | null
}

export function drawFate(r: Rng, category: { handlingLevel: number; departments: string[] }): Fate {
  const x = r.next()
  const outcome = x < 0.03 ? 'reject' : x < 0.05 ? 'void' : 'normal'
  const n = r.next()
  const neglect = n < 0.07 ? 'reported' : n < 0.10 ? 'accepted' : null
  // Hard street-level matters with named departments (私搭乱建, 施工扰民 …) are where streets blow the whistle.
  const hard = category.handlingLevel === 1 && category.departments.length > 0
  const whistle = r.chance(hard ? 0.12 : 0.01) ? r.weighted([1, 2, 3], (k) => [0.5, 0.35, 0.15][k - 1]!) : 0
  const extension = r.chance(0.04) ? { approve: r.chance(0.85), limit: { clock: 'working_days' as const, amount: r.int(1, 3) } } : null
  const checkFails = r.chance(0.10) ? (r.chance(0.1) ? 2 : 1) : 0
  const rating = r.weighted([1, 2, 3, 4, 5], (k) => [0.04, 0.06, 0.08, 0.30, 0.52][k - 1]!)
  return {
    outcome, neglect, escalate: r.chance(0.10), whistle, extension, checkFails,
    evaluate: r.chance(0.85), rating,
    ratingNote: rating <= 2 ? r.pick(NOTES.unhappy) : rating >= 4 && r.chance(0.3) ? r.pick(NOTES.happy) : null,
  }
}

/**
 * How long people take for each step, in seconds at speed 1 (the demo's pace: a case is filed in
 * 10–60 s, accepted in a minute or two, handled in several minutes). Skewed towards the short end.
 */
export const DELAY_S = {
  file: [10, 60], dispatch: [5, 30], accept: [20, 120], escalate: [30, 120], whistle: [10, 60],
  reportIn: [20, 120], reply: [60, 300], handle: [120, 480], extension: [30, 120], decideExtension: [20, 90],
  check: [30, 180], evaluate: [60, 300], supervise: [5, 30],
} as const satisfies Record<string, readonly [number, number]>
export type DelayKind = keyof typeof DELAY_S

export function delayMs(r: Rng, kind: DelayKind, speed: number): number {
  const [lo, hi] = DELAY_S[kind]
  return ((lo + (hi - lo) * r.next() ** 1.5) * 1000) / speed
}

/** Neglect waits past the stage's due time by this margin (real or simulated time, never scaled), up to a cap. */
export const NEGLECT_MARGIN_MS: readonly [number, number] = [60_000, 600_000]
export const NEGLECT_CAP_MS = 4 * 3600_000

/**
 * Reports per hour of the day (Beijing time) relative to the daily mean: quiet at night, a
 * morning and an afternoon peak (8–20 h carry about 80 % of a day's reports).
 */
export const HOURLY_RHYTHM = [
  0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.5, 1.0, 1.6, 1.9, 1.9, 1.7, 1.3, 1.4, 1.7, 1.8, 1.8, 1.6, 1.4, 1.2, 0.9, 0.7, 0.45, 0.25,
].map((v, _i, all) => (v * all.length) / all.reduce((a, b) => a + b, 0))
export const BEIJING_OFFSET_MS = 8 * 3600_000

export const beijingHour = (ms: number) => new Date(ms + BEIJING_OFFSET_MS).getUTCHours() + new Date(ms + BEIJING_OFFSET_MS).getUTCMinutes() / 60

/**
 * Staff on the street work days (07:30–22:00 Beijing time); a case's field work that falls at
 * night waits for the morning shift. Returns the time the work can start, ≥ `ms`.
 */
export function nextShift(ms: number, r: Rng): number {
  const h = beijingHour(ms)
  if (h >= 7.5 && h < 22) return ms
  const dayStart = Math.floor((ms + BEIJING_OFFSET_MS) / 86_400_000) * 86_400_000 - BEIJING_OFFSET_MS
  const morning = dayStart + (h >= 22 ? 86_400_000 : 0) + 7.5 * 3600_000
  return morning + r.between(0, 90) * 60_000
}
