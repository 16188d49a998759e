import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { ROOT } from './city-cache.ts'

export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)
export const SCREENSHOTS = path.join(ROOT, 'tests/screenshots')

/**
 * Debian's Chromium, headless, with software WebGL (SwiftShader) and no network chatter.
 *
 * `gpuCompositing` (benchmarks only) leaves out `--disable-gpu`: SwiftShader then composites in the
 * GPU process as a real GPU would. With `--disable-gpu` the compositor is software, so every frame
 * that changed the WebGL canvas reads it back (GLES2::ReadPixels in the main thread's commit) and
 * blocks the page for a second or more on this machine, whatever the page draws.
 */
export async function launchBrowser(options: { gpuCompositing?: boolean } = {}): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', ...(options.gpuCompositing ? [] : ['--disable-gpu']), '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  })
}
