-- 0006: what the report needs so that its counts add up and its ranks agree
-- from one table to the next.
--
--   previous_postings   the postings the previous successful run of their
--                       source saw: the open postings of the run before
--   returned_postings   open postings that had gone and are listed again
--   run_days            each day with a finished run: its last run, and
--                       whether every source of that run was fetched
--   role_demand         open postings per role with the one rank every list
--                       of roles shows
--
-- Reconciling. The report says how many postings are open, new and gone. A
-- posting that its source stops listing for a night or two and then lists
-- again (a job re-advertised under the same title, a board that briefly hides
-- an offer) is neither new (it was seen before) nor gone (it is listed now).
-- Without it, the open postings of the run before, plus the new, minus the
-- gone, would not give the open postings now. With it they do:
--
--   open now = previous + new + returned - gone
--
-- whenever no failed run lies between a source's two latest successful runs
-- (a posting seen only by such a failed run is new and gone at once, and is
-- in neither count of open postings). Each count is per source, by the source
-- of the posting's newest listing (postings.source), as new_postings and
-- gone_postings count.

-- The postings the previous successful run of their source saw (sources with
-- two successful runs only). Only that run's sightings are read.
CREATE VIEW previous_postings AS
SELECT p.*
FROM source_run_pairs pr
JOIN run_sightings rs ON rs.run_id = pr.previous_run
CROSS JOIN LATERAL unnest(rs.posting_ids) AS u (posting_id)
JOIN postings p ON p.id = u.posting_id AND p.source = pr.source;

-- Open postings first seen at or before the previous successful run of their
-- source that this run did not see: postings that were gone and are back.
CREATE VIEW returned_postings AS
SELECT o.*
FROM open_postings o
JOIN source_run_pairs pr ON pr.source = o.source
JOIN runs prev ON prev.id = pr.previous_run
JOIN runs f ON f.id = o.first_seen_run
WHERE (f.started_at, f.id) <= (prev.started_at, prev.id)
  AND NOT EXISTS (SELECT 1 FROM previous_postings pp WHERE pp.id = o.id);

-- Each day (UTC) with a finished run, its last run, and whether that run
-- fetched every one of its sources (complete). The figures of a day are its
-- last run's; a day whose last run missed a source shows fewer postings than
-- the market had, and is left out of comparisons between days. days_in_week
-- is how many days of the day's ISO week have a run: a week with fewer than 7
-- is incomplete.
CREATE VIEW run_days AS
SELECT d.*, count(*) OVER (PARTITION BY date_trunc('week', d.day)) AS days_in_week
FROM (
    SELECT DISTINCT ON (r.started_at::date) r.started_at::date AS day, r.id AS run_id,
           r.status = 'ok' AND NOT EXISTS (
               SELECT 1 FROM run_sources rs WHERE rs.run_id = r.id AND rs.status <> 'ok') AS complete
    FROM runs r
    WHERE r.status <> 'running'
    ORDER BY r.started_at::date, r.started_at DESC, r.id DESC
) AS d;

-- Open postings per role ('' is no role), the role's share of all open
-- postings (in percent, one decimal), and its rank: 1 + the number of roles
-- with more open postings, so that tied roles have one rank and the next
-- rank skips (1, 2, 2, 4). Only roles with at least 5 open postings are
-- ranked (fewer are too few to rank): the others have no rank. ranked is the
-- number of ranked roles. Every list of roles reads its ranks here, so that
-- a role has the same rank in each.
CREATE VIEW role_demand AS
WITH per_role AS (
    SELECT role, count(*) AS postings FROM open_postings WHERE role <> '' GROUP BY role
)
SELECT role, postings,
       round(100.0 * postings / (SELECT count(*) FROM open_postings), 1) AS share,
       CASE WHEN postings >= 5 THEN rank() OVER (ORDER BY postings DESC) END AS rank,
       count(*) FILTER (WHERE postings >= 5) OVER () AS ranked
FROM per_role;
