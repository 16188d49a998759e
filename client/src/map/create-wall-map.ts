import maplibregl, { type ExpressionSpecification, type LayerSpecification, type Map as MapLibreMap } from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
import { MapboxOverlay } from '@deck.gl/mapbox'
import { HeatmapLayer } from '@deck.gl/aggregation-layers'
import type { BBox, GridLevel, IncidentSummary, LngLat } from '@gezhi/geo'
import { type Bands, bandOf, type ChoroplethState, choroplethChanges } from './choropleth.ts'
import { CaseLayerModel, caseColor, caseLayer, type Pulse, pulseAlive, pulseLayer } from './case-layers.ts'
import { householdLayer, type HouseholdPoints, partyCenterLayer, partyCenters } from './household-layers.ts'
import { LABEL_FONTS, NIGHT, wallStyle } from './wall-style.ts'

export interface WallMapOptions {
  container: HTMLElement
  levels: GridLevel[]
  /** Vector tiles of the grids, `{z}/{x}/{y}`: layers `grids-<level>` and `labels` (GET /api/tiles/grids). */
  tilesUrl: string
  /** The whole territory, to open on and to return to. */
  territory: BBox | null
  centre: LngLat
  zoom: number
  basemap?: { tiles: string[]; attribution: string } | null
  onGridClick: (gridId: number) => void
  onCaseClick: (incident: IncidentSummary) => void
  /** Size factor of the screen against 1920 px wide: lines, labels and dots grow with it on a 4K wall. */
  scale?: number
}

/** One vector source for every level: the map loads what the view needs, whatever the city's size. */
const GRIDS = 'wgrids'
const gridLayer = (depth: number) => `grids-${depth}`
const BAND_COLOR = (bands: Bands): ExpressionSpecification =>
  // No value (nothing due yet) shows as a faint grey, so a shaded level never looks empty.
  ['match', ['coalesce', ['feature-state', 'band'], -2], ...bands.colors.flatMap((c, i) => [i, c]), -1, 'rgba(120,140,160,0.16)', 'rgba(0,0,0,0)'] as unknown as ExpressionSpecification

/**
 * The wall's map: grids of every level on a night background, a choropleth on the children of
 * the focused grid, and deck.gl layers for live cases, arrival pulses, density and
 * party-member households. Updates touch only what changed; the viewport is never reset except
 * by an explicit fly or fit.
 */
export function createWallMap(options: WallMapOptions) {
  const { levels } = options
  const k = options.scale ?? 1
  const map: MapLibreMap = new maplibregl.Map({
    container: options.container,
    style: wallStyle(options.basemap ?? null),
    center: options.centre,
    zoom: options.zoom,
    minZoom: 8,
    maxZoom: 19,
    attributionControl: options.basemap ? { compact: true } : false, // an online base map must show its attribution
    fadeDuration: 0,
  })
  const overlay = new MapboxOverlay({ interleaved: true, layers: [] })
  const cases = new CaseLayerModel()
  let pulses: Pulse[] = []
  let visible = { cases: true, density: false, households: false, party: false }
  let density: Float32Array = new Float32Array(0)
  let households: HouseholdPoints | null = null
  let party: HouseholdPoints | null = null
  let caseData = cases.take()
  let animating = 0
  let choropleth: ChoroplethState | null = null

  const ready = new Promise<void>((resolve) => {
    map.on('load', () => {
      const fills: LayerSpecification[] = []
      const lines: LayerSpecification[] = []
      const labels: LayerSpecification[] = []
      map.addSource(GRIDS, { type: 'vector', tiles: [options.tilesUrl], minzoom: 0, maxzoom: 15, promoteId: 'id' })
      levels.forEach((level, index) => {
        const leaf = index === levels.length - 1
        const layer = { source: GRIDS, 'source-layer': gridLayer(level.depth) }
        fills.push({ id: `choro-${level.depth}`, type: 'fill', ...layer, filter: ['==', ['literal', 0], 1], paint: { 'fill-color': 'rgba(0,0,0,0)', 'fill-opacity': 0.55 } })
        const width = [2.4, 1.4, 0.8, 0.5][Math.min(index, 3)]! * k
        lines.push({
          id: `line-${level.depth}`, type: 'line', ...layer, minzoom: [0, 11, 13, 14.5][Math.min(index, 3)]!,
          paint: { 'line-color': ['#5ec8ff', '#3d8fc4', '#2c6a94', '#24506f'][Math.min(index, 3)]!, 'line-width': width, 'line-opacity': 0.85 },
        })
        labels.push({
          id: `label-${level.depth}`, type: 'symbol', source: GRIDS, 'source-layer': 'labels', filter: ['==', ['get', 'level'], level.depth],
          minzoom: [9, 12.5, 14.5, 16][Math.min(index, 3)]!, maxzoom: leaf ? 24 : [13, 15, 17, 24][Math.min(index, 3)]!,
          layout: { 'text-field': ['get', 'name'], 'text-font': LABEL_FONTS, 'text-size': [17, 13, 12, 11][Math.min(index, 3)]! * k, 'text-padding': 6 },
          paint: { 'text-color': '#cfe8ff', 'text-halo-color': NIGHT, 'text-halo-width': 1.6, 'text-opacity': 0.85 },
        })
      })
      // The district's edge glows: a blurred wide line under the street outline.
      const top = levels[0]!.depth
      map.addLayer({ id: 'district-glow', type: 'line', source: GRIDS, 'source-layer': gridLayer(top), paint: { 'line-color': '#1fa2ff', 'line-width': 9 * k, 'line-blur': 7 * k, 'line-opacity': 0.35 } })
      for (const layer of [...fills, ...lines.reverse(), ...labels.reverse()]) map.addLayer(layer)
      map.addControl(overlay)
      map.once('idle', () => resolve())
    })
  })

  map.on('click', (event) => {
    if (overlay.pickObject({ x: event.point.x, y: event.point.y, radius: 4, layerIds: ['cases'] })) return // the case's own click handles it
    const fillLayers = levels.map((l) => `choro-${l.depth}`).filter((id) => map.getLayer(id))
    const [hit] = map.queryRenderedFeatures(event.point, { layers: fillLayers })
    if (hit && typeof hit.id === 'number' && hit.state?.band !== undefined) options.onGridClick(hit.id)
  })

  function render() {
    const now = performance.now()
    pulses = pulses.filter((p) => pulseAlive(p, now))
    overlay.setProps({
      layers: [
        new HeatmapLayer({
          id: 'density', data: { length: density.length / 2, attributes: { getPosition: { value: density, size: 2 } } },
          visible: visible.density, radiusPixels: 45, intensity: 1.2, threshold: 0.05,
          colorRange: [[15, 40, 90], [30, 90, 160], [80, 170, 200], [250, 200, 90], [245, 120, 60], [220, 40, 60]],
        }),
        households ? householdLayer(households, visible.households, [110, 160, 215, 120]) : null, // light on the night background
        party ? partyCenterLayer(party, visible.party) : null,
        caseLayer(caseData, visible.cases, options.onCaseClick, k),
        pulseLayer(pulses, now, k),
      ],
    })
    if (pulses.length && !animating) animating = requestAnimationFrame(() => { animating = 0; render() })
  }

  return {
    map,
    ready,
    /** Replaces every case (after a snapshot or a playback jump). */
    resetCases(all: Iterable<IncidentSummary>) {
      cases.reset(all)
      caseData = cases.take()
      render()
    },
    /** Applies changed cases; new arrivals pulse. */
    updateCases(changed: IncidentSummary[], arrivals: IncidentSummary[] = []) {
      for (const c of changed) cases.upsert(c)
      const now = performance.now()
      for (const c of arrivals.slice(-30)) pulses.push({ position: c.position as [number, number], start: now, color: caseColor(c) })
      caseData = cases.take()
      render()
    },
    /** Flies to a case and rings it. */
    flashCase(c: IncidentSummary) {
      map.flyTo({ center: c.position as LngLat, zoom: Math.max(map.getZoom(), 15.5), duration: 1200 })
      pulses.push({ position: c.position as [number, number], start: performance.now(), color: [255, 255, 255, 255], big: true })
      render()
    },
    /** Rings a place (an alert). */
    flashPlace(position: LngLat, color: [number, number, number, number] = [255, 77, 109, 255]) {
      pulses.push({ position: position as [number, number], start: performance.now(), color, big: true })
      render()
    },
    setDensity(positions: Float32Array) {
      density = positions
      if (visible.density) render()
    },
    setHouseholds(points: HouseholdPoints) {
      households = points
      party = partyCenters(points)
      render()
    },
    setVisible(next: { cases: boolean; density: boolean; households: boolean; party: boolean }) {
      visible = next
      render()
    },
    /**
     * Shades the children of `parentId` (null: the top level) at `depth` by band; everything else
     * unshaded. Feature states only: the layer and its data stay as they are.
     */
    setChoropleth(depth: number, parentId: number | null, values: Map<number, number | null>, bands: Bands) {
      // The figures may arrive before the style has loaded and the sources exist (setFeatureState
      // would throw); useWallMap shades again once the map is ready.
      if (!map.getSource(GRIDS)) return
      const next: ChoroplethState = { depth, parentId, bands, bandById: new Map([...values].map(([id, v]) => [id, bandOf(v, bands)])) }
      const change = choroplethChanges(choropleth, next)
      if (change.unchanged) return // a refetch that changed nothing does not repaint the map
      const before = choropleth
      choropleth = next
      for (const id of change.removed) map.removeFeatureState({ source: GRIDS, sourceLayer: gridLayer(before!.depth), id }, 'band')
      if (change.restyle) {
        for (const level of levels) {
          const id = `choro-${level.depth}`
          if (!map.getLayer(id)) continue
          if (level.depth !== depth) {
            map.setFilter(id, ['==', ['literal', 0], 1])
            continue
          }
          // Vector tiles cannot carry null: top-level features have no parentId at all.
          map.setFilter(id, parentId === null ? ['!', ['has', 'parentId']] : ['==', ['get', 'parentId'], parentId])
          map.setPaintProperty(id, 'fill-color', BAND_COLOR(bands))
        }
      }
      for (const [id, band] of change.set) map.setFeatureState({ source: GRIDS, sourceLayer: gridLayer(depth), id }, { band })
    },
    fitBounds(bbox: BBox, duration = 900) {
      map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding: 40 * k, duration })
    },
    /** The extent of the whole territory (from the server's configuration). */
    territory: (): BBox | null => options.territory,
    destroy() {
      if (animating) cancelAnimationFrame(animating)
      map.remove()
    },
  }
}

export type WallMap = ReturnType<typeof createWallMap>
