-- 0012: the names the report lists, counted by the load.
--
-- The report lists every role, skill and place any posting names (a page
-- each) and shows each company under one name chosen among the spellings
-- of all its postings (view companies). Each of those read every posting of
-- the history: on a year of nights (2,000,000 postings) each list took 1.5
-- to 3 s and each query that named companies 2 to 3 s, so the report's build
-- took 7.7 times as long as on a week. The names change only when postings
-- do, so the load counts them (the loader counts the names of the postings
-- a run adds or changes as it streams them, and takes away those a changed
-- posting gave before with uncount_names) and the report reads a few thousand
-- rows.
--
--   posting_names   per name, the postings that name it now:
--                   ('role', role, ''), ('skill', skill, ''),
--                   ('place', place, its kind) as posting_places names it,
--                   ('company', company_key, company_name): each spelling
--                   of a company's name
--
-- A name no posting gives any more (its postings changed) is deleted. The
-- counts are of postings, open or not: as before, a company keeps its name
-- and a role its page from one day to the next.

-- places_of is the places a posting names: posting_places' rule, written
-- once for the view, the run tallies and the names.
CREATE FUNCTION places_of(in_countries text[], in_regions text[], in_scope text)
RETURNS TABLE (place text, kind text) LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT c.name FROM countries c WHERE c.code = u.code), u.code), 'country'
    FROM unnest(in_countries) AS u (code)
    UNION ALL
    SELECT r.region, 'region'
    FROM unnest(in_regions) AS r (region)
    UNION ALL
    SELECT 'Worldwide', 'worldwide'
    WHERE in_scope = 'worldwide'
$$;

CREATE OR REPLACE VIEW posting_places AS
SELECT p.id AS posting_id, x.place, x.kind
FROM postings p
CROSS JOIN LATERAL places_of(p.countries, p.regions, p.scope) AS x;

-- posting_name_rows: each name a posting gives, once.
CREATE VIEW posting_name_rows AS
SELECT p.id AS posting_id, k.kind, k.key, k.detail
FROM postings p
CROSS JOIN LATERAL (
    SELECT 'role', p.role, '' WHERE p.role <> ''
    UNION
    SELECT 'skill', s, '' FROM unnest(p.skills) AS s
    UNION
    SELECT 'place', x.place, x.kind FROM places_of(p.countries, p.regions, p.scope) AS x
    UNION
    SELECT 'company', p.company_key, p.company_name WHERE p.company_key <> ''
) AS k (kind, key, detail);

CREATE TABLE posting_names (
    kind     text NOT NULL CHECK (kind IN ('role', 'skill', 'place', 'company')),
    key      text NOT NULL,
    detail   text NOT NULL,
    postings integer NOT NULL CHECK (postings >= 0)
);

-- A company's name is the outside's text, of any length: the key is made of
-- its hashes, as a B-tree holds at most about 2,700 bytes a row. (Two names
-- of one hash would share a row: a forged collision could at most merge the
-- counts of two spellings.)
CREATE UNIQUE INDEX posting_names_key ON posting_names (kind, md5(key), md5(detail));

-- uncount_names takes away the names of the postings ids: the loader takes
-- away a changed posting's names before it writes the change, and counts
-- the names it gives after (with those of the postings it adds) as it
-- streams them.
CREATE FUNCTION uncount_names(ids uuid[]) RETURNS void LANGUAGE sql VOLATILE AS $$
    UPDATE posting_names AS n SET postings = n.postings - c.n
    FROM (SELECT kind, key, detail, count(*) AS n FROM posting_name_rows
          WHERE posting_id = ANY (ids) GROUP BY kind, key, detail) AS c
    WHERE n.kind = c.kind AND md5(n.key) = md5(c.key) AND md5(n.detail) = md5(c.detail);

    DELETE FROM posting_names WHERE postings = 0;
$$;

-- recount_names counts every posting's names again (below, once).
CREATE FUNCTION recount_names() RETURNS void LANGUAGE sql VOLATILE AS $$
    DELETE FROM posting_names;

    INSERT INTO posting_names (kind, key, detail, postings)
    SELECT kind, key, detail, count(*)
    FROM posting_name_rows
    GROUP BY kind, key, detail;
$$;

SELECT recount_names();

-- As in 0005, from the counted spellings.
CREATE OR REPLACE VIEW companies AS
SELECT DISTINCT ON (key) key AS company_key, detail AS name
FROM posting_names
WHERE kind = 'company'
ORDER BY key,
         (detail <> upper(detail) AND detail <> lower(detail)) DESC,
         postings DESC, detail COLLATE "C";

-- What a run saw (run_tallies), as in 0010, and the distinct postings of its
-- week (tally_week). The loader counts a run's postings as it streams them
-- (tally_counted: the names as kinds, keys and counts); tally_run counts
-- them from the run's sightings, for a run loaded again, one posting's names
-- read once (posting_name_rows), not its places a second time by id.
CREATE FUNCTION tally_week(run text) RETURNS void LANGUAGE sql VOLATILE AS $$
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

CREATE FUNCTION tally_counted(run text, kinds text[], keys text[], ns integer[]) RETURNS void LANGUAGE sql VOLATILE AS $$
    DELETE FROM run_tallies WHERE run_id = run;

    INSERT INTO run_tallies (run_id, kind, key, n)
    SELECT run, 'all', '', cardinality(posting_ids)
    FROM run_sightings WHERE run_id = run AND cardinality(posting_ids) > 0;

    INSERT INTO run_tallies (run_id, kind, key, n)
    SELECT run, k, v, n FROM unnest(kinds, keys, ns) AS u (k, v, n);

    SELECT tally_week(run);
$$;

CREATE OR REPLACE FUNCTION tally_run(run text) RETURNS void LANGUAGE sql VOLATILE AS $$
    DELETE FROM run_tallies WHERE run_id = run;

    INSERT INTO run_tallies (run_id, kind, key, n)
    SELECT run, 'all', '', cardinality(posting_ids)
    FROM run_sightings WHERE run_id = run AND cardinality(posting_ids) > 0;

    INSERT INTO run_tallies (run_id, kind, key, n)
    SELECT run, kind, key, count(*)
    FROM posting_name_rows
    WHERE kind <> 'company'
      AND posting_id = ANY ((SELECT posting_ids FROM run_sightings WHERE run_id = run)::uuid[])
    GROUP BY kind, key;

    SELECT tally_week(run);
$$;
