/**
 * `npm run bench -- live [--quick] [--rate 1000] [--seconds 60] [--cells 100] [--per-cell 20]
 *                        [--walls 20] [--workers 2] [--servers 1|2|both] [--pg-url …] [--redis-url …]`
 * Cases reported through the API at a fixed rate, streamed to leader and wall screens; beside a
 * bare Socket.IO broadcast of the same deltas to the same rooms, then the same across two servers
 * through Redis. See bench/README.md.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { PG_URL_OPTION, ROOT } from '../lib/cities.ts'
import { machineBusyShare } from '../lib/cpu.ts'
import { fmt } from '../lib/table.ts'
import { prepareLiveCity } from './city.ts'
import { measureBare, measureBareLeanMemory } from './bare.ts'
import type { Measured, Settings } from './measure.ts'
import { measureReal } from './real.ts'
import { areasTable } from './profile.ts'
import { costTable, resultsTable, targetsTable } from './report.ts'
import { startPrivateRedis } from './servers.ts'

function options(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean', default: false },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      cells: { type: 'string' },
      'per-cell': { type: 'string', default: '20' },
      walls: { type: 'string', default: '20' },
      workers: { type: 'string', default: '2' },
      warm: { type: 'string' },
      servers: { type: 'string', default: 'both' },
      'pg-url': PG_URL_OPTION,
      'redis-url': { type: 'string' },
      profile: { type: 'boolean', default: false },
    },
  })
  const q = values.quick
  const s: Settings = {
    rate: Number(values.rate ?? (q ? 200 : 1000)),
    seconds: Number(values.seconds ?? (q ? 10 : 60)),
    warmS: Number(values.warm ?? (q ? 2 : 5)),
    cells: Number(values.cells ?? (q ? 10 : 100)),
    leadersPerCell: Number(values['per-cell']),
    walls: Number(values.walls),
    workers: Number(values.workers),
    profile: values.profile!,
  }
  for (const [k, v] of Object.entries(s)) if (typeof v === 'number' && !(v > 0)) throw new Error(`--${k} must be a positive number`)
  if (!['1', '2', 'both'].includes(values.servers!)) throw new Error(`--servers must be 1, 2 or both; got "${values.servers}"`)
  return { s, servers: values.servers as '1' | '2' | 'both', adminUrl: values['pg-url']!, redisUrl: values['redis-url'] }
}

/** The soft limit on open files: each screen is a socket in this process and one in a server. */
function openFilesLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'))
  return Number(line?.split(/\s+/)[3])
}

function sourceState(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'server', 'geo'], { cwd: ROOT }).toString().trim()
    return `${head}${dirty ? ` + uncommitted changes in server/ or geo/ (${dirty.split('\n').length} files)` : ''}`
  } catch {
    return 'unknown'
  }
}

export async function main(args: string[]): Promise<void> {
  const { s, servers, adminUrl, redisUrl } = options(args)
  const screens = s.walls + s.cells * s.leadersPerCell
  const log = (line: string) => console.log(line)
  const busy = await machineBusyShare(1000)
  log(`live benchmark · ${cpus().length} × ${cpus()[0]?.model ?? '?'} · Node ${process.version} · source ${sourceState()}`)
  log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}; machine busy before start: ${fmt(busy * 100)} % of one core${busy > 0.1 ? '  ⚠ something else is running: figures will be noisy' : ''}`)
  log(`the screens and the report generator run in this process (${s.workers} worker threads + main), on the same ${cpus().length} cores as the servers, PostgreSQL and Redis`)
  log(`${screens} screens: ${s.walls} walls (room all) + ${s.cells} level-3 grids × ${s.leadersPerCell} leader screens; ${s.rate} cases/s for ${s.seconds} s after ${s.warmS} s of warm-up`)
  const limit = openFilesLimit()
  if (limit < screens + 500) throw new Error(`open files limit ${limit} is too low for ${screens} sockets: raise it (ulimit -n ${screens * 2 + 1000})`)

  const city = await prepareLiveCity({ adminUrl, cells: s.cells, log })
  const redis = servers === '1' ? null : redisUrl ? { url: redisUrl, pid: 0 /* not ours: CPU not measured */, close: async () => {} } : await startPrivateRedis()
  const ctx = { city, s, log }
  const pairs: Array<[Measured, Measured | undefined]> = []
  let lean: { heapPerSocket: number; rssPerSocket: number } | null = null
  try {
    const single = await measureReal(ctx, 1)
    if (servers !== '2') {
      pairs.push([single.m, await measureBare(ctx, 1, single.script!, single.m)])
      lean = await measureBareLeanMemory(ctx)
    }
    if (redis) {
      const two = await measureReal(ctx, 2, redis)
      pairs.push([two.m, await measureBare(ctx, 2, single.script!, two.m, redis)])
    }
  } finally {
    await redis?.close()
    await city.close()
  }

  log(`\n${'═'.repeat(40)}\nlive: ${s.rate} reports/s offered for ${s.seconds} s to ${screens} screens; each bare run replays the cases its Gezhi run accepted, at the same rate;\nlatency from the API's 201 (bare: the emit) to each screen\n`)
  log(`${resultsTable(pairs)}\n`)
  log(`${targetsTable(pairs)}\n`)
  log('where the CPU went (cores = CPU time ÷ wall time of the measured window)')
  log(`${costTable(pairs.flat().filter((m): m is Measured => m !== undefined), cpus().length)}\n`)
  if (lean) log(`heap per idle socket on a bare server that discards each handshake request (io.engine 'connection': raw.request = null): ${fmt(lean.heapPerSocket / 1024)} KB (RSS ${fmt(lean.rssPerSocket / 1024)} KB)\n`)
  for (const m of pairs.flat()) {
    if (m?.areas) log(`main-thread CPU of "${m.label}" by area (CPU profile, 0.5 ms sampling; the profiler's overhead is in the figures above)\n${areasTable(m.areas, m.deliveries, m.cases)}\n`)
  }
  log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
}
