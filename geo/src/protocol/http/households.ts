import Type from 'typebox'
import { LngLatSchema } from './common.ts'

export const HOUSEHOLDS_PAGE_MAX = 1000

export const HouseholdsQuerySchema = Type.Object(
  {
    grid: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Households in this grid and everything beneath it' })),
    bbox: Type.Optional(Type.String({ description: 'west,south,east,north in WGS-84 degrees' })),
    partyCenter: Type.Optional(Type.Boolean({ description: 'Only party-member central households (党员中心户)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: HOUSEHOLDS_PAGE_MAX, default: 200 })),
    after: Type.Optional(Type.Integer({ minimum: 0, description: 'Cursor: the last id of the previous page' })),
  },
  { additionalProperties: false },
)
export type HouseholdsQuery = Type.Static<typeof HouseholdsQuerySchema>

/**
 * A household as the public API shows it. Sensitive tags (困难户, 上访户 …) are not part of it:
 * they reach only staff whose scope covers the household.
 */
export const HouseholdSchema = Type.Object({
  id: Type.Integer(),
  gridId: Type.Integer({ description: 'The leaf grid' }),
  address: Type.String(),
  position: LngLatSchema,
  size: Type.Integer({ description: 'People in the household' }),
  partyCenter: Type.Boolean(),
  linkedHouseholds: Type.Array(Type.Integer(), { description: 'For a party-member central household: the households it is linked to (联户)' }),
})
export type Household = Type.Static<typeof HouseholdSchema>

export const HouseholdPageSchema = Type.Object(
  {
    items: Type.Array(HouseholdSchema),
    nextAfter: Type.Union([Type.Integer(), Type.Null()], { description: 'Pass as `after` for the next page; null on the last page' }),
  },
)

/**
 * Binary household points for map layers (`GET /api/households/points`): a little-endian buffer
 * of [u32 count][f32 lng, f32 lat]×count[u8 flags]×count. flags bit 0 = party-member central household.
 * Float32 keeps ~1 m precision at these longitudes, plenty for drawing.
 */
export const HOUSEHOLD_POINTS_MEDIA_TYPE = 'application/vnd.gezhi.points'
export const HOUSEHOLD_FLAG_PARTY_CENTER = 1

/** Decodes the binary household points (client side; the server writes the same layout). */
export function decodeHouseholdPoints(buffer: ArrayBuffer): { count: number; positions: Float32Array; flags: Uint8Array } {
  const count = new DataView(buffer).getUint32(0, true)
  const positions = new Float32Array(buffer, 4, count * 2)
  const flags = new Uint8Array(buffer, 4 + count * 8, count)
  return { count, positions, flags }
}
