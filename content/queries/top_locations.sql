-- The 5 places with the most openings: countries, regions, and
-- "Worldwide" for postings open worldwide (view posting_places), with the
-- postings (jobs) behind them. A posting's openings are its open listings at
-- the source that lists it most (a job listed once per town has one per
-- town; see open_postings). A posting counts in each place it names, so
-- shares can add up to more than 100. Postings whose location says nothing
-- are in no place. Ties broken by place.
SELECT pl.place AS "Location", sum(o.openings) AS "Openings", count(*) AS "Postings",
       round(100.0 * sum(o.openings) / (SELECT sum(openings) FROM open_postings), 1) AS "Share %"
FROM posting_places pl
JOIN open_postings o ON o.id = pl.posting_id
GROUP BY pl.place
ORDER BY sum(o.openings) DESC, count(*) DESC, pl.place
LIMIT 5
