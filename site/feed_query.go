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
//   - before and now: postings per role seen by the previous run and by
//     the run, as the Changes page's roles that moved.
//
// A posting seen again after it was gone is gone in the entry of the night
// it went and not new when it comes back: it was first seen before. Past
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
// a source (recent).
const feedPairsSQL = `
pairs AS (
    SELECT rs.run_id, rs.source, r.started_at,
           lag(rs.run_id) OVER w AS prev_run, lag(r.started_at) OVER w AS prev_started
    FROM run_sources rs JOIN runs r ON r.id = rs.run_id
    WHERE rs.status = 'ok' AND r.status <> 'running'
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
// empty kind) with its new, gone, before and now counts, and one row per new or
// gone posting (kind 'new' or 'gone', at most $2 of each), by role (those
// of no role last), title and id. Every run's sightings are read once (sighted), whatever number of
// sources it compares.
const feedChangesSQL = `WITH` + feedPairsSQL + `,
compared AS MATERIALIZED (
    SELECT p.run_id, p.source, p.started_at, p.prev_run, p.prev_started
    FROM pairs p JOIN recent USING (run_id) WHERE p.prev_run IS NOT NULL
), spans AS MATERIALIZED (
    SELECT c.run_id, c.source, c.prev_run, c.prev_started, x.id AS seen_by
    FROM compared c
    JOIN runs x ON (x.started_at, x.id) >= (c.prev_started, c.prev_run) AND (x.started_at, x.id) <= (c.started_at, c.run_id)
), sighted AS MATERIALIZED (
    SELECT s.run_id, p.id, p.source, p.role, f.started_at AS first_started, p.first_seen_run
    FROM (SELECT DISTINCT seen_by FROM spans) AS n
    JOIN run_sightings s ON s.run_id = n.seen_by
    CROSS JOIN LATERAL unnest(s.posting_ids) AS u (posting_id)
    JOIN postings p ON p.id = u.posting_id
    JOIN runs f ON f.id = p.first_seen_run
), classified AS MATERIALIZED (
    SELECT sp.run_id, g.id, g.role,
           bool_or(g.run_id = sp.run_id) AS now_seen,
           bool_or(g.run_id = sp.prev_run) AS before_seen,
           bool_or(g.run_id <> sp.run_id) AND NOT bool_or(g.run_id = sp.run_id) AS gone,
           bool_or((g.first_started, g.first_seen_run) > (sp.prev_started, sp.prev_run)) AS new
    FROM spans sp JOIN sighted g ON g.run_id = sp.seen_by AND g.source = sp.source
    GROUP BY sp.run_id, g.id, g.role
)
SELECT run_id, role, '' AS kind,
       count(*) FILTER (WHERE new) AS new_n, count(*) FILTER (WHERE gone) AS gone_n,
       count(*) FILTER (WHERE before_seen) AS before_n, count(*) FILTER (WHERE now_seen) AS now_n,
       NULL::text AS title, NULL::text AS company, NULL::text AS url, 0::bigint AS n
FROM classified GROUP BY run_id, role
UNION ALL
SELECT run_id, role, kind, 0, 0, 0, 0, title, company, url, n
FROM (
    SELECT c.run_id, c.role, k.kind, p.title, coalesce(co.name, p.company) AS company, p.url,
           row_number() OVER (PARTITION BY c.run_id, k.kind ORDER BY c.role = '', c.role, p.title, p.id) AS n
    FROM classified c
    CROSS JOIN LATERAL (VALUES ('new', c.new), ('gone', c.gone)) AS k (kind, flag)
    JOIN postings p ON p.id = c.id
    LEFT JOIN companies co ON co.company_key = p.company_key
    WHERE k.flag
) AS listed
WHERE n <= $2
ORDER BY 1, 3, 11, 2`

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
	// NewTotal and GoneTotal count all new and gone postings.
	NewTotal, GoneTotal int
}

// feedRole is one role's counts at a run; Role is "" for postings whose
// title names no known role.
type feedRole struct {
	Role                   string
	New, Gone, Before, Now int
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
			run, role, kind            string
			newN, goneN, before, now   int
			title, company, postingURL *string
			rank                       int64
		)
		if err := rows.Scan(&run, &role, &kind, &newN, &goneN, &before, &now, &title, &company, &postingURL, &rank); err != nil {
			return nil, fmt.Errorf("site: feed: read changes: %w", err)
		}
		f := byID[run]
		if f == nil { // both queries read one snapshot: the same runs
			return nil, fmt.Errorf("site: feed: changes of run %s, which is not among the feed's runs", run)
		}
		p := feedPosting{Role: role, Title: deref(title), Company: deref(company), URL: deref(postingURL)}
		switch kind {
		case "":
			f.Roles = append(f.Roles, feedRole{Role: role, New: newN, Gone: goneN, Before: before, Now: now})
			f.NewTotal += newN
			f.GoneTotal += goneN
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
