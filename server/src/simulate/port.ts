import type { Incident, IncidentStep, LngLat, ReportBody, StepBody } from '@gezhi/geo'

/** On whose behalf the simulator acts. Streets and departments map to the simulator's own accounts. */
export type Who =
  | { as: 'public' }
  | { as: 'admin' }
  | { as: 'commander' }
  | { as: 'street'; streetId: number }
  | { as: 'department'; departmentId: number }

export interface Photo {
  field: 'photos' | 'before' | 'after' | 'reply'
  bytes: Buffer
}

/**
 * What a simulated case needs from Gezhi. Two implementations: over HTTP (the live stream, the
 * same requests a phone or the wall sends) and in-process over the service layer with a
 * simulated clock (the backfill of history). Failures throw SimError.
 */
export interface Port {
  report(who: Who, body: ReportBody, photos: Photo[]): Promise<{ incident: Incident; trackingToken: string }>
  similar(position: LngLat, category: string): Promise<Array<{ id: number }>>
  join(id: number, body: { source: 'resident'; reporter?: { name?: string; phone?: string }; note?: string }): Promise<{ trackingToken: string }>
  step(who: Who, id: number, step: IncidentStep, input: StepBody, photos?: Photo[]): Promise<Incident>
  /** The reporter rates a closed case with its tracking token. */
  evaluate(trackingToken: string, rating: number, note?: string): Promise<Incident>
  /** The case as the command centre sees it. */
  view(id: number): Promise<Incident>
}

/** A refused or failed call: `status` 0 when the server did not answer at all. */
export class SimError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message)
    this.name = 'SimError'
  }
}

/** Worth trying again later: the server did not answer, or failed on its side. */
export const isTransient = (error: unknown) => error instanceof SimError && (error.status === 0 || error.status >= 500) && error.code !== 'STOPPED'

/** What a run did, for logs and tests. */
export interface SimStats {
  /** Cases this run created, in order. */
  created: number[]
  /** Cases of earlier runs this run picked up again. */
  adopted: number[]
  joined: number
  steps: Record<string, number>
  /** Refused or failed calls, by HTTP status (0 = no answer). */
  failures: Record<string, number>
  /** Answers with a 5xx status: each one is a server bug or outage. */
  serverErrors: number
}

export const emptyStats = (): SimStats => ({ created: [], adopted: [], joined: 0, steps: {}, failures: {}, serverErrors: 0 })

/** One line: what a run did. */
export function describeStats(s: SimStats): string {
  const steps = Object.values(s.steps).reduce((a, b) => a + b, 0)
  const failures = Object.entries(s.failures).map(([status, n]) => `${n}× ${status === '0' ? 'no answer' : status}`).join(', ') || 'none'
  return `${s.created.length} cases reported, ${s.joined} joined, ${s.adopted.length} carried on, ${steps} steps; failures: ${failures}`
}
