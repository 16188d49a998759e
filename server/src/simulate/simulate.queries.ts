import { sql } from '../db/db.ts'

export const DEPARTMENTS = sql('sim_departments', `SELECT id, code, name FROM departments ORDER BY id`)

/**
 * Whether a deadline sweep at $1 would find anything (the conditions of MARK_WARNED and
 * MARK_OVERDUE in modules/deadlines): one cheap read instead of two empty transactions.
 */
export const ANY_DEADLINE_DUE = sql('sim_any_deadline_due', `
  SELECT EXISTS (SELECT 1 FROM incidents WHERE warn_at <= $1 AND warned_at IS NULL AND due_at IS NOT NULL)
      OR EXISTS (SELECT 1 FROM incidents WHERE due_at <= $1 AND NOT stage_overdue) AS due`)
