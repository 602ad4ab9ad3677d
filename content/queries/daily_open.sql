-- Postings seen per day: for each day, the last run of that day (view
-- run_days) and the number of distinct postings it saw (across all
-- sources). A day whose run missed a source shows fewer postings than the
-- market had: Data says "incomplete" then (the Sources page says which
-- source failed).
SELECT d.day AS "Day", cardinality(s.posting_ids) AS "Postings",
       CASE WHEN d.complete THEN 'complete' ELSE 'incomplete: a source failed' END AS "Data"
FROM run_days d
JOIN run_sightings s ON s.run_id = d.run_id
ORDER BY d.day
