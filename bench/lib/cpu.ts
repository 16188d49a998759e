/**
 * CPU time spent during a measurement, in microseconds, from three places:
 * - `node`: the Node process doing the work (this one, or the HTTP server child, which reports
 *   its own `process.cpuUsage()`); with PGlite this includes the database, which runs inside it;
 * - `postgres`: the backends serving the benchmark's database (pids from pg_stat_activity, CPU
 *   from /proc/<pid>/stat; the server must be local), since their CPU is not visible to Node;
 * - `machine`: all cores together, from /proc/stat: everything, load generator included.
 * Off Linux the /proc figures are NaN and print as "–".
 */
import { readFileSync } from 'node:fs'

const TICK_US = 10_000 // USER_HZ is 100 on every Linux that matters: one tick = 10 ms

export interface CpuSpent { nodeUs: number; postgresUs: number; machineUs: number; wallMs: number }

type CpuUsage = ReturnType<typeof process.cpuUsage>

/** Busy time of all cores since boot (everything but idle and iowait). */
function machineBusyUs(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number)
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0)
    return (total - fields[3]! - fields[4]!) * TICK_US
  } catch {
    return Number.NaN
  }
}

/** utime + stime of each of `pids` still alive. */
function ticksOf(pids: number[]): Map<number, number> {
  const ticks = new Map<number, number>()
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks.set(pid, Number(after[11]) + Number(after[12])) // fields 14 and 15: utime, stime
    } catch { /* ended, or no /proc here */ }
  }
  return ticks
}

export interface CpuSources {
  /** The working Node process's CPU usage; defaults to this process. */
  node?: () => Promise<CpuUsage> | CpuUsage
  /** The PostgreSQL backend pids doing the work, if any. */
  postgresPids?: () => Promise<number[]>
}

/**
 * Starts measuring; the returned function stops and reports. A backend that exits during the
 * measurement takes its CPU with it; one that starts during it counts from zero.
 */
export async function startCpu({ node = () => process.cpuUsage(), postgresPids }: CpuSources = {}): Promise<() => Promise<CpuSpent>> {
  const node0 = await node()
  const pg0 = postgresPids ? ticksOf(await postgresPids()) : new Map<number, number>()
  const machine0 = machineBusyUs()
  const wall0 = performance.now()
  return async () => {
    const wallMs = performance.now() - wall0
    const machineUs = machineBusyUs() - machine0
    let postgresUs = Number.NaN
    if (postgresPids) {
      const pg1 = ticksOf(await postgresPids())
      postgresUs = pg1.size ? 0 : Number.NaN
      for (const [pid, t] of pg1) postgresUs += (t - (pg0.get(pid) ?? 0)) * TICK_US
    }
    const node1 = await node()
    return { nodeUs: node1.user + node1.system - node0.user - node0.system, postgresUs, machineUs, wallMs }
  }
}

/** How busy the whole machine is, in cores, over the next `ms` milliseconds. */
export async function machineBusyShare(ms: number): Promise<number> {
  const stop = await startCpu()
  await new Promise((resolve) => setTimeout(resolve, ms))
  const spent = await stop()
  return spent.machineUs / (spent.wallMs * 1000)
}
