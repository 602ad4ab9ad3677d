-- 0008: the report reads what is open now, not the whole history.
--
-- The views of 0003-0006 found the open, new and gone postings (and the open
-- listings) by joining every row of postings (listings) with the run that
-- last saw it: each query of the report read the whole table, so a report's
-- build grew with the history kept (0.2-0.7 s a query on 60 nights; seconds
-- on a year). A posting's (a listing's) last_seen_at is its last run's
-- started_at, written with last_seen_run (the loader writes the lineage
-- together), so "last seen by this run or a later one" is a range of the
-- index below, per source: these views now say so, and read the rows of the
-- last few runs only. They give the same rows as before: the joins with runs
-- stay (a row whose run is missing is still left out), the conditions on the
-- lineage columns are implied by them. new_postings also gains one: a
-- posting first seen after a run was last seen after it too (first <= last,
-- a CHECK of 0001).
--
--   postings_last_seen, listings_last_seen   (new indexes)
--   open_listings, open_postings, new_postings, gone_postings   (same rows)
--
-- The indexes cost a load little: a night updates the last sighting of the
-- postings it saw anyway, and a load into an empty warehouse builds them
-- once at its end, as it builds the primary keys (warehouse.Loader).

CREATE INDEX postings_last_seen ON postings (source, last_seen_at, last_seen_run);
CREATE INDEX listings_last_seen ON listings (source, last_seen_at, last_seen_run);

CREATE OR REPLACE VIEW open_listings AS
SELECT li.*
FROM listings li
JOIN source_latest_runs l ON l.source = li.source
JOIN runs r ON r.id = li.last_seen_run
WHERE (li.last_seen_at, li.last_seen_run) >= (l.started_at, l.run_id)
  AND (r.started_at, r.id) >= (l.started_at, l.run_id);

CREATE OR REPLACE VIEW open_postings AS
SELECT p.*, coalesce(o.openings, 1) AS openings
FROM postings p
JOIN source_latest_runs l ON l.source = p.source
JOIN runs r ON r.id = p.last_seen_run
LEFT JOIN (
    SELECT posting_id, max(n)::integer AS openings
    FROM (SELECT posting_id, source, count(*) AS n FROM open_listings GROUP BY posting_id, source) AS s
    GROUP BY posting_id
) AS o ON o.posting_id = p.id
WHERE (p.last_seen_at, p.last_seen_run) >= (l.started_at, l.run_id)
  AND (r.started_at, r.id) >= (l.started_at, l.run_id);

CREATE OR REPLACE VIEW new_postings AS
SELECT p.*
FROM postings p
JOIN source_run_pairs pr ON pr.source = p.source
JOIN runs prev ON prev.id = pr.previous_run
JOIN runs r ON r.id = p.first_seen_run
WHERE (p.last_seen_at, p.last_seen_run) > (prev.started_at, prev.id)
  AND (r.started_at, r.id) > (prev.started_at, prev.id);

CREATE OR REPLACE VIEW gone_postings AS
SELECT p.*
FROM postings p
JOIN source_run_pairs pr ON pr.source = p.source
JOIN runs prev ON prev.id = pr.previous_run
JOIN source_latest_runs l ON l.source = p.source
JOIN runs r ON r.id = p.last_seen_run
WHERE (p.last_seen_at, p.last_seen_run) >= (prev.started_at, prev.id)
  AND (p.last_seen_at, p.last_seen_run) < (l.started_at, l.run_id)
  AND (r.started_at, r.id) >= (prev.started_at, prev.id)
  AND (r.started_at, r.id) < (l.started_at, l.run_id);
