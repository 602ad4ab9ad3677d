-- The 10 most demanded roles (job families read from the titles): open
-- postings per role, their share of all open postings and their rank (view
-- role_demand: tied roles share a rank, and a role ranks the same in every
-- list). Every role tied with the tenth is listed too, so the list can be
-- longer than 10. Postings whose title names no known role are in no list
-- but in the share's total.
SELECT rank AS "Rank", role AS "Role", postings AS "Postings", share AS "Share %"
FROM role_demand
WHERE rank <= 10
ORDER BY rank, role
