-- Functions that cut a polygon into non-overlapping children that tile it exactly. The demo-city
-- seeder uses them today; the planner's "split this grid" will use the same ones.

-- A deterministic uniform number in [0, 1) from any text key: the seeder's random source, so the
-- same seed gives the same city on every run.
CREATE OR REPLACE FUNCTION gezhi_hash01(key text) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ('x' || substr(md5(key), 1, 8))::bit(32)::bigint / 4294967296.0
$$;

-- Cuts `parent` into Voronoi cells around `seeds` (a MultiPoint), clipped to the parent in full
-- floating precision: neighbours clip the same Voronoi edge against the same parent edge, so they
-- share identical vertices and the cells tile the parent (snap-rounding to a coarser grid would
-- move the new vertices off the parent's straight edges and open centimetre slivers). `relax` rounds of Lloyd relaxation move each seed to
-- its cell's centroid first, which evens out cell sizes. Cells are numbered west→east in bands
-- running north→south, the order grid codes use.
CREATE OR REPLACE FUNCTION gezhi_split(parent geometry, seeds geometry, relax int DEFAULT 0)
RETURNS TABLE (ord int, geom geometry)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  pts geometry := ST_Collect(ARRAY(SELECT (ST_Dump(seeds)).geom));
  frame geometry := ST_Expand(ST_Envelope(parent), 0.05);
  n int := ST_NumGeometries(pts);
  band double precision;
  top double precision := ST_YMax(parent);
BEGIN
  IF n IS NULL OR n <= 1 THEN
    RETURN QUERY SELECT 1, ST_Multi(parent);
    RETURN;
  END IF;
  FOR i IN 1..relax LOOP
    SELECT ST_Collect(CASE WHEN ST_Intersects(ST_Centroid(c), parent) THEN ST_Centroid(c) ELSE ST_PointOnSurface(c) END)
      INTO pts
      FROM (SELECT ST_Intersection((d).geom, parent) AS c FROM ST_Dump(ST_VoronoiPolygons(pts, 0, frame)) d) cells
     WHERE NOT ST_IsEmpty(c) AND ST_Dimension(c) = 2;
  END LOOP;
  band := sqrt(ST_Area(parent) / n);
  RETURN QUERY
    SELECT (row_number() OVER (ORDER BY floor((top - ST_Y(lp)) / band), ST_X(lp), ST_Y(lp) DESC))::int, c
      FROM (
        SELECT c, ST_PointOnSurface(c) AS lp
          FROM (SELECT ST_Multi(ST_CollectionExtract(ST_Intersection((d).geom, parent), 3)) AS c
                  FROM ST_Dump(ST_VoronoiPolygons(pts, 0, frame)) d) clipped
         WHERE NOT ST_IsEmpty(c)
      ) numbered;
END
$$;
