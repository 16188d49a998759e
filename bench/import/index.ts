/**
 * `npm run bench -- import [rows…]` (default 1000): imports a hotline CSV of that many rows into
 * the embedded test city and prints the wall time, the time per row, where the time went (per
 * SQL statement) and the time of re-importing the same file. Rows are spread over every leaf
 * grid and six categories. Needs the cached test city: run the embedded tests once first.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { buildApp } from '../../server/src/app.ts'
import type { Db, NamedQuery, Queryable } from '../../server/src/db/db.ts'
import { openPglite } from '../../server/src/db/pglite.ts'
import { DEMO_PASSWORD } from '../../server/src/seed/demo-users.ts'
import { cityDumpPath, ROOT } from '../../tests/support/city-cache.ts'

type Stat = { n: number; ms: number }

/** The same database, timing every statement by its name (or its first words). */
function timed(db: Db, stats: Map<string, Stat>): Db {
  const note = (key: string, started: number) => {
    const s = stats.get(key) ?? { n: 0, ms: 0 }
    s.n++
    s.ms += performance.now() - started
    stats.set(key, s)
  }
  const wrap = (q: Queryable): Queryable => ({
    async query<R>(query: NamedQuery | string, params?: readonly unknown[]) {
      const started = performance.now()
      try {
        return await q.query<R>(query, params)
      } finally {
        note(typeof query === 'string' ? query.trim().slice(0, 40) : query.name, started)
      }
    },
    exec: (text: string) => q.exec(text),
  })
  return {
    ...db, ...wrap(db),
    transaction: async (fn) => {
      const started = performance.now()
      try {
        return await db.transaction((tx) => fn(wrap(tx)))
      } finally {
        note('(whole transactions)', started)
      }
    },
  }
}

function hotlineCsv(run: string, rows: number, points: Array<{ lng: number; lat: number }>): string {
  const categories = ['E0102', 'E0104', 'E0106', 'E0201', 'E0107', 'C0101']
  const beijing = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
  const lines = ['工单编号,受理时间,分类编码,诉求内容,经度,纬度,坐标系,地址,来电人,联系电话']
  for (let i = 0; i < rows; i++) {
    const p = points[(i * 7919) % points.length]!
    lines.push(`${run}-${i},${beijing(new Date(Date.now() - (rows - i) * 60_000))},${categories[i % categories.length]},市民来电反映第${i}号问题，请尽快处理,${p.lng.toFixed(7)},${p.lat.toFixed(7)},wgs84,某路${i}号,王先生,13800000000`)
  }
  return lines.join('\n')
}

export async function main(args: string[]) {
  const sizes = args.length ? args.map(Number) : [1000]
  const dump = cityDumpPath()
  if (!existsSync(dump)) throw new Error(`no cached test city at ${dump}: run \`npx vitest run --project embedded tests/server/import.test.ts\` once first`)
  const stats = new Map<string, Stat>()
  const raw = await openPglite({ loadDataDir: new Blob([readFileSync(dump)]) })
  const app = await buildApp({ config: { clientDir: path.join(ROOT, 'client/dist'), logLevel: 'silent', dataDir: mkdtempSync(path.join(tmpdir(), 'gezhi-bench-')) }, db: timed(raw, stats), logger: false })
  await app.ready()
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'commander', password: DEMO_PASSWORD } })
  const headers = { authorization: `Bearer ${login.json().token}`, 'content-type': 'text/csv' }
  const points = await raw.query<{ lng: number; lat: number }>(`
    SELECT ST_X(b.label_point) AS lng, ST_Y(b.label_point) AS lat FROM grid_boundaries b JOIN grids g ON g.id = b.grid_id
     WHERE b.generation_to IS NULL AND NOT EXISTS (SELECT 1 FROM grids c WHERE c.parent_id = g.id) ORDER BY g.id`)

  for (const rows of sizes) {
    const body = hotlineCsv(`B${Date.now().toString(36)}`, rows, points)
    stats.clear()
    let started = performance.now()
    const first = await app.inject({ method: 'POST', url: '/api/incidents/import', payload: body, headers })
    const ms = performance.now() - started
    const a = first.json()
    console.log(`\n${rows} rows (${(Buffer.byteLength(body) / 1024).toFixed(0)} KB) on PGlite: ${first.statusCode}, imported ${a.imported}, existing ${a.existing}, rejected ${a.rejected} in ${(ms / 1000).toFixed(1)} s = ${(ms / rows).toFixed(1)} ms/row`)
    console.log('  statement                                   calls   total  per call')
    for (const [key, s] of [...stats].sort((x, y) => y[1].ms - x[1].ms).slice(0, 16)) {
      console.log(`  ${key.padEnd(42)} ${String(s.n).padStart(6)} ${(s.ms / 1000).toFixed(1).padStart(6)} s ${(s.ms / s.n).toFixed(2).padStart(6)} ms`)
    }
    started = performance.now()
    const again = (await app.inject({ method: 'POST', url: '/api/incidents/import', payload: body, headers })).json()
    console.log(`  re-import of the same file: existing ${again.existing} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
  await app.close()
  await raw.close()
}
