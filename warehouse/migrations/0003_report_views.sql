-- 0003: views that every report reads, so that a page's SQL says what it
-- counts and not how the warehouse stores it.
--
--   source_latest_runs   each source's newest run that fetched it successfully
--   open_postings        the postings open now (see below)
--   source_run_pairs     each source's newest successful run and the one before
--   countries            English names of the countries the normalizer knows
--   posting_places       each posting's places: its countries, regions, or
--                        "Worldwide", one row per place

-- Each source's newest successful run. Runs are ordered by (started_at, id),
-- as everywhere.
CREATE VIEW source_latest_runs AS
SELECT DISTINCT ON (rs.source) rs.source, rs.run_id, r.started_at
FROM run_sources rs
JOIN runs r ON r.id = rs.run_id
WHERE rs.status = 'ok' AND r.status <> 'running'
ORDER BY rs.source, r.started_at DESC, r.id DESC;

-- A posting is open when the newest run that fetched its source successfully
-- saw it. A source that failed in the last run therefore does not make its
-- postings vanish from the report: they stay open as its last good run saw
-- them, until a run fetches the source again. (postings.source is the source
-- of the listing its newest sighting read, so that run saw it through that
-- source.)
CREATE VIEW open_postings AS
SELECT p.*
FROM postings p
JOIN source_latest_runs l ON l.source = p.source AND l.run_id = p.last_seen_run;

-- ISO 3166-1 alpha-2 codes of the countries in ingest/normalize/rules/places.tsv,
-- with their English names (from the Unicode CLDR). A code added to the rules
-- without a row here is shown as the code itself (see posting_places).
CREATE TABLE countries (
    code text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
    name text NOT NULL UNIQUE
);
INSERT INTO countries (code, name) VALUES
    ('AD', 'Andorra'),
    ('AE', 'United Arab Emirates'),
    ('AF', 'Afghanistan'),
    ('AL', 'Albania'),
    ('AM', 'Armenia'),
    ('AO', 'Angola'),
    ('AR', 'Argentina'),
    ('AT', 'Austria'),
    ('AU', 'Australia'),
    ('AZ', 'Azerbaijan'),
    ('BA', 'Bosnia and Herzegovina'),
    ('BD', 'Bangladesh'),
    ('BE', 'Belgium'),
    ('BG', 'Bulgaria'),
    ('BH', 'Bahrain'),
    ('BO', 'Bolivia'),
    ('BR', 'Brazil'),
    ('BY', 'Belarus'),
    ('CA', 'Canada'),
    ('CH', 'Switzerland'),
    ('CI', 'Côte d’Ivoire'),
    ('CL', 'Chile'),
    ('CM', 'Cameroon'),
    ('CN', 'China'),
    ('CO', 'Colombia'),
    ('CR', 'Costa Rica'),
    ('CU', 'Cuba'),
    ('CY', 'Cyprus'),
    ('CZ', 'Czechia'),
    ('DE', 'Germany'),
    ('DK', 'Denmark'),
    ('DO', 'Dominican Republic'),
    ('DZ', 'Algeria'),
    ('EC', 'Ecuador'),
    ('EE', 'Estonia'),
    ('EG', 'Egypt'),
    ('ES', 'Spain'),
    ('ET', 'Ethiopia'),
    ('FI', 'Finland'),
    ('FR', 'France'),
    ('GB', 'United Kingdom'),
    ('GE', 'Georgia'),
    ('GH', 'Ghana'),
    ('GR', 'Greece'),
    ('GT', 'Guatemala'),
    ('HK', 'Hong Kong'),
    ('HN', 'Honduras'),
    ('HR', 'Croatia'),
    ('HT', 'Haiti'),
    ('HU', 'Hungary'),
    ('ID', 'Indonesia'),
    ('IE', 'Ireland'),
    ('IL', 'Israel'),
    ('IN', 'India'),
    ('IQ', 'Iraq'),
    ('IR', 'Iran'),
    ('IS', 'Iceland'),
    ('IT', 'Italy'),
    ('JM', 'Jamaica'),
    ('JO', 'Jordan'),
    ('JP', 'Japan'),
    ('KE', 'Kenya'),
    ('KH', 'Cambodia'),
    ('KR', 'South Korea'),
    ('KW', 'Kuwait'),
    ('KZ', 'Kazakhstan'),
    ('LB', 'Lebanon'),
    ('LK', 'Sri Lanka'),
    ('LT', 'Lithuania'),
    ('LU', 'Luxembourg'),
    ('LV', 'Latvia'),
    ('MA', 'Morocco'),
    ('MD', 'Moldova'),
    ('ME', 'Montenegro'),
    ('MK', 'North Macedonia'),
    ('MT', 'Malta'),
    ('MU', 'Mauritius'),
    ('MX', 'Mexico'),
    ('MY', 'Malaysia'),
    ('NG', 'Nigeria'),
    ('NI', 'Nicaragua'),
    ('NL', 'Netherlands'),
    ('NO', 'Norway'),
    ('NP', 'Nepal'),
    ('NZ', 'New Zealand'),
    ('OM', 'Oman'),
    ('PA', 'Panama'),
    ('PE', 'Peru'),
    ('PH', 'Philippines'),
    ('PK', 'Pakistan'),
    ('PL', 'Poland'),
    ('PR', 'Puerto Rico'),
    ('PT', 'Portugal'),
    ('PY', 'Paraguay'),
    ('QA', 'Qatar'),
    ('RO', 'Romania'),
    ('RS', 'Serbia'),
    ('RU', 'Russia'),
    ('RW', 'Rwanda'),
    ('SA', 'Saudi Arabia'),
    ('SE', 'Sweden'),
    ('SG', 'Singapore'),
    ('SI', 'Slovenia'),
    ('SK', 'Slovakia'),
    ('SN', 'Senegal'),
    ('SV', 'El Salvador'),
    ('TH', 'Thailand'),
    ('TN', 'Tunisia'),
    ('TR', 'Turkey'),
    ('TW', 'Taiwan'),
    ('TZ', 'Tanzania'),
    ('UA', 'Ukraine'),
    ('UG', 'Uganda'),
    ('US', 'United States'),
    ('UY', 'Uruguay'),
    ('UZ', 'Uzbekistan'),
    ('VE', 'Venezuela'),
    ('VN', 'Vietnam'),
    ('ZA', 'South Africa'),
    ('ZM', 'Zambia'),
    ('ZW', 'Zimbabwe');

-- Where a posting may be worked from, one row per place: each country (by
-- name), each region, and "Worldwide" for a posting open worldwide. A posting
-- whose location says nothing has no row. kind is 'country', 'region' or
-- 'worldwide'.
CREATE VIEW posting_places AS
SELECT p.id AS posting_id, coalesce(c.name, u.code) AS place, 'country' AS kind
FROM postings p
CROSS JOIN LATERAL unnest(p.countries) AS u (code)
LEFT JOIN countries c ON c.code = u.code
UNION ALL
SELECT p.id, r.region, 'region'
FROM postings p
CROSS JOIN LATERAL unnest(p.regions) AS r (region)
UNION ALL
SELECT p.id, 'Worldwide', 'worldwide'
FROM postings p
WHERE p.scope = 'worldwide';

-- Each source's newest successful run and the successful run before it
-- (NULL when there is none): the two runs "what changed" compares.
CREATE VIEW source_run_pairs AS
SELECT l.source, l.run_id AS latest_run,
       (SELECT rs.run_id
        FROM run_sources rs
        JOIN runs r ON r.id = rs.run_id
        WHERE rs.source = l.source AND rs.status = 'ok' AND r.status <> 'running'
          AND (r.started_at, r.id) < (l.started_at, l.run_id)
        ORDER BY r.started_at DESC, r.id DESC
        LIMIT 1) AS previous_run
FROM source_latest_runs l;
