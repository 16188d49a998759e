import type { UserRole } from '@gezhi/geo'
import type { Queryable } from '../db/db.ts'
import { authRepository } from '../modules/auth/auth.repository.ts'

/** Every demo account signs in with this password (README lists the accounts). */
export const DEMO_PASSWORD = 'gezhi-demo'

/**
 * One account per role, bound to real grids of the demo city: the first street, its first
 * community, that community's first grid and first micro-grid — so one case can be walked
 * through every level — plus a leader of another street (to see that scopes hold) and staff of
 * three departments. Display names come from the grids' public staff boards.
 */
export async function seedDemoUsers(tx: Queryable): Promise<void> {
  const [chain] = await tx.query<{ street: number; community: number; grid: number; micro: number; other_street: number }>(`
    WITH s AS (SELECT id FROM grids WHERE level = 1 ORDER BY code LIMIT 1),
    c AS (SELECT id FROM grids WHERE parent_id = (SELECT id FROM s) ORDER BY code LIMIT 1),
    g AS (SELECT id FROM grids WHERE parent_id = (SELECT id FROM c) ORDER BY code LIMIT 1),
    m AS (SELECT id FROM grids WHERE parent_id = (SELECT id FROM g) ORDER BY code LIMIT 1)
    SELECT (SELECT id FROM s) AS street, (SELECT id FROM c) AS community, (SELECT id FROM g) AS grid, (SELECT id FROM m) AS micro,
           (SELECT id FROM grids WHERE level = 1 ORDER BY code DESC LIMIT 1) AS other_street`)
  const staffName = async (gridId: number, role: string, fallback: string) =>
    (await tx.query<{ name: string }>('SELECT name FROM grid_staff WHERE grid_id = $1 AND role = $2 ORDER BY sort, id LIMIT 1', [gridId, role]))[0]?.name ?? fallback
  const department = async (code: string) => (await tx.query<{ id: number }>('SELECT id FROM departments WHERE code = $1', [code]))[0]?.id ?? null

  const accounts: Array<{ username: string; displayName: string; role: UserRole; gridId?: number; departmentId?: number | null }> = [
    { username: 'admin', displayName: '系统管理员', role: 'admin' },
    { username: 'commander', displayName: '区城运中心值班长', role: 'commander' },
    { username: 'planner', displayName: '区网格办规划员', role: 'planner' },
    { username: 'street', displayName: await staffName(chain!.street, 'grid_leader', '街道网格长'), role: 'leader', gridId: chain!.street },
    { username: 'community', displayName: await staffName(chain!.community, 'grid_leader', '社区网格长'), role: 'leader', gridId: chain!.community },
    { username: 'grid', displayName: await staffName(chain!.grid, 'grid_leader', '网格长'), role: 'leader', gridId: chain!.grid },
    { username: 'worker', displayName: await staffName(chain!.grid, 'grid_worker', '网格员'), role: 'worker', gridId: chain!.grid },
    { username: 'micro', displayName: await staffName(chain!.micro, 'micro_grid_worker', '微网格员'), role: 'worker', gridId: chain!.micro },
    { username: 'other-street', displayName: await staffName(chain!.other_street, 'grid_leader', '另一街道网格长'), role: 'leader', gridId: chain!.other_street },
    { username: 'dept-cgj', displayName: '城管局值班员', role: 'department', departmentId: await department('CGJ') },
    { username: 'dept-gdgs', displayName: '供电公司值班员', role: 'department', departmentId: await department('GDGS') },
    { username: 'dept-swjt', displayName: '水务集团值班员', role: 'department', departmentId: await department('SWJT') },
  ]
  const users = authRepository(tx)
  for (const account of accounts) await users.createUser({ ...account, password: DEMO_PASSWORD })
}
