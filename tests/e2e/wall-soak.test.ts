/// <reference lib="dom" />
import type { Browser, CDPSession, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LngLat } from '@gezhi/geo'
import type { App } from '../../server/src/app.ts'
import { hasChromium, launchBrowser } from '../support/browser.ts'
import { signInPage } from '../support/browser-session.ts'
import { reportBody, signIn, step } from '../support/incident-helpers.ts'
import { testApp } from '../support/test-app.ts'
import { testDb } from '../support/test-db.ts'

const RATE_PER_S = 10
const FEED_S = 90
const WARM_UP_S = 30
const SAMPLE_EVERY_S = 15
/**
 * Looser than the 30-minute soak's 10 % (npm run bench -- soak): here the window after the warm-up
 * is one minute and holds four samples, so one-off allocations that settle within minutes (JIT code
 * and feedback, lazily built caches, glyphs and tiles, the 60-s refresh of the figures) and the
 * 600 cases added meanwhile weigh far more against the heap than they do over half an hour, and CI
 * machines are shared. A leak per event still shows: 600 deltas leaking even 10 KB each is 6 MB.
 */
const MAX_GROWTH = 0.25

/**
 * The wall left running while cases arrive at 10 per second (every third one filed a second later
 * by the commander, so updates arrive too): no console errors, and the JS heap after forced
 * garbage collection does not keep growing once warmed up. The 30-minute version is a benchmark.
 */
describe.runIf(hasChromium)('the wall left running for 90 s at 10 cases/s', () => {
  let app: App
  let base = ''
  let browser: Browser
  let page: Page
  let cdp: CDPSession
  let points: LngLat[] = []
  const errors: string[] = []

  beforeAll(async () => {
    app = await testApp()
    base = await app.listen({ port: 0, host: '127.0.0.1' })
    // Label points of micro-grids, in a fixed shuffled order: each report at its own place.
    const db = await testDb()
    points = (await db.query<{ lng: number; lat: number }>(`
      SELECT ST_X(b.label_point) AS lng, ST_Y(b.label_point) AS lat FROM grid_boundaries b JOIN grids g ON g.id = b.grid_id
       WHERE b.generation_to IS NULL AND g.level = (SELECT max(level) FROM grids) ORDER BY md5(g.id::text) LIMIT ${RATE_PER_S * FEED_S}`))
      .map((r): LngLat => [r.lng, r.lat])
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
    page.on('pageerror', (e) => errors.push(e.message))
    await signInPage(page, base, 'commander')
    await page.goto(`${base}/wall?kiosk=1`)
    await page.waitForSelector('[data-testid="wall"][data-ready="true"]', { timeout: 90_000 })
    await page.waitForFunction(() => document.querySelector('[data-testid="connection-status"]')?.getAttribute('data-status') === 'live', undefined, { timeout: 30_000 })
    cdp = await page.context().newCDPSession(page)
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  async function heapAfterGc(): Promise<number> {
    await cdp.send('HeapProfiler.collectGarbage')
    await cdp.send('HeapProfiler.collectGarbage')
    return (await cdp.send('Runtime.getHeapUsage')).usedSize
  }

  it('logs no errors and keeps its heap after a 30 s warm-up', async () => {
    const commander = await signIn(app, 'commander')
    const t0 = performance.now()
    const pending: Array<Promise<unknown>> = []
    let lastNumber = ''
    // Open loop: a report every 100 ms whether or not the last one has been answered.
    const feed = (async () => {
      for (let i = 0; i < points.length; i++) {
        const wait = t0 + (i * 1000) / RATE_PER_S - performance.now()
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
        pending.push(app.incidents.report({ kind: 'public' }, reportBody(points[i]!), []).then(async ({ incident }) => {
          lastNumber = incident.number
          if (i % 3 !== 0) return
          await new Promise((resolve) => setTimeout(resolve, 1000))
          await step(app, incident.id, 'file', commander)
          lastNumber = incident.number
        }))
      }
    })()
    const heaps: number[] = []
    for (let s = WARM_UP_S; s <= FEED_S; s += SAMPLE_EVERY_S) {
      const wait = t0 + s * 1000 - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      heaps.push(await heapAfterGc())
    }
    await feed
    await Promise.all(pending)
    // The wall kept up: the case of the last event reached the ticker.
    await page.waitForFunction((n) => document.querySelector('[data-testid="event-ticker"]')?.textContent?.includes(n), lastNumber.slice(-6), { timeout: 15_000, polling: 250 })
    const growth = (heaps.at(-1)! - heaps[0]!) / heaps[0]!
    console.log(`wall soak: heap after GC ${heaps.map((h) => (h / 1e6).toFixed(1)).join(' → ')} MB (${(100 * growth).toFixed(1)} %), ${points.length} cases answered within ${((performance.now() - t0) / 1000).toFixed(0)} s`)
    expect(errors).toEqual([])
    expect(growth).toBeLessThan(MAX_GROWTH)
  }, 150_000)
})
