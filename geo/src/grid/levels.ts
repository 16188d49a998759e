/**
 * A level of the grid hierarchy. Levels are data (table `grid_levels`): a city may use 3 or 5,
 * so code must never assume there are exactly four. Depth 1 is the top level below the district.
 */
export interface GridLevel {
  depth: number
  /** Stable machine key, e.g. `street`. */
  key: string
  /** Display name in Simplified Chinese, e.g. 街道. */
  name: string
  /** Display name in English. */
  nameEn: string
}

/** The usual four levels (街道 → 社区 → 网格 → 微网格), used when seeding the demo city. */
export const DEFAULT_GRID_LEVELS: readonly GridLevel[] = Object.freeze([
  { depth: 1, key: 'street', name: '街道', nameEn: 'Street' },
  { depth: 2, key: 'community', name: '社区', nameEn: 'Community' },
  { depth: 3, key: 'grid', name: '网格', nameEn: 'Grid' },
  { depth: 4, key: 'micro', name: '微网格', nameEn: 'Micro-grid' },
])
