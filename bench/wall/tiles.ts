/**
 * Grid vector tiles (`GET /api/tiles/grids/{z}/{x}/{y}.pbf`), when the server has them: 200
 * distinct random tiles at z 10–15 over the district (the tile under a random point of the
 * district at a random zoom, so tiles fall where the city is), fetched one at a time by this
 * process as a browser would (`accept-encoding: gzip`, no ETag, so nothing answers from a cache).
 * The server renders every tile on request; five tiles at z 16 warm its connections first.
 */
import http from 'node:http'
import type { LngLat } from '@gezhi/geo'
import { seededRandom } from '../../server/src/seed/random.ts'
import { type Backend, benchCity, openCity } from '../lib/cities.ts'
import type { Target } from '../lib/load.ts'
import { startServer } from '../lib/server.ts'
import { percentile } from '../lib/stats.ts'
import { fmt } from '../lib/table.ts'
import { districtPoints } from '../locate/points.ts'
import { wallCity } from './city.ts'
import { type SummaryRow, tilesTable, verdict } from './report.ts'

export interface Tile { z: number; x: number; y: number }

/** The XYZ tile holding `[lng, lat]` (WGS-84) at zoom `z` (Web Mercator). */
export function tileAt([lng, lat]: LngLat, z: number): Tile {
  const n = 2 ** z
  const sin = Math.sin((lat * Math.PI) / 180)
  const x = Math.floor(((lng + 180) / 360) * n)
  const y = Math.floor((0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * n)
  return { z, x, y }
}

/** `count` distinct tiles at zooms `minZoom`…`maxZoom` under seeded random points of `points`. */
export function randomTiles(points: LngLat[], count: number, minZoom = 10, maxZoom = 15, seed = 7): Tile[] {
  const random = seededRandom(seed)
  const seen = new Map<string, Tile>()
  for (let attempt = 0; seen.size < count && attempt < count * 200; attempt++) {
    const z = minZoom + Math.floor(random() * (maxZoom - minZoom + 1))
    const t = tileAt(points[Math.floor(random() * points.length)]!, z)
    seen.set(`${t.z}/${t.x}/${t.y}`, t)
  }
  return [...seen.values()]
}

function getTile(target: Target, agent: http.Agent, t: Tile): Promise<{ status: number; bytes: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    http.get({ agent, host: target.host, port: target.port, path: `/api/tiles/grids/${t.z}/${t.x}/${t.y}.pbf`, headers: { 'accept-encoding': 'gzip' } }, (res) => {
      let bytes = 0
      res.on('data', (chunk: Buffer) => { bytes += chunk.length })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - t0 }))
    }).on('error', reject)
  })
}

/** Whether the server has the tile route (a 404 with ROUTE_NOT_FOUND-like answer means no). */
export async function hasTiles(target: Target, probe: Tile): Promise<boolean> {
  const agent = new http.Agent({ keepAlive: false })
  const { status } = await getTile(target, agent, probe)
  return status === 200 || status === 204
}

export interface TileTimes { n: number; p50: number; p95: number; max: number; meanKb: number; empty: number; failed: number; byZoom: string }

export async function timeTiles(target: Target, tiles: Tile[], warm: Tile[]): Promise<TileTimes> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  for (const t of warm) await getTile(target, agent, t)
  const ms: number[] = []
  let bytes = 0, empty = 0, failed = 0
  for (const t of tiles) {
    const r = await getTile(target, agent, t)
    if (r.status === 200 || r.status === 204) { ms.push(r.ms); bytes += r.bytes; if (r.status === 204) empty++ } else failed++
  }
  agent.destroy()
  const sorted = Float64Array.from(ms).sort()
  const zooms = new Map<number, number>()
  for (const t of tiles) zooms.set(t.z, (zooms.get(t.z) ?? 0) + 1)
  return {
    n: ms.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? Number.NaN,
    meanKb: bytes / Math.max(1, ms.length) / 1024, empty, failed,
    byZoom: [...zooms].sort((a, b) => a[0] - b[0]).map(([z, n]) => `z${z}:${n}`).join(' '),
  }
}

/**
 * Tiles on both backends at each scale, or why not: PostgreSQL serves the cached households city,
 * PGlite the routing-only one (same seed, same grids; tiles read only grids). The same tiles on both.
 */
export async function tilesSection(o: { adminUrl: string; scales: number[]; tiles: number }): Promise<{ rows: SummaryRow[]; details: string[] }> {
  const log = (line: string) => console.log(line)
  log('grid vector tiles')
  const rows: SummaryRow[] = []
  const table: Parameters<typeof tilesTable>[0] = []
  for (const scale of o.scales) {
    const pgCity = await openCity('postgres', wallCity(scale), { adminUrl: o.adminUrl, log })
    const points = await districtPoints(pgCity.db, 5000, 23)
    await pgCity.db.close()
    const sample = randomTiles(points, o.tiles)
    const warm = points.slice(0, 5).map((p) => tileAt(p, 16))
    for (const backend of ['postgres', 'pglite'] as Backend[]) {
      let source = pgCity.source
      if (backend === 'pglite') {
        const city = await openCity('pglite', benchCity(scale), { adminUrl: o.adminUrl, log })
        await city.db.close()
        source = city.source
      }
      const server = await startServer(source)
      try {
        if (!(await hasTiles(server.target, sample[0]!))) {
          table.push({ backend, scale, times: null, note: 'missing: no /api/tiles/grids/{z}/{x}/{y}.pbf on this server' })
          continue
        }
        log(`  ${backend}, scale ${scale}: ${sample.length} tiles…`)
        const times = await timeTiles(server.target, sample, warm)
        table.push({ backend, scale, times })
        rows.push({ figure: `vector tiles, ${backend}, scale ${scale}: p50 / p95 of ${fmt(times.n)} random tiles, z 10–15`, value: `${fmt(times.p50)} / ${fmt(times.p95)} ms`, target: 'p95 ≤ 25 ms', verdict: verdict(times.p95 <= 25) })
      } finally {
        await server.close()
      }
    }
  }
  return { rows, details: [`grid vector tiles, one request at a time, gzip accepted, no ETag\n${tilesTable(table)}`] }
}
