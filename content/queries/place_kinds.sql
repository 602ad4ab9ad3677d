-- Openings by the kind of place they are open to, beside the list of
-- countries, by the posting's scope, the widest place it names: open
-- worldwide, open to a whole region (Europe, LATAM...; a posting can name
-- countries beside its regions), open to named countries only, or naming no
-- place. Each opening has one scope, so these add up to all openings.
SELECT count(*) FILTER (WHERE scope = 'worldwide') AS worldwide_postings,
       coalesce(sum(openings) FILTER (WHERE scope = 'worldwide'), 0) AS worldwide,
       coalesce(sum(openings) FILTER (WHERE scope = 'region'), 0) AS regions,
       coalesce(sum(openings) FILTER (WHERE scope = 'country'), 0) AS countries,
       coalesce(sum(openings) FILTER (WHERE scope = ''), 0) AS unstated,
       coalesce(sum(openings), 0) AS openings
FROM open_postings
