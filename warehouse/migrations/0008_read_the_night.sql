-- 0008: the report reads what is open now, not the whole history.
--
-- The views of 0003-0006 found the open, new and gone postings (and the open
-- listings) by joining every row of postings (listings) with the run that
-- last saw it: each query of the report read the whole table, so a report's
-- build grew with the history kept (0.2-0.7 s a query on 60 nights, 5-10 s
-- on a year). A posting's (a listing's) last_seen_at is the started_at of
-- its last_seen_run (the loader writes the lineage together), and each of
-- these views wants rows last seen at or after some run: the oldest of those
-- runs, over the sources, is a lower bound of last_seen_at that an index
-- answers. The views now say so, and read the rows of the last few runs only.
-- They give the same rows as before: their conditions stay, the bound is
-- implied by them. (new_postings: a posting first seen after a run was last
-- seen after it too; first <= last is a CHECK of 0001.)
--
-- The bound is a STABLE function rather than a join, so that the planner,
-- which evaluates such a call when it estimates, knows how few rows it
-- selects and reads them through the index; a join with the runs would be
-- estimated at a third of the table, and the table read whole.
--
--   report_open_since()       the oldest start of the sources' newest
--                             successful runs (view source_latest_runs)
--   report_compared_since()   the oldest start of the successful runs
--                             before those (view source_run_pairs)
--   postings_last_seen, listings_last_seen   (new indexes)
--   open_listings, open_postings, new_postings, gone_postings   (same rows)
--   posting_places   (same rows) one scan of postings with each row's
--                    places beside it, instead of three scans joined
--                    together: a join with open_postings then reads the open
--                    postings' places only, by id, not every posting's
--
-- The indexes cost a load little: a night updates the last sighting of the
-- postings it saw anyway, and a load into an empty warehouse builds them
-- once at its end, as it builds the primary keys (warehouse.Loader).

CREATE FUNCTION report_open_since() RETURNS timestamptz LANGUAGE sql STABLE
AS $$ SELECT min(started_at) FROM source_latest_runs $$;

CREATE FUNCTION report_compared_since() RETURNS timestamptz LANGUAGE sql STABLE
AS $$ SELECT min(r.started_at) FROM source_run_pairs pr JOIN runs r ON r.id = pr.previous_run $$;

CREATE INDEX postings_last_seen ON postings (last_seen_at);
CREATE INDEX listings_last_seen ON listings (last_seen_at);

CREATE OR REPLACE VIEW open_listings AS
SELECT li.*
FROM listings li
JOIN source_latest_runs l ON l.source = li.source
JOIN runs r ON r.id = li.last_seen_run
WHERE (r.started_at, r.id) >= (l.started_at, l.run_id)
  AND li.last_seen_at >= report_open_since();

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
WHERE (r.started_at, r.id) >= (l.started_at, l.run_id)
  AND p.last_seen_at >= report_open_since();

CREATE OR REPLACE VIEW new_postings AS
SELECT p.*
FROM postings p
JOIN source_run_pairs pr ON pr.source = p.source
JOIN runs prev ON prev.id = pr.previous_run
JOIN runs r ON r.id = p.first_seen_run
WHERE (r.started_at, r.id) > (prev.started_at, prev.id)
  AND p.last_seen_at >= report_compared_since();

CREATE OR REPLACE VIEW gone_postings AS
SELECT p.*
FROM postings p
JOIN source_run_pairs pr ON pr.source = p.source
JOIN runs prev ON prev.id = pr.previous_run
JOIN source_latest_runs l ON l.source = p.source
JOIN runs r ON r.id = p.last_seen_run
WHERE (r.started_at, r.id) >= (prev.started_at, prev.id)
  AND (r.started_at, r.id) < (l.started_at, l.run_id)
  AND p.last_seen_at >= report_compared_since();

CREATE OR REPLACE VIEW posting_places AS
SELECT p.id AS posting_id, x.place, x.kind
FROM postings p
CROSS JOIN LATERAL (
    SELECT coalesce(c.name, u.code) AS place, 'country' AS kind
    FROM unnest(p.countries) AS u (code)
    LEFT JOIN countries c ON c.code = u.code
    UNION ALL
    SELECT r.region, 'region'
    FROM unnest(p.regions) AS r (region)
    UNION ALL
    SELECT 'Worldwide', 'worldwide'
    WHERE p.scope = 'worldwide'
) AS x;
