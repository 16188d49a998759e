import { onBeforeUnmount, onMounted, type Ref, shallowRef } from 'vue'
import type { GridLevel, LngLat } from '@gezhi/geo'
import { createGridMap, type GridMap } from '../map/create-grid-map.ts'
import { api } from '../services/api.ts'

/** Web-map zoom whose detail each level's polygons are simplified for: leaves need more detail. */
const DETAIL_ZOOM = { upper: 13, leaf: 16 }

/**
 * Mounts the grid map into `container` once the grid levels are known, loads household points,
 * and tears it all down with the component. The map object is held in a shallowRef: never deep-reactive.
 */
export function useGridMap(container: Ref<HTMLElement | null>, options: { centre: LngLat; zoom: number; onClick: (p: LngLat) => void }) {
  const gridMap = shallowRef<GridMap | null>(null)
  const levels = shallowRef<GridLevel[]>([])
  const state = shallowRef<'loading' | 'ready' | 'error'>('loading')
  const error = shallowRef<string | null>(null)

  onMounted(async () => {
    try {
      levels.value = await api.levels()
      const created = createGridMap({
        container: container.value!,
        levels: levels.value,
        gridsUrl: (depth, isLeaf) => api.gridsUrl(depth, isLeaf ? DETAIL_ZOOM.leaf : DETAIL_ZOOM.upper),
        labelsUrl: (depth) => api.gridLabelsUrl(depth),
        centre: options.centre,
        zoom: options.zoom,
        onClick: options.onClick,
      })
      gridMap.value = created
      const [points] = await Promise.all([api.householdPoints(), created.ready])
      created.setHouseholds(points)
      state.value = 'ready'
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e)
      state.value = 'error'
    }
  })
  onBeforeUnmount(() => gridMap.value?.destroy())

  return { gridMap, levels, state, error }
}
