import { describe, expect, it } from 'vitest'
import divisions from '../../server/src/seed/data/jinshui-divisions.json' with { type: 'json' }
import { GENERATED_SEGMENT_BASE } from '../../server/src/seed/seed.queries.ts'

// Regression: generated community codes started at 200 + ordinal and collided with official
// village-committee codes (兴达路街道 has 210–212) once a larger city ran out of official names.
describe('generated grid codes', () => {
  it('start above every official community code, with room for a 100× city', () => {
    const official = divisions.streets.flatMap((s) => s.communities.map((c) => Number(c.code.slice(-3))))
    expect(Math.max(...official)).toBeLessThan(GENERATED_SEGMENT_BASE)
    const mostCommunitiesPerStreet = Math.ceil((2500 * 100) / divisions.streets.length / 62.5)
    expect(GENERATED_SEGMENT_BASE + mostCommunitiesPerStreet).toBeLessThanOrEqual(999)
  })
})
