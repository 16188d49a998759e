/// <reference lib="dom" />
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StatsAnswer } from '@gezhi/geo'
import type { App } from '../../server/src/app.ts'
import { hasChromium, launchBrowser, SCREENSHOTS } from '../support/browser.ts'
import { signInPage } from '../support/browser-session.ts'
import { pointInGridOf, reportBody } from '../support/incident-helpers.ts'
import { testApp } from '../support/test-app.ts'

/** Today in Beijing, as the wall asks for it. */
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)

describe.runIf(hasChromium)('the command-centre wall in Chromium at 1920×1080', () => {
  let app: App
  let port = 0
  let base = ''
  let browser: Browser
  let page: Page
  let token = ''
  const errors: string[] = []

  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `wall-${name}.png`) })
  const status = () => page.getAttribute('[data-testid="connection-status"]', 'data-status')
  const api = async <T>(url: string) => (await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<T>
  const card = (key: string) => page.getAttribute(`[data-testid="kpi-${key}"]`, 'data-value')

  beforeAll(async () => {
    app = await testApp()
    base = await app.listen({ port: 0, host: '127.0.0.1' })
    port = Number(new URL(base).port)
    const here = await pointInGridOf('micro')
    for (let i = 0; i < 12; i++) await app.incidents.report({ kind: 'public' }, reportBody([here[0] + i * 1e-4, here[1]]), [])
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
    page.on('pageerror', (e) => errors.push(e.message))
    token = await signInPage(page, base, 'commander')
    // The page notes when each long task ended; the arrival test waits for a quiet page (below).
    await page.addInitScript(() => {
      const w = window as unknown as { longTaskEnds: number[] }
      w.longTaskEnds = []
      new PerformanceObserver((list) => { for (const e of list.getEntries()) w.longTaskEnds.push(e.startTime + e.duration) }).observe({ type: 'longtask', buffered: true })
    })
    await page.goto(`${base}/wall`)
    await page.waitForSelector('[data-testid="wall"][data-ready="true"]', { timeout: 90_000 })
    await page.waitForFunction(() => document.querySelector('[data-testid="connection-status"]')?.getAttribute('data-status') === 'live', undefined, { timeout: 30_000 })
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  it('shows KPI cards equal to /api/stats', async () => {
    await page.waitForTimeout(1500)
    const stats = await api<StatsAnswer>(`/api/stats?period=day&date=${today()}&top=50`)
    for (const key of ['reported', 'closed', 'closureRate', 'onTimeClosureRate', 'overdueNow', 'satisfiedRate'] as const) {
      const shown = await card(key)
      const value = stats.kpis[key].value
      expect(shown === '' ? null : Number(shown), key).toBe(value)
    }
    await shot('live')
  })

  it('shows a case reported through the API within 2 s', async () => {
    // Timed by the page itself: a MutationObserver notes when the ticker's text changed, in the
    // same task as the change. Polling from the test cannot time it — its timers wait behind the
    // renderer. And the clock starts on a quiet page: in this software-composited Chromium every
    // map repaint blocks the main thread for a second or more (the WebGL canvas is read back,
    // GLES2::ReadPixels in the trace), so a report that lands behind a frame still being drawn
    // measures the test machine's rasteriser, not the wall. A GPU-composited screen does not block.
    await page.waitForFunction(() => performance.now() - Math.max(0, ...(window as unknown as { longTaskEnds: number[] }).longTaskEnds) > 1500, undefined, { timeout: 30_000, polling: 250 })
    const sentAt = await page.evaluate(() => {
      const w = window as unknown as { tickerChanges: Array<[number, string]> }
      const ticker = document.querySelector('[data-testid="event-ticker"]')!
      w.tickerChanges = []
      new MutationObserver(() => w.tickerChanges.push([performance.now(), ticker.textContent ?? ''])).observe(ticker, { childList: true, subtree: true, characterData: true })
      return performance.now()
    })
    const here = await pointInGridOf('micro')
    const { incident } = await app.incidents.report({ kind: 'public' }, reportBody(here, { category: 'E0201' }), [])
    const shownAt = await page.waitForFunction((n) => (window as unknown as { tickerChanges: Array<[number, string]> }).tickerChanges.find(([, text]) => text.includes(n))?.[0], incident.number.slice(-6), { timeout: 20_000 })
    expect(Number(await shownAt.jsonValue()) - sentAt).toBeLessThan(2000)
  })

  it('filters every widget to a grid clicked on the map and records it in the URL', async () => {
    const box = (await page.locator('[data-testid="wall-map"]').boundingBox())!
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    await page.waitForFunction(() => /[?&]grid=\d+/.test(location.search), undefined, { timeout: 10_000 })
    const grid = Number(new URL(page.url()).searchParams.get('grid'))
    const detail = await api<{ grid: { name: string; level: number } }>(`/api/grids/${grid}`)
    expect(detail.grid.level).toBe(1)
    await page.waitForFunction((name) => document.querySelector('[data-testid="breadcrumb"]')?.textContent?.includes(name), detail.grid.name, { timeout: 10_000 })
    await page.waitForTimeout(2000)
    const stats = await api<StatsAnswer>(`/api/stats?period=day&date=${today()}&grid=${grid}&top=50`)
    expect(Number(await card('reported'))).toBe(stats.kpis.reported.value)
    await shot('focused')
    // The view is shareable: opening the URL anew shows the same focus.
    const again = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await again.goto(`${base}/login`)
    await again.evaluate((s) => localStorage.setItem('gezhi.session', s), await page.evaluate(() => localStorage.getItem('gezhi.session')!))
    await again.goto(page.url())
    await again.waitForFunction((name) => document.querySelector('[data-testid="breadcrumb"]')?.textContent?.includes(name), detail.grid.name, { timeout: 30_000 })
    await again.close()
    await page.goto(`${base}/wall`)
    await page.waitForSelector('[data-testid="wall"][data-ready="true"]', { timeout: 60_000 })
  })

  it('plays a day back at speed, then returns to live', async () => {
    await page.click('[data-testid="playback-toggle"]')
    await page.fill('[data-testid="playback-day"]', today())
    await page.dispatchEvent('[data-testid="playback-day"]', 'change')
    await page.waitForFunction(() => document.querySelector('[data-testid="connection-status"]')?.getAttribute('data-status') === 'playback', undefined, { timeout: 30_000 })
    await page.selectOption('[data-testid="playback-speed"]', '60')
    const first = await page.textContent('[data-testid="playback-clock"]')
    await page.waitForTimeout(2500)
    expect(await page.textContent('[data-testid="playback-clock"]')).not.toBe(first)
    await shot('playback')
    await page.click('[data-testid="playback-live"]')
    expect(await status()).toBe('live')
  })

  it('switches to English and back', async () => {
    await page.click('[data-testid="language-switch"]')
    await page.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('Command'), undefined, { timeout: 5000 })
    await shot('english')
    await page.click('[data-testid="language-switch"]')
  })

  it('recovers by itself after the server restarts', async () => {
    await app.close()
    await page.waitForFunction(() => document.querySelector('[data-testid="connection-status"]')?.getAttribute('data-status') === 'offline', undefined, { timeout: 20_000 })
    await shot('offline')
    app = await testApp()
    await app.listen({ port, host: '127.0.0.1' })
    await page.waitForFunction(() => document.querySelector('[data-testid="connection-status"]')?.getAttribute('data-status') === 'live', undefined, { timeout: 30_000 })
    const here = await pointInGridOf('micro')
    const { incident } = await app.incidents.report({ kind: 'public' }, reportBody(here, { category: 'E0201' }), [])
    await page.waitForFunction((n) => document.querySelector('[data-testid="event-ticker"]')?.textContent?.includes(n), incident.number.slice(-6), { timeout: 10_000 })
  })

  it('looks right at 3840×2160 too', async () => {
    await page.setViewportSize({ width: 3840, height: 2160 })
    await page.waitForTimeout(2500)
    await shot('4k')
  })

  it('logged no console errors', () => {
    expect(errors.filter((e) => !/WebSocket|socket\.io|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([])
  })
})
