/**
 * The client the wall benchmark serves: the production build (same Vite config, same minifier),
 * written to `bench/.cache/wall-client/` with hidden source maps (`.map` files beside the chunks,
 * no `sourceMappingURL` comment, so the browser runs exactly what it would otherwise). The maps
 * let a CPU profile of the page name the package or source file behind each minified frame.
 * Rebuilt only when a source (client or geo) is newer than the last build.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { CACHE_DIR, ROOT } from '../lib/cities.ts'

export const WALL_CLIENT_DIR = path.join(CACHE_DIR, 'wall-client')

/** Newest modification time under `dir`, in ms. */
function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const p = path.join(dir, entry.name)
    return Math.max(latest, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }, 0)
}

/** Builds the client into WALL_CLIENT_DIR unless the build there is newer than every source; returns the folder. */
export async function buildWallClient(log: (line: string) => void): Promise<string> {
  const client = path.join(ROOT, 'client')
  const index = path.join(WALL_CLIENT_DIR, 'index.html')
  const sources = Math.max(newest(path.join(client, 'src')), newest(path.join(ROOT, 'geo/src')), statSync(path.join(client, 'index.html')).mtimeMs)
  if (existsSync(index) && statSync(index).mtimeMs > sources) return WALL_CLIENT_DIR
  log('  building the client with hidden source maps (bench/.cache/wall-client)…')
  const { build } = await import('vite')
  await build({
    root: client,
    configFile: path.join(client, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: WALL_CLIENT_DIR, emptyOutDir: true, sourcemap: 'hidden' },
  })
  return WALL_CLIENT_DIR
}
