-- 0001: runs, postings and their sightings.

-- One row per ingest run: what it fetched, from which sources, how it ended.
CREATE TABLE runs (
    id          text PRIMARY KEY,              -- e.g. 20261129T012823Z-3f9a
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    status      text NOT NULL CHECK (status IN ('running', 'ok', 'partial', 'failed')),
    sample      boolean NOT NULL DEFAULT false -- true for the demo's generated data
);

-- One row per source of a run.
CREATE TABLE run_sources (
    run_id    text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    source    text NOT NULL,
    status    text NOT NULL CHECK (status IN ('ok', 'failed')),
    error     text NOT NULL DEFAULT '',
    pages     integer NOT NULL DEFAULT 0,
    postings  integer NOT NULL DEFAULT 0,      -- postings parsed
    rejected  integer NOT NULL DEFAULT 0,      -- records that could not be parsed
    lake_keys text[] NOT NULL DEFAULT '{}',    -- raw pages of this source in this run
    PRIMARY KEY (run_id, source)
);

-- One row per posting (source, source_id), updated with what was last seen.
CREATE TABLE postings (
    source         text NOT NULL,
    source_id      text NOT NULL,
    url            text NOT NULL DEFAULT '',
    title          text NOT NULL,
    company        text NOT NULL DEFAULT '',
    company_logo   text NOT NULL DEFAULT '',
    category       text NOT NULL DEFAULT '',
    job_type       text NOT NULL DEFAULT '',
    location       text NOT NULL DEFAULT '',
    salary_text    text NOT NULL DEFAULT '',
    tags           text[] NOT NULL DEFAULT '{}',
    description    text NOT NULL DEFAULT '',
    published_at   timestamptz,
    first_seen_run text NOT NULL REFERENCES runs (id),
    last_seen_run  text NOT NULL REFERENCES runs (id),
    first_seen_at  timestamptz NOT NULL,
    last_seen_at   timestamptz NOT NULL,
    lake_key       text NOT NULL,              -- raw page the current values came from
    PRIMARY KEY (source, source_id)
);

-- Every sighting of a posting by a run: the history behind trends.
CREATE TABLE sightings (
    run_id    text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    source    text NOT NULL,
    source_id text NOT NULL,
    lake_key  text NOT NULL,
    PRIMARY KEY (run_id, source, source_id),
    FOREIGN KEY (source, source_id) REFERENCES postings (source, source_id)
);

CREATE INDEX sightings_posting ON sightings (source, source_id);
