-- Postings seen per day: for each day, the last run of that day (view
-- run_days) and the number of distinct postings it saw (across all
-- sources). A day whose run missed a source shows fewer postings than the
-- market had: Data says "incomplete" then (the Sources page says which
-- source failed).
-- The counts are those each run made when loaded (run_tallies), so the
-- sightings' arrays are not read.
SELECT d.day AS "Day", t.n AS "Postings",
       CASE WHEN d.complete THEN 'complete' ELSE 'incomplete: a source failed' END AS "Data"
FROM run_days d
JOIN run_tallies t ON t.run_id = d.run_id AND t.kind = 'all'
ORDER BY d.day
