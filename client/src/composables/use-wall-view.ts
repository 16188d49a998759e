import { computed } from 'vue'
import { useRoute, useRouter } from 'vue-router'

export const CHOROPLETH_KPIS = ['onTimeClosureRate', 'closureRate', 'overdueNow', 'casesPer1000Households', 'reported'] as const
export type ChoroplethKpi = (typeof CHOROPLETH_KPIS)[number]
export const WALL_LAYERS = ['cases', 'density', 'households', 'party'] as const
export type WallLayer = (typeof WALL_LAYERS)[number]

/**
 * Everything that defines what a wall shows lives in the URL, so a view can be shared or set as a
 * screen's start page: `?grid=` (focus), `kpi=`, `layers=`, `lang=`, `kiosk=1` (no controls),
 * `rotate=<grid>,<grid>…&every=<s>` (cycle between views).
 */
export function useWallView() {
  const route = useRoute()
  const router = useRouter()
  const q = (name: string) => (typeof route.query[name] === 'string' ? (route.query[name] as string) : undefined)
  const set = (patch: Record<string, string | undefined>) => router.replace({ query: { ...route.query, ...patch } })

  const grid = computed<number | null>(() => {
    const v = Number(q('grid'))
    return Number.isInteger(v) && v > 0 ? v : null
  })
  const kpi = computed<ChoroplethKpi>(() => ((CHOROPLETH_KPIS as readonly string[]).includes(q('kpi') ?? '') ? q('kpi') as ChoroplethKpi : 'onTimeClosureRate'))
  const layers = computed<Set<WallLayer>>(() => new Set((q('layers') ?? 'cases').split(',').filter((l): l is WallLayer => (WALL_LAYERS as readonly string[]).includes(l))))
  const lang = computed<'zh-CN' | 'en'>(() => (q('lang') === 'en' ? 'en' : 'zh-CN'))
  const kiosk = computed(() => q('kiosk') === '1')
  const rotate = computed(() => (q('rotate') ?? '').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0))
  const every = computed(() => Math.max(10, Number(q('every') ?? 60) || 60))

  return {
    grid, kpi, layers, lang, kiosk, rotate, every,
    setGrid: (id: number | null) => set({ grid: id === null ? undefined : String(id) }),
    setKpi: (k: ChoroplethKpi) => set({ kpi: k }),
    toggleLayer: (layer: WallLayer) => {
      const next = new Set(layers.value)
      if (next.has(layer)) next.delete(layer)
      else next.add(layer)
      return set({ layers: [...next].join(',') || 'none' })
    },
    setLang: (l: 'zh-CN' | 'en') => set({ lang: l === 'en' ? 'en' : undefined }),
  }
}
