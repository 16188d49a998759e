/**
 * How much detail a web map at zoom `z` can show: half a 512-px tile pixel, in degrees of
 * longitude, is the simplification tolerance; the decimals keep a tenth of a pixel.
 * Shared edges simplified independently may then differ by under half a pixel: invisible.
 */
export function detailForZoom(zoom: number | undefined): { toleranceDeg: number; decimals: number } {
  if (zoom === undefined) return { toleranceDeg: 0, decimals: 7 }
  const degPerPixel = 360 / (512 * 2 ** zoom)
  return {
    toleranceDeg: degPerPixel / 2,
    decimals: Math.min(7, Math.max(2, Math.ceil(-Math.log10(degPerPixel / 10)))),
  }
}
