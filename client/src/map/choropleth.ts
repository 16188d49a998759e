import type { ChoroplethKpi } from '../composables/use-wall-view.ts'

/** Five graded bands per KPI: where a value falls decides the colour. Rates: higher is better. */
export interface Bands {
  /** Upper bounds of the first four bands; the fifth is everything above. */
  breaks: number[]
  colors: string[]
  /** True when a larger value is better (rates), so the legend reads good→bad the right way. */
  higherIsBetter: boolean
}

const GOOD_TO_BAD = ['#d62839', '#f77f00', '#fcbf49', '#8ac926', '#1a936f'] // low rate → high rate
const LIGHT_TO_DARK = ['#1b3a5b', '#2f6690', '#f4a261', '#e76f51', '#d62839'] // few → many

/** Fixed bands for rates (comparable across days and grids); quantiles for counts (the day's spread). */
export function bandsFor(kpi: ChoroplethKpi, values: number[]): Bands {
  if (kpi === 'onTimeClosureRate' || kpi === 'closureRate') return { breaks: [0.6, 0.8, 0.9, 0.95], colors: GOOD_TO_BAD, higherIsBetter: true }
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  const q = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0)
  const breaks = [q(0.2), q(0.4), q(0.6), q(0.8)].map((v, i, all) => (i > 0 && v <= all[i - 1]! ? all[i - 1]! + 1e-9 : v))
  return { breaks, colors: LIGHT_TO_DARK, higherIsBetter: false }
}

/** The band (0–4) of a value, or -1 for no value. */
export function bandOf(value: number | null | undefined, bands: Bands): number {
  if (value === null || value === undefined || !Number.isFinite(value)) return -1
  const i = bands.breaks.findIndex((b) => value < b)
  return i === -1 ? bands.breaks.length : i
}

/** What the map shows as a choropleth: which level, under which parent, in which bands, each grid's band. */
export interface ChoroplethState {
  depth: number
  parentId: number | null
  bands: Bands
  bandById: Map<number, number>
}

/**
 * What must change on the map to go from `shown` to `next`: whether the layers' filter and colours
 * must be rewritten, and only the grids whose band moved (or that left). A wall refetches its
 * figures every minute and after every burst of events; rewriting every feature-state each time
 * repaints the map for nothing (on a software-rendered screen, a second of blocked main thread).
 */
export function choroplethChanges(shown: ChoroplethState | null, next: ChoroplethState) {
  const restyle = !shown || shown.depth !== next.depth || shown.parentId !== next.parentId
    || shown.bands.higherIsBetter !== next.bands.higherIsBetter
    || shown.bands.colors.join() !== next.bands.colors.join() || shown.bands.breaks.join() !== next.bands.breaks.join()
  const sameLayer = !!shown && shown.depth === next.depth
  const set = new Map<number, number>()
  for (const [id, band] of next.bandById) if (!sameLayer || shown.bandById.get(id) !== band) set.set(id, band)
  const removed = shown ? [...shown.bandById.keys()].filter((id) => !sameLayer || !next.bandById.has(id)) : []
  return { restyle, set, removed, unchanged: !restyle && set.size === 0 && removed.length === 0 }
}
