import type { UserRole } from '@gezhi/geo'
import type { Queryable } from '../../db/db.ts'
import type { TokenClaims } from '../../plugins/auth.ts'
import { INSERT_USER, USER_ACTIVE, USER_BY_USERNAME } from './auth.queries.ts'
import { hashPassword, passwordMatches } from './passwords.ts'

export interface NewUser {
  username: string
  displayName: string
  password: string
  role: UserRole
  gridId?: number | null
  departmentId?: number | null
}

export function authRepository(db: Queryable) {
  return {
    /** The claims for a token when the password matches an active user; null otherwise (no hint which part was wrong). */
    async signIn(username: string, password: string): Promise<TokenClaims | null> {
      const [user] = await db.query<{ id: number; username: string; display_name: string; password_hash: string; role: UserRole; department_id: number | null; active: boolean; grid_path: number[] | null }>(USER_BY_USERNAME, [username])
      // Verify against a dummy hash when the user is unknown, so timing does not reveal which usernames exist.
      const ok = await passwordMatches(user?.password_hash ?? DUMMY_HASH, password)
      if (!user || !ok || !user.active) return null
      return { id: user.id, username: user.username, name: user.display_name, role: user.role, gridPath: user.grid_path, departmentId: user.department_id }
    },

    /** Whether the account still exists and is active (a refresh must not outlive a deactivation). */
    async isActive(id: number): Promise<boolean> {
      const [row] = await db.query<{ active: boolean }>(USER_ACTIVE, [id])
      return row?.active === true
    },

    async createUser(user: NewUser): Promise<number | null> {
      const [row] = await db.query<{ id: number }>(INSERT_USER, [
        user.username, user.displayName, await hashPassword(user.password), user.role, user.gridId ?? null, user.departmentId ?? null,
      ])
      return row?.id ?? null
    },
  }
}

const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$4xUKZ2Wmyplf161CpjKwtQ$NwRGb5lnimyiOo3iUqstMqV/SgsJ9ipmmqUmLZT7Y0M'
