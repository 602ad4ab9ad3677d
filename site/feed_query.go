package site

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
)

// What the feed (see feed.go) says of a run is what the Changes page says
// of the latest, kept for each of the latest runs: for every source the run
// fetched successfully, against the successful run of that source before
// it (the views source_run_pairs, new_postings and gone_postings compare
// the latest two; these queries compare every pair):
//
//   - new: postings of the source first seen after the previous run;
//   - gone: postings of the source seen by the previous run (or by a run
//     after it that failed for the source) that the run no longer lists;
//   - back: postings of the source the run lists, the previous run did
//     not, that were first seen before (gone for a while, listed again);
//   - before and now: postings per role seen by the previous run and by
//     the run, as the Changes page's roles that moved.
//
// A posting seen again after it was gone is gone in the entry of the night
// it went and back, not new, when it comes back: it was first seen before.
// So before + new + back - gone = now, unless a failed run between the two
// saw postings the previous run did not (they are gone, never before). Past
// entries read only the sightings of their runs and first sightings, which
// later runs do not change, so an entry says the same every night.

// feedRuns is the number of runs the feed has an entry for, and
// feedPostings the number of new (and of gone) postings an entry names.
const (
	feedRuns     = 10
	feedPostings = 50
)

// feedPairsSQL pairs each successful run of a source with the successful
// run of that source before it, and keeps the latest $1 runs that compare
// a source (recent). A board found gone is a successful fetch, of nothing
// (its postings are gone), as in the view source_run_pairs.
const feedPairsSQL = `
pairs AS (
    SELECT rs.run_id, rs.source, r.started_at,
           lag(rs.run_id) OVER w AS prev_run, lag(r.started_at) OVER w AS prev_started
    FROM run_sources rs JOIN runs r ON r.id = rs.run_id
    WHERE rs.status IN ('ok', 'gone') AND r.status <> 'running'
    WINDOW w AS (PARTITION BY rs.source ORDER BY r.started_at, r.id)
), recent AS MATERIALIZED (
    SELECT run_id, min(started_at) AS started_at FROM pairs WHERE prev_run IS NOT NULL
    GROUP BY run_id ORDER BY min(started_at) DESC, run_id DESC LIMIT $1
)`

// feedRunsSQL lists the runs of the feed, the latest first, with the
// sources they compare.
const feedRunsSQL = `WITH` + feedPairsSQL + `
SELECT r.id, r.started_at, coalesce(r.finished_at, r.started_at), r.sample,
       array(SELECT p.source FROM pairs p WHERE p.run_id = r.id AND p.prev_run IS NOT NULL ORDER BY 1)
FROM recent JOIN runs r ON r.id = recent.run_id
ORDER BY r.started_at DESC, r.id DESC`

// feedChangesSQL returns, for each run of the feed, one row per role (an
// empty kind) with its new, gone, back, before and now counts, and one row per new
// or gone posting (kind 'new' or 'gone', at most $2 of each), by role (those
// of no role last), title and id. It never groups sightings posting by
// posting (BenchmarkFeedQuery: 8.6 s when it did, 3.5 s since): before and
// now count each run's sightings per source and role (counted), gone
// postings are a set difference of two runs' sightings (gone_ids), and new
// ones are those of the runs' postings first seen since the previous run
// (new). The postings are read once, by id, and only those the compared
// runs saw (seen): joined with the whole table, each part read every posting
// of the history (113 s on a year of nights, 2,000,000 postings).
const feedChangesSQL = `WITH` + feedPairsSQL + `,
compared AS MATERIALIZED (
    SELECT p.run_id, p.source, p.started_at, p.prev_run, p.prev_started
    FROM pairs p JOIN recent USING (run_id) WHERE p.prev_run IS NOT NULL
), spans AS MATERIALIZED (
    -- each compared run and source, with the runs from the previous run of
    -- the source up to the run (not included)
    SELECT c.run_id, c.source, x.id AS seen_by
    FROM compared c
    JOIN runs x ON (x.started_at, x.id) >= (c.prev_started, c.prev_run) AND (x.started_at, x.id) < (c.started_at, c.run_id)
), seen AS MATERIALIZED (
    -- every posting the compared runs and their spans saw, once, read
    -- through the postings' index: the distinct ids of a few runs, not
    -- their sightings (1.2 million lookups on 60 nights of a big board
    -- when each sighting was looked up)
    SELECT p.id, p.source, p.role, p.first_seen_run, p.title, p.company, p.company_key, p.url
    FROM postings p
    WHERE p.id = ANY (ARRAY(
        SELECT DISTINCT u.id FROM run_sightings s CROSS JOIN LATERAL unnest(s.posting_ids) AS u (id)
        WHERE s.run_id = ANY (ARRAY(SELECT run_id FROM compared UNION SELECT seen_by FROM spans))))
), counted AS MATERIALIZED (
    SELECT s.run_id, p.source, p.role, count(*) AS n
    FROM run_sightings s
    CROSS JOIN LATERAL unnest(s.posting_ids) AS u (id)
    JOIN seen p ON p.id = u.id
    WHERE s.run_id IN (SELECT run_id FROM compared UNION SELECT prev_run FROM compared)
    GROUP BY 1, 2, 3
), gone_ids AS MATERIALIZED (
    -- a set difference per compared run and run of its span, once each
    SELECT x.run_id, x.seen_by, g.id
    FROM (SELECT DISTINCT run_id, seen_by FROM spans) AS x
    CROSS JOIN LATERAL (
        SELECT unnest(b.posting_ids) FROM run_sightings b WHERE b.run_id = x.seen_by
        EXCEPT
        SELECT unnest(r.posting_ids) FROM run_sightings r WHERE r.run_id = x.run_id
    ) AS g (id)
), gone AS MATERIALIZED (
    SELECT DISTINCT sp.run_id, p.id, p.role
    FROM gone_ids gi
    JOIN seen p ON p.id = gi.id
    JOIN spans sp ON sp.run_id = gi.run_id AND sp.seen_by = gi.seen_by AND sp.source = p.source
), new AS MATERIALIZED (
    SELECT c.run_id, p.id, p.role
    FROM compared c
    JOIN runs f ON (f.started_at, f.id) > (c.prev_started, c.prev_run) AND (f.started_at, f.id) <= (c.started_at, c.run_id)
    JOIN seen p ON p.first_seen_run = f.id AND p.source = c.source -- first seen by a run of the span or the run
), back_ids AS MATERIALIZED (
    -- listed by the run and not by the previous run of the source: a set
    -- difference per compared run, as gone_ids, computed once each (joined
    -- in one step with the postings, it was computed again for each)
    SELECT x.run_id, x.prev_run, g.id
    FROM (SELECT DISTINCT run_id, prev_run FROM compared) AS x
    CROSS JOIN LATERAL (
        SELECT unnest(r.posting_ids) FROM run_sightings r WHERE r.run_id = x.run_id
        EXCEPT
        SELECT unnest(b.posting_ids) FROM run_sightings b WHERE b.run_id = x.prev_run
    ) AS g (id)
), back AS MATERIALIZED (
    -- of those, the postings of the source that are not new: first seen
    -- by the previous run or before (a condition on the row, where a
    -- NOT EXISTS on new was planned as a loop over both)
    SELECT DISTINCT c.run_id, p.id, p.role
    FROM back_ids b
    JOIN seen p ON p.id = b.id
    JOIN compared c ON c.run_id = b.run_id AND c.prev_run = b.prev_run AND c.source = p.source
    JOIN runs f ON f.id = p.first_seen_run
    WHERE (f.started_at, f.id) <= (c.prev_started, c.prev_run)
), per_role AS (
    SELECT c.run_id, k.role, 0 AS new_n, 0 AS gone_n, 0 AS back_n,
           coalesce(sum(k.n) FILTER (WHERE k.run_id = c.prev_run), 0) AS before_n,
           coalesce(sum(k.n) FILTER (WHERE k.run_id = c.run_id), 0) AS now_n
    FROM compared c JOIN counted k ON k.source = c.source AND k.run_id IN (c.run_id, c.prev_run)
    GROUP BY 1, 2
    UNION ALL
    SELECT run_id, role, count(*), 0, 0, 0, 0 FROM new GROUP BY 1, 2
    UNION ALL
    SELECT run_id, role, 0, count(*), 0, 0, 0 FROM gone GROUP BY 1, 2
    UNION ALL
    SELECT run_id, role, 0, 0, count(*), 0, 0 FROM back GROUP BY 1, 2
)
SELECT run_id, role, '' AS kind,
       sum(new_n)::bigint AS new_n, sum(gone_n)::bigint AS gone_n, sum(back_n)::bigint AS back_n,
       sum(before_n)::bigint AS before_n, sum(now_n)::bigint AS now_n,
       NULL::text AS title, NULL::text AS company, NULL::text AS url, 0::bigint AS n
FROM per_role GROUP BY run_id, role
UNION ALL
SELECT run_id, role, kind, 0, 0, 0, 0, 0, title, company, url, n
FROM (
    SELECT l.run_id, l.role, l.kind, p.title, coalesce(co.name, p.company) AS company, p.url,
           row_number() OVER (PARTITION BY l.run_id, l.kind ORDER BY l.role = '', l.role, p.title, p.id) AS n
    FROM (SELECT run_id, id, role, 'new' AS kind FROM new UNION ALL SELECT run_id, id, role, 'gone' FROM gone) AS l
    JOIN seen p ON p.id = l.id
    LEFT JOIN companies co ON co.company_key = p.company_key
) AS listed
WHERE n <= $2
ORDER BY 1, 3, 12, 2`

// feedRun is what changed at one run.
type feedRun struct {
	ID       string
	Started  time.Time
	Finished time.Time
	Sample   bool
	Sources  []string // the sources compared with their previous run
	Roles    []feedRole
	New      []feedPosting // at most feedPostings
	Gone     []feedPosting
	// NewTotal, GoneTotal and BackTotal count all new, gone and back
	// postings.
	NewTotal, GoneTotal, BackTotal int
}

// feedRole is one role's counts at a run; Role is "" for postings whose
// title names no known role.
type feedRole struct {
	Role                         string
	New, Gone, Back, Before, Now int
}

// change is the role's move: postings now less postings before.
func (r feedRole) change() int { return r.Now - r.Before }

// feedPosting is a new or gone posting: text as its source published it.
type feedPosting struct {
	Role, Title, Company, URL string
}

// loadFeed reads what changed at each of the latest runs (at most n), the
// latest first.
func loadFeed(ctx context.Context, tx pgx.Tx, n int) ([]*feedRun, error) {
	rows, err := tx.Query(ctx, feedRunsSQL, n)
	if err != nil {
		return nil, fmt.Errorf("site: feed: read runs: %w", err)
	}
	runs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*feedRun, error) {
		f := &feedRun{}
		err := r.Scan(&f.ID, &f.Started, &f.Finished, &f.Sample, &f.Sources)
		f.Started, f.Finished = f.Started.UTC(), f.Finished.UTC()
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("site: feed: read runs: %w", err)
	}
	if len(runs) == 0 {
		return nil, nil
	}
	byID := make(map[string]*feedRun, len(runs))
	for _, r := range runs {
		byID[r.ID] = r
	}
	rows, err = tx.Query(ctx, feedChangesSQL, n, feedPostings)
	if err != nil {
		return nil, fmt.Errorf("site: feed: read changes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			run, role, kind                 string
			newN, goneN, backN, before, now int
			title, company, postingURL      *string
			rank                            int64
		)
		if err := rows.Scan(&run, &role, &kind, &newN, &goneN, &backN, &before, &now, &title, &company, &postingURL, &rank); err != nil {
			return nil, fmt.Errorf("site: feed: read changes: %w", err)
		}
		f := byID[run]
		if f == nil { // both queries read one snapshot: the same runs
			return nil, fmt.Errorf("site: feed: changes of run %s, which is not among the feed's runs", run)
		}
		p := feedPosting{Role: role, Title: deref(title), Company: deref(company), URL: deref(postingURL)}
		switch kind {
		case "":
			f.Roles = append(f.Roles, feedRole{Role: role, New: newN, Gone: goneN, Back: backN, Before: before, Now: now})
			f.NewTotal += newN
			f.GoneTotal += goneN
			f.BackTotal += backN
		case "new":
			f.New = append(f.New, p)
		case "gone":
			f.Gone = append(f.Gone, p)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("site: feed: read changes: %w", err)
	}
	for _, f := range runs {
		sortRoles(f.Roles)
	}
	return runs, nil
}

// sortRoles orders roles as the Changes page does: by the size of their
// move, then by name.
func sortRoles(roles []feedRole) {
	abs := func(n int) int { return max(n, -n) }
	sort.Slice(roles, func(i, j int) bool {
		a, b := roles[i], roles[j]
		if abs(a.change()) != abs(b.change()) {
			return abs(a.change()) > abs(b.change())
		}
		return a.Role < b.Role
	})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
