-- The command-centre wall reads cases by when they were closed (closed per hour) and events by
-- when they happened (playback of a period); without these each read scans every case or event.
CREATE INDEX incidents_closed_at_idx ON incidents (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX incident_events_at_idx ON incident_events (at) WHERE seq IS NOT NULL;
