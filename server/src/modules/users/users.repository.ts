import { GezhiError, type NewUserBody, type User, USER_ROLES, type UserRole } from '@gezhi/geo'
import type { Queryable } from '../../db/db.ts'
import { authRepository } from '../auth/auth.repository.ts'
import * as Q from './users.queries.ts'

interface UserRow {
  id: number
  username: string
  display_name: string
  role: UserRole
  grid_id: number | null
  department_id: number | null
  active: boolean
  created_at: Date
}

const toUser = (r: UserRow): User => ({
  id: r.id, username: r.username, displayName: r.display_name, role: r.role, gridId: r.grid_id,
  departmentId: r.department_id, active: r.active, createdAt: r.created_at.toISOString(),
})

/**
 * The binding a role needs (the database CHECKs the same, but would answer with a 500): leaders
 * and workers one grid, department staff one department, everyone else neither.
 */
export function bindingProblem(body: Pick<NewUserBody, 'role' | 'gridId' | 'departmentId'>): string | null {
  const binding = USER_ROLES.find((r) => r.key === body.role)!.binding
  if (binding === 'grid' && body.gridId === undefined) return `a ${body.role} is bound to a grid: gridId is required`
  if (binding !== 'grid' && body.gridId !== undefined) return `a ${body.role} is not bound to a grid: leave gridId out`
  if (binding === 'department' && body.departmentId === undefined) return 'department staff are bound to a department: departmentId is required'
  if (binding !== 'department' && body.departmentId !== undefined) return `a ${body.role} is not bound to a department: leave departmentId out`
  return null
}

export function usersRepository(db: Queryable) {
  const auth = authRepository(db)
  return {
    list: async (): Promise<User[]> => (await db.query<UserRow>(Q.USER_LIST)).map(toUser),

    /** Creates an account after checking its binding; 400, 404 or 409 (USERNAME_TAKEN) otherwise. */
    async create(body: NewUserBody): Promise<User> {
      const problem = bindingProblem(body)
      if (problem) throw new GezhiError('VALIDATION_FAILED', problem)
      if (body.gridId !== undefined && (await db.query(Q.LIVE_GRID_EXISTS, [body.gridId])).length === 0) {
        throw new GezhiError('GRID_NOT_FOUND', `no current grid with id ${body.gridId}`)
      }
      if (body.departmentId !== undefined && (await db.query(Q.DEPARTMENT_EXISTS, [body.departmentId])).length === 0) {
        throw new GezhiError('DEPARTMENT_NOT_FOUND', `no department with id ${body.departmentId} (GET /api/departments)`)
      }
      const id = await auth.createUser({ ...body, displayName: body.displayName.trim() || body.username })
      if (id === null) throw new GezhiError('USERNAME_TAKEN', `the username "${body.username}" is taken`)
      const [row] = await db.query<UserRow>(Q.USER_BY_ID, [id])
      return toUser(row!)
    },
  }
}
