-- 0002: a run's sightings as one sorted array of posting ids.
--
-- 0001 kept one row per (run, posting) in a table with a primary key: a
-- 200,000-posting load spent about 0.35 s of its 4.3 s writing them, after
-- everything else, with the Go side idle. One row per run holding the ids
-- sorted costs a few milliseconds and holds the same facts: the view
-- sightings gives them as (run_id, posting_id) rows, as before, so report SQL
-- reads it as it read the table.

CREATE TABLE run_sightings (
    run_id      text PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    posting_ids uuid[] NOT NULL CHECK (array_ndims(posting_ids) = 1) -- sorted, distinct; postings.id (no foreign key)
);
-- Random ids do not compress: do not try.
ALTER TABLE run_sightings ALTER COLUMN posting_ids SET STORAGE EXTERNAL;

-- Sightings of runs that are not in runs (deleted by hand) are dropped.
INSERT INTO run_sightings (run_id, posting_ids)
SELECT s.run_id, array_agg(s.posting_id ORDER BY s.posting_id)
FROM sightings s
WHERE s.run_id IN (SELECT id FROM runs)
GROUP BY s.run_id;

DROP TABLE sightings;

-- Which run saw which posting: one row per (run, posting), as 0001's table.
CREATE VIEW sightings AS
SELECT s.run_id, u.posting_id
FROM run_sightings s
CROSS JOIN LATERAL unnest(s.posting_ids) AS u (posting_id);
