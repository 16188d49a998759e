-- The live stream's order is the order events become visible (commit order), not the order in
-- which transactions happened to draw ids. Writers append events with a local `id`; the
-- sequencer numbers committed events in batches while holding the one row of incident_stream,
-- so `seq` is contiguous, never goes back, and a client that saw seq N has seen everything
-- before it that was meant for it.
ALTER TABLE incident_events RENAME COLUMN seq TO id;
ALTER TABLE incident_events ADD COLUMN seq bigint UNIQUE;
CREATE INDEX incident_events_unsequenced_idx ON incident_events (id) WHERE seq IS NULL;

CREATE TABLE incident_stream (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_seq   bigint NOT NULL
);
INSERT INTO incident_stream (last_seq) VALUES (0);

COMMENT ON COLUMN incidents.last_seq IS 'seq of the latest numbered event of this case (0 until the sequencer numbers its first)';

-- Timestamps in the stream as UTC ISO-8601 with milliseconds, whatever the session's time zone.
CREATE OR REPLACE FUNCTION gezhi_iso(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;
