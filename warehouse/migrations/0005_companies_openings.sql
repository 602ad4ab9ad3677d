-- 0005: each company counted once whatever its spelling, and each opening
-- counted, also when one posting has several.
--
--   postings.company_key, postings.company_name   (new columns)
--   companies        each company (company_key) with the one name reports show
--   open_listings    the listings open now
--   open_postings    gains openings: how many open listings the posting has
--                    at the source that lists it most
--   new_postings, gone_postings   redefined only to carry the new columns
--
-- Companies. One company is published under several spellings ("SumUp",
-- "SUMUP GMBH", "Sumup Ltd."). The normalizer (ingest/normalize.Company) gives
-- each posting company_key, which is the same for all of them (the name folded
-- and without its legal form: 'sumup'), and company_name, the published
-- spelling without its legal form ('SUMUP'). Both are '' when the posting names
-- no company ('', 'Confidential', 'N/A'). They are content columns, covered by
-- content_hash: rows written before this migration keep '' until a load sees
-- them again (their hash no longer matches, so it rewrites them) or a replay
-- reads the lake again; run `jobpulse replay` after upgrading to fill every
-- row. company_key is also the company part of the fingerprint, so every
-- listing of one posting has the posting's company_key.
--
-- Openings. A posting is one job (one fingerprint: company, title, countries
-- and regions, not towns). A company that publishes one job separately for 41
-- towns of one country publishes 41 listings of one posting; a job on two
-- sources is one posting with a listing on each. The posting's openings are
-- its listings open now at the source that has most of them: 41 in the first
-- case, 1 in the second, 1 for a posting whose one listing names several towns
-- (the text does not say how many people are hired), and never less than 1.
-- Figures of places and companies count openings, so a job advertised town by
-- town is not one line among many; figures of roles, skills and salaries count
-- postings (jobs).

ALTER TABLE postings
    ADD COLUMN company_key  text NOT NULL DEFAULT '', -- groups the spellings of one company, e.g. 'sumup'; '' when none is named
    ADD COLUMN company_name text NOT NULL DEFAULT ''; -- the published name without its legal form, e.g. 'SumUp'; '' with company_key

-- Each company named by a posting, open or not, with the name reports show:
-- among the spellings its postings give (company_name), one in mixed case
-- before one in capitals or in lower case only ('SumUp' before 'SUMUP'), then
-- the spelling most postings give, then the first in byte order. Every
-- posting counts, not only the open ones, so that a company keeps its name
-- from one day to the next.
CREATE VIEW companies AS
SELECT DISTINCT ON (company_key) company_key, company_name AS name
FROM (SELECT company_key, company_name, count(*) AS n
      FROM postings WHERE company_key <> '' GROUP BY company_key, company_name) AS s
ORDER BY company_key,
         (company_name <> upper(company_name) AND company_name <> lower(company_name)) DESC,
         n DESC, company_name COLLATE "C";

-- A listing is open when the newest successful run of its source, or a run
-- after it, saw it: open_postings' rule, for listings.
CREATE VIEW open_listings AS
SELECT li.*
FROM listings li
JOIN source_latest_runs l ON l.source = li.source
JOIN runs r ON r.id = li.last_seen_run
WHERE (r.started_at, r.id) >= (l.started_at, l.run_id);

-- As in 0004, with the new columns of postings and the posting's openings.
-- A query that does not read openings does not pay for them: the planner
-- drops a left join on a grouped key whose columns nothing reads.
CREATE OR REPLACE VIEW open_postings AS
SELECT p.*, coalesce(o.openings, 1) AS openings
FROM postings p
JOIN source_latest_runs l ON l.source = p.source
JOIN runs r ON r.id = p.last_seen_run
LEFT JOIN (
    SELECT posting_id, max(n)::integer AS openings
    FROM (SELECT posting_id, source, count(*) AS n FROM open_listings GROUP BY posting_id, source) AS s
    GROUP BY posting_id
) AS o ON o.posting_id = p.id
WHERE (r.started_at, r.id) >= (l.started_at, l.run_id);

CREATE OR REPLACE VIEW new_postings AS
SELECT p.*
FROM postings p
JOIN source_run_pairs pr ON pr.source = p.source
JOIN runs prev ON prev.id = pr.previous_run
JOIN runs r ON r.id = p.first_seen_run
WHERE (r.started_at, r.id) > (prev.started_at, prev.id);

CREATE OR REPLACE VIEW gone_postings AS
SELECT p.*
FROM postings p
JOIN source_run_pairs pr ON pr.source = p.source
JOIN runs prev ON prev.id = pr.previous_run
JOIN source_latest_runs l ON l.source = p.source
JOIN runs r ON r.id = p.last_seen_run
WHERE (r.started_at, r.id) >= (prev.started_at, prev.id)
  AND (r.started_at, r.id) < (l.started_at, l.run_id);
