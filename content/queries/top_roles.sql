-- The 10 most demanded roles (job families read from the titles): postings
-- per role, ties broken by role. Postings without a role are left out.
SELECT role AS "Role", count(*) AS "Postings"
FROM postings
WHERE role <> ''
GROUP BY role
ORDER BY count(*) DESC, role
LIMIT 10
