import maplibregl, { type LayerSpecification, type Map as MapLibreMap } from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
import { MapboxOverlay } from '@deck.gl/mapbox'
import type { BBox, GridLevel, GridRef, LngLat } from '@gezhi/geo'
import { ACCENT, gridLevelLayers, labelSourceId, sourceId } from './grid-layers.ts'
import { householdLayer, type HouseholdPoints, partyCenterLayer, partyCenters } from './household-layers.ts'
import { offlineStyle } from './offline-style.ts'

export interface GridMapOptions {
  container: HTMLElement
  levels: GridLevel[]
  /** URL of a level's GeoJSON polygons and label points. */
  gridsUrl: (depth: number, isLeaf: boolean) => string
  labelsUrl: (depth: number) => string
  centre: LngLat
  zoom: number
  onClick?: (position: LngLat) => void
}

export interface GridMap {
  map: MapLibreMap
  /** Resolves once every grid source has loaded and the map has drawn it. */
  ready: Promise<void>
  setHouseholds(points: HouseholdPoints): void
  setLayerVisibility(layer: 'households' | 'partyCenters', visible: boolean): void
  /** Marks a located point and its chain of grids (by id) on the map. */
  select(position: LngLat | null, chain: GridRef[]): void
  fitBounds(bbox: BBox): void
  destroy(): void
}

/**
 * The grid map: MapLibre on an offline style, one set of layers per grid level, and deck.gl
 * household layers interleaved through MapboxOverlay. Callers see only this facade.
 */
export function createGridMap(options: GridMapOptions): GridMap {
  const { levels } = options
  const map = new maplibregl.Map({
    container: options.container,
    style: offlineStyle(),
    center: options.centre,
    zoom: options.zoom,
    minZoom: 8,
    maxZoom: 19,
    attributionControl: { compact: true, customAttribution: '格治 Gezhi · 演示城市为生成数据' },
  })
  map.addControl(new maplibregl.NavigationControl({ visualizePitch: false }), 'top-left')
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left')

  const overlay = new MapboxOverlay({ interleaved: true, layers: [] })
  let households: HouseholdPoints | null = null
  let party: HouseholdPoints | null = null
  const visible = { households: true, partyCenters: true }
  const renderDeck = () => {
    if (!households || !party) return
    overlay.setProps({ layers: [householdLayer(households, visible.households), partyCenterLayer(party, visible.partyCenters)] })
  }

  let marker: maplibregl.Marker | null = null
  let selectedIds: Array<{ source: string; id: number }> = []

  const ready = new Promise<void>((resolve) => {
    map.on('load', () => {
      const layers: LayerSpecification[] = []
      levels.forEach((level, index) => {
        map.addSource(sourceId(level.depth), { type: 'geojson', data: options.gridsUrl(level.depth, index === levels.length - 1) })
        map.addSource(labelSourceId(level.depth), { type: 'geojson', data: options.labelsUrl(level.depth) })
        layers.push(...gridLevelLayers(level, index, levels.length))
      })
      // Fills under lines under labels; finer levels first so coarser lines and names win on top.
      const rank = (l: LayerSpecification) => ({ fill: 0, line: 1, symbol: 2 } as Record<string, number>)[l.type] ?? 3
      const depthOf = (l: LayerSpecification) => Number(l.id.match(/-(\d+)-/)?.[1] ?? 0)
      layers.sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 ? depthOf(a) - depthOf(b) : depthOf(b) - depthOf(a)))
      for (const layer of layers) map.addLayer(layer)
      map.addControl(overlay)
      map.once('idle', () => resolve())
    })
  })

  map.on('click', (event) => options.onClick?.([event.lngLat.lng, event.lngLat.lat]))
  map.getCanvas().style.cursor = 'crosshair'

  return {
    map,
    ready,
    setHouseholds(points) {
      households = points
      party = partyCenters(points)
      renderDeck()
    },
    setLayerVisibility(layer, isVisible) {
      visible[layer] = isVisible
      renderDeck()
    },
    select(position, chain) {
      for (const s of selectedIds) map.setFeatureState(s, { selected: false })
      selectedIds = chain.map((g) => ({ source: sourceId(g.level), id: g.id }))
      for (const s of selectedIds) map.setFeatureState(s, { selected: true })
      marker?.remove()
      marker = position ? new maplibregl.Marker({ color: ACCENT }).setLngLat(position).addTo(map) : null
    },
    fitBounds(bbox) {
      map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding: 60, duration: 600 })
    },
    destroy() {
      marker?.remove()
      map.remove()
    },
  }
}
