/**
 * The 1,000,000-household city (scale 7, about 1,050,000 households and 17,500 micro-grids) on
 * PostgreSQL, read only: the household points on the wire and decoded in the page, and whether
 * the wall with `layers=households` stays responsive.
 */
import type { Browser } from 'playwright-core'
import { openCity } from '../lib/cities.ts'
import { startServer } from '../lib/server.ts'
import { fmt } from '../lib/table.ts'
import { wallCity } from './city.ts'
import { blockRow } from './demo.ts'
import { decodeInPage, pointsOnTheWire } from './households.ts'
import { openWall, panAndZoom, signIn } from './page.ts'
import { mb, ms, type SummaryRow, verdict } from './report.ts'

const log = (line: string) => console.log(line)

export async function bigCity(browser: Browser, o: { adminUrl: string; quick: boolean }, clientDir: string): Promise<{ rows: SummaryRow[]; details: string[] }> {
  log('1,000,000-household city (scale 7) on PostgreSQL')
  const rows: SummaryRow[] = []
  const details: string[] = []
  const city = await openCity('postgres', wallCity(7), { adminUrl: o.adminUrl, log })
  const counts = city.seedTime?.counts
  await city.db.close()
  const server = await startServer(city.source, undefined, { clientDir })
  const base = `http://127.0.0.1:${server.target.port}`
  try {
    const session = (await signIn(base)) as { token: string }
    const wire = await pointsOnTheWire(server.target, session.token)
    const label = `scale 7 (${fmt(counts?.households ?? Number.NaN)} households, ${fmt(counts?.micro_grids ?? Number.NaN)} micro-grids)`
    rows.push({ figure: `${label}: /api/households/points, raw`, value: mb(wire.rawBytes), target: '≤ 10 MB', verdict: verdict(wire.rawBytes <= 10e6) })
    rows.push({ figure: `… as a browser gets it (content-encoding: ${wire.encoding}; server and wire ${fmt(wire.ms)} ms)`, value: mb(wire.sentBytes), target: '≤ 10 MB', verdict: verdict(wire.sentBytes <= 10e6) })

    log('  first render of /wall?layers=households…')
    const page = await openWall(browser, base, '/wall?layers=households&kiosk=1', { session, timeoutMs: 300_000 })
    const r = page.firstRender
    rows.push({ figure: `${label}: /wall layers=households: data-ready`, value: ms(r.readyMs), target: 'navigation start →', verdict: '–' })
    rows.push({ figure: '… full render (households drawn, map idle)', value: ms(r.fullMs), target: 'navigation start →', verdict: '–' })
    rows.push({
      figure: `… points in the page: ${mb(r.households.decodedBodySize)} (${mb(r.households.transferSize)} transferred) in ${fmt(r.households.durationMs)} ms; then to drawn`,
      value: ms(r.fullMs - r.households.responseEnd), target: '', verdict: '–',
    })
    rows.push(blockRow('… longest block from the points\' arrival to drawn', await page.blocks(r.households.responseEnd, r.fullMs + 1)))
    rows.push(blockRow('… longest block, whole load', r.blocks))
    const decode = await decodeInPage(page)
    rows.push({ figure: `… decodeHouseholdPoints on the ArrayBuffer in the page (${fmt(decode.count)} points, median of 5)`, value: ms(decode.decodeMs), target: '≤ 300 ms', verdict: verdict(decode.decodeMs <= 300) })
    rows.push({ figure: '… decode and compact the party-member households (all setHouseholds does before deck.gl)', value: ms(decode.decodeAndPartyMs), target: '≤ 300 ms', verdict: verdict(decode.decodeAndPartyMs <= 300) })
    if (!o.quick) {
      log('  pan and zoom…')
      const window = await panAndZoom(page)
      rows.push(blockRow(`… longest block, pan and zoom (${fmt((window.to - window.from) / 1000)} s)`, await page.blocks(window.from, window.to)))
    }
    if (page.errors.length) details.push(`console errors on the scale-7 wall: ${page.errors.slice(0, 5).map((e) => e.split('\n')[0]).join(' | ')}`)
    await page.close()
  } finally {
    await server.close()
  }
  return { rows, details }
}
