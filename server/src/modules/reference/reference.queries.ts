import { sql } from '../../db/db.ts'

export const UPSERT_DEFAULT_CATEGORY = sql('upsert_default_category', `
  INSERT INTO categories (code, kind, major_code, major_name, name, name_en, handling_level, departments, limits, duplicate_radius_m, weight, dispute_class)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
  ON CONFLICT (code) DO NOTHING`)

export const INSERT_CALENDAR_DAYS = sql('insert_calendar_days', `
  INSERT INTO calendar_days (day, workday, note) SELECT d, w, '' FROM unnest($1::date[], $2::boolean[]) AS t(d, w)
  ON CONFLICT (day) DO NOTHING`)

export const INSERT_META_IF_ABSENT = sql('insert_meta_if_absent', `
  INSERT INTO city_meta (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING`)

export const CALENDAR = sql('calendar', `
  SELECT (SELECT value FROM city_meta WHERE key = 'working_periods') AS periods,
         (SELECT value FROM city_meta WHERE key = 'utc_offset_minutes') AS utc_offset,
         coalesce((SELECT array_agg(to_char(day, 'YYYY-MM-DD') ORDER BY day) FROM calendar_days WHERE NOT workday), '{}') AS holidays,
         coalesce((SELECT array_agg(to_char(day, 'YYYY-MM-DD') ORDER BY day) FROM calendar_days WHERE workday), '{}') AS workdays`)

export const CATEGORIES = sql('categories', `
  SELECT c.code, c.kind, c.major_code, c.major_name, c.name, c.name_en, c.handling_level, c.departments, c.limits,
         c.duplicate_radius_m, c.weight, c.dispute_class, c.active,
         coalesce((SELECT array_agg(d.id ORDER BY array_position(c.departments, d.code)) FROM departments d WHERE d.code = ANY (c.departments)), '{}') AS department_ids
    FROM categories c ORDER BY c.code`)
