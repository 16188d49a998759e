import type { StyleSpecification } from 'maplibre-gl'

/**
 * Fonts for every label, drawn by the browser (MapLibre's local glyph rendering): a style with
 * no `glyphs` URL asks no server for glyphs. The first installed family wins.
 */
export const LABEL_FONTS = ['WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'sans-serif']

export const PAPER = '#eef1f4'

/** A base style that needs nothing from the internet: a paper background; grid layers are added on top. */
export function offlineStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'gezhi-offline',
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': PAPER } }],
  }
}
