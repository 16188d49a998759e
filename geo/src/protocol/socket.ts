import Type from 'typebox'
import type { ApiError } from './errors.ts'
import { INCIDENT_STATE_KEYS } from '../incident/workflow.ts'
import { LngLatSchema } from './http/common.ts'

/**
 * The live contract between server and clients (Socket.IO), in one place. Server facts are in
 * the past tense; client commands are verbs and answer through an ack. Every fact about a case
 * carries the global stream `seq` (commit order, from the database): a client applies what is
 * newer than what it has, and after a reconnect asks for what it missed.
 */

/** A case as maps, lists and counters need it: small enough to stream thousands a second. */
export const IncidentSummarySchema = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  state: Type.Enum([...INCIDENT_STATE_KEYS]),
  category: Type.String({ description: 'Category code, e.g. E0102' }),
  source: Type.String(),
  position: LngLatSchema,
  gridPath: Type.Array(Type.Integer(), { description: 'Responsible grids from the street down to the leaf, frozen at report time' }),
  unitLevel: Type.Union([Type.Integer(), Type.Null()]),
  departmentIds: Type.Array(Type.Integer()),
  overdue: Type.Boolean(),
  everOverdue: Type.Boolean(),
  supervised: Type.Boolean(),
  repeat: Type.Boolean(),
  reportedAt: Type.String(),
  dueAt: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  rating: Type.Union([Type.Integer(), Type.Null()]),
  lastSeq: Type.Integer(),
})
export type IncidentSummary = Type.Static<typeof IncidentSummarySchema>

/** One fact about a case, with the case as it stands after it. */
export const IncidentDeltaSchema = Type.Object({
  seq: Type.Integer(),
  type: Type.String({ description: 'The step or fact: reported, file, dispatch, …, warned, overdue' }),
  fromState: Type.Union([Type.String(), Type.Null()]),
  toState: Type.Union([Type.String(), Type.Null()]),
  at: Type.String(),
  actor: Type.Object({ kind: Type.String(), name: Type.String() }),
  incident: IncidentSummarySchema,
})
export type IncidentDelta = Type.Static<typeof IncidentDeltaSchema>

/** Figures for a scope, pushed at most once a second when they change. */
export const LiveFiguresSchema = Type.Object({
  scope: Type.String({ description: '"all", "grid:<id>" or "dept:<id>"' }),
  at: Type.String(),
  seq: Type.Integer({ description: 'The stream position these figures reflect' }),
  today: Type.Object({ reported: Type.Integer(), closed: Type.Integer(), handled: Type.Integer() }),
  open: Type.Integer(),
  overdueNow: Type.Integer(),
})
export type LiveFigures = Type.Static<typeof LiveFiguresSchema>

export const SnapshotSchema = Type.Object({
  seq: Type.Integer({ description: 'The stream position this snapshot reflects: apply deltas with a greater seq' }),
  incidents: Type.Array(IncidentSummarySchema, { description: 'Open cases in scope, and cases closed today' }),
  figures: LiveFiguresSchema,
})
export type Snapshot = Type.Static<typeof SnapshotSchema>

export const SinceArgsSchema = Type.Object({ seq: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })
export const TrackArgsSchema = Type.Object({ token: Type.String({ minLength: 10, maxLength: 80 }) }, { additionalProperties: false })
export const FocusArgsSchema = Type.Object({ grid: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]) }, { additionalProperties: false })

/** What the server answers a command with. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiError }

/** After a reconnect: what was missed, or — when more than the server replays — `reset`: take a fresh snapshot. */
export type Missed = { reset: false; deltas: IncidentDelta[] } | { reset: true; deltas: [] }

export interface ServerToClientEvents {
  'incident:created': (delta: IncidentDelta) => void
  'incident:updated': (delta: IncidentDelta) => void
  'incident:overdue': (delta: IncidentDelta) => void
  'stats:updated': (figures: LiveFigures) => void
  'grid:published': (generation: { id: number; label: string; validFrom: string }) => void
}

export interface ClientToServerEvents {
  /** Open cases and figures in the socket's scope, with the seq they reflect. */
  'snapshot:get': (args: Record<string, never>, ack: (answer: Ack<Snapshot>) => void) => void
  /** Everything after `seq` in the socket's scope, in order — or `reset`. */
  'sync:since': (args: { seq: number }, ack: (answer: Ack<Missed>) => void) => void
  /** Narrow the stream to one grid inside the user's scope (a wall drilling down), or back to the whole scope with null. */
  'scope:focus': (args: { grid: number | null }, ack: (answer: Ack<{ scope: string }>) => void) => void
  /** The public: follow one's own case by its tracking token. */
  'track:join': (args: { token: string }, ack: (answer: Ack<{ incidentId: number }>) => void) => void
}

/** The names of the case facts, by event type. */
export function deltaEventName(type: string): 'incident:created' | 'incident:updated' | 'incident:overdue' {
  return type === 'reported' ? 'incident:created' : type === 'overdue' ? 'incident:overdue' : 'incident:updated'
}
