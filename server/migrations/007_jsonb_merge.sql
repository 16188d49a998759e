-- Running merge of jsonb objects, the later key winning: a case's state after each of its events
-- is gezhi_jsonb_merge(the events' `set` diffs) OVER (PARTITION BY the case ORDER BY seq) —
-- replay() in incident-record.ts, done by the database in one pass (the wall's playback).
CREATE AGGREGATE gezhi_jsonb_merge(jsonb) (SFUNC = jsonb_concat, STYPE = jsonb, INITCOND = '{}');
