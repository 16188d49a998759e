import { CHINA_CALENDAR, DEFAULT_CATEGORIES } from '@gezhi/geo'
import type { Db } from '../../db/db.ts'
import { INSERT_CALENDAR_DAYS, INSERT_META_IF_ABSENT, UPSERT_DEFAULT_CATEGORY } from './reference.queries.ts'

/**
 * Puts the default taxonomy and work calendar from @gezhi/geo into the database when they are
 * missing. Existing rows are never overwritten: a city's own edits to its categories or calendar win.
 */
export async function syncReferenceData(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    for (const c of DEFAULT_CATEGORIES) {
      await tx.query(UPSERT_DEFAULT_CATEGORY, [
        c.code, c.kind, c.majorCode, c.majorName, c.name, c.nameEn, c.handlingLevel, c.departments,
        JSON.stringify(c.limits), c.duplicateRadiusM, c.weight, c.disputeClass ?? null,
      ])
    }
    await tx.query(INSERT_CALENDAR_DAYS, [
      [...CHINA_CALENDAR.holidays, ...CHINA_CALENDAR.workdays],
      [...CHINA_CALENDAR.holidays.map(() => false), ...CHINA_CALENDAR.workdays.map(() => true)],
    ])
    await tx.query(INSERT_META_IF_ABSENT, ['working_periods', JSON.stringify(CHINA_CALENDAR.periods)])
    await tx.query(INSERT_META_IF_ABSENT, ['utc_offset_minutes', JSON.stringify(CHINA_CALENDAR.utcOffsetMinutes)])
  })
}
