import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { build } from 'vite'
import { ROOT } from './city-cache.ts'

const CLIENT = path.join(ROOT, 'client')

/** Newest modification time under `dir`, in ms. */
function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const p = path.join(dir, entry.name)
    return Math.max(latest, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }, 0)
}

/** Builds the client for the browser tests unless dist/ is newer than every source (client and geo). */
export default async function setup() {
  const index = path.join(CLIENT, 'dist/index.html')
  const sources = Math.max(newest(path.join(CLIENT, 'src')), newest(path.join(ROOT, 'geo/src')), statSync(path.join(CLIENT, 'index.html')).mtimeMs)
  if (existsSync(index) && statSync(index).mtimeMs > sources) return
  await build({ root: CLIENT, configFile: path.join(CLIENT, 'vite.config.ts'), logLevel: 'warn' })
}
