import type { TimeLimit } from '@gezhi/geo'
import { SENSOR_CATEGORIES } from './behaviour.ts'
import { buildPlaces, type LabelFeature, type Places } from './places.ts'
import { deriveSeed, rng } from './random.ts'

/** A 小类 as the simulator needs it (the shape of GET /api/categories). */
export interface SimCategory {
  code: string
  name: string
  handlingLevel: number
  departments: string[]
  departmentIds: number[]
  limits: { dispatch: TimeLimit; handle: TimeLimit; check: TimeLimit }
  weight: number
  active: boolean
}

export interface Department { id: number; code: string; name: string }

/** Everything fixed for a run: the taxonomy, departments, places, and how the run behaves. */
export interface World {
  categories: Map<string, SimCategory>
  /** Active categories with a weight > 0: what reports are drawn from. */
  drawable: SimCategory[]
  sensorCategories: SimCategory[]
  departments: Department[]
  places: Places
  /** Divides every human delay (2 = twice as lively). */
  speed: number
  /** Field work at night waits for the morning shift (the backfill; the live demo never sleeps). */
  nightShift: boolean
  /** Residents may join a similar open case instead of reporting it again. */
  meToo: boolean
  /** Decides the places (hot spots stay where they are for a city). */
  seed: number
  /** Decides the stream: which report comes next and what becomes of it. */
  streamSeed: number
  /** Distinguishes this run's idempotency keys from every other run's. */
  runId: string
}

export function buildWorld(input: {
  categories: SimCategory[]; departments: Department[]; labels: LabelFeature[]
  speed: number; nightShift: boolean; meToo: boolean; seed: number; streamSeed?: number; runId: string
}): World {
  const drawable = input.categories.filter((c) => c.active && c.weight > 0)
  if (drawable.length === 0) throw new Error('no active category with a weight to report')
  const sensorCategories = drawable.filter((c) => SENSOR_CATEGORIES.includes(c.code))
  // Hot spots depend on the seed only, not on the run: the same seed marks the same places.
  const places = buildPlaces(input.labels, rng(deriveSeed(input.seed, 0, 7)), drawable)
  return {
    categories: new Map(input.categories.map((c) => [c.code, c])), drawable, sensorCategories,
    departments: input.departments, places, speed: input.speed, nightShift: input.nightShift, meToo: input.meToo,
    seed: input.seed, streamSeed: input.streamSeed ?? input.seed, runId: input.runId,
  }
}

/** The simulator's own accounts: one leader per street, one member of staff per department. */
export const SIM_PASSWORD = 'gezhi-simulated-staff'
export const streetUsername = (streetId: number) => `sim-street-${streetId}`
export const departmentUsername = (code: string) => `sim-dept-${code.toLowerCase().replace(/[^a-z0-9_.-]/g, '-')}`.slice(0, 32)

export function simAccounts(streets: Array<{ id: number; name: string }>, departments: Department[]) {
  return [
    ...streets.map((s) => ({ username: streetUsername(s.id), displayName: `${s.name}网格长（模拟）`, role: 'leader' as const, gridId: s.id })),
    ...departments.map((d) => ({ username: departmentUsername(d.code), displayName: `${d.name}值班员（模拟）`, role: 'department' as const, departmentId: d.id })),
  ]
}
