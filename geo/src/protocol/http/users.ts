import Type from 'typebox'
import { USER_ROLE_KEYS } from '../../auth/roles.ts'

/** Same rule as the database's CHECK on users.username. */
export const USERNAME_PATTERN = '^[a-z0-9_.-]{3,32}$'
/** Shortest password an admin may set. */
export const MIN_PASSWORD_LENGTH = 8

/**
 * A new account (admin only). Leaders and workers are bound to one grid (`gridId`), department
 * staff to one department (`departmentId`); the other roles to neither.
 */
export const NewUserBodySchema = Type.Object(
  {
    username: Type.String({ pattern: USERNAME_PATTERN, description: '3–32 of a–z, 0–9, _ . -' }),
    displayName: Type.String({ minLength: 1, maxLength: 50 }),
    password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 256 }),
    role: Type.Enum([...USER_ROLE_KEYS]),
    gridId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'leader, worker: the grid they answer for (and its subtree)' })),
    departmentId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'department: the department they work for' })),
  },
  { additionalProperties: false },
)
export type NewUserBody = Type.Static<typeof NewUserBodySchema>

/** An account as an admin sees it; never the password hash. */
export const UserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.Enum([...USER_ROLE_KEYS]),
  gridId: Type.Union([Type.Integer(), Type.Null()]),
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
  active: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
})
export type User = Type.Static<typeof UserSchema>
