/**
 * One wall page in headless Chromium (tests/support/browser.ts: software WebGL through SwiftShader),
 * 1920×1080, in a fresh browser context (empty HTTP cache), signed in as the demo commander the way
 * the login page would leave it (the session in localStorage 'gezhi.session', put there by an init
 * script so that the first navigation is the wall itself). The probe (probe.ts) is installed before
 * the page's scripts; a CDP session gives metrics, heap, garbage collection and the CPU profiler.
 */
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core'
import { DEMO_PASSWORD } from '../../server/src/seed/demo-users.ts'
import { type Blocks, blocksBetween, PROBE_SCRIPT, type ProbeState, READ_PROBE } from './probe.ts'

/** No WebGL draw for this long after the data arrived: the map is idle. */
const QUIET_MS = 1500

export interface FirstRender {
  /** Navigation start → `data-ready="true"` (grids loaded, map idle once, cases drawn). */
  readyMs: number
  /** Navigation start → the last draw before the map went quiet with households loaded. */
  fullMs: number
  households: NonNullable<ProbeState['households']>
  /** Long tasks and frame gaps from navigation start to quiet. */
  blocks: Blocks
}

export interface WallSession {
  page: Page
  cdp: CDPSession
  context: BrowserContext
  /** Console errors and uncaught exceptions so far. */
  errors: string[]
  /** Socket.IO case events (incident:*) received by the page so far. */
  deltasReceived(): number
  firstRender: FirstRender
  /** Page-clock now (ms since navigation start). */
  now(): Promise<number>
  blocks(from: number, to: number): Promise<Blocks>
  /** Starts or stops the probe's frame loop (it keeps the renderer producing frames). */
  frameProbe(on: boolean): Promise<void>
  /** Waits until no WebGL draw for QUIET_MS; returns the time of the last draw. */
  quiet(timeoutMs?: number): Promise<number>
  /** Renderer main-thread busy time so far (CDP Performance.getMetrics TaskDuration), ms; script share too. */
  busyMs(): Promise<{ task: number; script: number }>
  /** JS heap after a forced full garbage collection, bytes (CDP Runtime.getHeapUsage). */
  heapAfterGc(): Promise<number>
  close(): Promise<void>
}

export async function signIn(base: string, username = 'commander'): Promise<unknown> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) })
  if (!res.ok) throw new Error(`cannot sign in ${username}: ${res.status} ${await res.text()}`)
  return res.json()
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Opens `base + path` (e.g. `/wall?layers=cases&kiosk=1`) and waits for the first full render:
 * `data-ready="true"`, the households points loaded, and then no WebGL draw for 1.5 s.
 * `beforeNavigation` runs once the page and its CDP session exist (e.g. to start a trace).
 */
export async function openWall(browser: Browser, base: string, path: string, options: { session: unknown; timeoutMs?: number; beforeNavigation?: (page: Page) => Promise<void> }): Promise<WallSession> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } })
  await context.addInitScript({ content: `try { localStorage.setItem('gezhi.session', ${JSON.stringify(JSON.stringify(options.session))}) } catch (e) {}` })
  await context.addInitScript({ content: PROBE_SCRIPT })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
  page.on('pageerror', (e) => errors.push(e.message))
  let deltas = 0
  page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => { if (typeof payload === 'string' && payload.startsWith('42["incident:')) deltas++ }))
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable')
  await options.beforeNavigation?.(page)

  const read = () => page.evaluate(READ_PROBE) as Promise<ProbeState>
  async function quiet(timeoutMs = 120_000, until: (s: ProbeState) => boolean = () => true): Promise<number> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const s = await read()
      if (until(s) && s.now - s.lastDraw >= QUIET_MS) return s.lastDraw
      if (Date.now() > deadline) throw new Error(`the wall did not settle within ${timeoutMs / 1000} s (ready: ${s.readyAt}, households: ${s.households ? 'yes' : 'no'}, errors: ${errors.slice(0, 3).join(' | ')})`)
      await sleep(200)
    }
  }
  const blocks = (from: number, to: number) => page.evaluate(blocksBetween(from, to)) as Promise<Blocks>

  await page.goto(`${base}${path}`, { waitUntil: 'commit' })
  const fullMs = await quiet(options.timeoutMs ?? 180_000, (s) => s.readyAt !== null && s.households !== null && s.lastDraw > s.households.responseEnd)
  const state = await read()
  const firstRender: FirstRender = { readyMs: state.readyAt!, fullMs, households: state.households!, blocks: await blocks(0, state.now) }

  return {
    page, cdp, context, errors, firstRender,
    deltasReceived: () => deltas,
    now: () => page.evaluate('performance.now()') as Promise<number>,
    blocks,
    frameProbe: async (on) => { await page.evaluate(`window.__wallProbe.setRaf(${on})`) },
    quiet: (timeoutMs) => quiet(timeoutMs),
    async busyMs() {
      const { metrics } = await cdp.send('Performance.getMetrics')
      const get = (name: string) => (metrics.find((m) => m.name === name)?.value ?? Number.NaN) * 1000
      return { task: get('TaskDuration'), script: get('ScriptDuration') }
    },
    async heapAfterGc() {
      await cdp.send('HeapProfiler.collectGarbage')
      await cdp.send('HeapProfiler.collectGarbage')
      return (await cdp.send('Runtime.getHeapUsage')).usedSize
    },
    close: () => context.close(),
  }
}

/**
 * Pans and zooms the map with the mouse as an operator would: three wheel steps in towards the
 * centre, a drag across, three steps out, then waits for the map to settle. Returns the
 * page-clock window it covered. (Few steps: with software WebGL a frame can take seconds.)
 */
export async function panAndZoom(wall: WallSession): Promise<{ from: number; to: number }> {
  const { page } = wall
  const box = (await page.locator('[data-testid="wall-map"]').boundingBox())!
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2
  const from = await wall.now()
  await page.mouse.move(cx, cy)
  for (let i = 0; i < 3; i++) { await page.mouse.wheel(0, -300); await sleep(350) }
  await page.mouse.down()
  for (let i = 1; i <= 12; i++) { await page.mouse.move(cx - i * 25, cy - i * 10); await sleep(30) }
  await page.mouse.up()
  await sleep(400)
  for (let i = 0; i < 3; i++) { await page.mouse.wheel(0, 300); await sleep(350) }
  await wall.quiet(300_000)
  return { from, to: await wall.now() }
}
