import type { Db } from '../../db/db.ts'
import type { IncidentService } from '../incidents/incidents.service.ts'
import { MARK_OVERDUE, MARK_WARNED } from './deadlines.queries.ts'
import { INSERT_EVENT } from '../incidents/incidents.queries.ts'

export interface SweepOptions {
  now?: Date
  /** Most cases handled per batch (several batches run until none are left). */
  batch?: number
  /** Escalate a case that goes overdue in a grid unit to the level above. */
  autoEscalate?: boolean
  incidents?: IncidentService
  /** Sweep only these cases (default: all). */
  incidentIds?: number[]
}

/**
 * The deadline scheduler's one pass: raises a warning when a stage has used its warning share of
 * the time limit, marks overdue when it is past due, and records each as an event in the same
 * transaction — the live stream and the wall learn of it like of any step.
 */
export async function sweepDeadlines(db: Db, options: SweepOptions = {}): Promise<{ warned: number; overdue: number; escalated: number }> {
  const now = options.now ?? new Date()
  const batch = options.batch ?? 500
  let warned = 0
  let overdue = 0
  const toEscalate: number[] = []

  // Warnings and overdue marks of a batch commit together: a case past both its warning and its
  // due time gets both at once. (In two transactions, the first one's commit woke the live
  // publisher, whose stamping of the case's seq then made the second skip it until the next sweep.)
  for (;;) {
    const [w, o] = await db.transaction(async (tx) => {
      const warnedRows = await tx.query<{ id: number; state: string; due_at: Date }>(MARK_WARNED, [now, batch, options.incidentIds ?? null])
      for (const r of warnedRows) {
        await tx.query(INSERT_EVENT, [r.id, 'warned', r.state, r.state, 'system', null, '系统', now, `time limit nearly used: due ${r.due_at.toISOString()}`, [], JSON.stringify({ set: { warnedAt: now.toISOString() }, dueAt: r.due_at.toISOString() })])
      }
      const overdueRows = await tx.query<{ id: number; state: string; due_at: Date; overdue_at: Date; unit_level: number | null }>(MARK_OVERDUE, [now, batch, options.incidentIds ?? null])
      for (const r of overdueRows) {
        await tx.query(INSERT_EVENT, [r.id, 'overdue', r.state, r.state, 'system', null, '系统', now, `overdue since ${r.due_at.toISOString()}`, [], JSON.stringify({ set: { stageOverdue: true, overdueAt: r.overdue_at.toISOString() }, dueAt: r.due_at.toISOString() })])
        if (['dispatched', 'accepted', 'rework'].includes(r.state) && (r.unit_level ?? 0) > 1) toEscalate.push(r.id)
      }
      return [warnedRows.length, overdueRows.length]
    })
    warned += w
    overdue += o
    if (w < batch && o < batch) break
  }

  let escalated = 0
  if (options.autoEscalate && options.incidents) {
    for (const id of toEscalate) {
      try {
        await options.incidents.step({ kind: 'system' }, id, 'escalate', { note: '超时自动上报上级' }, [])
        escalated++
      } catch {
        // Someone moved the case meanwhile; the next sweep sees its new state.
      }
    }
  }
  return { warned, overdue, escalated }
}
