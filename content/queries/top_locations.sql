-- The 5 locations with the most offers, as the source writes them; an empty
-- location is shown as "Unspecified". Ties broken by location.
SELECT CASE WHEN btrim(location_text) = '' THEN 'Unspecified' ELSE location_text END AS "Location",
       count(*) AS "Postings"
FROM postings
GROUP BY 1
ORDER BY count(*) DESC, 1
LIMIT 5
