import type { LngLat } from '@gezhi/geo'

export interface OutlineOptions {
  /** Centre `[lng, lat]` in WGS-84 degrees. */
  centre: LngLat
  /** Mean radius in metres. */
  radiusM: number
  /** Random source in [0, 1). */
  random: () => number
  vertices?: number
}

/**
 * A plausible district outline: a closed ring around `centre` whose radius wobbles with a few
 * low-frequency harmonics, like a real boundary that follows rivers and ring roads. Generated,
 * because real outlines on npm are GCJ-02, invalid by OGC rules and not licensed for shipping.
 * Returns a GeoJSON Polygon, counter-clockwise exterior ring, `[lng, lat]`.
 */
export function districtOutline({ centre, radiusM, random, vertices = 120 }: OutlineOptions): { type: 'Polygon'; coordinates: LngLat[][] } {
  const harmonics = [2, 3, 5, 7, 11].map((k, i) => ({ k, amp: [0.12, 0.08, 0.05, 0.025, 0.012][i]!, phase: random() * 2 * Math.PI }))
  const metresPerDegLat = 111_320
  const metresPerDegLng = metresPerDegLat * Math.cos((centre[1] * Math.PI) / 180)
  const ring: LngLat[] = []
  for (let i = 0; i < vertices; i++) {
    const theta = (2 * Math.PI * i) / vertices
    const wobble = harmonics.reduce((sum, h) => sum + h.amp * Math.sin(h.k * theta + h.phase), 0)
    const r = radiusM * (1 + wobble)
    ring.push([centre[0] + (r * Math.cos(theta)) / metresPerDegLng, centre[1] + (r * Math.sin(theta)) / metresPerDegLat])
  }
  ring.push(ring[0]!)
  return { type: 'Polygon', coordinates: [ring] }
}
