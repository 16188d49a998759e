/**
 * Where a server's CPU went, from a V8 CPU profile: each sample is charged to the first frame on
 * its stack (from the top) that belongs to a known package or server folder, so time spent in
 * Node's own code (sockets, streams, http) counts for whoever called it — a WebSocket write for
 * ws, an HTTP response for Fastify.
 */
import { renderTable } from '../lib/table.ts'

interface ProfileNode { id: number; callFrame: { functionName: string; url: string }; children?: number[] }
export interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** First match wins; tested against a frame's URL (file path). */
const AREAS: Array<[string, RegExp]> = [
  ['live layer (server/src/live)', /\/server\/src\/live\//],
  ['incidents module', /\/server\/src\/modules\/incidents\//],
  ['other server code', /\/server\/src\//],
  ['@gezhi/geo', /\/geo\/src\//],
  ['socket.io + adapter + parser', /\/node_modules\/(socket\.io|socket\.io-adapter|socket\.io-parser|@socket\.io\/)[^/]*\//],
  ['engine.io', /\/node_modules\/engine\.io\//],
  ['ws', /\/node_modules\/ws\//],
  ['redis client', /\/node_modules\/(@redis|redis)\//],
  ['pg client', /\/node_modules\/(pg|pg-protocol|pg-pool|pg-types)\//],
  ['fastify (+ plugins, schemas)', /\/node_modules\/(fastify|@fastify|find-my-way|avvio|fast-json-stringify|light-my-request|fast-jwt|secure-json-parse|fast-querystring)[^/]*\//],
  ['typebox', /\/node_modules\/typebox\//],
  ['tsx loader', /\/node_modules\/(tsx|esbuild)\//],
  ['other packages', /\/node_modules\//],
]

export function cpuAreas(profile: CpuProfile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const areaOf = new Map<number, string>()
  const resolve = (id: number): string => {
    const known = areaOf.get(id)
    if (known) return known
    const { functionName, url } = byId.get(id)!.callFrame
    let area: string | undefined
    if (functionName === '(garbage collector)') area = 'garbage collector'
    else if (functionName === '(idle)') area = 'idle'
    else if (functionName === '(program)') area = 'V8/Node native (program)'
    else if (url) area = AREAS.find(([, re]) => re.test(url))?.[0]
    if (!area) {
      const up = parent.get(id)
      area = up === undefined || byId.get(up)!.callFrame.functionName === '(root)' ? 'Node internals (I/O callbacks)' : resolve(up)
    }
    areaOf.set(id, area)
    return area
  }
  const totals = new Map<string, number>()
  profile.samples.forEach((id, k) => {
    const area = resolve(id)
    totals.set(area, (totals.get(area) ?? 0) + (profile.timeDeltas[k] ?? 0))
  })
  return totals
}

/** Busy time by area, in ms and as a share of busy time (idle left out), and µs per delivery. */
export function areasTable(totals: Map<string, number>, deliveries: number, cases: number): string {
  const busy = [...totals].filter(([area]) => area !== 'idle')
  const all = busy.reduce((a, [, us]) => a + us, 0)
  const rows = busy.sort((a, b) => b[1] - a[1]).map(([area, us]) => [
    area, (us / 1000).toFixed(0), `${((us / all) * 100).toFixed(1)} %`, (us / deliveries).toFixed(2), (us / cases).toFixed(0),
  ])
  rows.push(['all (main thread, sampled)', (all / 1000).toFixed(0), '100 %', (all / deliveries).toFixed(2), (all / cases).toFixed(0)])
  return renderTable(['area', 'ms', 'share', 'µs/delivery', 'µs/case'], rows, ['l', 'r', 'r', 'r', 'r'])
}
