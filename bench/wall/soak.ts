/**
 * `npm run bench -- soak [--minutes 30] [--rate 10] [--warmup 3] [--every 30] [--speed 10] [--layers cases] [--pg-url …]`
 * The wall left open while cases arrive: the living-demo simulator (server/src/simulate) reports at
 * `rate` per second over HTTP and moves each case along as staff would (filing, dispatching,
 * accepting, handling, checking, evaluating; some rejected, escalated, neglected until overdue),
 * its human delays divided by `speed`; the deadline scheduler runs every 30 s. The page is a plain
 * wall (no benchmark probe: nothing of the benchmark's own grows in its heap). After a warm-up,
 * every `every` seconds: two forced full collections (CDP HeapProfiler.collectGarbage), then the
 * JS heap in use (CDP Runtime.getHeapUsage), DOM nodes and event listeners (Performance.getMetrics).
 * Targets: heap growth after the warm-up < 10 %; no console errors.
 */
import { execFileSync } from 'node:child_process'
import { parseArgs } from 'node:util'
import type { CDPSession, Page } from 'playwright-core'
import { describeStats } from '../../server/src/simulate/port.ts'
import { startSimulator } from '../../server/src/simulate/simulator.ts'
import { hasChromium, launchBrowser } from '../../tests/support/browser.ts'
import { startServer } from '../lib/server.ts'
import { fmt, renderTable } from '../lib/table.ts'
import { prepareWallCity } from './city.ts'
import { buildWallClient } from './client.ts'
import { signIn } from './page.ts'
import { PG_URL_OPTION } from '../lib/cities.ts'

function options(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      minutes: { type: 'string', default: '30' },
      rate: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      every: { type: 'string', default: '30' },
      speed: { type: 'string', default: '10' },
      layers: { type: 'string', default: 'cases' },
      'pg-url': PG_URL_OPTION,
    },
  })
  const num = (name: keyof typeof values, min: number) => {
    const v = Number(values[name])
    if (!(v >= min)) throw new Error(`--${name} must be a number ≥ ${min}; got "${values[name]}"`)
    return v
  }
  const o = { minutes: num('minutes', 0.5), rate: num('rate', 0.1), warmupMin: num('warmup', 0), everyS: num('every', 5), speed: num('speed', 0.1), layers: values.layers!, adminUrl: values['pg-url']! }
  if (o.warmupMin >= o.minutes) throw new Error('--warmup must be shorter than --minutes')
  return o
}

interface Sample { atS: number; heap: number; nodes: number; listeners: number; reported: number; deltas: number }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim()

async function sample(cdp: CDPSession): Promise<Omit<Sample, 'atS' | 'reported' | 'deltas'>> {
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('HeapProfiler.collectGarbage')
  const { usedSize } = await cdp.send('Runtime.getHeapUsage')
  const { metrics } = await cdp.send('Performance.getMetrics')
  const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN
  return { heap: usedSize, nodes: get('Nodes'), listeners: get('JSEventListeners') }
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length
  const mx = xs.reduce((a, b) => a + b, 0) / n, my = ys.reduce((a, b) => a + b, 0) / n
  let num = 0, den = 0
  for (let i = 0; i < n; i++) { num += (xs[i]! - mx) * (ys[i]! - my); den += (xs[i]! - mx) ** 2 }
  return den ? num / den : Number.NaN
}

/** A wall page signed in as the commander, with errors and case events counted. */
async function openPlainWall(base: string, path: string, session: unknown) {
  const browser = await launchBrowser()
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } })
  await context.addInitScript({ content: `try { localStorage.setItem('gezhi.session', ${JSON.stringify(JSON.stringify(session))}) } catch (e) {}` })
  const page: Page = await context.newPage()
  const errors: string[] = []
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${new Date().toISOString().slice(11, 19)} ${m.text().split('\n')[0]}`) })
  page.on('pageerror', (e) => errors.push(`${new Date().toISOString().slice(11, 19)} ${e.message}`))
  let deltas = 0
  page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => { if (typeof payload === 'string' && payload.startsWith('42["incident:')) deltas++ }))
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable')
  await page.goto(`${base}${path}`)
  await page.waitForSelector('[data-testid="wall"][data-ready="true"]', { timeout: 300_000 })
  return { browser, page, cdp, errors, deltas: () => deltas }
}

export async function main(args: string[]): Promise<void> {
  const o = options(args)
  console.log(`wall soak · ${o.minutes} min, ${o.rate} cases/s (simulator, speed ${o.speed}), samples every ${o.everyS} s after ${o.warmupMin} min · /wall?layers=${o.layers}`)
  console.log(`machine at start: ${uptime()}`)
  if (!hasChromium) { console.log('no Chromium at /usr/bin/chromium: nothing to measure'); return }
  const log = (line: string) => console.log(line)
  const clientDir = await buildWallClient(log)
  const city = await prepareWallCity(1, { adminUrl: o.adminUrl, log })
  const db = await city.withCases('soak', 0, log)
  const server = await startServer({ url: db.url }, undefined, { clientDir, deadlineSweepMs: 30_000 })
  const base = `http://127.0.0.1:${server.target.port}`
  const simLines: string[] = []
  const simulator = startSimulator({ baseUrl: base, ratePerMin: o.rate * 60, speed: o.speed, seed: 1, stream: process.pid, adopt: false, log: (l) => simLines.push(l) })
  let wall: Awaited<ReturnType<typeof openPlainWall>> | null = null
  const samples: Sample[] = []
  try {
    if (!(await simulator.ready)) throw new Error(`the simulator could not start: ${simLines.slice(-3).join(' | ')}`)
    wall = await openPlainWall(base, `/wall?layers=${o.layers}&kiosk=1`, await signIn(base))
    const t0 = performance.now()
    const at = (s: number) => sleep(Math.max(0, t0 + s * 1000 - performance.now()))
    log(`  wall open; warming up ${o.warmupMin} min…`)
    for (let s = o.warmupMin * 60; s <= o.minutes * 60 + 0.5; s += o.everyS) {
      await at(s)
      const measured = await sample(wall.cdp)
      const row = { atS: (performance.now() - t0) / 1000, ...measured, reported: simulator.stats.created.length, deltas: wall.deltas() }
      samples.push(row)
      log(`  ${fmt(row.atS / 60)} min: heap ${fmt(row.heap / 1e6)} MB, ${fmt(row.nodes)} DOM nodes, ${fmt(row.listeners)} listeners, ${fmt(row.reported)} cases reported, ${fmt(row.deltas)} deltas, ${wall.errors.length} console errors`)
    }
  } finally {
    await simulator.stop()
    await wall?.browser.close()
    await server.close()
    await db.drop()
    await city.close()
  }
  report(o, samples, wall?.errors ?? [], describeStats(simulator.stats))
}

function report(o: ReturnType<typeof options>, samples: Sample[], errors: string[], sim: string) {
  const first = samples[0], last = samples.at(-1)
  if (!first || !last) return
  const growth = (last.heap - first.heap) / first.heap
  const perMin = slope(samples.map((s) => s.atS / 60), samples.map((s) => s.heap))
  const cases = last.reported - first.reported
  console.log(`\n${renderTable(['min', 'heap MB', 'DOM nodes', 'listeners', 'cases reported', 'deltas received'],
    samples.map((s) => [fmt(s.atS / 60), fmt(s.heap / 1e6), fmt(s.nodes), fmt(s.listeners), fmt(s.reported), fmt(s.deltas)]), ['r', 'r', 'r', 'r', 'r', 'r'])}`)
  const distinct = [...new Set(errors.map((e) => e.slice(9)))]
  console.log(`\n${renderTable(['figure', 'value', 'target', ''], [
    ['heap growth after the warm-up (first to last sample, after GC)', `${fmt(100 * growth)} % (${fmt(first.heap / 1e6)} → ${fmt(last.heap / 1e6)} MB)`, '< 10 %', growth < 0.1 ? 'PASS' : 'MISS'],
    ['heap trend (least squares)', `${fmt(perMin / 1024)} KB/min`, '', ''],
    ['cases reported meanwhile, heap growth per case', `${fmt(cases)}; ${fmt((last.heap - first.heap) / Math.max(1, cases) / 1024)} KB`, '', ''],
    ['DOM nodes, event listeners (first → last)', `${fmt(first.nodes)} → ${fmt(last.nodes)}; ${fmt(first.listeners)} → ${fmt(last.listeners)}`, 'flat', ''],
    ['console errors', fmt(errors.length), 'none', errors.length === 0 ? 'PASS' : 'MISS'],
  ], ['l', 'r', 'l', 'l'])}`)
  if (distinct.length) console.log(`distinct console errors (first 10):\n  ${distinct.slice(0, 10).join('\n  ')}`)
  console.log(`\nsimulator: ${sim}`)
  console.log(`machine at end: ${uptime()}`)
}
