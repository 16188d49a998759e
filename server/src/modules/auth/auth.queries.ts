import { sql } from '../../db/db.ts'

export const USER_BY_USERNAME = sql('user_by_username', `
  SELECT u.id, u.username, u.display_name, u.password_hash, u.role, u.department_id, u.active, g.path AS grid_path
    FROM users u LEFT JOIN grids g ON g.id = u.grid_id
   WHERE u.username = $1`)

export const INSERT_USER = sql('insert_user', `
  INSERT INTO users (username, display_name, password_hash, role, grid_id, department_id)
  VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (username) DO NOTHING
  RETURNING id`)

export const USER_ACTIVE = sql('user_active', `SELECT active FROM users WHERE id = $1`)
