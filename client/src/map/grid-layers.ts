import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl'
import type { GridLevel } from '@gezhi/geo'
import { LABEL_FONTS } from './offline-style.ts'

/** Soft, distinguishable fills for top-level grids (streets), picked by id. */
const STREET_TINTS = ['#f6bd60', '#84a59d', '#f28482', '#90be6d', '#a2d2ff', '#cdb4db', '#ffd6a5', '#bde0fe']
export const ACCENT = '#e63946'

export const sourceId = (depth: number) => `grids-${depth}`
export const labelSourceId = (depth: number) => `grid-labels-${depth}`

/**
 * How each level looks, by its position from the top (0) to the leaves (n−1): upper levels draw
 * bold lines and appear early; lower levels draw finer lines and appear as the map zooms in.
 */
export function levelLook(index: number, count: number) {
  const fromLeaf = count - 1 - index
  return {
    lineColor: ['#1d3557', '#3d5a80', '#6c7a89', '#98a2ad', '#b8c0c8'][Math.min(index, 4)]!,
    lineWidth: [2.6, 1.7, 1.1, 0.7, 0.5][Math.min(index, 4)]!,
    lineMinZoom: Math.max(0, 9 + index * 1.6 - (fromLeaf === 0 ? 0.5 : 0)),
    labelMinZoom: [9.5, 12, 14.2, 15.8, 17][Math.min(index, 4)]!,
    labelMaxZoom: index === count - 1 ? 24 : [14, 15.6, 17.2, 18.5][Math.min(index, 3)]!,
    labelSize: [17, 14, 12.5, 11.5, 11][Math.min(index, 4)]!,
  }
}

const selected = (then: unknown, otherwise: unknown): ExpressionSpecification =>
  ['case', ['boolean', ['feature-state', 'selected'], false], then, otherwise] as ExpressionSpecification

/** Fill, outline and label layers for one level. Selection is a feature-state, so it never rebuilds a layer. */
export function gridLevelLayers(level: GridLevel, index: number, count: number): LayerSpecification[] {
  const look = levelLook(index, count)
  const source = sourceId(level.depth)
  const layers: LayerSpecification[] = []
  if (index === 0) {
    layers.push({
      id: `${source}-fill`, type: 'fill', source,
      paint: {
        'fill-color': ['match', ['%', ['get', 'id'], STREET_TINTS.length], ...STREET_TINTS.flatMap((c, i) => [i, c]), STREET_TINTS[0]!] as unknown as ExpressionSpecification,
        'fill-opacity': ['interpolate', ['linear'], ['zoom'], 10, 0.45, 15, 0.12],
      },
    })
  }
  if (index === count - 1) {
    layers.push({
      id: `${source}-fill`, type: 'fill', source, minzoom: look.lineMinZoom,
      paint: { 'fill-color': ACCENT, 'fill-opacity': selected(0.28, 0) },
    })
  }
  layers.push({
    id: `${source}-line`, type: 'line', source, minzoom: look.lineMinZoom,
    layout: { 'line-join': 'round' },
    paint: {
      'line-color': selected(ACCENT, look.lineColor),
      'line-width': ['interpolate', ['linear'], ['zoom'], 10, look.lineWidth, 16, look.lineWidth * 1.8] as ExpressionSpecification,
      ...(index >= 2 ? { 'line-dasharray': [3, 2] } : {}),
    },
  })
  layers.push({
    id: `${labelSourceId(level.depth)}-text`, type: 'symbol', source: labelSourceId(level.depth),
    minzoom: look.labelMinZoom, maxzoom: look.labelMaxZoom,
    layout: {
      'text-field': ['get', 'name'],
      'text-font': LABEL_FONTS,
      'text-size': look.labelSize,
      'text-padding': 4,
      'text-max-width': 8,
    },
    paint: {
      'text-color': look.lineColor,
      'text-halo-color': 'rgba(255,255,255,0.92)',
      'text-halo-width': 1.6,
    },
  })
  return layers
}
