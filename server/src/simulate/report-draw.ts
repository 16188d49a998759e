import { fromWgs84, type IncidentSource, type LngLat, type ReportBody } from '@gezhi/geo'
import { drawFate, type Fate, MIX, SOURCE_MIX } from './behaviour.ts'
import { drawPlace, offsetM } from './places.ts'
import type { Photo, Who } from './port.ts'
import { deriveSeed, type Rng, rng } from './random.ts'
import { address, description, personName, simPhone } from './texts.ts'
import { tinyPng } from './tiny-png.ts'
import type { SimCategory, World } from './world.ts'

/** Everything about the n-th report of a stream, decided before anything is sent. */
export interface DrawnReport {
  /** The case's own random stream, for the rest of its life. */
  r: Rng
  who: Who
  body: ReportBody
  photos: Photo[]
  /** WGS-84, whatever datum the body uses. */
  at: LngLat
  fate: Fate
  /** Looks for a similar open case to join first ("me too"). */
  looksForSimilar: boolean
}

export const photo = (field: Photo['field'], r: Rng): Photo => ({ field, bytes: tinyPng(r.int(0, 15)) })

/** The n-th report of a stream: deterministic given the world's stream seed and n. */
export function drawReport(world: World, n: number): DrawnReport {
  const r = rng(deriveSeed(world.streamSeed, n, 1))
  const place = drawPlace(r, world.places)
  const source = r.weighted(SOURCE_MIX, (s) => s.share).source as IncidentSource
  const category = drawCategory(r, world, source, place.hotSpot?.favourites ?? [])

  // A patrol fixing a small matter on the spot stands at its grid's label point, well inside its own street.
  const selfHandled = source === 'patrol' && category.handlingLevel >= 3 && r.chance(MIX.patrolFixesOnSpot)
  const at = selfHandled ? offsetM(place.leaf.at, r.gaussian() * 5, r.gaussian() * 5) : place.at
  const gcj = r.chance(MIX.gcj02)
  const [lng, lat] = gcj ? fromWgs84(at, 'gcj02') : at
  const who: Who = source === 'resident' ? { as: 'public' } : source === 'patrol' ? { as: 'street', streetId: place.leaf.streetId }
    : source === 'hotline' ? { as: 'commander' } : { as: 'admin' }
  const reporter = source === 'sensor' ? { name: `智能感知设备 ${String(r.int(1, 999)).padStart(3, '0')}`, phone: simPhone(r) } : { name: personName(r), phone: simPhone(r) }
  const body: ReportBody = {
    source, category: category.code, description: description(r, category.code, category.name, source),
    location: gcj ? { lng, lat, crs: 'gcj02' } : { lng, lat }, address: address(r), reporter,
    idempotencyKey: `sim-${world.runId}-${n}`,
    ...(selfHandled ? { selfHandled: true } : {}),
  }
  const photos: Photo[] = selfHandled ? [photo('after', r)]
    : (source === 'resident' && r.chance(MIX.residentPhoto)) || source === 'sensor' ? [photo('photos', r)] : []
  const fate = drawFate(r, category)
  // Only residents and hotline callers are asked to rate; patrols and sensors are not reporters who rate.
  if (source !== 'resident' && source !== 'hotline') fate.evaluate = false
  const looksForSimilar = source === 'resident' && world.meToo && r.chance(MIX.residentLooksForSimilar)
  return { r, who, body, photos, at, fate, looksForSimilar }
}

/** Sensors see only some 小类; a hot spot's own 小类 come up often there; otherwise the weighted mix. */
function drawCategory(r: Rng, world: World, source: IncidentSource, favouriteCodes: string[]): SimCategory {
  if (source === 'sensor' && world.sensorCategories.length) return r.weighted(world.sensorCategories, (c) => c.weight)
  const favourites = favouriteCodes.flatMap((code) => {
    const c = world.categories.get(code)
    return c?.active ? [c] : []
  })
  if (favourites.length && r.chance(MIX.hotSpotFavouriteShare)) return r.weighted(favourites, (c) => c.weight)
  return r.weighted(world.drawable, (c) => c.weight)
}
