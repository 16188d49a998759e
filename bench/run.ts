/**
 * `npm run bench -- <name> [options]` runs the benchmark in `bench/<name>/index.ts`, whose
 * `main(args)` receives the remaining arguments. Each benchmark prints its own figures.
 */
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'

interface Benchmark { main(args: string[]): Promise<void> }

const dir = import.meta.dirname
const available = readdirSync(dir).filter((name) => existsSync(path.join(dir, name, 'index.ts'))).sort()
const [name, ...args] = process.argv.slice(2)

if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name> [options]\n  benchmarks: ${available.join(', ')}${name ? `\n  no benchmark named "${name}"` : ''}`)
  process.exit(1)
}
const benchmark = (await import(`./${name}/index.ts`)) as Benchmark
await benchmark.main(args)
