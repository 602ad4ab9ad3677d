-- The 10 most demanded job titles: postings per title, ties broken by title.
SELECT title AS "Job title", count(*) AS "Postings"
FROM postings
GROUP BY title
ORDER BY count(*) DESC, title
LIMIT 10
