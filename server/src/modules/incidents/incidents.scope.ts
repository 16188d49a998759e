import type { Actor } from '../../plugins/auth.ts'

/**
 * Who sees which case, as SQL on the alias `i`: every scoped query takes the actor's role, grid
 * and department as its first three parameters. Commanders, admins and planners see all; a
 * leader or worker the cases routed into their grid's subtree; department staff the cases
 * assigned to their department or that it was called in on. Anything else does not exist for
 * them: routes answer 404, never a hint.
 */
export const SCOPE_SQL = `(
     $1::text IN ('admin', 'commander', 'planner', 'system')
  OR ($1::text IN ('leader', 'worker') AND i.grid_path @> ARRAY[$2::int])
  OR ($1::text = 'department' AND (i.unit_departments @> ARRAY[$3::int]
       OR EXISTS (SELECT 1 FROM incident_departments sd WHERE sd.incident_id = i.id AND sd.department_id = $3::int))))`

/** The three scope parameters for `actor` ($1 role, $2 own grid, $3 department). */
export function scopeParams(actor: Actor): [string, number | null, number | null] {
  if (actor.kind === 'system') return ['system', null, null]
  if (actor.kind === 'public') return ['public', null, null]
  return [actor.role, actor.gridPath?.at(-1) ?? null, actor.departmentId]
}
