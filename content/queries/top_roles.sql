-- The 10 most demanded roles (job families read from the titles): open
-- postings per role and their share of all open postings, ties broken by
-- role. Postings whose title names no known role are left out of the list
-- but counted in the share's total.
SELECT role AS "Role", count(*) AS "Postings",
       round(100.0 * count(*) / (SELECT count(*) FROM open_postings), 1) AS "Share %"
FROM open_postings
WHERE role <> ''
GROUP BY role
ORDER BY count(*) DESC, role
LIMIT 10
