-- The spine: districts, the grid hierarchy with boundary history, staff boards, households,
-- party-member households, departments. Geometry is WGS-84 (SRID 4326), always [lng, lat].
CREATE EXTENSION IF NOT EXISTS postgis;

-- Levels are data: a city may use 3, 4 or 5. Depth 1 is the top level below the district (街道).
CREATE TABLE grid_levels (
  depth    smallint PRIMARY KEY CHECK (depth BETWEEN 1 AND 9),
  key      text NOT NULL UNIQUE,
  name     text NOT NULL,
  name_en  text NOT NULL
);

CREATE TABLE districts (
  id    serial PRIMARY KEY,
  code  text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{6}$'),   -- GB/T 2260
  name  text NOT NULL,
  city  text NOT NULL,
  geom  geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom))
);

-- A published set of boundaries. A redraw publishes a new generation; rows of the old one stay,
-- so a case keeps resolving to the grid that owned its location when it was reported.
CREATE TABLE boundary_generations (
  id            serial PRIMARY KEY,
  label         text NOT NULL,
  valid_from    timestamptz NOT NULL,
  published_at  timestamptz NOT NULL DEFAULT now(),
  note          text NOT NULL DEFAULT ''
);

-- A grid's identity (code, name, place in the tree). Its geometry lives in grid_boundaries,
-- one row per generation in which it changed.
CREATE TABLE grids (
  id                  serial PRIMARY KEY,
  district_id         int NOT NULL REFERENCES districts(id),
  code                text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{9,}$'),
  name                text NOT NULL,
  level               smallint NOT NULL REFERENCES grid_levels(depth),
  parent_id           int REFERENCES grids(id),
  -- ancestor ids from the top level down, ending with this grid: scope checks are `path @> ARRAY[x]`
  path                int[] NOT NULL CHECK (path[cardinality(path)] = id AND cardinality(path) = level),
  themes              text[] NOT NULL DEFAULT '{}',
  created_generation  int NOT NULL REFERENCES boundary_generations(id),
  retired_generation  int REFERENCES boundary_generations(id),
  CHECK ((parent_id IS NULL) = (level = 1))
);
CREATE INDEX grids_parent_idx ON grids (parent_id);
CREATE INDEX grids_path_idx ON grids USING gin (path);
CREATE INDEX grids_level_idx ON grids (level);

CREATE TABLE grid_boundaries (
  id               serial PRIMARY KEY,
  grid_id          int NOT NULL REFERENCES grids(id),
  generation_from  int NOT NULL REFERENCES boundary_generations(id),
  generation_to    int REFERENCES boundary_generations(id),          -- exclusive; NULL = still valid
  geom             geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
  label_point      geometry(Point, 4326) NOT NULL,
  area_m2          double precision NOT NULL CHECK (area_m2 > 0),
  CHECK (generation_to IS NULL OR generation_to > generation_from)
);
CREATE INDEX grid_boundaries_geom_idx ON grid_boundaries USING gist (geom);
CREATE UNIQUE INDEX grid_boundaries_current_idx ON grid_boundaries (grid_id) WHERE generation_to IS NULL;

-- Leaf boundaries cut into pieces of at most 64 vertices (ST_Subdivide): point-in-polygon tests
-- then touch small, tight boxes instead of one huge polygon (the MapIt technique).
CREATE TABLE grid_pieces (
  boundary_id      int NOT NULL REFERENCES grid_boundaries(id) ON DELETE CASCADE,
  grid_id          int NOT NULL REFERENCES grids(id),
  code             text NOT NULL,              -- copied from grids: the tie-break on shared edges needs no join
  generation_from  int NOT NULL,
  generation_to    int,
  geom             geometry(Polygon, 4326) NOT NULL
);
CREATE INDEX grid_pieces_geom_idx ON grid_pieces USING gist (geom);
CREATE INDEX grid_pieces_boundary_idx ON grid_pieces (boundary_id);

CREATE TABLE staff_roles (
  key      text PRIMARY KEY,
  name     text NOT NULL,
  name_en  text NOT NULL,
  rank     smallint NOT NULL
);
INSERT INTO staff_roles (key, name, name_en, rank) VALUES
  ('first_secretary', '第一书记', 'First secretary', 1),
  ('grid_leader', '网格长', 'Grid leader', 2),
  ('grid_worker', '网格员', 'Grid worker', 3),
  ('micro_grid_worker', '微网格员', 'Micro-grid worker', 4),
  ('building_leader', '楼栋长', 'Building leader', 5),
  ('unit_leader', '单元长', 'Unit leader', 6);

-- The public board of each grid (公示牌, 四公开): name, role, phone, service pledge.
CREATE TABLE grid_staff (
  id         serial PRIMARY KEY,
  grid_id    int NOT NULL REFERENCES grids(id),
  role       text NOT NULL REFERENCES staff_roles(key),
  name       text NOT NULL,
  phone      text NOT NULL,
  pledge     text NOT NULL DEFAULT '',
  full_time  boolean NOT NULL DEFAULT true,
  sort       smallint NOT NULL DEFAULT 0
);
CREATE INDEX grid_staff_grid_idx ON grid_staff (grid_id);

CREATE TABLE households (
  id            serial PRIMARY KEY,
  grid_id       int NOT NULL REFERENCES grids(id),       -- the leaf grid
  address       text NOT NULL,
  geom          geometry(Point, 4326) NOT NULL,
  size          smallint NOT NULL CHECK (size BETWEEN 1 AND 20),
  -- sensitive personal data: only staff whose scope covers the household may read it
  tags          text[] NOT NULL DEFAULT '{}' CHECK (tags <@ ARRAY['hardship','petitioner','bereaved_parents','left_behind_children','elderly_alone','disabled','unemployed','community_correction']),
  party_center  boolean NOT NULL DEFAULT false
);
CREATE INDEX households_geom_idx ON households USING gist (geom);
CREATE INDEX households_grid_idx ON households (grid_id);
CREATE INDEX households_party_idx ON households (grid_id) WHERE party_center;

-- "1+10+N": each party-member central household (党员中心户) is linked to about ten neighbours.
CREATE TABLE party_links (
  center_id     int NOT NULL REFERENCES households(id),
  household_id  int NOT NULL REFERENCES households(id),
  PRIMARY KEY (center_id, household_id),
  CHECK (center_id <> household_id)
);
CREATE INDEX party_links_household_idx ON party_links (household_id);

CREATE TABLE departments (
  id           serial PRIMARY KEY,
  district_id  int REFERENCES districts(id),
  code         text NOT NULL UNIQUE,
  name         text NOT NULL,
  phone        text NOT NULL DEFAULT ''
);

-- What the seeder or an operator wants to remember about this database (seed, scale, …).
CREATE TABLE city_meta (
  key    text PRIMARY KEY,
  value  jsonb NOT NULL
);
