-- Cases: accounts, the taxonomy, the work calendar, incidents with their append-only events,
-- photos, departments called in (街道吹哨), "me too" followers, Open311 keys.

CREATE TABLE users (
  id             serial PRIMARY KEY,
  username       text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9_.-]{3,32}$'),
  display_name   text NOT NULL,
  password_hash  text NOT NULL,
  role           text NOT NULL CHECK (role IN ('admin', 'commander', 'planner', 'leader', 'worker', 'department')),
  grid_id        int REFERENCES grids(id),          -- leaders and workers: their grid, and so its subtree
  department_id  int REFERENCES departments(id),    -- department staff
  active         boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK ((role IN ('leader', 'worker')) = (grid_id IS NOT NULL)),
  CHECK ((role = 'department') = (department_id IS NOT NULL))
);

-- The taxonomy is data: defaults come from @gezhi/geo, a city adds its own.
CREATE TABLE categories (
  code                text PRIMARY KEY CHECK (code ~ '^[ECG][0-9]{4}$'),
  kind                text NOT NULL CHECK (kind IN ('event', 'component', 'governance')),
  major_code          text NOT NULL,
  major_name          text NOT NULL,
  name                text NOT NULL,
  name_en             text NOT NULL,
  handling_level      smallint NOT NULL CHECK (handling_level BETWEEN 0 AND 9),   -- 0 = district departments
  departments         text[] NOT NULL DEFAULT '{}',
  limits              jsonb NOT NULL,          -- { dispatch, handle, check }: { clock, amount }
  duplicate_radius_m  double precision NOT NULL DEFAULT 100 CHECK (duplicate_radius_m >= 0),
  weight              double precision NOT NULL DEFAULT 1,
  dispute_class       smallint CHECK (dispute_class BETWEEN 1 AND 3),
  active              boolean NOT NULL DEFAULT true
);

-- Days that break the weekly rhythm: public holidays (workday = false) and make-up working days
-- (调休, workday = true). Working periods live in city_meta under 'working_periods'.
CREATE TABLE calendar_days (
  day      date PRIMARY KEY,
  workday  boolean NOT NULL,
  note     text NOT NULL DEFAULT ''
);

CREATE TABLE incidents (
  id                  serial PRIMARY KEY,
  number              text NOT NULL UNIQUE,
  source              text NOT NULL CHECK (source IN ('resident', 'patrol', 'supervisor', 'hotline', 'sensor', 'open311')),
  category_code       text NOT NULL REFERENCES categories(code),
  kind                text NOT NULL CHECK (kind IN ('immediate', 'committed', 'coordinated')),
  description         text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
  address             text,
  geom                geometry(Point, 4326) NOT NULL,
  input_lng           double precision NOT NULL,
  input_lat           double precision NOT NULL,
  input_crs           text NOT NULL CHECK (input_crs IN ('wgs84', 'gcj02', 'bd09')),
  -- Routing frozen at report time: a later redraw never silently moves an old case.
  generation_id       int NOT NULL REFERENCES boundary_generations(id),
  leaf_grid_id        int NOT NULL REFERENCES grids(id),   -- the nearest leaf when reported outside every grid
  grid_path           int[] NOT NULL,                      -- the leaf's ancestors, top level first, ending with the leaf
  outside             boolean NOT NULL DEFAULT false,
  outside_distance_m  double precision NOT NULL DEFAULT 0,
  state               text NOT NULL,
  -- The unit currently responsible: a grid at some level, or departments (unit_level = 0).
  unit_level          smallint,
  unit_grid_id        int REFERENCES grids(id),
  unit_departments    int[] NOT NULL DEFAULT '{}',
  supervised          boolean NOT NULL DEFAULT false,
  extension_request   jsonb,                               -- a pending request for more time: { clock, amount }
  repeat_flag         boolean NOT NULL DEFAULT false,
  dispatch_count      int NOT NULL DEFAULT 0,
  return_count        int NOT NULL DEFAULT 0,
  rework_count        int NOT NULL DEFAULT 0,
  reporter_name       text,                                -- personal data: staff in scope only
  reporter_phone      text,
  reported_by         int REFERENCES users(id),
  idempotency_key     text UNIQUE,
  external_id         text UNIQUE,                         -- a hotline's or platform's own id
  reported_at         timestamptz NOT NULL,
  filed_at            timestamptz,
  dispatched_at       timestamptz,
  accepted_at         timestamptz,
  handled_at          timestamptz,
  closed_at           timestamptz,
  due_dispatch_at     timestamptz NOT NULL,
  due_handle_at       timestamptz,
  due_check_at        timestamptz,
  due_close_at        timestamptz,
  warn_at             timestamptz,                         -- when the current stage reaches its warning share
  due_at              timestamptz,                         -- when the current stage is due
  warned_at           timestamptz,
  stage_overdue       boolean NOT NULL DEFAULT false,      -- the current stage is past due_at
  overdue_at          timestamptz,                         -- first time any stage went overdue
  handled_on_time     boolean,
  closed_on_time      boolean,
  rating              smallint CHECK (rating BETWEEN 1 AND 5),
  rating_comment      text,
  last_seq            bigint NOT NULL DEFAULT 0,
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incidents_geom_idx ON incidents USING gist (geom);
CREATE INDEX incidents_path_idx ON incidents USING gin (grid_path);
CREATE INDEX incidents_state_idx ON incidents (state);
CREATE INDEX incidents_reported_at_idx ON incidents (reported_at);
CREATE INDEX incidents_category_idx ON incidents (category_code, reported_at);
CREATE INDEX incidents_departments_idx ON incidents USING gin (unit_departments);
CREATE INDEX incidents_due_idx ON incidents (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX incidents_warn_idx ON incidents (warn_at) WHERE warn_at IS NOT NULL AND warned_at IS NULL;

-- Every step is an append-only event written in the same transaction as the case's state.
-- `seq` is global and increasing: the live stream's order, and the case's history by replay.
CREATE TABLE incident_events (
  seq          bigserial PRIMARY KEY,
  incident_id  int NOT NULL REFERENCES incidents(id),
  type         text NOT NULL,
  from_state   text,
  to_state     text,
  actor_kind   text NOT NULL,
  actor_id     int REFERENCES users(id),
  actor_name   text NOT NULL DEFAULT '',
  at           timestamptz NOT NULL DEFAULT now(),
  note         text NOT NULL DEFAULT '',
  photos       int[] NOT NULL DEFAULT '{}',
  data         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX incident_events_incident_idx ON incident_events (incident_id, seq);

CREATE TABLE photos (
  id           serial PRIMARY KEY,
  incident_id  int NOT NULL REFERENCES incidents(id),
  kind         text NOT NULL CHECK (kind IN ('report', 'before', 'after', 'reply')),
  path         text NOT NULL,             -- relative to DATA_DIR/uploads
  mime         text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes        int NOT NULL CHECK (bytes > 0),
  sha256       text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX photos_incident_idx ON photos (incident_id);

-- 街道吹哨、部门报到: each department called in must report in and reply.
CREATE TABLE incident_departments (
  incident_id     int NOT NULL REFERENCES incidents(id),
  department_id   int NOT NULL REFERENCES departments(id),
  called_at       timestamptz NOT NULL,
  reported_in_at  timestamptz,
  replied_at      timestamptz,
  reply           text,
  PRIMARY KEY (incident_id, department_id)
);
CREATE INDEX incident_departments_department_idx ON incident_departments (department_id);

-- Reporters who joined an open case instead of filing a duplicate ("me too").
CREATE TABLE incident_followers (
  id              serial PRIMARY KEY,
  incident_id     int NOT NULL REFERENCES incidents(id),
  source          text NOT NULL,
  reporter_name   text,
  reporter_phone  text,
  note            text NOT NULL DEFAULT '',
  joined_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_followers_incident_idx ON incident_followers (incident_id);

-- Keys for the Open311 door (GeoReport v2 `api_key`), stored hashed.
CREATE TABLE api_keys (
  key_hash    text PRIMARY KEY,
  name        text NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);
