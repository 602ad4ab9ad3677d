-- 0009: a company board that answered 404 is "gone", not failed.
--
-- A company that leaves an applicant tracking system leaves its board there
-- answering 404. That is news about the company, not a failure of the night:
-- the source's row in run_sources says "gone" (with the answer in error), the
-- run is not partial because of it, and the board's postings close, as they
-- would if the board listed none. So a gone source counts as fetched: it is
-- a successful run of its source in source_latest_runs and source_run_pairs,
-- and it does not make a day incomplete in run_days.

ALTER TABLE run_sources DROP CONSTRAINT run_sources_status_check;
ALTER TABLE run_sources ADD CONSTRAINT run_sources_status_check CHECK (status IN ('ok', 'failed', 'gone'));

CREATE OR REPLACE VIEW source_latest_runs AS
SELECT DISTINCT ON (rs.source) rs.source, rs.run_id, r.started_at
FROM run_sources rs
JOIN runs r ON r.id = rs.run_id
WHERE rs.status IN ('ok', 'gone') AND r.status <> 'running'
ORDER BY rs.source, r.started_at DESC, r.id DESC;

CREATE OR REPLACE VIEW source_run_pairs AS
SELECT l.source, l.run_id AS latest_run,
       (SELECT rs.run_id
        FROM run_sources rs
        JOIN runs r ON r.id = rs.run_id
        WHERE rs.source = l.source AND rs.status IN ('ok', 'gone') AND r.status <> 'running'
          AND (r.started_at, r.id) < (l.started_at, l.run_id)
        ORDER BY r.started_at DESC, r.id DESC
        LIMIT 1) AS previous_run
FROM source_latest_runs l;

CREATE OR REPLACE VIEW run_days AS
SELECT d.*, count(*) OVER (PARTITION BY date_trunc('week', d.day)) AS days_in_week
FROM (
    SELECT DISTINCT ON (r.started_at::date) r.started_at::date AS day, r.id AS run_id,
           r.status = 'ok' AND NOT EXISTS (
               SELECT 1 FROM run_sources rs WHERE rs.run_id = r.id AND rs.status NOT IN ('ok', 'gone')) AS complete
    FROM runs r
    WHERE r.status <> 'running'
    ORDER BY r.started_at::date, r.started_at DESC, r.id DESC
) AS d;
