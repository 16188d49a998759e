import { ScatterplotLayer } from '@deck.gl/layers'
import { HOUSEHOLD_FLAG_PARTY_CENTER } from '@gezhi/geo'

export interface HouseholdPoints {
  count: number
  /** [lng, lat] pairs, float32. */
  positions: Float32Array
  flags: Uint8Array
}

/** Party-member central households (党员中心户) only, as their own compact buffer. */
export function partyCenters(points: HouseholdPoints): HouseholdPoints {
  let n = 0
  for (let i = 0; i < points.count; i++) if (points.flags[i]! & HOUSEHOLD_FLAG_PARTY_CENTER) n++
  const positions = new Float32Array(n * 2)
  for (let i = 0, j = 0; i < points.count; i++) {
    if (points.flags[i]! & HOUSEHOLD_FLAG_PARTY_CENTER) {
      positions[j++] = points.positions[2 * i]!
      positions[j++] = points.positions[2 * i + 1]!
    }
  }
  return { count: n, positions, flags: new Uint8Array(n).fill(HOUSEHOLD_FLAG_PARTY_CENTER) }
}

/**
 * Every household as a small dot, straight from the binary buffer to the GPU: no per-point
 * JavaScript objects, so 150,000 (or 1,000,000) points cost one typed array.
 */
export function householdLayer(points: HouseholdPoints, visible: boolean, color: [number, number, number, number] = [52, 78, 112, 140]) {
  return new ScatterplotLayer({
    id: 'households',
    data: { length: points.count, attributes: { getPosition: { value: points.positions, size: 2 } } },
    visible,
    // Metres, clamped in pixels: a speck at city scale, a visible dot per home at street scale.
    radiusUnits: 'meters',
    getRadius: 3,
    radiusMinPixels: 0.7,
    radiusMaxPixels: 4,
    getFillColor: color,
    pickable: false,
  })
}

/** Party-member central households: larger red dots with a white ring, drawn above the rest. */
export function partyCenterLayer(points: HouseholdPoints, visible: boolean) {
  return new ScatterplotLayer({
    id: 'party-centers',
    data: { length: points.count, attributes: { getPosition: { value: points.positions, size: 2 } } },
    visible,
    radiusUnits: 'meters',
    getRadius: 6,
    radiusMinPixels: 1.6,
    radiusMaxPixels: 5,
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 1,
    lineWidthMinPixels: 0.5,
    getLineColor: [255, 255, 255, 230],
    getFillColor: [214, 40, 40, 235],
    pickable: false,
  })
}
