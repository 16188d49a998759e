import { describe, expect, it } from 'vitest'
import { convert, CRS_LIST, distanceM, fromWgs84, type LngLat, toWgs84 } from '@gezhi/geo'
import cities from '../fixtures/gcoord-china-cities.json' with { type: 'json' }

// Published vectors: 664 city seats with their WGS-84, GCJ-02 and BD-09 coordinates (gcoord, MIT).
const vectors = cities as Array<{ name: string; WGS84: LngLat; GCJ02: LngLat; BD09: LngLat }>

/** Worst error in metres of `f` over every vector. */
const worstM = (f: (v: (typeof vectors)[number]) => [LngLat, LngLat]) => Math.max(...vectors.map((v) => distanceM(...f(v))))

describe('datum conversion (WGS-84 ⇄ GCJ-02 ⇄ BD-09)', () => {
  it('has the 664 published city vectors', () => {
    expect(vectors).toHaveLength(664)
  })

  it('converts WGS-84 to GCJ-02 and BD-09 as published, within 1 m', () => {
    expect(worstM((v) => [fromWgs84(v.WGS84, 'gcj02'), v.GCJ02])).toBeLessThan(1)
    expect(worstM((v) => [fromWgs84(v.WGS84, 'bd09'), v.BD09])).toBeLessThan(1)
  })

  it('recovers WGS-84 from GCJ-02 and from BD-09, within 1 m', () => {
    expect(worstM((v) => [toWgs84(v.GCJ02, 'gcj02'), v.WGS84])).toBeLessThan(1)
    expect(worstM((v) => [toWgs84(v.BD09, 'bd09'), v.WGS84])).toBeLessThan(1)
  })

  it('round-trips WGS-84 → GCJ-02 → WGS-84 and WGS-84 → BD-09 → WGS-84 within 0.5 m', () => {
    expect(worstM((v) => [toWgs84(fromWgs84(v.WGS84, 'gcj02'), 'gcj02'), v.WGS84])).toBeLessThan(0.5)
    expect(worstM((v) => [toWgs84(fromWgs84(v.WGS84, 'bd09'), 'bd09'), v.WGS84])).toBeLessThan(0.5)
  })

  it('shifts Zhengzhou by hundreds of metres — the error a confused datum makes', () => {
    const zhengzhou: LngLat = [113.66, 34.78]
    const gcjShift = distanceM(zhengzhou, fromWgs84(zhengzhou, 'gcj02'))
    const bdShift = distanceM(zhengzhou, fromWgs84(zhengzhou, 'bd09'))
    expect(gcjShift).toBeGreaterThan(300)
    expect(gcjShift).toBeLessThan(700)
    expect(bdShift).toBeGreaterThan(gcjShift)
  })

  it('leaves the input untouched and is the identity within one datum', () => {
    const p: LngLat = [113.66, 34.78]
    for (const crs of CRS_LIST) {
      const out = convert(p, crs, crs)
      expect(out).toEqual(p)
      expect(out).not.toBe(p)
    }
    toWgs84(p, 'gcj02')
    expect(p).toEqual([113.66, 34.78])
  })

  it('applies no GCJ-02 offset outside China, as the national rule defines', () => {
    const london: LngLat = [-0.1276, 51.5072]
    expect(distanceM(toWgs84(london, 'gcj02'), london)).toBeLessThan(0.01)
  })
})
