-- 0001: the warehouse model.
--
--   runs ─┬─ run_sources   what each source of a run fetched and parsed
--         └─ rejects       records that could not be parsed, with their lake key
--   postings               one row per distinct job (its fingerprint), with the
--                          normalized fields and the raw fields of one listing
--   listings               one row per source record (source, source_id), pointing
--                          at the posting it is a listing of
--   sightings              which run saw which posting: the history behind trends
--
-- Identity. A posting is identified by the fingerprint the normalizer computes
-- from company, title and location (ingest.Posting.Fingerprint, 32 hex digits =
-- a uuid): the same job on two sources, or reposted under a new id, is one
-- posting with two listings. A posting without a fingerprint is identified by
-- its source and source id instead (the first 16 bytes of
-- sha256("jobpulse-listing\x00" || source || "\x00" || source_id)), so it is
-- one posting per listing; a fingerprint that is not 32 hex digits is hashed
-- the same way ("jobpulse-fingerprint\x00" || fingerprint).
--
-- History. Every row carries the run that first and the run that last saw it
-- (lineage). Runs are ordered by (started_at, id). A posting's and a listing's
-- content (and lake_key) comes from the newest run that saw it; within one run,
-- from the first listing in load order (sources by name, pages by lake key,
-- records in page order). Loading an older run after newer ones only moves
-- first_seen_* earlier and adds its sightings, so the tables do not depend on
-- the order runs are loaded in. Loading the same run again writes nothing.
--
-- Integrity. CHECKs and NOT NULL hold everywhere. Foreign keys are kept on the
-- small tables (run_sources, rejects). The hot tables (postings, listings,
-- sightings) have none: a foreign key is a trigger per inserted row, measured
-- at 5 of the 14 seconds of a 200,000-posting load. The loader (warehouse.Loader)
-- keeps their references right itself: it writes the run, its postings, their
-- listings and sightings in one transaction, and nothing in jobpulse deletes
-- runs or postings. Whoever deletes a run by hand deletes its sightings too.

-- One row per ingest run: when it ran and how it ended.
CREATE TABLE runs (
    id          text PRIMARY KEY,              -- e.g. 20261129T012823Z-3f9a; sorts by start time
    started_at  timestamptz NOT NULL,          -- also the time the run's postings are seen at
    finished_at timestamptz,                   -- NULL while running
    status      text NOT NULL CHECK (status IN ('running', 'ok', 'partial', 'failed')),
    sample      boolean NOT NULL DEFAULT false -- true for the demo's generated data
);

-- One row per source of a run.
CREATE TABLE run_sources (
    run_id    text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    source    text NOT NULL,
    status    text NOT NULL CHECK (status IN ('ok', 'failed')),
    error     text NOT NULL DEFAULT '',        -- why it failed: fetch errors, pages that could not be parsed
    pages     integer NOT NULL DEFAULT 0 CHECK (pages >= 0),    -- raw pages in the lake, failed ones included
    postings  integer NOT NULL DEFAULT 0 CHECK (postings >= 0), -- postings parsed, before deduplication
    rejected  integer NOT NULL DEFAULT 0 CHECK (rejected >= 0), -- rows of rejects
    lake_keys text[] NOT NULL DEFAULT '{}',    -- raw pages of this source in this run, sorted
    PRIMARY KEY (run_id, source)
);

-- What could not be parsed: a record of a page (record_index >= 0), or a whole
-- page (record_index = -1), with the lake key of the raw page and the reason.
CREATE TABLE rejects (
    run_id       text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    source       text NOT NULL,                -- from the lake key; '' when the key names none
    lake_key     text NOT NULL,
    record_index integer NOT NULL CHECK (record_index >= -1),
    reason       text NOT NULL,
    PRIMARY KEY (run_id, lake_key, record_index)
);

-- One row per distinct posting (fingerprint).
CREATE TABLE postings (
    id                uuid PRIMARY KEY,        -- the fingerprint (see Identity above)

    -- Normalized fields (ingest.Normalize). '' / '{}' / NULL mean unknown:
    -- nothing is invented where the text says nothing.
    role              text NOT NULL DEFAULT '', -- job family, e.g. 'Backend Engineer'
    seniority         text NOT NULL DEFAULT '', -- e.g. 'Senior'
    scope             text NOT NULL DEFAULT '' CHECK (scope IN ('', 'worldwide', 'region', 'country')),
    countries         text[] NOT NULL DEFAULT '{}', -- ISO 3166-1 alpha-2, sorted
    regions           text[] NOT NULL DEFAULT '{}', -- e.g. {Americas,Europe}, sorted
    workplace         text NOT NULL DEFAULT '' CHECK (workplace IN ('', 'remote', 'hybrid', 'onsite')),
    salary_min        numeric CHECK (salary_min >= 0), -- in currency per period
    salary_max        numeric CHECK (salary_max >= 0),
    currency          text NOT NULL DEFAULT '' CHECK (octet_length(currency) IN (0, 3)), -- ISO 4217 (the loader checks A-Z: a regex here costs 5% of a load)
    period            text NOT NULL DEFAULT '' CHECK (period IN ('', 'hour', 'day', 'week', 'month', 'year')),
    salary_annual_min numeric CHECK (salary_annual_min >= 0), -- per year, when the period is known
    salary_annual_max numeric CHECK (salary_annual_max >= 0),
    skills            text[] NOT NULL DEFAULT '{}', -- normalized, sorted
    description_text  text NOT NULL DEFAULT '', -- the description as plain text

    -- Raw fields of the listing the content came from, as the source published
    -- them (the raw description is in the lake, at lake_key).
    source            text NOT NULL,
    source_id         text NOT NULL,
    url               text NOT NULL DEFAULT '',
    title             text NOT NULL,
    company           text NOT NULL DEFAULT '',
    company_logo      text NOT NULL DEFAULT '',
    category          text NOT NULL DEFAULT '',
    job_type          text NOT NULL DEFAULT '',
    location_text     text NOT NULL DEFAULT '',
    salary_text       text NOT NULL DEFAULT '',
    tags              text[] NOT NULL DEFAULT '{}',
    published_at      timestamptz,             -- NULL when unknown
    lake_key          text NOT NULL,           -- raw page its last sighting read the content from

    -- A hash of the content columns above (lake_key excepted), so that a load
    -- compares a posting without reading it. 0 (a row written by hand) never
    -- matches: the next load that sees the posting rewrites its content.
    content_hash      bigint NOT NULL DEFAULT 0,

    first_seen_run    text NOT NULL,           -- runs.id (no foreign key: see Integrity)
    last_seen_run     text NOT NULL,
    first_seen_at     timestamptz NOT NULL,    -- the runs' started_at
    last_seen_at      timestamptz NOT NULL,
    CHECK ((first_seen_at, first_seen_run) <= (last_seen_at, last_seen_run))
);

-- One row per record of a source: (source, source_id) is a listing of a posting.
CREATE TABLE listings (
    source         text NOT NULL,
    source_id      text NOT NULL,
    posting_id     uuid NOT NULL,              -- postings.id (no foreign key: see Integrity)
    url            text NOT NULL DEFAULT '',
    lake_key       text NOT NULL,              -- raw page of its last sighting
    first_seen_run text NOT NULL,
    last_seen_run  text NOT NULL,
    first_seen_at  timestamptz NOT NULL,
    last_seen_at   timestamptz NOT NULL,
    PRIMARY KEY (source, source_id),
    CHECK ((first_seen_at, first_seen_run) <= (last_seen_at, last_seen_run))
);

-- Which run saw which posting (through one listing or more). Its primary key
-- also answers "the postings run X saw" (the current postings, for the last
-- run) without an index on postings. Indexes on postings (role), (last_seen_run)
-- were measured at 7-15% of a 200,000-posting load's server time, and a
-- report scans most postings anyway: add them when a report needs them.
CREATE TABLE sightings (
    run_id     text NOT NULL,                  -- runs.id (no foreign key: see Integrity)
    posting_id uuid NOT NULL,                  -- postings.id
    PRIMARY KEY (run_id, posting_id)
);
