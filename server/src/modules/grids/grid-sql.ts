/**
 * SQL fragments shared by the grid, locate and household queries, so that "a grid as the API
 * shows it", "the generation valid at a time" and "a leaf" are spelled once.
 */

/** `json` GridRef of the grid aliased `alias`, joined to grid_levels as `lvl_<alias>`. */
export const gridRefJson = (alias: string) =>
  `json_build_object('id', ${alias}.id, 'code', ${alias}.code, 'name', ${alias}.name, 'level', ${alias}.level, 'levelName', (SELECT name FROM grid_levels WHERE depth = ${alias}.level))`

/** The chain of GridRefs from the top level down to grid `idExpr`, as a json array. */
export const chainJson = (idExpr: string) => `(
  SELECT json_agg(${gridRefJson('a')} ORDER BY a.level)
    FROM grids leaf JOIN grids a ON a.id = ANY (leaf.path)
   WHERE leaf.id = ${idExpr})`

/** The public staff board of grid `idExpr`, as a json array ordered by role rank. */
export const staffJson = (idExpr: string) => `(
  SELECT coalesce(json_agg(json_build_object('role', s.role, 'roleName', r.name, 'name', s.name, 'phone', s.phone,
                                             'pledge', s.pledge, 'fullTime', s.full_time) ORDER BY r.rank, s.sort, s.id), '[]'::json)
    FROM grid_staff s JOIN staff_roles r ON r.key = s.role
   WHERE s.grid_id = ${idExpr})`

/** The boundary generation valid at `$n` (NULL = now): the latest whose valid_from has passed. */
export const generationAt = (param: string) => `
  SELECT id, label, valid_from FROM boundary_generations
   WHERE valid_from <= coalesce(${param}::timestamptz, now())
   ORDER BY valid_from DESC, id DESC LIMIT 1`

/** True for rows (pieces, boundaries) of alias `p` valid in generation `g.id`. */
export const validIn = (p: string, g: string) => `${p}.generation_from <= ${g}.id AND (${p}.generation_to IS NULL OR ${p}.generation_to > ${g}.id)`
