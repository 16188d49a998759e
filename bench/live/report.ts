/** The live benchmark's tables: results with ratios to the bare baseline, targets, and where the CPU went. */
import { factor, fmt, renderTable } from '../lib/table.ts'
import type { Measured } from './measure.ts'

const perDelivery = (m: Measured) => m.cpu.serverUs / m.deliveries
const cases = (m: Measured) => m.cases
const kb = (bytes: number) => fmt(bytes / 1024)
const ms = (v: number) => fmt(v)

/** The measured setups in pairs (Gezhi, then its bare baseline), each pair followed by its ratios. */
export function resultsTable(pairs: Array<[Measured, Measured | undefined]>): string {
  const row = (m: Measured) => [
    m.label, fmt(m.screens), fmt(m.rate), ms(m.latency.p50), ms(m.latency.p99), ms(m.latency.max), fmt(m.judged.lost), fmt(m.judged.duplicates),
    fmt(m.deliveriesPerS), fmt(perDelivery(m)), kb(m.heapPerSocket), kb(m.rssPerSocket), ms(m.loop.p99), ms(m.loop.max),
  ]
  const ratio = (a: Measured, b: Measured) => [
    '  ratio Gezhi ÷ bare', '', '', factor(a.latency.p50 / b.latency.p50), factor(a.latency.p99 / b.latency.p99), factor(a.latency.max / b.latency.max), '', '',
    factor(a.deliveriesPerS / b.deliveriesPerS), factor(perDelivery(a) / perDelivery(b)), factor(a.heapPerSocket / b.heapPerSocket),
    factor(a.rssPerSocket / b.rssPerSocket), factor(a.loop.p99 / b.loop.p99), factor(a.loop.max / b.loop.max),
  ]
  const rows = pairs.flatMap(([real, bare]) => bare ? [row(real), row(bare), ratio(real, bare)] : [row(real)])
  return renderTable(
    ['setup', 'screens', 'cases/s', 'p50 ms', 'p99 ms', 'max ms', 'lost', 'dup', 'deliveries/s', 'server CPU µs/delivery', 'heap KB/idle socket', 'RSS KB/idle socket', 'loop delay p99 ms', 'loop max ms'],
    rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  )
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS')

export function targetsTable(pairs: Array<[Measured, Measured | undefined]>): string {
  const header = ['target', ...pairs.map(([real]) => real.label)]
  const line = (name: string, cell: (real: Measured, bare: Measured | undefined) => string) => [name, ...pairs.map(([real, bare]) => cell(real, bare))]
  return renderTable(header, [
    line('p99 latency ≤ 100 ms', (r) => `${ms(r.latency.p99)} ms ${verdict(r.latency.p99 <= 100)}`),
    line('events lost = 0', (r) => `${fmt(r.judged.lost)} of ${fmt(r.judged.expected)} ${verdict(r.judged.lost === 0)}`),
    line('no duplicates, none out of order', (r) => `${fmt(r.judged.duplicates)} dup, ${fmt(r.judged.outOfOrder)} out of order ${verdict(r.judged.duplicates === 0 && r.judged.outOfOrder === 0)}`),
    line('CPU/delivery ≤ 1.2× bare', (r, b) => b ? `${fmt(perDelivery(r))} µs = ${factor(perDelivery(r) / perDelivery(b))} ${verdict(perDelivery(r) <= 1.2 * perDelivery(b))}` : '–'),
    line('heap ≤ 10 KB per idle socket', (r) => `${kb(r.heapPerSocket)} KB ${verdict(r.heapPerSocket <= 10 * 1024)}`),
  ], ['l', ...pairs.map(() => 'r' as const)])
}

/** Where the CPU went, in cores (CPU time ÷ wall time of the window), and what the report generator saw. */
export function costTable(all: Measured[], cores: number): string {
  const c = (us: number, m: Measured) => fmt(us / (m.cpu.wallMs * 1000))
  return renderTable(
    ['setup', 'server cores', 'server loop busy', 'pg cores', 'redis cores', 'bench cores', `machine cores (of ${cores})`, 'server µs/case', 'pg µs/case',
      'pool wait p99/max ms', 'deltas', 'figures', 'reports ok/failed/dropped', 'POST p50/p99 ms', 'early', 'disconnects'],
    all.map((m) => [
      m.label, c(m.cpu.serverUs, m), `${fmt(m.elu * 100)} %`, c(m.cpu.postgresUs, m), c(m.cpu.redisUs, m), c(m.cpu.benchUs, m), c(m.cpu.machineUs, m),
      fmt(m.cpu.serverUs / cases(m)), fmt(m.cpu.postgresUs / cases(m)),
      m.poolWait.count ? `${ms(m.poolWait.p99)}/${ms(m.poolWait.max)}` : '–',
      `${fmt(m.judged.created)} + ${fmt(m.judged.updated + m.judged.overdue)}`, fmt(m.figures),
      m.reports ? `${fmt(m.reports.ok)}/${fmt(m.reports.failed)}/${fmt(m.reports.dropped)}` : '–',
      m.reports ? `${ms(m.reports.p50)}/${ms(m.reports.p99)}` : '–',
      `${fmt(m.latency.early * 100)} %`, fmt(m.judged.disconnected),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  )
}
