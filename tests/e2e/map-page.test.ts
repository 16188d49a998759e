/// <reference lib="dom" />
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../server/src/app.ts'
import { hasChromium, launchBrowser, SCREENSHOTS } from '../support/browser.ts'
import { testApp } from '../support/test-app.ts'

if (!hasChromium) console.log('SKIPPED browser tests: /usr/bin/chromium is not installed (apt-get install -y chromium)')

/** Share of pixels in a PNG that differ clearly from the map's paper background #eef1f4. */
function inkShare(png: Buffer): number {
  const { data, width, height } = PNG.sync.read(png)
  let ink = 0
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i]! - 0xee) + Math.abs(data[i + 1]! - 0xf1) + Math.abs(data[i + 2]! - 0xf4) > 30) ink++
  }
  return ink / (width * height)
}

describe.runIf(hasChromium)('the map page in Chromium', () => {
  let app: App
  let browser: Browser
  let page: Page
  const errors: string[] = []

  beforeAll(async () => {
    app = await testApp()
    const url = await app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`))
    await page.goto(url)
    await page.waitForSelector('[data-map-state="ready"]', { timeout: 90_000 })
    await page.waitForTimeout(1000)
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  it('draws the grids on the map canvas', async () => {
    const shot = await page.locator('[data-testid="map"]').screenshot({ path: path.join(SCREENSHOTS, 'map-page-city.png') })
    expect(inkShare(shot)).toBeGreaterThan(0.1) // a blank map is ~0; the city covers about a quarter
  })

  it('shows the chain of grids and the staff board for a click on the map', async () => {
    const box = (await page.locator('[data-testid="map"]').boundingBox())!
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    await page.waitForSelector('[data-testid="locate-panel"][data-state="answered"]', { timeout: 20_000 })
    const levels = await page.locator('[data-testid="grid-chain"] li .level').allTextContents()
    expect(levels).toEqual(['街道', '社区', '网格', '微网格'])
    expect(await page.locator('[data-testid="staff-board"] li').count()).toBeGreaterThan(0)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-page-located.png') })
  })

  it('locates typed GCJ-02 coordinates and flies there', async () => {
    await page.fill('[data-testid="coords-input"]', '113.6659, 34.7790')
    await page.selectOption('select', 'gcj02')
    await page.click('button[type="submit"]')
    await page.waitForFunction(() => document.querySelector('[data-testid="locate-panel"]')?.textContent?.includes('由 GCJ02'), undefined, { timeout: 20_000 })
    await page.waitForTimeout(1500)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-page-gcj02.png') })
  })

  it('logged no console errors and made no failed requests', () => {
    expect(errors).toEqual([])
  })
})
