/**
 * Staff roles of the "五级管理" chain (第一书记 → 网格长 → 网格员 → 楼栋长 → 单元长) plus the
 * micro-grid worker of the "百千万" rule. Each grid publishes its staff on a public board (四公开).
 */
export const STAFF_ROLES = [
  { key: 'first_secretary', name: '第一书记', nameEn: 'First secretary' },
  { key: 'grid_leader', name: '网格长', nameEn: 'Grid leader' },
  { key: 'grid_worker', name: '网格员', nameEn: 'Grid worker' },
  { key: 'micro_grid_worker', name: '微网格员', nameEn: 'Micro-grid worker' },
  { key: 'building_leader', name: '楼栋长', nameEn: 'Building leader' },
  { key: 'unit_leader', name: '单元长', nameEn: 'Unit leader' },
] as const

export type StaffRole = (typeof STAFF_ROLES)[number]['key']
export const STAFF_ROLE_KEYS = STAFF_ROLES.map((r) => r.key) as StaffRole[]
