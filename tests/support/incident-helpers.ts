import type { Incident, IncidentEvent, LngLat, ReportBody } from '@gezhi/geo'
import type { App } from '../../server/src/app.ts'
import { DEMO_PASSWORD } from '../../server/src/seed/demo-users.ts'
import { onePixelPng } from '../../server/src/simulate/tiny-png.ts'
import { testDb } from './test-db.ts'

/**
 * Waits until every event of these cases has its stream seq. The live publisher stamps a case's
 * row when it numbers the case's events, and a deadline sweep skips a row another transaction
 * holds (SKIP LOCKED): a test that sweeps a case waits for this first, or the sweep may miss it.
 */
export async function eventsNumbered(ids: number[]): Promise<void> {
  const db = await testDb()
  for (let tries = 0; ; tries++) {
    const [left] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM incident_events WHERE incident_id = ANY ($1::int[]) AND seq IS NULL', [ids])
    if (left!.n === 0) return
    if (tries > 400) throw new Error(`the live publisher did not number the events of cases ${ids.join(', ')}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** Signs in a demo account and returns its bearer header. */
export async function signIn(app: App, username: string): Promise<Record<string, string>> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } })
  if (res.statusCode !== 200) throw new Error(`cannot sign in ${username}: ${res.body}`)
  return { authorization: `Bearer ${res.json().token}` }
}

/** A point well inside the first micro-grid of the demo user `micro` (the label point of its grid). */
export async function pointInGridOf(username: string): Promise<LngLat> {
  const db = await testDb()
  const [row] = await db.query<{ lng: number; lat: number }>(`
    SELECT ST_X(b.label_point) AS lng, ST_Y(b.label_point) AS lat
      FROM users u JOIN grids g ON g.id = u.grid_id
      JOIN LATERAL (SELECT id FROM grids l WHERE l.path @> ARRAY[g.id] AND NOT EXISTS (SELECT 1 FROM grids c WHERE c.parent_id = l.id) ORDER BY l.code LIMIT 1) leaf ON true
      JOIN grid_boundaries b ON b.grid_id = leaf.id AND b.generation_to IS NULL
     WHERE u.username = $1`, [username])
  return [row!.lng, row!.lat]
}

let counter = 0
/** A report body at `position`; a unique description so tests never collide on duplicates. */
export function reportBody(position: LngLat, overrides: Partial<ReportBody> = {}): ReportBody {
  return {
    source: 'resident',
    category: 'E0102',
    description: `测试案件 ${process.pid}-${Date.now()}-${++counter}: 垃圾桶旁堆放生活垃圾`,
    location: { lng: position[0], lat: position[1] },
    ...overrides,
  }
}

export async function report(app: App, body: ReportBody, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'POST', url: '/api/incidents', payload: body, headers })
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`report failed ${res.statusCode}: ${res.body}`)
  return res.json() as { created: boolean; incident: Incident; trackingToken: string; similar: unknown[] }
}

/** Takes a step and returns the raw response (status and body), so tests can assert refusals too. */
export async function step(app: App, id: number, name: string, headers: Record<string, string>, body: Record<string, unknown> = {}) {
  const res = await app.inject({ method: 'POST', url: `/api/incidents/${id}/steps/${name}`, payload: body, headers })
  return { status: res.statusCode, body: res.json() as { incident: Incident; event: IncidentEvent } & { code: string; message: string } }
}

/** Like `step`, but fails the test unless the step succeeds. */
export async function must(app: App, id: number, name: string, headers: Record<string, string>, body: Record<string, unknown> = {}) {
  const res = await step(app, id, name, headers, body)
  if (res.status !== 200) throw new Error(`${name} on ${id} → ${res.status}: ${JSON.stringify(res.body)}`)
  return res.body
}

/** A tiny valid PNG (1×1); a different `seed` (0–255) gives different bytes, hence a different stored photo. */
export const tinyPng = (seed = 0): Buffer => onePixelPng(seed, 80, 120)

/** A multipart/form-data payload with a JSON `data` field and image files. */
export function multipart(data: unknown, files: Array<{ field: string; name: string; bytes: Buffer; type?: string }>) {
  const boundary = `----gezhi${Math.random().toString(16).slice(2)}`
  const parts: Buffer[] = [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="data"\r\n\r\n${JSON.stringify(data)}\r\n`)]
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'image/png'}\r\n\r\n`), f.bytes, Buffer.from('\r\n'))
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

/** Takes a step with photos as multipart. */
export async function stepWithPhotos(app: App, id: number, name: string, headers: Record<string, string>, body: Record<string, unknown>, files: Array<{ field: string; name: string; bytes: Buffer }>) {
  const form = multipart(body, files)
  const res = await app.inject({ method: 'POST', url: `/api/incidents/${id}/steps/${name}`, payload: form.payload, headers: { ...headers, ...form.headers } })
  return { status: res.statusCode, body: res.json() }
}
