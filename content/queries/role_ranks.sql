-- Open postings per role with its share of all open postings and its rank
-- among the roles with at least 5 open postings (fewer are too few to rank
-- meaningfully: they get no rank). Roles with fewer postings are listed too.
WITH per_role AS (
    SELECT role, count(*) AS n FROM open_postings WHERE role <> '' GROUP BY role
)
SELECT role AS "Role", n AS "Postings",
       round(100.0 * n / (SELECT count(*) FROM open_postings), 1) AS "Share %",
       CASE WHEN n >= 5 THEN rank() OVER (ORDER BY (n >= 5) DESC, n DESC) END AS "Rank"
FROM per_role
ORDER BY n DESC, role
