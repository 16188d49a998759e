import { isOpenState } from '../incident/workflow.ts'
import type { IncidentDelta, IncidentSummary, Snapshot } from '../protocol/socket.ts'

/**
 * Whether a fresh snapshot taken now would hold the case: open, or closed since `dayStart` (the
 * server's `live_snapshot` rule). Rejected and voided cases carry no close time, so they are not.
 */
export const inSnapshotOf = (c: IncidentSummary, dayStart: Date) =>
  isOpenState(c.state) || (c.closedAt !== null && Date.parse(c.closedAt) >= dayStart.getTime())

/**
 * What a live client knows: the cases of its scope, and the stream position it has applied.
 * Applying is idempotent: a delta at or before `seq` is ignored, and every delta carries the
 * case as it stands, so a case is simply replaced — the store converges on the server's state
 * whatever was dropped, repeated or replayed on the way.
 */
export class CaseStore {
  readonly cases = new Map<number, IncidentSummary>()
  /** The greatest stream seq applied; null before the first snapshot. */
  seq: number | null = null
  private listeners = new Set<(changed: IncidentSummary[], delta: IncidentDelta | null) => void>()

  applySnapshot(snapshot: Snapshot): void {
    this.cases.clear()
    for (const incident of snapshot.incidents) this.cases.set(incident.id, incident)
    this.seq = snapshot.seq
    this.emit([...this.cases.values()], null)
  }

  /** Applies a delta newer than what the store has; returns whether it did. */
  applyDelta(delta: IncidentDelta): boolean {
    if (this.seq === null || delta.seq <= this.seq) return false
    this.seq = delta.seq
    const known = this.cases.get(delta.incident.id)
    // Replays carry the case as it is now, so an older delta may follow a newer state: keep the newer.
    if (!known || known.lastSeq <= delta.incident.lastSeq) this.cases.set(delta.incident.id, delta.incident)
    this.emit([delta.incident], delta)
    return true
  }

  /**
   * Drops what a snapshot taken now would not hold (closed before `dayStart`, rejected, voided),
   * so a screen left running for days keeps one day of cases, not every case it ever saw. Returns
   * how many went; listeners hear of it as a snapshot (delta null) when any did.
   */
  forgetOutside(dayStart: Date): number {
    let forgotten = 0
    for (const [id, c] of this.cases) {
      if (!inSnapshotOf(c, dayStart)) {
        this.cases.delete(id)
        forgotten++
      }
    }
    if (forgotten) this.emit([...this.cases.values()], null)
    return forgotten
  }

  /** Called with the cases that changed and the delta that changed them (null for a snapshot). */
  subscribe(listener: (changed: IncidentSummary[], delta: IncidentDelta | null) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(changed: IncidentSummary[], delta: IncidentDelta | null) {
    for (const listener of this.listeners) listener(changed, delta)
  }
}
