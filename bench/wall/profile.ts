/**
 * Where the wall page's main-thread time goes, from V8 CPU profiles (CDP Profiler, or the samples
 * inside a Chromium trace): each sample is charged to the first frame from the top of its stack
 * that maps (source-maps.ts) to a known package or client folder, so a native call such as a
 * WebGL upload counts for the library that made it. `(program)` is the browser's own work outside
 * JavaScript (style, layout, paint, compositing, GPU command submission); `(garbage collector)` is GC.
 */
import { type Original, SourceMaps } from './source-maps.ts'

export interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
export interface ProfileNode { id: number; callFrame: CallFrame; parent?: number; children?: number[] }
export interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** First match wins; tested against the original source path from the source map. */
const AREAS: Array<[string, RegExp]> = [
  ['maplibre-gl', /node_modules\/maplibre-gl\//],
  ['deck.gl', /node_modules\/@deck\.gl\//],
  ['luma.gl (WebGL)', /node_modules\/@luma\.gl\//],
  ['math.gl, loaders.gl, probe.gl', /node_modules\/@(math\.gl|loaders\.gl|probe\.gl)\//],
  ['echarts (+ zrender)', /node_modules\/(echarts|zrender|vue-echarts)\//],
  ['vue (+ router, i18n)', /node_modules\/(@vue|vue|vue-router|vue-i18n|@intlify)\//],
  ['socket.io client', /node_modules\/(socket\.io-client|engine\.io-client|socket\.io-parser|engine\.io-parser|@socket\.io)\//],
  ['@gezhi/geo (CaseStore, live sync)', /(^|\/)geo\/src\//],
  ['client/src/map', /client\/src\/map\//],
  ['client/src/composables', /client\/src\/composables\//],
  ['client/src/wall + pages', /client\/src\/(wall|pages|components)\//],
  ['client/src (other)', /client\/src\//],
  ['other packages', /node_modules\//],
]

export const NATIVE = '(program): style, layout, paint, GL, other native'
export const GC = '(garbage collector)'
export const IDLE = '(idle)'
const PROBE = 'bench probe'

export class Attribution {
  private readonly maps: SourceMaps
  private readonly originals = new Map<string, Original | null>()
  constructor(clientDir: string) { this.maps = new SourceMaps(clientDir) }

  original(frame: CallFrame): Original | null {
    const key = `${frame.url}:${frame.lineNumber}:${frame.columnNumber}`
    let o = this.originals.get(key)
    if (o === undefined) this.originals.set(key, (o = frame.url ? this.maps.resolve(frame.url, frame.lineNumber, frame.columnNumber) : null))
    return o
  }

  /** The area of one frame, or undefined when it says nothing (a native function, an unmapped frame). */
  areaOfFrame(frame: CallFrame): string | undefined {
    if (frame.functionName === '(garbage collector)') return GC
    if (frame.functionName === '(idle)') return IDLE
    if (frame.functionName === '(program)') return NATIVE
    if (frame.url === 'wall-probe.js') return PROBE
    const o = this.original(frame)
    return o ? AREAS.find(([, re]) => re.test(o.source))?.[0] : undefined
  }

  /**
   * What started a frame's work: the area of the outermost known frame on its stack (nearest the
   * root), with the wall's own entry points named: a Socket.IO message (and the CaseStore under it),
   * use-live's batch flush (map, ticker, alerts, the case lists' updates), use-case-lists' once-a-second
   * publishing, use-wall-map's density.
   */
  originOfFrame(frame: CallFrame): string | undefined {
    const o = frame.url ? this.original(frame) : null
    if (o && /client\/src\/composables\/use-live\.ts$/.test(o.source)) return ORIGIN_BATCH
    if (o && /client\/src\/composables\/use-case-lists\.ts$/.test(o.source)) return ORIGIN_LISTS
    if (o && /client\/src\/composables\/use-wall-map\.ts$/.test(o.source)) return ORIGIN_MAP_INPUTS
    const area = this.areaOfFrame(frame)
    return area === NATIVE || area === GC || area === IDLE ? undefined : area === 'socket.io client' ? ORIGIN_SOCKET : area
  }

  /** Per node id: its area (first known frame from the node towards the root), its origin, and its own original "file:line name". */
  classify(nodes: ProfileNode[]): { area: Map<number, string>; origin: Map<number, string>; where: Map<number, string> } {
    const byId = new Map(nodes.map((n) => [n.id, n]))
    const parent = new Map<number, number>()
    for (const n of nodes) {
      if (n.parent !== undefined) parent.set(n.id, n.parent)
      for (const c of n.children ?? []) parent.set(c, n.id)
    }
    const area = new Map<number, string>()
    const resolve = (id: number): string => {
      const known = area.get(id)
      if (known) return known
      const node = byId.get(id)!
      let a = this.areaOfFrame(node.callFrame)
      if (!a) {
        const up = parent.get(id)
        a = up === undefined || byId.get(up)!.callFrame.functionName === '(root)' ? NATIVE : resolve(up)
      }
      area.set(id, a)
      return a
    }
    const outer = new Map<number, string | null>()
    const outermost = (id: number): string | null => {
      const known = outer.get(id)
      if (known !== undefined) return known
      const up = parent.get(id)
      const o = (up !== undefined ? outermost(up) : null) ?? this.originOfFrame(byId.get(id)!.callFrame) ?? null
      outer.set(id, o)
      return o
    }
    const origin = new Map<number, string>()
    const where = new Map<number, string>()
    for (const n of nodes) {
      const own = resolve(n.id)
      origin.set(n.id, outermost(n.id) ?? own) // nothing known on the stack: the frame's own area
      const o = this.original(n.callFrame)
      if (o) where.set(n.id, `${o.source.replace(/^(\.\.\/)+/, '').replace(/^node_modules\//, '')}:${o.line}${o.name ? ` ${o.name}` : n.callFrame.functionName ? ` ${n.callFrame.functionName}` : ''}`)
    }
    return { area, origin, where }
  }
}

export const ORIGIN_SOCKET = 'Socket.IO message (+ CaseStore)'
export const ORIGIN_BATCH = 'use-live batch (map update, ticker, alerts, case lists)'
export const ORIGIN_LISTS = 'use-case-lists publish'
export const ORIGIN_MAP_INPUTS = 'use-wall-map (density, shading)'

/** A profile's samples as (timestamp µs, node id, duration µs), durations from the following sample. */
export function timedSamples(profile: Pick<CpuProfile, 'samples' | 'timeDeltas' | 'startTime'>): Array<{ t: number; id: number; us: number }> {
  const out: Array<{ t: number; id: number; us: number }> = []
  let t = profile.startTime
  for (let k = 0; k < profile.samples.length; k++) {
    t += profile.timeDeltas[k] ?? 0
    out.push({ t, id: profile.samples[k]!, us: 0 })
  }
  for (let k = 0; k < out.length - 1; k++) out[k]!.us = out[k + 1]!.t - out[k]!.t
  return out
}

export interface AreaSummary {
  /** ms per area, idle left out. */
  areas: Map<string, number>
  /** ms per origin (what started the work), idle left out. */
  origins: Map<string, number>
  busyMs: number
  /** The own ("self") time of the heaviest source positions of client code and @gezhi/geo, ms. */
  topClient: Array<[string, number]>
}

/** Sums samples in [from, to] µs (all when omitted) by area. */
export function summarise(attribution: Attribution, profile: Pick<CpuProfile, 'nodes' | 'samples' | 'timeDeltas' | 'startTime'>, from = -Infinity, to = Infinity): AreaSummary {
  const { area, origin, where } = attribution.classify(profile.nodes)
  const areas = new Map<string, number>()
  const origins = new Map<string, number>()
  const client = new Map<string, number>()
  for (const s of timedSamples(profile)) {
    if (s.t < from || s.t > to) continue
    const a = area.get(s.id) ?? NATIVE
    if (a === IDLE) continue
    areas.set(a, (areas.get(a) ?? 0) + s.us / 1000)
    const o = origin.get(s.id) ?? a
    origins.set(o, (origins.get(o) ?? 0) + s.us / 1000)
    const w = where.get(s.id)
    if (w && (w.startsWith('client/') || w.includes('geo/src/'))) client.set(w, (client.get(w) ?? 0) + s.us / 1000)
  }
  const busyMs = [...areas.values()].reduce((a, b) => a + b, 0)
  return { areas, origins, busyMs, topClient: [...client].sort((a, b) => b[1] - a[1]).slice(0, 8) }
}

/** "maplibre-gl 41 ms · (program) 30 ms": the largest entries of a breakdown, ms. */
export function describe(parts: Map<string, number>, top = 5): string {
  return [...parts].sort((a, b) => b[1] - a[1]).slice(0, top).map(([a, ms]) => `${a} ${Math.round(ms)}`).join(' · ')
}
