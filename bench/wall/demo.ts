/**
 * The demo city (scale 1: 2,500 micro-grids, 150,000 households) on PostgreSQL, twice: with 100
 * cases on screen and with many (10,000 by default). Each gets its own database and server; on
 * each, the wall's first render, its longest blocks, and the cost of incoming events.
 */
import type { Browser } from 'playwright-core'
import { startServer } from '../lib/server.ts'
import { fmt } from '../lib/table.ts'
import { type ChromiumCpu, chromiumCpu } from './chromium-cpu.ts'
import { prepareWallCity } from './city.ts'
import { eventWindow, feeder } from './events.ts'
import { type FirstRender, openWall, panAndZoom, signIn, type WallSession } from './page.ts'
import type { Blocks } from './probe.ts'
import type { Attribution } from './profile.ts'
import { type EventRun, eventRatios, eventsTable, longestOwnWork, longTaskTable, longTaskTotals, ms, type SummaryRow, verdict } from './report.ts'
import { longTasks, startTrace, type LongTask } from './trace.ts'

export const FULL = 'cases,households,party,density'
export const NO_DENSITY = 'cases,households,party'
export const BLOCK_TARGET_MS = 200
/** Report indices of the feed start here, clear of the preloaded cases' points. */
export const FEED_OFFSET = 10_000

export interface DemoOptions {
  adminUrl: string
  quick: boolean
  /** Cases on the busy screen. */
  many: number
  /** First renders per layer set (median). */
  runs: number
  eventLayers: string
  trace: boolean
  windows: { idle: number; rates: Array<{ rate: number; seconds: number }> }
}

const log = (line: string) => console.log(line)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!
export const longest = (b: Blocks) => Math.max(b.longestTask, b.longestGap)
export const blocksText = (b: Blocks) => `task ${fmt(b.longestTask)} / frame gap ${fmt(b.longestGap)} ms (${b.longTasks} long tasks, ${fmt(b.longTaskMs)} ms)`
export const blockRow = (figure: string, b: Blocks): SummaryRow => ({ figure, value: blocksText(b), target: `≤ ${BLOCK_TARGET_MS} ms`, verdict: verdict(longest(b) <= BLOCK_TARGET_MS) })

/** Opens the wall `runs` times, each in a fresh context; keeps the last page open. */
async function firstRenders(browser: Browser, base: string, session: unknown, path: string, runs: number): Promise<{ renders: FirstRender[]; page: WallSession }> {
  const renders: FirstRender[] = []
  let page: WallSession | null = null
  for (let k = 0; k < runs; k++) {
    await page?.close()
    page = await openWall(browser, base, path, { session })
    renders.push(page.firstRender)
    if (page.errors.length) log(`  console errors on ${path}: ${page.errors.slice(0, 3).map((e) => e.split('\n')[0]).join(' | ')}`)
  }
  return { renders, page: page! }
}

/** Rows for one layer set: data-ready, full render, and the worst loading block over the runs. */
function renderRows(label: string, renders: FirstRender[]): SummaryRow[] {
  const runs = renders.length > 1 ? ` (median of ${renders.length})` : ''
  const worst = renders.map((r) => r.blocks).reduce((a, b) => (longest(b) > longest(a) ? b : a))
  return [
    { figure: `${label}: data-ready${runs}`, value: ms(median(renders.map((r) => r.readyMs))), target: 'navigation start →', verdict: '–' },
    { figure: `${label}: full render (households drawn, map idle)${runs}`, value: ms(median(renders.map((r) => r.fullMs))), target: 'navigation start →', verdict: '–' },
    blockRow(`${label}: longest block, loading`, worst),
  ]
}

async function panAndZoomRow(page: WallSession, label: string): Promise<SummaryRow> {
  log('  pan and zoom…')
  const window = await panAndZoom(page)
  return blockRow(`${label}: longest block, pan and zoom (${fmt((window.to - window.from) / 1000)} s)`, await page.blocks(window.from, window.to))
}

export async function demoCity(browser: Browser, o: DemoOptions, clientDir: string, attribution: Attribution): Promise<{ rows: SummaryRow[]; details: string[] }> {
  log('demo city (scale 1: 2,500 micro-grids, 150,000 households) on PostgreSQL')
  const rows: SummaryRow[] = []
  const details: string[] = []
  const city = await prepareWallCity(1, { adminUrl: o.adminUrl, log })
  const eventRuns: EventRun[] = []
  const chromium = await chromiumCpu(browser)
  const heaps: Array<{ onScreen: number; heap: number }> = []
  try {
    for (const onScreen of [100, o.many]) {
      const db = await city.withCases(`c${onScreen}`, onScreen, log)
      const server = await startServer({ url: db.url }, undefined, { clientDir })
      const base = `http://127.0.0.1:${server.target.port}`
      try {
        const session = await signIn(base)
        const label = (layers: string) => `/wall layers=${layers}, ${fmt(onScreen)} cases`
        log(`  ${fmt(onScreen)} cases on screen: a warm-up load, then first renders of ${FULL}…`)
        await (await openWall(browser, base, `/wall?layers=${FULL}&kiosk=1`, { session })).close() // the server's caches and JIT, as a wall in service finds them
        const full = await firstRenders(browser, base, session, `/wall?layers=${FULL}&kiosk=1`, onScreen === 100 ? o.runs : 1)
        rows.push(...renderRows(label(FULL), full.renders))
        if (onScreen === 100 && !o.quick) rows.push(await panAndZoomRow(full.page, label(FULL)))
        await full.page.close()
        if (onScreen === 100) {
          log(`  first renders of ${NO_DENSITY}…`)
          const nd = await firstRenders(browser, base, session, `/wall?layers=${NO_DENSITY}&kiosk=1`, o.runs)
          rows.push(...renderRows(label(NO_DENSITY), nd.renders))
          if (!o.quick) rows.push(await panAndZoomRow(nd.page, label(NO_DENSITY)))
          await nd.page.close()
          if (o.trace) {
            const traced = await tracedAttribution(browser, base, session, attribution, !o.quick)
            rows.push(...traced.rows)
            details.push(...traced.details)
          }
        }
        const run = await events(browser, base, session, o, city.points, server.target, chromium, attribution, onScreen)
        eventRuns.push(run.run)
        heaps.push({ onScreen, heap: run.heap })
      } finally {
        await server.close()
        await db.drop()
      }
    }
  } finally {
    await city.close()
  }
  for (const r of eventRatios(eventRuns)) {
    rows.push({
      figure: `event at ${r.rate}/s, per delta, ${fmt(o.many)} ÷ 100 cases on screen: JS applying it (sampled) ; GPU process CPU`,
      value: `${fmt(r.apply)}× ; ${fmt(r.gpuCpu)}×`, target: 'the same (JS ≤ 1.5×)', verdict: verdict(r.apply <= 1.5),
    })
  }
  const [h0, h1] = heaps
  if (h0 && h1) rows.push({ figure: `JS heap per case on screen (after GC; ${fmt(h1.onScreen)} vs ${fmt(h0.onScreen)} cases)`, value: `${fmt((h1.heap - h0.heap) / (h1.onScreen - h0.onScreen) / 1024)} KB`, target: '', verdict: '–' })
  details.unshift(`cost per incoming event on /wall?layers=${o.eventLayers} (per delta = the window less the idle window's rate, ÷ deltas received)\n${eventsTable(eventRuns)}`)
  return { rows, details }
}

/**
 * Event windows on one page: a warm-up feed (not measured), an idle window (the baseline), then
 * each rate. The page's heap after GC is read before any of it.
 */
async function events(browser: Browser, base: string, session: unknown, o: DemoOptions, points: Parameters<typeof feeder>[1], target: Parameters<typeof feeder>[0], chromium: ChromiumCpu, attribution: Attribution, onScreen: number) {
  log(`  events on /wall?layers=${o.eventLayers}: warm-up, idle, ${o.windows.rates.map((r) => `${r.rate}/s`).join(', ')}…`)
  const page = await openWall(browser, base, `/wall?layers=${o.eventLayers}&kiosk=1`, { session })
  const heap = await page.heapAfterGc()
  const feed = feeder(target, points, `wall-${process.pid}-${onScreen}`)
  await feed.run(10, 5, FEED_OFFSET)
  await page.quiet()
  await sleep(3000) // lists (1 s) and figures (3 s) refresh after the last event
  const idle = await eventWindow(page, feed, chromium, attribution, { rate: 0, seconds: o.windows.idle, offset: FEED_OFFSET })
  const windows = []
  for (const r of o.windows.rates) {
    await page.quiet()
    windows.push(await eventWindow(page, feed, chromium, attribution, { rate: r.rate, seconds: r.seconds, offset: FEED_OFFSET, settleS: 4 }))
  }
  if (page.errors.length) log(`  console errors: ${page.errors.slice(0, 3).map((e) => e.split('\n')[0]).join(' | ')}`)
  await page.close()
  return { run: { onScreen, idle, windows }, heap }
}

/** A traced load (and pan/zoom) of the full wall: which work makes the long tasks. */
async function tracedAttribution(browser: Browser, base: string, session: unknown, attribution: Attribution, withPan: boolean): Promise<{ rows: SummaryRow[]; details: string[] }> {
  log('  traced load (attribution only: tracing slows the page)…')
  const page = await openWall(browser, base, `/wall?layers=${FULL}&kiosk=1`, { session, beforeNavigation: (p) => startTrace(browser, p) })
  const phases: Array<[string, LongTask[]]> = [[`the full wall (${FULL}) loading`, longTasks(await browser.stopTracing(), attribution)]]
  if (withPan) {
    await startTrace(browser, page.page)
    await panAndZoom(page)
    phases.push(['pan and zoom of the full wall', longTasks(await browser.stopTracing(), attribution)])
  }
  await page.close()
  const rows: SummaryRow[] = []
  const details: string[] = []
  for (const [phase, tasks] of phases) {
    const own = longestOwnWork(tasks)
    if (own) rows.push({ figure: `${phase}, traced: longest task less its Commit (the page's own work)`, value: `${ms(own.durationMs - own.commitMs)} (${own.what.split(',')[0]})`, target: `≤ ${BLOCK_TARGET_MS} ms`, verdict: verdict(own.durationMs - own.commitMs <= BLOCK_TARGET_MS) })
    details.push(`long tasks, ${phase} (traced run)\n${longTaskTotals(tasks)}\n${longTaskTable(tasks)}`)
  }
  return { rows, details }
}
