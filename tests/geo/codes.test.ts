import { describe, expect, it } from 'vitest'
import { childCode, codeDepth, isGridCode, parentCode } from '@gezhi/geo'

describe('grid codes (6-digit district + 3 digits per level)', () => {
  it('builds child codes west→east ordinals, zero-padded', () => {
    expect(childCode('410105', 1)).toBe('410105001')
    expect(childCode('410105001003', 12)).toBe('410105001003012')
  })
  it('refuses ordinals that do not fit three digits', () => {
    expect(() => childCode('410105', 0)).toThrow(RangeError)
    expect(() => childCode('410105', 1000)).toThrow(RangeError)
    expect(() => childCode('410105', 1.5)).toThrow(RangeError)
  })
  it('knows depth and parent', () => {
    expect(codeDepth('410105')).toBe(0)
    expect(codeDepth('410105001003012')).toBe(3)
    expect(parentCode('410105001003012')).toBe('410105001003')
    expect(parentCode('410105')).toBeNull()
  })
  it('recognises well-formed grid codes', () => {
    expect(isGridCode('410105001003012')).toBe(true)
    expect(isGridCode('410105001003012004')).toBe(true)
    expect(isGridCode('410105')).toBe(false)
    expect(isGridCode('4101050010')).toBe(false)
    expect(isGridCode('41010500100a')).toBe(false)
  })
})
