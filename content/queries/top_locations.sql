-- The 5 countries with the most openings, and every country tied with the
-- fifth (so the list can be longer than 5), with the postings (jobs) behind
-- them; rank as in every list: 1 + the number of countries with more
-- openings. Only countries: offers open worldwide or to a whole region (view
-- posting_places) are places of another kind, counted beside the list
-- (query place_kinds), not in it. A posting's openings are its open listings
-- at the source that lists it most (a job listed once per town has one per
-- town; see open_postings). A posting counts in each country it names, so
-- shares can add up to more than 100.
SELECT "Rank", "Country", "Openings", "Postings", "Share %" FROM (
    SELECT rank() OVER (ORDER BY sum(o.openings) DESC) AS "Rank", pl.place AS "Country",
           sum(o.openings) AS "Openings", count(*) AS "Postings",
           round(100.0 * sum(o.openings) / (SELECT sum(openings) FROM open_postings), 1) AS "Share %"
    FROM posting_places pl
    JOIN open_postings o ON o.id = pl.posting_id
    WHERE pl.kind = 'country'
    GROUP BY pl.place
) AS c
WHERE "Rank" <= 5
ORDER BY "Rank", "Postings" DESC, "Country"
