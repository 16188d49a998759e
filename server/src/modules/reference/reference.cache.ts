import { GezhiError, type TimeLimit, type WorkCalendar } from '@gezhi/geo'
import type { Db } from '../../db/db.ts'
import { CALENDAR, CATEGORIES } from './reference.queries.ts'

export interface Category {
  code: string
  kind: string
  majorCode: string
  majorName: string
  name: string
  nameEn: string
  handlingLevel: number
  departments: string[]
  departmentIds: number[]
  limits: { dispatch: TimeLimit; handle: TimeLimit; check: TimeLimit }
  duplicateRadiusM: number
  weight: number
  disputeClass: number | null
  active: boolean
}

/**
 * The taxonomy and the work calendar, read from the database and kept in memory: every report
 * and step needs them, and they change a few times a year. `refresh()` after editing them.
 */
export function referenceCache(db: Db) {
  let categories = new Map<string, Category>()
  let calendar: WorkCalendar | null = null

  async function refresh() {
    const rows = await db.query<{
      code: string; kind: string; major_code: string; major_name: string; name: string; name_en: string; handling_level: number
      departments: string[]; department_ids: number[]; limits: Category['limits']; duplicate_radius_m: number; weight: number
      dispute_class: number | null; active: boolean
    }>(CATEGORIES)
    categories = new Map(rows.map((r) => [r.code, {
      code: r.code, kind: r.kind, majorCode: r.major_code, majorName: r.major_name, name: r.name, nameEn: r.name_en,
      handlingLevel: r.handling_level, departments: r.departments, departmentIds: r.department_ids, limits: r.limits,
      duplicateRadiusM: r.duplicate_radius_m, weight: r.weight, disputeClass: r.dispute_class, active: r.active,
    }]))
    const [c] = await db.query<{ periods: WorkCalendar['periods'] | null; utc_offset: number | null; holidays: string[]; workdays: string[] }>(CALENDAR)
    calendar = {
      utcOffsetMinutes: c?.utc_offset ?? 480,
      periods: c?.periods ?? [[540, 720], [810, 1050]],
      holidays: c?.holidays ?? [],
      workdays: c?.workdays ?? [],
    }
  }

  return {
    refresh,
    /** The category, or 404 CATEGORY_NOT_FOUND naming the code. */
    category(code: string): Category {
      const found = categories.get(code)
      if (!found || !found.active) throw new GezhiError('CATEGORY_NOT_FOUND', `no active category ${code}; GET /api/categories lists them`)
      return found
    },
    categories: () => [...categories.values()],
    calendar(): WorkCalendar {
      if (!calendar) throw new Error('reference data not loaded: call refresh() first')
      return calendar
    },
  }
}

export type ReferenceCache = ReturnType<typeof referenceCache>
