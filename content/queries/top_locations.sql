-- The 5 places named by the most open postings: countries, regions, and
-- "Worldwide" for postings open worldwide (view posting_places). A posting
-- open to two places counts for each, so shares can add up to more than 100.
-- Postings whose location says nothing are in no place. Ties broken by place.
SELECT pl.place AS "Location", count(*) AS "Postings",
       round(100.0 * count(*) / (SELECT count(*) FROM open_postings), 1) AS "Share %"
FROM posting_places pl
JOIN open_postings o ON o.id = pl.posting_id
GROUP BY pl.place
ORDER BY count(*) DESC, pl.place
LIMIT 5
