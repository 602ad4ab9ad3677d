-- 0004: a run that failed for a source (a crawl cut short, an ingest killed
-- before its manifest: see replay) decides nothing about what is open or gone.
--
-- 0003 counted a posting open when its last sighting was the newest
-- successful run of its source. A failed run that saw a part of the source
-- moved those postings' last sighting past that run, so they dropped out of
-- the report, and out of "gone" too. A posting's place in time is now its
-- last sighting's run in run order, (started_at, id), compared with the
-- source's successful runs:
--
--   open_postings   last seen by the newest successful run of its source, or
--                   by any run after it
--   new_postings    first seen after the successful run before the newest
--                   (sources with two successful runs only)
--   gone_postings   last seen by that run, or by a run between it and the
--                   newest successful run, and not since

CREATE OR REPLACE VIEW open_postings AS
SELECT p.*
FROM postings p
JOIN source_latest_runs l ON l.source = p.source
JOIN runs r ON r.id = p.last_seen_run
WHERE (r.started_at, r.id) >= (l.started_at, l.run_id);

CREATE VIEW new_postings AS
SELECT p.*
FROM postings p
JOIN source_run_pairs pr ON pr.source = p.source
JOIN runs prev ON prev.id = pr.previous_run
JOIN runs r ON r.id = p.first_seen_run
WHERE (r.started_at, r.id) > (prev.started_at, prev.id);

CREATE VIEW gone_postings AS
SELECT p.*
FROM postings p
JOIN source_run_pairs pr ON pr.source = p.source
JOIN runs prev ON prev.id = pr.previous_run
JOIN source_latest_runs l ON l.source = p.source
JOIN runs r ON r.id = p.last_seen_run
WHERE (r.started_at, r.id) >= (prev.started_at, prev.id)
  AND (r.started_at, r.id) < (l.started_at, l.run_id);
