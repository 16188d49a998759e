/**
 * The household points on the wire and in the page: `GET /api/households/points` fetched raw from
 * this process (once without and once with `accept-encoding: gzip, deflate, br`, as a browser
 * asks) to see the bytes as sent; and in the page, the same answer decoded by
 * `decodeHouseholdPoints` from @gezhi/geo into the typed arrays deck.gl uploads as they are.
 */
import http from 'node:http'
import { decodeHouseholdPoints } from '@gezhi/geo'
import type { Target } from '../lib/load.ts'
import type { WallSession } from './page.ts'

export interface OnTheWire { rawBytes: number; sentBytes: number; encoding: string; ms: number }

/** One GET of the points with `acceptEncoding`; counts the bytes as they arrive (not decompressed). */
export function fetchPoints(target: Target, token: string, acceptEncoding: string | null): Promise<OnTheWire> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const headers: Record<string, string> = { authorization: `Bearer ${token}` }
    if (acceptEncoding) headers['accept-encoding'] = acceptEncoding
    http.get({ host: target.host, port: target.port, path: '/api/households/points', headers }, (res) => {
      let bytes = 0
      res.on('data', (chunk: Buffer) => { bytes += chunk.length })
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`households points: ${res.statusCode}`))
        resolve({ rawBytes: Number.NaN, sentBytes: bytes, encoding: String(res.headers['content-encoding'] ?? 'identity'), ms: performance.now() - t0 })
      })
    }).on('error', reject)
  })
}

/** Raw size (no encoding asked) and what a browser's request gets. */
export async function pointsOnTheWire(target: Target, token: string): Promise<OnTheWire> {
  const raw = await fetchPoints(target, token, null)
  const browserLike = await fetchPoints(target, token, 'gzip, deflate, br')
  return { ...browserLike, rawBytes: raw.sentBytes }
}

export interface DecodeTiming { count: number; bytes: number; fetchMs: number; decodeMs: number; decodeAndPartyMs: number }

/**
 * In the page: fetches the points as the wall does (its session's token), then decodes the
 * ArrayBuffer five times with `decodeHouseholdPoints` (the function itself, its source passed in)
 * and, the wall's next step in `setHouseholds`, compacts the party-member central households
 * (flags bit 0) into their own Float32Array. Medians, ms.
 */
export async function decodeInPage(wall: WallSession): Promise<DecodeTiming> {
  const script = `(async () => {
    const decode = (0, eval)('(' + ${JSON.stringify(decodeHouseholdPoints.toString())} + ')');
    const token = JSON.parse(localStorage.getItem('gezhi.session')).token;
    const t0 = performance.now();
    const buffer = await (await fetch('/api/households/points', { headers: { authorization: 'Bearer ' + token } })).arrayBuffer();
    const fetchMs = performance.now() - t0;
    const decodeTimes = [], bothTimes = [];
    let count = 0;
    for (let k = 0; k < 5; k++) {
      let t = performance.now();
      const points = decode(buffer);
      decodeTimes.push(performance.now() - t);
      t = performance.now();
      const again = decode(buffer);
      let n = 0;
      for (let i = 0; i < again.count; i++) if (again.flags[i] & 1) n++;
      const party = new Float32Array(n * 2);
      for (let i = 0, j = 0; i < again.count; i++) if (again.flags[i] & 1) { party[j++] = again.positions[2 * i]; party[j++] = again.positions[2 * i + 1]; }
      bothTimes.push(performance.now() - t);
      count = points.count;
    }
    const median = (a) => a.sort((x, y) => x - y)[2];
    return { count, bytes: buffer.byteLength, fetchMs, decodeMs: median(decodeTimes), decodeAndPartyMs: median(bothTimes) };
  })()`
  return wall.page.evaluate(script) as Promise<DecodeTiming>
}
