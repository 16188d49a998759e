import type { StyleSpecification } from 'maplibre-gl'
import { LABEL_FONTS } from './offline-style.ts'

export const NIGHT = '#070d1a'

/**
 * The wall's dark base: a night background and nothing from the internet. An optional online
 * raster base map (OpenStreetMap or 天地图, both WGS-84/CGCS2000, so no GCJ-02 shift is needed)
 * sits under the grids when the server's configuration names one.
 */
export function wallStyle(basemap: { tiles: string[]; attribution: string } | null): StyleSpecification {
  return {
    version: 8,
    name: 'gezhi-wall',
    sources: basemap ? { basemap: { type: 'raster', tiles: basemap.tiles, tileSize: 256, attribution: basemap.attribution } } : {},
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': NIGHT } },
      ...(basemap ? [{ id: 'basemap', type: 'raster' as const, source: 'basemap', paint: { 'raster-opacity': 0.35, 'raster-saturation': -0.8, 'raster-brightness-max': 0.45 } }] : []),
    ],
  }
}

export { LABEL_FONTS }
