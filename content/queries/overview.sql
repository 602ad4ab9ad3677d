-- The state of the market in one row: open postings and their openings,
-- those new since and gone since the previous successful run of their
-- source, companies (each counted once whatever its spelling) and roles with
-- open postings, the share of open postings open worldwide, and how many
-- sources have a previous run to compare with.
SELECT
    (SELECT count(*) FROM open_postings) AS open,
    (SELECT coalesce(sum(openings), 0) FROM open_postings) AS openings,
    (SELECT count(*) FROM new_postings) AS new,
    (SELECT count(*) FROM gone_postings) AS gone,
    (SELECT count(DISTINCT company_key) FROM open_postings WHERE company_key <> '') AS companies,
    (SELECT count(DISTINCT role) FROM open_postings WHERE role <> '') AS roles,
    (SELECT round(100.0 * count(*) FILTER (WHERE scope = 'worldwide') / greatest(count(*), 1)) FROM open_postings) AS worldwide,
    (SELECT count(*) FROM source_run_pairs WHERE previous_run IS NOT NULL) AS compared
