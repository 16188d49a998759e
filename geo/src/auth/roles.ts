/**
 * Who can sign in, and what each account is bound to. A leader or worker is bound to one grid and
 * so to its whole subtree; department staff to one department. The public has no account: a
 * reporter follows their own case with the tracking token they were given.
 */
export const USER_ROLES = [
  { key: 'admin', name: '系统管理员', nameEn: 'Administrator', binding: 'none' },
  { key: 'commander', name: '指挥中心', nameEn: 'Command centre', binding: 'none' },
  { key: 'planner', name: '网格规划员', nameEn: 'Planner', binding: 'none' },
  { key: 'leader', name: '网格长', nameEn: 'Grid leader', binding: 'grid' },
  { key: 'worker', name: '网格员', nameEn: 'Grid worker', binding: 'grid' },
  { key: 'department', name: '职能部门', nameEn: 'Department staff', binding: 'department' },
] as const

export type UserRole = (typeof USER_ROLES)[number]['key']
export const USER_ROLE_KEYS = USER_ROLES.map((r) => r.key) as UserRole[]

/** Someone acting on a case: a signed-in user, an anonymous reporter holding a tracking token, or the scheduler. */
export type ActorKind = UserRole | 'public' | 'system'

/** Roles that see every case in the territory. */
export const CITY_WIDE_ROLES: readonly UserRole[] = ['admin', 'commander', 'planner']
