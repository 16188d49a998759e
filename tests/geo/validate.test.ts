import { describe, expect, it } from 'vitest'
import { isValidBBox, isValidLngLat, parseBBox } from '@gezhi/geo'

describe('isValidLngLat', () => {
  it.each([
    [113.66, 34.78], [-180, -90], [180, 90], [0, 0],
  ])('accepts [%d, %d]', (lng, lat) => expect(isValidLngLat(lng, lat)).toEqual({ valid: true }))

  it.each([
    [Number.NaN, 0, /longitude must be a finite number/],
    [0, Number.POSITIVE_INFINITY, /latitude must be a finite number/],
    ['113', 34, /longitude must be a finite number/],
    [180.0001, 0, /longitude 180.0001 is outside/],
    [0, -90.5, /latitude -90.5 is outside/],
    [34.78, 113.66, /latitude 113.66 is outside/], // [lat, lng] by mistake
  ])('refuses [%s, %s] and says why', (lng, lat, reason) => {
    const v = isValidLngLat(lng, lat)
    expect(v.valid).toBe(false)
    expect(!v.valid && v.reason).toMatch(reason)
  })
})

describe('bbox', () => {
  it('parses west,south,east,north', () => {
    expect(parseBBox('113.6, 34.7,113.7,34.8')).toEqual({ valid: true, bbox: [113.6, 34.7, 113.7, 34.8] })
  })
  it.each([
    ['113.6,34.7,113.7', /4 numbers/],
    ['113.6,34.7,113.7,34.8,1', /4 numbers/],
    ['a,34.7,113.7,34.8', /finite number/],
    ['113.6,,113.7,34.8', /finite number/],
    ['113.8,34.7,113.7,34.8', /west 113.8 is east of east/],
    ['113.6,34.9,113.7,34.8', /south 34.9 is north of north/],
    ['113.6,34.7,200,34.8', /outside \[-180, 180\]/],
  ])('refuses %s', (text, reason) => {
    const parsed = parseBBox(text)
    expect(parsed.valid).toBe(false)
    expect(!parsed.valid && parsed.reason).toMatch(reason)
  })
  it('checks arrays directly', () => expect(isValidBBox([1, 2, 3, 4]).valid).toBe(true))
})
