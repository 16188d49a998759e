import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'

export const ROOT = path.resolve(import.meta.dirname, '../..')
export const CACHE_DIR = path.join(ROOT, 'tests/.cache')

/** The seed every test city uses, so expectations can be computed once and reused. */
export const TEST_CITY = { seed: 1, scale: 1, households: true } as const

/** Everything that shapes the seeded city: migrations and seeder sources. A change makes a new dump. */
export function cityFingerprint(): string {
  const hash = createHash('sha256')
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = path.join(dir, f)
      return statSync(p).isDirectory() ? files(p) : [p]
    })
  for (const file of [...files(path.join(ROOT, 'server/migrations')), ...files(path.join(ROOT, 'server/src/seed'))].sort()) {
    hash.update(file.slice(ROOT.length)).update(readFileSync(file))
  }
  hash.update(JSON.stringify(TEST_CITY))
  return hash.digest('hex').slice(0, 16)
}

export function cityDumpPath(): string {
  return path.join(CACHE_DIR, `city-${cityFingerprint()}.tar.gz`)
}

export function writeDump(file: string, bytes: Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, bytes)
}

export const dumpExists = (file: string) => existsSync(file)
