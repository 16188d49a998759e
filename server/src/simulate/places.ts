import type { LngLat } from '@gezhi/geo'
import { HOT_SPOT_THEMES, MIX } from './behaviour.ts'
import type { Rng } from './random.ts'

/** A leaf grid (micro-grid in the demo city) by its label point, with the street it lies in. */
export interface Leaf {
  id: number
  streetId: number
  /** WGS-84 [lng, lat] of the grid's label point: always inside its polygon. */
  at: LngLat
}

/** A place where problems keep coming back (a night market, a building site, an old estate). */
export interface HotSpot {
  leaf: Leaf
  at: LngLat
  /** What kind of place it is (夜市, 老旧小区 …). */
  theme: string
  /** 小类 codes this place is known for (only ones the taxonomy has, active and weighted). */
  favourites: string[]
}

export interface Places {
  leaves: Leaf[]
  hotSpots: HotSpot[]
}

/** One label point of GET /api/grids?labels=true. */
export interface LabelFeature {
  geometry: { coordinates: number[] }
  properties: { id: number; level: number; parentId: number | null; name: string }
}

/**
 * Leaves (grids without children) with their street, from the label points of every level, and
 * 5–8 hot spots at seeded random leaves, each a kind of place known for a few 小类.
 */
export function buildPlaces(features: LabelFeature[], r: Rng, categories: Array<{ code: string; weight: number }>): Places {
  const byId = new Map(features.map((f) => [f.properties.id, f.properties]))
  const hasChild = new Set(features.map((f) => f.properties.parentId).filter((p) => p !== null))
  const streetOf = (id: number): number => {
    let g = byId.get(id)!
    while (g.parentId !== null && byId.has(g.parentId)) g = byId.get(g.parentId)!
    return g.id
  }
  const leaves = features
    .filter((f) => !hasChild.has(f.properties.id))
    .map((f) => ({ id: f.properties.id, streetId: streetOf(f.properties.id), at: [f.geometry.coordinates[0]!, f.geometry.coordinates[1]!] as LngLat }))
  if (leaves.length === 0) throw new Error('the territory has no grids to report in')
  const known = new Set(categories.filter((c) => c.weight > 0).map((c) => c.code))
  const hotSpots = Array.from({ length: r.int(5, 8) }, () => {
    const leaf = r.pick(leaves)
    const theme = r.pick(HOT_SPOT_THEMES)
    return { leaf, at: offsetM(leaf.at, r.gaussian() * 40, r.gaussian() * 40), theme: theme.name, favourites: theme.favourites.filter((c) => known.has(c)) }
  })
  return { leaves, hotSpots }
}

/** Where the next report is: 70 % around a hot spot (Gaussian, σ ≈ 80 m), the rest anywhere. */
export function drawPlace(r: Rng, places: Places): { at: LngLat; leaf: Leaf; hotSpot: HotSpot | null } {
  if (places.hotSpots.length && r.chance(MIX.hotSpotShare)) {
    const hotSpot = r.pick(places.hotSpots)
    return { at: offsetM(hotSpot.at, r.gaussian() * MIX.hotSpotSpreadM, r.gaussian() * MIX.hotSpotSpreadM), leaf: hotSpot.leaf, hotSpot }
  }
  const leaf = r.pick(places.leaves)
  return { at: offsetM(leaf.at, r.gaussian() * MIX.anywhereSpreadM, r.gaussian() * MIX.anywhereSpreadM), leaf, hotSpot: null }
}

/** `[lng, lat]` moved `eastM` metres east and `northM` north (local flat approximation, fine below a few km). */
export function offsetM([lng, lat]: LngLat, eastM: number, northM: number): LngLat {
  const mPerDegLat = 111_320
  const round = (v: number) => Math.round(v * 1e7) / 1e7
  return [round(lng + eastM / (mPerDegLat * Math.cos((lat * Math.PI) / 180))), round(lat + northM / mPerDegLat)]
}
