import { sql } from '../db/db.ts'

/**
 * The demo-city generator's SQL. The geometry work happens here, in PostGIS, set-based over a
 * whole level at a time; Node only chooses parameters and names. `seed_samples` is a temporary
 * table of "population nuclei": points spread with the household density, one per future
 * micro-grid, so every level's cells hold about equal numbers of households.
 */

export const WIPE_CITY = `
  TRUNCATE incident_events, incident_followers, incident_departments, photos, incidents, users,
           party_links, households, grid_staff, grid_pieces, grid_boundaries, grids, departments,
           districts, boundary_generations, grid_levels RESTART IDENTITY CASCADE;
  DELETE FROM city_meta WHERE key = 'city'`

export const INSERT_LEVEL = sql('seed_insert_level', `INSERT INTO grid_levels (depth, key, name, name_en) VALUES ($1, $2, $3, $4)`)

export const INSERT_GENERATION = sql('seed_insert_generation', `
  INSERT INTO boundary_generations (label, valid_from, note) VALUES ($1, $2, $3) RETURNING id`)

/** The outline is snapped to the same 1e-7° grid the partition functions use. */
export const INSERT_DISTRICT = sql('seed_insert_district', `
  INSERT INTO districts (code, name, city, geom)
  VALUES ($1, $2, $3, ST_Multi(ST_CollectionExtract(ST_ReducePrecision(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON($4), 4326)), 1e-7), 3)))
  RETURNING id`)

/**
 * Draws `$2` nuclei: uniform candidates in the district kept with probability ρ(p) / ρmax, where
 * ρ falls off as a Gaussian of the distance to the centre down to a floor (denser in the centre,
 * sparse at the edge). Distances are in metres via a local equirectangular scale.
 */
export const CREATE_SAMPLES = `
  CREATE TEMP TABLE seed_samples ON COMMIT DROP AS
  SELECT row_number() OVER (ORDER BY i)::int AS id, geom
    FROM (
      SELECT (d).path[1] AS i, (d).geom AS geom
        FROM (SELECT ST_Dump(ST_GeneratePoints(geom, $1::int, $3::int)) AS d FROM districts WHERE id = $4) dumped
    ) c
   WHERE gezhi_hash01($3::text || ':sample:' || i) <
         $5::float8 + (1 - $5::float8) * exp(-(((ST_X(geom) - $6::float8) * $8::float8) ^ 2 + ((ST_Y(geom) - $7::float8) * 111320.0) ^ 2) / ($9::float8 ^ 2))
   ORDER BY i
   LIMIT $2::int`

/**
 * Splits every parent at depth `$1 - 1` (or the district, for depth 1) into children at depth
 * `$1`: each parent gets round(nuclei / $3) children seeded at k-means centres of its nuclei
 * (or at the nuclei themselves when $3 = 1), cut by gezhi_split, and inserted as grids with
 * their boundaries. Codes are the parent's code plus the cell's west→east, north→south ordinal;
 * names come from `$5` (JSON: parent code → [{ seg, name }]) and otherwise "第N<level name>".
 */
/**
 * Where generated codes start when a parent runs out of official names: official community codes
 * use 001–199 (居委会) and 200–399 (村委会), so generated ones start above both and never collide.
 */
export const GENERATED_SEGMENT_BASE = 500

export function splitLevelQuery(childDepth: number, nucleiPerChild: number): string {
  const parents = childDepth === 1
    ? `SELECT NULL::int AS id, d.code, '{}'::int[] AS path, d.id AS district_id, d.geom FROM districts d`
    : `SELECT g.id, g.code, g.path, g.district_id, b.geom
         FROM grids g JOIN grid_boundaries b ON b.grid_id = g.id AND b.generation_to IS NULL
        WHERE g.level = $1 - 1`
  const clusterId = nucleiPerChild <= 1
    ? `m.id`
    : `ST_ClusterKMeans(m.geom, c.k) OVER (PARTITION BY m.parent_code ORDER BY m.id)`
  return `
  WITH parents AS MATERIALIZED (${parents}),
  members AS MATERIALIZED (
    SELECT DISTINCT ON (s.id) s.id, s.geom, p.code AS parent_code
      FROM seed_samples s JOIN parents p ON ST_Intersects(p.geom, s.geom)
     ORDER BY s.id, p.code),
  counts AS (SELECT parent_code, greatest(1, round(count(*) / $3::float8))::int AS k FROM members GROUP BY parent_code),
  clustered AS (
    SELECT m.parent_code, m.id, m.geom, ${clusterId} AS cid FROM members m JOIN counts c USING (parent_code)),
  centres AS (SELECT parent_code, cid, ST_Centroid(ST_Collect(geom)) AS c, min(id) AS first_id FROM clustered GROUP BY parent_code, cid),
  seedsets AS (SELECT parent_code, ST_Collect(c ORDER BY first_id) AS seeds FROM centres GROUP BY parent_code),
  cells AS MATERIALIZED (
    SELECT p.id AS parent_id, p.code AS parent_code, p.path AS parent_path, p.district_id, s.ord, s.geom AS cell
      FROM parents p LEFT JOIN seedsets ss ON ss.parent_code = p.code
     CROSS JOIN LATERAL gezhi_split(p.geom, ss.seeds, $4::int) s),
  named AS MATERIALIZED (
    SELECT nextval('grids_id_seq')::int AS id, c.*,
           c.parent_code || coalesce($5::jsonb -> c.parent_code -> (c.ord - 1) ->> 'seg', lpad((CASE WHEN $5::jsonb ? c.parent_code THEN ${GENERATED_SEGMENT_BASE} ELSE 0 END + c.ord)::text, 3, '0')) AS code,
           coalesce($5::jsonb -> c.parent_code -> (c.ord - 1) ->> 'name', '第' || ($6::text[])[c.ord] || $7::text) AS name
      FROM cells c ORDER BY c.parent_code, c.ord),
  inserted AS (
    INSERT INTO grids (id, district_id, code, name, level, parent_id, path, created_generation)
    SELECT id, district_id, code, name, $1, parent_id, parent_path || id, $2 FROM named RETURNING id)
  INSERT INTO grid_boundaries (grid_id, generation_from, geom, label_point, area_m2)
  SELECT n.id, $2, n.cell, (ST_MaximumInscribedCircle(n.cell)).center, ST_Area(n.cell::geography)
    FROM named n JOIN inserted i ON i.id = n.id`
}

/** Gives some grids a theme (平安和谐网格 …), each with its own probability. */
export const ASSIGN_THEMES = sql('seed_assign_themes', `
  UPDATE grids g SET themes = ARRAY(
    SELECT t.name FROM unnest($2::text[], $3::float8[]) WITH ORDINALITY AS t(name, p, k)
     WHERE gezhi_hash01($1::text || ':theme:' || k || ':' || g.code) < t.p ORDER BY k)
   WHERE g.level = $4`)

/**
 * Cuts every current leaf boundary that has no pieces yet into ≤ 64-vertex pieces for fast point
 * lookups. Idempotent: running it again adds nothing.
 */
export const ADD_MISSING_LEAF_PIECES = sql('add_missing_leaf_pieces', `
  WITH leaves AS (
    SELECT b.id, b.grid_id, g.code, b.generation_from, b.generation_to, b.geom
      FROM grid_boundaries b JOIN grids g ON g.id = b.grid_id
     WHERE b.generation_to IS NULL AND g.retired_generation IS NULL
       AND NOT EXISTS (SELECT 1 FROM grids c WHERE c.parent_id = g.id AND c.retired_generation IS NULL)
       AND NOT EXISTS (SELECT 1 FROM grid_pieces p WHERE p.boundary_id = b.id))
  INSERT INTO grid_pieces (boundary_id, grid_id, code, generation_from, generation_to, geom)
  SELECT id, grid_id, code, generation_from, generation_to, ST_Subdivide(geom, 64) FROM leaves`)

/** Leaf grids (ids) in creation order, for batching household generation. */
export const LEAF_IDS = sql('seed_leaf_ids', `
  SELECT g.id FROM grids g
   WHERE g.retired_generation IS NULL AND NOT EXISTS (SELECT 1 FROM grids c WHERE c.parent_id = g.id) ORDER BY g.id`)

/**
 * Households for the leaf grids with ids in [$2, $3]: 50–70 per leaf, in buildings of ~24
 * households (2–6 units of 6 floors × 2 flats) placed inside the leaf; each household sits a few
 * metres from its building's point, pulled back onto it if that would leave the leaf.
 * Sizes, tags and addresses are drawn from the seed.
 */
export const INSERT_HOUSEHOLDS = sql('seed_insert_households', `
  WITH leaf AS (
    SELECT g.id, g.code, b.geom, comm.name AS community, g.path,
           50 + floor(gezhi_hash01($1::text || ':hh:' || g.code) * 21)::int AS n,
           ($4::text[])[1 + floor(gezhi_hash01($1::text || ':road:' || comm.code) * cardinality($4::text[]))::int] AS road,
           1 + floor(gezhi_hash01($1::text || ':yard:' || g.code) * 180)::int AS yard
      FROM grids g
      JOIN grid_boundaries b ON b.grid_id = g.id AND b.generation_to IS NULL
      JOIN grids comm ON comm.id = g.path[least(2, cardinality(g.path))]
     WHERE g.id BETWEEN $2 AND $3
       AND NOT EXISTS (SELECT 1 FROM grids c WHERE c.parent_id = g.id)),
  buildings AS (
    SELECT l.*, (d).path[1] AS bno, (d).geom AS bgeom, ceil(l.n / 24.0)::int AS nb
      FROM leaf l CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(l.geom, ceil(l.n / 24.0)::int, 1 + floor(gezhi_hash01($1::text || ':bld:' || l.code) * 2147483646)::int)) d),
  homes AS (
    SELECT b.*, i, (i - 1) / b.nb AS k,
           ST_SetSRID(ST_MakePoint(ST_X(b.bgeom) + (gezhi_hash01($1::text || ':jx:' || b.code || ':' || i) - 0.5) * 0.00016,
                                   ST_Y(b.bgeom) + (gezhi_hash01($1::text || ':jy:' || b.code || ':' || i) - 0.5) * 0.00012), 4326) AS jittered,
           gezhi_hash01($1::text || ':size:' || b.code || ':' || i) AS u_size
      FROM buildings b CROSS JOIN LATERAL generate_series(1, b.n) AS i
     WHERE (i - 1) % b.nb + 1 = b.bno)
  INSERT INTO households (grid_id, address, geom, size, tags, party_center)
  SELECT h.id,
         h.community || h.road || h.yard || '号院' || h.bno || '号楼' || (1 + h.k / 12) || '单元' || (1 + (h.k % 12) / 2) || '0' || (1 + h.k % 2),
         CASE WHEN ST_Intersects(h.geom, h.jittered) THEN h.jittered ELSE h.bgeom END,
         CASE WHEN h.u_size < 0.15 THEN 1 WHEN h.u_size < 0.45 THEN 2 WHEN h.u_size < 0.73 THEN 3
              WHEN h.u_size < 0.88 THEN 4 WHEN h.u_size < 0.96 THEN 5 ELSE 6 END,
         ARRAY(SELECT t.key FROM unnest($5::text[], $6::float8[]) WITH ORDINALITY AS t(key, p, k)
                WHERE gezhi_hash01($1::text || ':tag:' || t.key || ':' || h.code || ':' || h.i) < t.p ORDER BY k),
         gezhi_hash01($1::text || ':party:' || h.code || ':' || h.i) < $7::float8
    FROM homes h
   ORDER BY h.id, h.i`)

/** "1+10+N": links each party-member central household to its 8–12 nearest neighbours in the same leaf. */
export const LINK_PARTY_CENTERS = sql('seed_link_party_centers', `
  INSERT INTO party_links (center_id, household_id)
  SELECT c.id, n.id
    FROM households c
   CROSS JOIN LATERAL (
     SELECT h.id FROM households h
      WHERE h.grid_id = c.grid_id AND NOT h.party_center
      ORDER BY h.geom <-> c.geom, h.id
      LIMIT 8 + floor(gezhi_hash01($1::text || ':links:' || c.id) * 5)::int) n
   WHERE c.party_center`)

/**
 * Staff for every grid at depth $2: $3 = roles, $4 = how many of each, $5 = full-time shares.
 * Names, phones and pledges are drawn from the word lists; every person is fictional.
 */
export const INSERT_STAFF = sql('seed_insert_staff', `
  INSERT INTO grid_staff (grid_id, role, name, phone, pledge, full_time, sort)
  SELECT g.id, r.role,
         ($6::text[])[1 + floor(gezhi_hash01($1::text || ':sn:' || g.code || r.role || s) ^ 2 * cardinality($6::text[]))::int]
           || ($7::text[])[1 + floor(gezhi_hash01($1::text || ':g1:' || g.code || r.role || s) * cardinality($7::text[]))::int]
           || CASE WHEN gezhi_hash01($1::text || ':g2?:' || g.code || r.role || s) < 0.7
                   THEN ($7::text[])[1 + floor(gezhi_hash01($1::text || ':g2:' || g.code || r.role || s) * cardinality($7::text[]))::int] ELSE '' END,
         '1' || (ARRAY['35','36','37','38','39','58','59','86','87','88'])[1 + floor(gezhi_hash01($1::text || ':ph1:' || g.code || r.role || s) * 10)::int]
             || lpad(floor(gezhi_hash01($1::text || ':ph2:' || g.code || r.role || s) * 100000000)::bigint::text, 8, '0'),
         ($8::text[])[1 + floor(gezhi_hash01($1::text || ':pl:' || g.code || r.role || s) * cardinality($8::text[]))::int],
         gezhi_hash01($1::text || ':ft:' || g.code || r.role || s) < r.full_time_share,
         (r.k * 10 + s)::smallint
    FROM grids g
   CROSS JOIN unnest($3::text[], $4::int[], $5::float8[]) WITH ORDINALITY AS r(role, how_many, full_time_share, k)
   CROSS JOIN LATERAL generate_series(1, r.how_many + CASE WHEN r.role = 'grid_worker' AND gezhi_hash01($1::text || ':extra:' || g.code) < 0.5 THEN 1 ELSE 0 END) AS s
   WHERE g.level = $2`)

/** One building leader per building of each leaf (buildings hold ~24 households). */
export const INSERT_BUILDING_LEADERS = sql('seed_insert_building_leaders', `
  INSERT INTO grid_staff (grid_id, role, name, phone, pledge, full_time, sort)
  SELECT g.id, 'building_leader',
         ($2::text[])[1 + floor(gezhi_hash01($1::text || ':bsn:' || g.code || s) ^ 2 * cardinality($2::text[]))::int]
           || ($3::text[])[1 + floor(gezhi_hash01($1::text || ':bg1:' || g.code || s) * cardinality($3::text[]))::int]
           || ($3::text[])[1 + floor(gezhi_hash01($1::text || ':bg2:' || g.code || s) * cardinality($3::text[]))::int],
         '1' || (ARRAY['35','36','37','38','39','58','59','86','87','88'])[1 + floor(gezhi_hash01($1::text || ':bph1:' || g.code || s) * 10)::int]
             || lpad(floor(gezhi_hash01($1::text || ':bph2:' || g.code || s) * 100000000)::bigint::text, 8, '0'),
         s || '号楼楼栋长，楼里的事第一时间知道', false, (100 + s)::smallint
    FROM grids g
    JOIN (SELECT grid_id, ceil(count(*) / 24.0)::int AS nb FROM households GROUP BY grid_id) h ON h.grid_id = g.id
   CROSS JOIN LATERAL generate_series(1, h.nb) AS s`)

export const INSERT_DEPARTMENT = sql('seed_insert_department', `
  INSERT INTO departments (district_id, code, name, phone) VALUES ($1, $2, $3, $4)`)

export const SET_META = sql('set_city_meta', `
  INSERT INTO city_meta (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`)

export const CITY_COUNTS = sql('seed_city_counts', `
  SELECT (SELECT count(*) FROM grids) AS grids,
         (SELECT count(*) FROM grids WHERE level = 1) AS streets,
         (SELECT count(*) FROM grids WHERE level = 2) AS communities,
         (SELECT count(*) FROM grids WHERE level = 3) AS grid_cells,
         (SELECT count(*) FROM grids WHERE level = 4) AS micro_grids,
         (SELECT count(*) FROM households) AS households,
         (SELECT count(*) FROM households WHERE party_center) AS party_centers,
         (SELECT count(*) FROM grid_staff) AS staff`)

/**
 * Parents whose children's areas do not add up to their own (relative error > 1e-9). The split
 * never produces one; but PGlite's PostGIS drops a row silently instead of raising when GEOS
 * takes its robustness fallback, so the seeder checks rather than trusts.
 */
export const UNTILED_PARENTS = sql('seed_untiled_parents', `
  WITH cur AS (SELECT g.id, g.parent_id, g.code, ST_Area(b.geom) AS area FROM grids g JOIN grid_boundaries b ON b.grid_id = g.id AND b.generation_to IS NULL)
  SELECT p.code, p.area, s.area AS children_area
    FROM cur p JOIN (SELECT parent_id, sum(area) AS area FROM cur WHERE parent_id IS NOT NULL GROUP BY parent_id) s ON s.parent_id = p.id
   WHERE abs(p.area - s.area) > 1e-9 * p.area`)
