import { ScatterplotLayer } from '@deck.gl/layers'
import type { IncidentSummary } from '@gezhi/geo'

type Rgba = [number, number, number, number]

/** State and urgency as colour: waiting (cyan), being worked (amber), handled (green), overdue (red), closed (grey). */
export function caseColor(c: IncidentSummary): Rgba {
  if (c.state === 'rejected' || c.state === 'voided') return [0, 0, 0, 0]
  if (c.state === 'closed' || c.state === 'evaluated') return [120, 130, 145, 110]
  if (c.overdue) return [255, 77, 109, 255]
  if (c.state === 'handled') return [144, 190, 109, 235]
  if (c.state === 'reported' || c.state === 'filed') return [76, 201, 240, 235]
  if (c.state === 'deferred') return [173, 181, 189, 200]
  return [249, 199, 79, 240]
}
const isClosed = (c: IncidentSummary) => c.state === 'closed' || c.state === 'evaluated' || c.state === 'rejected' || c.state === 'voided'

type Range = { startRow: number; endRow?: number }
interface CaseData { length: number; rows: IncidentSummary[]; diff: Range[] | null }

/**
 * The cases on the map as one array, updated in place: a changed case rewrites its own row, a
 * new case appends one, and the layer is told exactly which rows changed (deck.gl's _dataDiff),
 * so only those rows are recomputed and uploaded. Applying an event costs the same whether 100
 * or 100,000 cases are drawn.
 */
export class CaseLayerModel {
  private rows: IncidentSummary[] = []
  private index = new Map<number, number>()
  private diff: Range[] | null = null

  reset(cases: Iterable<IncidentSummary>) {
    this.rows = [...cases]
    this.index = new Map(this.rows.map((c, i) => [c.id, i]))
    this.diff = null // everything
  }

  upsert(c: IncidentSummary) {
    const row = this.index.get(c.id)
    if (row === undefined) {
      this.index.set(c.id, this.rows.length)
      this.rows.push(c)
      this.diff?.push({ startRow: this.rows.length - 1, endRow: this.rows.length })
    } else {
      this.rows[row] = c
      this.diff?.push({ startRow: row, endRow: row + 1 })
    }
  }

  get(id: number) {
    const row = this.index.get(id)
    return row === undefined ? undefined : this.rows[row]
  }

  /** A new data object for deck.gl carrying the rows changed since the last call. */
  take(): CaseData {
    const data = { length: this.rows.length, rows: this.rows, diff: this.diff }
    this.diff = []
    return data
  }
}

/** The live cases layer. `onClick` gets the case under the pointer. */
export function caseLayer(data: CaseData, visible: boolean, onClick: (c: IncidentSummary) => void, scale = 1) {
  return new ScatterplotLayer<unknown>({
    id: 'cases',
    data,
    visible,
    _dataDiff: ((next: CaseData) => next.diff ?? [{ startRow: 0 }]) as never,
    getPosition: (_: unknown, { index, data: d }: { index: number; data: unknown }) => (d as CaseData).rows[index]!.position,
    getFillColor: (_: unknown, { index, data: d }: { index: number; data: unknown }) => caseColor((d as CaseData).rows[index]!),
    getRadius: (_: unknown, { index, data: d }: { index: number; data: unknown }) => {
      const c = (d as CaseData).rows[index]!
      return (isClosed(c) ? 2.5 : c.overdue ? 6 : 4.5) * scale
    },
    getLineColor: (_: unknown, { index, data: d }: { index: number; data: unknown }) => {
      const c = (d as CaseData).rows[index]!
      return c.overdue && !isClosed(c) ? [255, 255, 255, 230] : c.supervised ? [199, 125, 255, 230] : [0, 0, 0, 0]
    },
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 1.5 * scale,
    radiusUnits: 'pixels',
    pickable: true,
    onClick: ({ index }: { index: number }) => {
      if (index >= 0) onClick(data.rows[index]!)
    },
  } as never)
}

export interface Pulse { position: [number, number]; start: number; color: Rgba; big?: boolean }

/** Expanding rings where cases just arrived (or one was picked from a list): drawn only while any is alive. */
export function pulseLayer(pulses: Pulse[], now: number, scale = 1) {
  const life = (p: Pulse) => (p.big ? 3000 : 1600)
  return new ScatterplotLayer<Pulse>({
    id: 'pulses',
    data: pulses,
    getPosition: (p) => p.position,
    getRadius: (p) => {
      const t = ((now - p.start) % (p.big ? 1000 : life(p))) / (p.big ? 1000 : life(p))
      return ((p.big ? 10 : 6) + t * (p.big ? 40 : 26)) * scale
    },
    getLineColor: (p) => {
      const t = Math.min(1, (now - p.start) / life(p))
      return [p.color[0], p.color[1], p.color[2], Math.round(255 * (1 - t))]
    },
    filled: false,
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 2 * scale,
    radiusUnits: 'pixels',
    updateTriggers: { getRadius: now, getLineColor: now },
    pickable: false,
  })
}

export const pulseAlive = (p: Pulse, now: number) => now - p.start < (p.big ? 3000 : 1600)
