import { sql } from '../../db/db.ts'

/** Every account, without its password hash. */
export const USER_LIST = sql('user_list', `
  SELECT id, username, display_name, role, grid_id, department_id, active, created_at
    FROM users ORDER BY id`)

export const USER_BY_ID = sql('user_by_id', `
  SELECT id, username, display_name, role, grid_id, department_id, active, created_at
    FROM users WHERE id = $1`)

/** A grid an account can be bound to: one that still exists in the current boundaries. */
export const LIVE_GRID_EXISTS = sql('live_grid_exists', `
  SELECT 1 FROM grids WHERE id = $1 AND retired_generation IS NULL`)

export const DEPARTMENT_EXISTS = sql('department_exists', `SELECT 1 FROM departments WHERE id = $1`)
