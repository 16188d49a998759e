import { computed, onMounted, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import type { GridLevel } from '@gezhi/geo'
import { api } from '../services/api.ts'

interface CategoryRow { code: string; name: string; nameEn: string }

/** Names the wall shows for codes and ids: categories in the chosen language, grids by id (all levels). */
export function useReferenceNames() {
  const { locale } = useI18n()
  const categories = shallowRef<CategoryRow[]>([])
  const grids = shallowRef(new Map<number, string>())

  onMounted(async () => {
    categories.value = await api.get<CategoryRow[]>('/api/categories').catch(() => [])
    const levels = await api.get<GridLevel[]>('/api/levels').catch(() => [])
    const all = new Map<number, string>()
    for (const level of levels) {
      const fc = await api.get<{ features: Array<{ properties: { id: number; name: string } }> }>(`/api/grids?level=${level.depth}&labels=true`).catch(() => ({ features: [] }))
      for (const f of fc.features) all.set(f.properties.id, f.properties.name)
    }
    grids.value = all
  })

  const categoryNames = computed(() => new Map(categories.value.map((c) => [c.code, locale.value === 'en' ? c.nameEn : c.name])))
  return { grids, categoryNames, category: (code: string) => categoryNames.value.get(code) ?? code }
}
