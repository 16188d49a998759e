import { onBeforeUnmount, onMounted, type Ref, shallowRef, watch } from 'vue'
import { type BBox, type GridDetail, type GridLevel, type IncidentDelta, type IncidentSummary, type LngLat, localDayStart } from '@gezhi/geo'
import { createWallMap, type WallMap } from '../map/create-wall-map.ts'
import { bandsFor, type Bands } from '../map/choropleth.ts'
import { api } from '../services/api.ts'
import type { GridFigure } from './use-wall-data.ts'
import type { ChoroplethKpi, WallLayer } from './use-wall-view.ts'

/** Cases reported since midnight feed the density layer; rebuilt at most every few seconds (an aggregation is O(n)). */
const DENSITY_EVERY_MS = 5000

export interface WallMapInputs {
  levels: Ref<GridLevel[]>
  focus: Ref<GridDetail | null>
  children: Ref<GridFigure[]>
  kpi: Ref<ChoroplethKpi>
  layers: Ref<Set<WallLayer>>
  cases: () => Iterable<IncidentSummary>
  onGridClick: (id: number) => void
  onCaseClick: (c: IncidentSummary) => void
}

/**
 * The wall map's lifecycle and its wiring to the data: the map is created once; a focus change
 * flies and reshades; live changes update only the cases that changed; the density layer and
 * the choropleth are refreshed from their own data. Nothing here resets the viewport by itself.
 */
export function useWallMap(container: Ref<HTMLElement | null>, inputs: WallMapInputs) {
  const wallMap = shallowRef<WallMap | null>(null)
  const ready = shallowRef(false)
  const bands = shallowRef<Bands>(bandsFor('onTimeClosureRate', []))
  let densityTimer: ReturnType<typeof setTimeout> | null = null

  onMounted(async () => {
    const stop = watch(inputs.levels, async (levels) => {
      if (!levels.length || wallMap.value || !container.value) return
      stop()
      const config = await api.get<{ territory: BBox | null; basemap: { tiles: string[]; attribution: string } | null }>('/api/config')
      const created = createWallMap({
        container: container.value,
        levels,
        tilesUrl: `${location.origin}/api/tiles/grids/{z}/{x}/{y}.pbf`,
        territory: config.territory,
        basemap: config.basemap,
        centre: [113.66, 34.78],
        zoom: 12.2,
        onGridClick: inputs.onGridClick,
        onCaseClick: inputs.onCaseClick,
        scale: Math.max(1, window.innerWidth / 1920),
      })
      wallMap.value = created
      await created.ready
      created.resetCases(inputs.cases())
      applyVisibility()
      shade()
      const start = inputs.focus.value?.bbox ?? created.territory()
      if (start) created.fitBounds(start, 0)
      ready.value = true
      api.householdPoints().then((points) => created.setHouseholds(points)).catch(() => {})
    }, { immediate: true })
  })

  function applyVisibility() {
    const l = inputs.layers.value
    wallMap.value?.setVisible({ cases: l.has('cases'), density: l.has('density'), households: l.has('households'), party: l.has('party') })
    if (l.has('density')) refreshDensity()
  }

  function refreshDensity() {
    if (densityTimer) return
    densityTimer = setTimeout(() => {
      densityTimer = null
      const today = localDayStart(new Date()).getTime()
      const points: number[] = []
      for (const c of inputs.cases()) if (Date.parse(c.reportedAt) >= today) points.push(c.position[0], c.position[1])
      wallMap.value?.setDensity(new Float32Array(points))
    }, 200)
  }

  /** The choropleth: the focus's children (or the top level) by the chosen KPI. */
  function shade() {
    const map = wallMap.value
    const levels = inputs.levels.value
    if (!map || !levels.length) return
    const focus = inputs.focus.value
    const depth = focus ? Math.min(focus.grid.level + 1, levels.at(-1)!.depth) : levels[0]!.depth
    const kpi = inputs.kpi.value
    const values = new Map(inputs.children.value.map((row) => [row.grid.id, row[kpi] as number | null]))
    bands.value = bandsFor(kpi, [...values.values()].filter((v): v is number => v !== null))
    map.setChoropleth(depth, focus ? focus.grid.id : null, values, bands.value) // a leaf focus has no children: nothing shaded
  }

  watch([inputs.children, inputs.kpi], shade)
  watch(inputs.layers, applyVisibility)
  watch(inputs.focus, (focus) => {
    const bbox = focus?.bbox ?? wallMap.value?.territory()
    if (bbox) wallMap.value?.fitBounds(bbox)
  })

  onBeforeUnmount(() => {
    if (densityTimer) clearTimeout(densityTimer)
    wallMap.value?.destroy()
  })

  return {
    wallMap,
    ready,
    bands,
    /** Feeds changes from the live stream or a playback. */
    apply(changed: IncidentSummary[], deltas: IncidentDelta[], reset: boolean) {
      const map = wallMap.value
      if (!map) return
      if (reset) map.resetCases(inputs.cases())
      else map.updateCases(changed, deltas.filter((d) => d.type === 'reported').map((d) => d.incident))
      if (inputs.layers.value.has('density')) refreshDensity()
    },
    flash: (c: IncidentSummary) => wallMap.value?.flashCase(c),
    flashPlace: (p: LngLat) => wallMap.value?.flashPlace(p),
  }
}
