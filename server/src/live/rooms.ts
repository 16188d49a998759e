import type { IncidentSummary } from '@gezhi/geo'
import type { Actor } from '../plugins/auth.ts'

/**
 * Who hears what. A case event goes to `all` (command centre), to `grid:<id>` for every grid on
 * the case's path (so an event in a micro-grid reaches every ancestor's leader), to `dept:<id>`
 * for departments assigned or called in, and to `case:<id>` (its reporter, by tracking token).
 */
export function roomsForCase(summary: IncidentSummary, whistled: number[]): string[] {
  const rooms = ['all', `case:${summary.id}`]
  for (const grid of summary.gridPath) rooms.push(`grid:${grid}`)
  for (const dept of new Set([...summary.departmentIds, ...whistled])) rooms.push(`dept:${dept}`)
  return rooms
}

/** The room a socket joins by default for its user, or null for the public (they join a case by token). */
export function homeRoom(actor: Actor): string | null {
  if (actor.kind !== 'user') return null
  if (actor.role === 'admin' || actor.role === 'commander' || actor.role === 'planner') return 'all'
  if ((actor.role === 'leader' || actor.role === 'worker') && actor.gridPath?.length) return `grid:${actor.gridPath.at(-1)}`
  if (actor.role === 'department' && actor.departmentId !== null) return `dept:${actor.departmentId}`
  return null
}

/** A room name as the scope kind and id the live queries take. */
export function scopeOf(room: string): [kind: 'all' | 'grid' | 'dept' | 'case', id: number | null] {
  if (room === 'all') return ['all', null]
  const [kind, id] = room.split(':') as ['grid' | 'dept' | 'case', string]
  return [kind, Number(id)]
}

/** Midnight in Beijing (UTC+8) at or before `now`: where "today" starts for the figures. */
export function startOfToday(now = new Date(), utcOffsetMinutes = 480): Date {
  const local = now.getTime() + utcOffsetMinutes * 60_000
  return new Date(local - (local % 86_400_000) - utcOffsetMinutes * 60_000)
}
