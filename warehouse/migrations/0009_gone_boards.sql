-- 0009: company boards. One that answers 404 is "gone", not failed; and
-- the views that name the boards and the kinds of source, for the report.
--
-- A company that leaves an applicant tracking system leaves its board there
-- answering 404. That is news about the company, not a failure of the night:
-- the source's row in run_sources says "gone" (with the answer in error), the
-- run is not partial because of it, and the board's postings close, as they
-- would if the board listed none. So a gone source counts as fetched: it is
-- a successful run of its source in source_latest_runs and source_run_pairs,
-- and it does not make a day incomplete in run_days.

ALTER TABLE run_sources DROP CONSTRAINT run_sources_status_check;
ALTER TABLE run_sources ADD CONSTRAINT run_sources_status_check CHECK (status IN ('ok', 'failed', 'gone'));

CREATE OR REPLACE VIEW source_latest_runs AS
SELECT DISTINCT ON (rs.source) rs.source, rs.run_id, r.started_at
FROM run_sources rs
JOIN runs r ON r.id = rs.run_id
WHERE rs.status IN ('ok', 'gone') AND r.status <> 'running'
ORDER BY rs.source, r.started_at DESC, r.id DESC;

CREATE OR REPLACE VIEW source_run_pairs AS
SELECT l.source, l.run_id AS latest_run,
       (SELECT rs.run_id
        FROM run_sources rs
        JOIN runs r ON r.id = rs.run_id
        WHERE rs.source = l.source AND rs.status IN ('ok', 'gone') AND r.status <> 'running'
          AND (r.started_at, r.id) < (l.started_at, l.run_id)
        ORDER BY r.started_at DESC, r.id DESC
        LIMIT 1) AS previous_run
FROM source_latest_runs l;

CREATE OR REPLACE VIEW run_days AS
SELECT d.*, count(*) OVER (PARTITION BY date_trunc('week', d.day)) AS days_in_week
FROM (
    SELECT DISTINCT ON (r.started_at::date) r.started_at::date AS day, r.id AS run_id,
           r.status = 'ok' AND NOT EXISTS (
               SELECT 1 FROM run_sources rs WHERE rs.run_id = r.id AND rs.status NOT IN ('ok', 'gone')) AS complete
    FROM runs r
    WHERE r.status <> 'running'
    ORDER BY r.started_at::date, r.started_at DESC, r.id DESC
) AS d;

-- The company boards among the sources, for the report: each source named
-- "<kind>-<board>" (ingest/boards) whose kind is a system below, with the
-- system's name and the company's own board page, which the report links
-- to. source_kinds gives every source the kind of source it is, for
-- comparing what each kind contributes: "Greenhouse boards" for every
-- Greenhouse board, the source's own name for an aggregator or a crawled
-- board. The pages are those of ingest/boards.Board.Page (a test of
-- cmd/jobpulse holds them together).
CREATE VIEW board_systems (kind, system, page_prefix, page_suffix) AS
VALUES ('greenhouse', 'Greenhouse', 'https://boards.greenhouse.io/', ''),
       ('lever', 'Lever', 'https://jobs.lever.co/', ''),
       ('ashby', 'Ashby', 'https://jobs.ashbyhq.com/', ''),
       ('smartrecruiters', 'SmartRecruiters', 'https://jobs.smartrecruiters.com/', ''),
       ('recruitee', 'Recruitee', 'https://', '.recruitee.com/'),
       ('workable', 'Workable', 'https://apply.workable.com/', '/'),
       ('personio', 'Personio', 'https://', '.jobs.personio.de/');

CREATE VIEW company_boards AS
SELECT s.source, k.kind, k.system, b.board, k.page_prefix || b.board || k.page_suffix AS board_page
FROM (SELECT DISTINCT source FROM run_sources) AS s
JOIN board_systems k ON starts_with(s.source, k.kind || '-')
CROSS JOIN LATERAL (SELECT substr(s.source, length(k.kind) + 2) AS board) AS b
WHERE b.board <> '';

CREATE VIEW source_kinds AS
SELECT s.source, coalesce(b.system || ' boards', s.source) AS kind, b.source IS NOT NULL AS company_board
FROM (SELECT DISTINCT source FROM run_sources) AS s
LEFT JOIN company_boards b ON b.source = s.source;
