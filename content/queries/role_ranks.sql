-- Open postings per role with its share of all open postings and its rank
-- among the roles with at least 5 open postings (view role_demand: fewer
-- are too few to rank, and get no rank; tied roles share a rank). Roles
-- with fewer postings are listed too.
SELECT rank AS "Rank", role AS "Role", postings AS "Postings", share AS "Share %"
FROM role_demand
ORDER BY postings DESC, role
