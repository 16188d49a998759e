-- Wake the stream's publisher as soon as events commit, even when another server wrote them:
-- one notification per statement, delivered at commit (PostgreSQL folds duplicates within a
-- transaction). Without a listener (PGlite, or no publisher yet) it costs next to nothing; the
-- publisher still polls as a fallback.
CREATE OR REPLACE FUNCTION gezhi_notify_events() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gezhi_events', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER incident_events_notify AFTER INSERT ON incident_events
  FOR EACH STATEMENT EXECUTE FUNCTION gezhi_notify_events();
