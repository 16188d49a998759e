import { type BBox, GezhiError, type Household } from '@gezhi/geo'
import type { Db } from '../../db/db.ts'
import { GRID_EXISTS } from '../grids/grids.queries.ts'
import { HOUSEHOLD_POINTS, HOUSEHOLDS_PAGE } from './households.queries.ts'

export interface HouseholdFilter {
  grid?: number
  bbox?: BBox
  partyCenter?: boolean
}

/** Buffers from `pg` are Buffers, from PGlite Uint8Arrays: view both as Buffer without copying. */
const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)

export function householdsRepository(db: Db) {
  async function assertGrid(id: number | undefined) {
    if (id !== undefined && (await db.query(GRID_EXISTS, [id])).length === 0) throw new GezhiError('GRID_NOT_FOUND', `no grid with id ${id}`)
  }

  return {
    async page(filter: HouseholdFilter, after: number, limit: number): Promise<{ items: Household[]; nextAfter: number | null }> {
      await assertGrid(filter.grid)
      const rows = await db.query<{ id: number; grid_id: number; address: string; lng: number; lat: number; size: number; party_center: boolean; linked: number[] }>(
        HOUSEHOLDS_PAGE,
        [filter.grid ?? null, ...(filter.bbox ?? [null, null, null, null]), filter.partyCenter ?? null, after, limit],
      )
      const items = rows.map((r) => ({
        id: r.id, gridId: r.grid_id, address: r.address, position: [r.lng, r.lat] as [number, number],
        size: r.size, partyCenter: r.party_center, linkedHouseholds: r.linked,
      }))
      return { items, nextAfter: rows.length === limit ? rows.at(-1)!.id : null }
    },

    /** The binary layout of HOUSEHOLD_POINTS_MEDIA_TYPE: [u32 count][f32 lng, lat]×n[u8 flags]×n, little-endian. */
    async points(grid?: number): Promise<Buffer> {
      await assertGrid(grid)
      const [row] = await db.query<{ n: number; positions: Uint8Array; flags: Uint8Array }>(HOUSEHOLD_POINTS, [grid ?? null])
      const header = Buffer.alloc(4)
      header.writeUInt32LE(row!.n, 0)
      const positions = Buffer.from(asBuffer(row!.positions)).swap32() // copy, then big-endian → little-endian in place
      return Buffer.concat([header, positions, asBuffer(row!.flags)])
    },
  }
}
