/**
 * `npm run bench -- wall [--quick] [--runs 2] [--cases 10000] [--event-layers cases] [--trace|--no-trace]
 *                        [--gpu-compositing] [--pg-url postgres://…]`
 * The command-centre wall in headless Chromium (software WebGL) against the Gezhi server in a child
 * process on a seeded PostgreSQL city: time to the first full render, the longest main-thread
 * block, the cost of each incoming event with few and many cases on screen, the 1,000,000-household
 * city (points on the wire, decoding, responsiveness) and, when the server has them, grid vector
 * tiles on both backends. See bench/README.md.
 */
import { execFileSync } from 'node:child_process'
import { cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { hasChromium, launchBrowser } from '../../tests/support/browser.ts'
import { bigCity } from './big-city.ts'
import { buildWallClient } from './client.ts'
import { demoCity, FEED_OFFSET } from './demo.ts'
import { Attribution } from './profile.ts'
import { type SummaryRow, summaryTable } from './report.ts'
import { tilesSection } from './tiles.ts'
import { PG_URL_OPTION } from '../lib/cities.ts'

function options(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      cases: { type: 'string' },
      'event-layers': { type: 'string', default: 'cases' },
      trace: { type: 'boolean' },
      'no-trace': { type: 'boolean' },
      'gpu-compositing': { type: 'boolean', default: false },
      'pg-url': PG_URL_OPTION,
    },
  })
  const quick = values.quick!
  const many = Number(values.cases ?? (quick ? 2000 : 10_000))
  if (!(Number.isInteger(many) && many > 100 && many <= FEED_OFFSET)) throw new Error(`--cases must be an integer in (100, ${FEED_OFFSET}]; got "${values.cases}"`)
  const runs = Number(values.runs ?? (quick ? 1 : 2))
  if (!(Number.isInteger(runs) && runs >= 1)) throw new Error(`--runs must be a positive integer; got "${values.runs}"`)
  return {
    quick, many, runs,
    eventLayers: values['event-layers']!,
    trace: values['no-trace'] ? false : values.trace ?? !quick,
    gpuCompositing: values['gpu-compositing']!,
    adminUrl: values['pg-url']!,
    /** Seconds of each event window: idle, then each rate. */
    windows: quick ? { idle: 6, rates: [{ rate: 10, seconds: 8 }, { rate: 100, seconds: 4 }] } : { idle: 15, rates: [{ rate: 10, seconds: 30 }, { rate: 100, seconds: 15 }] },
    tiles: quick ? 50 : 200,
    scales: quick ? [1] : [1, 7],
  }
}

const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim()

export async function main(args: string[]): Promise<void> {
  const o = options(args)
  console.log(`wall benchmark · ${cpus().length} × ${cpus()[0]?.model ?? '?'} · Node ${process.version}${o.quick ? ' · quick' : ''}`)
  console.log(`machine at start: ${uptime()}`)
  if (!hasChromium) {
    console.log('no Chromium at /usr/bin/chromium: nothing to measure')
    return
  }
  const clientDir = await buildWallClient((line) => console.log(line))
  const attribution = new Attribution(clientDir)
  const browser = await launchBrowser({ gpuCompositing: o.gpuCompositing })
  console.log(`browser: Chromium ${browser.version()}, headless, software WebGL (SwiftShader), ${o.gpuCompositing ? 'composited in the GPU process (no --disable-gpu)' : 'software compositing (--disable-gpu: each changed frame reads the canvas back)'}: compare as ratios between runs, not as frame rates\n`)
  const rows: SummaryRow[] = []
  const details: string[] = []
  const add = (part: { rows: SummaryRow[]; details: string[] }) => { rows.push(...part.rows); details.push(...part.details) }
  try {
    add(await demoCity(browser, o, clientDir, attribution))
    if (o.scales.includes(7)) add(await bigCity(browser, o, clientDir))
    else rows.push({ figure: '1,000,000-household city (scale 7)', value: 'skipped (--quick)', target: '', verdict: '–' })
  } finally {
    await browser.close()
  }
  add(await tilesSection(o))
  console.log(`\n${summaryTable(rows)}`)
  for (const d of details) console.log(`\n${d}`)
  console.log(`\nmachine at end: ${uptime()}\n(2 cores shared by the server, PostgreSQL, Chromium and its GPU process, and whatever else runs: figures are comparable only between runs on a quiet machine)`)
}
