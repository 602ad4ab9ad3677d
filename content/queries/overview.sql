-- The state of the market in one row: open postings, those new since and
-- gone since the previous successful run of their source, companies and
-- roles with open postings, the share of open postings open worldwide, and
-- how many sources have a previous run to compare with.
SELECT
    (SELECT count(*) FROM open_postings) AS open,
    (SELECT count(*) FROM new_postings) AS new,
    (SELECT count(*) FROM gone_postings) AS gone,
    (SELECT count(DISTINCT company) FROM open_postings WHERE company <> '') AS companies,
    (SELECT count(DISTINCT role) FROM open_postings WHERE role <> '') AS roles,
    (SELECT round(100.0 * count(*) FILTER (WHERE scope = 'worldwide') / greatest(count(*), 1)) FROM open_postings) AS worldwide,
    (SELECT count(*) FROM source_run_pairs WHERE previous_run IS NOT NULL) AS compared
