-- 0010: what a run saw, counted once, when it is loaded.
--
-- The report's trends count what each day's run saw: postings in all, per
-- role, per skill and per place, and per week the distinct postings seen.
-- Read from the sightings, each of those queries joined every sighting of
-- the history with its posting: after a year of nights (8 million
-- sightings) a role trend took 100 s, and the report's build stopped on its
-- statement timeout. What a run saw does not change once it is loaded, so
-- the load counts it, in its transaction (tally_run, called by the loader
-- after it writes the run's sightings), and the trends read a few rows a
-- day.
--
--   run_tallies    per run: ('all', '') the postings it saw, as
--                  cardinality(run_sightings.posting_ids); ('role', role),
--                  ('skill', skill) and ('place', place as posting_places
--                  names it) the postings it saw with that value
--   week_tallies   per ISO week (its Monday, in UTC): the distinct postings
--                  seen by the week's runs (those not running)
--
-- A count uses the role, skills and places each posting had when the run was
-- loaded: a posting whose text changed later (and with it its role) is
-- counted on each day as it was read that day. A replay rebuilds them all.
-- This migration counts the runs already loaded (once; on a year of nights
-- it takes about as long as one of the old trend queries).

CREATE TABLE run_tallies (
    run_id text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    kind   text NOT NULL CHECK (kind IN ('all', 'role', 'skill', 'place')),
    key    text NOT NULL,
    n      integer NOT NULL CHECK (n > 0),
    PRIMARY KEY (run_id, kind, key)
);

CREATE TABLE week_tallies (
    week     date PRIMARY KEY CHECK (extract(isodow FROM week) = 1),
    postings integer NOT NULL
);

-- tally_run counts what the run saw (run_tallies) and the distinct postings
-- of its week (week_tallies), replacing what an earlier load of it counted.
-- The postings are read by id (the run's ids are a few thousand of a table
-- that grows every night), the week's sightings as arrays.
CREATE FUNCTION tally_run(run text) RETURNS void LANGUAGE sql VOLATILE AS $$
    DELETE FROM run_tallies WHERE run_id = run;

    INSERT INTO run_tallies (run_id, kind, key, n)
    SELECT run, 'all', '', cardinality(posting_ids)
    FROM run_sightings WHERE run_id = run AND cardinality(posting_ids) > 0;

    INSERT INTO run_tallies (run_id, kind, key, n)
    SELECT run, k.kind, k.key, count(*)
    FROM postings p
    CROSS JOIN LATERAL (
        SELECT 'role', p.role WHERE p.role <> ''
        UNION ALL
        SELECT 'skill', s FROM unnest(p.skills) AS s
        UNION ALL
        SELECT 'place', pl.place FROM posting_places pl WHERE pl.posting_id = p.id
    ) AS k (kind, key)
    WHERE p.id = ANY ((SELECT posting_ids FROM run_sightings WHERE run_id = run)::uuid[])
    GROUP BY k.kind, k.key;

    INSERT INTO week_tallies (week, postings)
    SELECT w.week, count(DISTINCT u.id)
    FROM (SELECT date_trunc('week', started_at AT TIME ZONE 'UTC')::date AS week FROM runs WHERE id = run) AS w
    JOIN runs r ON r.status <> 'running'
        AND r.started_at >= w.week::timestamp AT TIME ZONE 'UTC'
        AND r.started_at < (w.week + 7)::timestamp AT TIME ZONE 'UTC'
    JOIN run_sightings s ON s.run_id = r.id
    CROSS JOIN LATERAL unnest(s.posting_ids) AS u (id)
    GROUP BY w.week
    ON CONFLICT (week) DO UPDATE SET postings = excluded.postings;
$$;

SELECT tally_run(id) FROM runs ORDER BY started_at, id;
