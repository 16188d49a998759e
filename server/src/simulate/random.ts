import { seededRandom } from '../seed/random.ts'

/** A seeded random source with the few draws the simulator needs. Same seed, same sequence. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number
  chance(p: number): boolean
  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number
  int(lo: number, hiInclusive: number): number
  pick<T>(items: readonly T[]): T
  /** An item drawn with probability proportional to `weight(item)`; throws when every weight is 0. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T
  /** Standard normal (Box–Muller). */
  gaussian(): number
  /** Exponential with mean `mean`: the gap between Poisson arrivals. */
  exponential(mean: number): number
}

export function rng(seed: number): Rng {
  const next = seededRandom(seed)
  const r: Rng = {
    next,
    chance: (p) => next() < p,
    between: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted(items, weight) {
      let total = 0
      for (const item of items) total += Math.max(0, weight(item))
      if (!(total > 0)) throw new Error('weighted draw over nothing with a weight')
      let x = next() * total
      for (const item of items) {
        x -= Math.max(0, weight(item))
        if (x < 0) return item
      }
      return items.at(-1)!
    },
    gaussian() {
      const u = 1 - next()
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next())
    },
    exponential: (mean) => -Math.log(1 - next()) * mean,
  }
  return r
}

/** A seed for the n-th thing drawn from `seed`, so each case has its own stream whatever the timing. */
export function deriveSeed(seed: number, n: number, salt = 0): number {
  let h = (seed ^ 0x9e3779b9) >>> 0
  for (const v of [n, salt]) {
    h = Math.imul(h ^ v, 0x85ebca6b) >>> 0
    h = (h ^ (h >>> 13)) >>> 0
    h = Math.imul(h, 0xc2b2ae35) >>> 0
    h = (h ^ (h >>> 16)) >>> 0
  }
  return h
}
