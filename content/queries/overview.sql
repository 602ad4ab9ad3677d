-- The state of the market in one row: open postings and their openings;
-- companies (each counted once whatever its spelling) and roles with open
-- postings; the share of open postings open worldwide; how many sources
-- have a previous run to compare with. Then, for those sources, the open
-- postings now (open_compared) and at the previous successful run of their
-- source (previous), those new since, gone since, and back after being gone
-- (returned), which reconcile: open_compared = previous + new + returned -
-- gone (migration 0006). unreconciled is what a failed run between a
-- source's two runs leaves over (a posting it alone saw is new and gone at
-- once), uncompared the open postings of sources collected for the first
-- time.
WITH c AS (
    SELECT
        (SELECT count(*) FROM open_postings) AS open,
        (SELECT coalesce(sum(openings), 0) FROM open_postings) AS openings,
        (SELECT count(*) FROM new_postings) AS new,
        (SELECT count(*) FROM gone_postings) AS gone,
        (SELECT count(*) FROM previous_postings) AS previous,
        (SELECT count(*) FROM returned_postings) AS returned,
        (SELECT count(*) FROM open_postings o JOIN source_run_pairs pr ON pr.source = o.source
          WHERE pr.previous_run IS NOT NULL) AS open_compared,
        (SELECT count(DISTINCT company_key) FROM open_postings WHERE company_key <> '') AS companies,
        (SELECT count(DISTINCT role) FROM open_postings WHERE role <> '') AS roles,
        (SELECT round(100.0 * count(*) FILTER (WHERE scope = 'worldwide') / greatest(count(*), 1)) FROM open_postings) AS worldwide,
        (SELECT count(*) FROM source_run_pairs WHERE previous_run IS NOT NULL) AS compared
)
SELECT c.*, open_compared - (previous + new + returned - gone) AS unreconciled,
       open - open_compared AS uncompared
FROM c
