import { shallowRef } from 'vue'
import type { Crs, LngLat, LocateAnswer } from '@gezhi/geo'
import { api } from '../services/api.ts'

/** Asks the server which grids are responsible for a point; only the latest request's answer counts. */
export function useLocate() {
  const answer = shallowRef<LocateAnswer | null>(null)
  const loading = shallowRef(false)
  const error = shallowRef<string | null>(null)
  let latest = 0

  async function locate(position: LngLat, crs: Crs = 'wgs84') {
    const ticket = ++latest
    loading.value = true
    error.value = null
    try {
      const result = await api.locate(position, crs)
      if (ticket === latest) answer.value = result
    } catch (e) {
      if (ticket === latest) error.value = e instanceof Error ? e.message : String(e)
    } finally {
      if (ticket === latest) loading.value = false
    }
  }

  return { answer, loading, error, locate }
}
