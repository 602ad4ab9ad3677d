-- 0006: the names readers type for the values the normalizer writes, for the
-- report's search.
--
--   search_names   one row per name: "usa" and "deutschland" for the
--                  countries US and DE, "k8s" for the skill Kubernetes,
--                  "react" for the role Frontend Engineer
--
-- The rows come from the normalizer's rule tables (ingest/normalize.Names):
-- every load writes them anew, in its transaction, when they differ from the
-- binary's, so they are the names of the rules that loaded the data. Until
-- the first load after this migration the table is empty, and the search
-- finds values by their own names only.

CREATE TABLE search_names (
    kind  text NOT NULL CHECK (kind IN ('role', 'skill', 'country', 'region', 'same')),
    value text NOT NULL, -- the role, the skill, the country's ISO code, the region; for 'same', a group of words
    alias text NOT NULL, -- lower case, no accents: 'usa', 'k8s', 'golang'; for 'same', a word of the group
    PRIMARY KEY (kind, value, alias)
);
