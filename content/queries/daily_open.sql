-- Postings seen per day: for each day, the last run of that day and the
-- number of distinct postings it saw (across all sources). A day on which a
-- source failed shows fewer postings: the Sources page says which.
SELECT "Day", "Postings" FROM (
    SELECT DISTINCT ON (r.started_at::date) r.started_at::date AS "Day",
           cardinality(s.posting_ids) AS "Postings"
    FROM runs r
    JOIN run_sightings s ON s.run_id = r.id
    WHERE r.status <> 'running'
    ORDER BY r.started_at::date, r.started_at DESC, r.id DESC
) AS d
ORDER BY "Day"
