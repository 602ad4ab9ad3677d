-- 0011: the publisher's occupation code, kept on the posting.
--
--   postings.occupation_code   (new column)
--
-- France Travail files each offer under a code of its occupation register
-- (ROME), which the source keeps as 'rome:D1106' (ingest.Posting's
-- OccupationCode, "scheme:code"). The normalizer reads the role from it
-- where the title names none; until now the code itself stayed in memory
-- and in the lake's raw pages. Kept here, a reader can check a posting's
-- role against what its publisher said, and count offers by the
-- publisher's own occupation. NULL when the source gives none (every source
-- but France Travail), never ''.
--
-- It is a content column, covered by content_hash, which takes it in only
-- when it is set: a posting without a code keeps the hash it had, so the
-- first load after this migration rewrites only the postings that have a
-- code (a France Travail posting loaded before it gets its code when a load
-- sees it again; `jobpulse replay` fills every row at once).
--
-- The views that select p.* (open_postings, new_postings, gone_postings,
-- previous_postings, returned_postings) keep their columns: PostgreSQL
-- fixed them when each view was made, and no report reads the code yet.
-- A query that wants it joins postings by id.

ALTER TABLE postings
    ADD COLUMN occupation_code text CHECK (occupation_code <> ''); -- "scheme:code", e.g. 'rome:D1106'; NULL when none
