package warehouse_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/ingest/normalize"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

var (
	t1 = time.Date(2026, 11, 28, 1, 28, 23, 0, time.UTC)
	t2 = t1.Add(24 * time.Hour)
	t3 = t2.Add(24 * time.Hour)
)

// testRun returns a finished run with one source.
func testRun(id string, start time.Time) warehouse.Run {
	return warehouse.Run{
		ID: id, StartedAt: start, FinishedAt: start.Add(time.Minute), Status: warehouse.RunOK,
		Sources: []warehouse.SourceRun{{
			Source: "remotive", Status: warehouse.SourceOK, Pages: 1, Postings: 2,
			LakeKeys: []string{"raw/source=remotive/date=2026-11-28/run=" + id + "/page-0001.json"},
		}},
	}
}

// fingerprint returns a fingerprint for a test posting: 32 hex digits.
func fingerprint(n int) string { return fmt.Sprintf("%032x", 0xf00d0000+n) }

// posting returns a normalized Remotive posting with every field set, its
// fingerprint made from fp.
func posting(id, title string, fp int) ingest.Posting {
	return ingest.Posting{
		Source: "remotive", SourceID: id, URL: "https://remotive.com/remote-jobs/" + id, Title: title,
		Company: "Acme Inc.", CompanyLogo: "https://remotive.com/logo/" + id, Category: "Software Development",
		JobType: "full_time", LocationText: "USA, Canada", SalaryText: "$100k - $120k", Tags: []string{"go", "sql"},
		Description: "<p>Build things.</p>", PublishedAt: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC),
		LakeKey: "raw/source=remotive/date=2026-11-28/run=r/page-0001.json",

		CompanyName: "Acme", CompanyKey: "acme", Role: "Backend Engineer", Seniority: "Senior",
		Location: normalize.Location{Scope: normalize.ScopeCountry, Countries: []string{"CA", "US"},
			Workplace: normalize.Remote},
		Salary: normalize.Salary{Min: 100000, Max: 120000, Currency: "USD", Period: normalize.Year,
			AnnualMin: 100000, AnnualMax: 120000},
		Skills: []string{"go", "sql"}, DescriptionText: "Build things.", Fingerprint: fingerprint(fp),
	}
}

// row is a postings row as read back: the raw fields, a few normalized ones
// and the lineage.
type row struct {
	ID, Source, SourceID, URL, Title string
	Company, CompanyLogo, Category   string
	CompanyName, CompanyKey          string
	JobType, Location, Salary        string
	Tags                             []string
	PublishedAt                      *time.Time
	OccupationCode                   *string
	Role, Seniority, Scope           string
	Countries, Regions               []string
	Workplace                        string
	SalaryMin, SalaryAnnualMax       *float64
	Currency, Period                 string
	Skills                           []string
	DescriptionText                  string
	FirstSeenRun, LastSeenRun        string
	FirstSeenAt, LastSeenAt          time.Time
	LakeKey                          string
}

// postingRows reads every postings row, ordered by id, times in UTC.
func postingRows(t *testing.T, pool *pgxpool.Pool) []row {
	t.Helper()
	rows, _ := pool.Query(context.Background(), `SELECT replace(id::text, '-', ''), source, source_id, url, title,
		company, company_logo, category, company_name, company_key, job_type, location_text, salary_text, tags, published_at, occupation_code, role, seniority,
		scope, countries, regions, workplace, salary_min::float8, salary_annual_max::float8, currency, period,
		skills, description_text, first_seen_run, last_seen_run, first_seen_at, last_seen_at, lake_key
		FROM postings ORDER BY id`)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var p row
		err := r.Scan(&p.ID, &p.Source, &p.SourceID, &p.URL, &p.Title, &p.Company, &p.CompanyLogo, &p.Category,
			&p.CompanyName, &p.CompanyKey, &p.JobType, &p.Location, &p.Salary, &p.Tags, &p.PublishedAt, &p.OccupationCode, &p.Role, &p.Seniority, &p.Scope,
			&p.Countries, &p.Regions, &p.Workplace, &p.SalaryMin, &p.SalaryAnnualMax, &p.Currency, &p.Period,
			&p.Skills, &p.DescriptionText, &p.FirstSeenRun, &p.LastSeenRun, &p.FirstSeenAt, &p.LastSeenAt, &p.LakeKey)
		if p.PublishedAt != nil {
			u := p.PublishedAt.UTC()
			p.PublishedAt = &u
		}
		p.FirstSeenAt, p.LastSeenAt = p.FirstSeenAt.UTC(), p.LastSeenAt.UTC()
		return p, err
	})
	if err != nil {
		t.Fatalf("read postings: %v", err)
	}
	return out
}

// want returns the row expected for p, first seen by run first at f and last
// by run last at l.
func want(p ingest.Posting, first string, f time.Time, last string, l time.Time) row {
	r := row{
		ID: p.Fingerprint, Source: p.Source, SourceID: p.SourceID, URL: p.URL, Title: p.Title, Company: p.Company,
		CompanyLogo: p.CompanyLogo, Category: p.Category, CompanyName: p.CompanyName, CompanyKey: p.CompanyKey, JobType: p.JobType, Location: p.LocationText,
		Salary: p.SalaryText, Tags: orEmpty(p.Tags), Role: p.Role, Seniority: p.Seniority, Scope: p.Location.Scope,
		Countries: orEmpty(p.Location.Countries), Regions: orEmpty(p.Location.Regions),
		Workplace: p.Location.Workplace, Currency: p.Salary.Currency, Period: p.Salary.Period,
		Skills: orEmpty(p.Skills), DescriptionText: p.DescriptionText,
		FirstSeenRun: first, LastSeenRun: last, FirstSeenAt: f, LastSeenAt: l, LakeKey: p.LakeKey,
	}
	if p.Salary.Min > 0 {
		r.SalaryMin = &p.Salary.Min
	}
	if p.Salary.AnnualMax > 0 {
		r.SalaryAnnualMax = &p.Salary.AnnualMax
	}
	if !p.PublishedAt.IsZero() {
		r.PublishedAt = &p.PublishedAt
	}
	if p.OccupationCode != "" {
		r.OccupationCode = &p.OccupationCode
	}
	return r
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// load loads postings for run and fails the test on error.
func load(t *testing.T, pool *pgxpool.Pool, run warehouse.Run, postings ...ingest.Posting) warehouse.LoadStats {
	t.Helper()
	stats, err := warehouse.Load(context.Background(), pool, run, postings)
	if err != nil {
		t.Fatalf("Load %s: %v", run.ID, err)
	}
	return stats
}

// count returns the result of a count query.
func count(t *testing.T, pool *pgxpool.Pool, query string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// strings returns the single text column of a query's rows.
func texts(t *testing.T, pool *pgxpool.Pool, query string, args ...any) []string {
	t.Helper()
	rows, _ := pool.Query(context.Background(), query, args...)
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return out
}

func TestLoadTypedRows(t *testing.T) {
	pool := pgtest.New(t)
	run := testRun("20261128T012823Z-aaaa", t1)
	p1, p2 := posting("1", "Senior Go Engineer", 1), posting("2", "Data Analyst", 2)
	p1.OccupationCode = "rome:M1805"                                  // as France Travail files it
	p2.PublishedAt, p2.Tags = time.Time{}, nil                        // unknown publication time, no tags
	p2.Salary, p2.Location = normalize.Salary{}, normalize.Location{} // nothing known

	stats := load(t, pool, run, p1, p2)
	if diff := cmp.Diff(warehouse.LoadStats{Inserted: 2, Sightings: 2}, stats); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	wantRows := []row{want(p1, run.ID, t1, run.ID, t1), want(p2, run.ID, t1, run.ID, t1)}
	if diff := cmp.Diff(wantRows, postingRows(t, pool)); diff != "" {
		t.Errorf("postings (-want +got):\n%s", diff)
	}
	wantListings := []string{
		"remotive 1 " + p1.Fingerprint + " " + p1.URL + " " + p1.LakeKey + " " + run.ID + " " + run.ID,
		"remotive 2 " + p2.Fingerprint + " " + p2.URL + " " + p2.LakeKey + " " + run.ID + " " + run.ID,
	}
	gotListings := texts(t, pool, `SELECT concat_ws(' ', source, source_id, replace(posting_id::text, '-', ''), url,
		lake_key, first_seen_run, last_seen_run) FROM listings ORDER BY 1`)
	if diff := cmp.Diff(wantListings, gotListings); diff != "" {
		t.Errorf("listings (-want +got):\n%s", diff)
	}
	wantSightings := []string{run.ID + " " + p1.Fingerprint, run.ID + " " + p2.Fingerprint}
	gotSightings := texts(t, pool, `SELECT run_id || ' ' || replace(posting_id::text, '-', '') FROM sightings ORDER BY 1`)
	if diff := cmp.Diff(wantSightings, gotSightings); diff != "" {
		t.Errorf("sightings (-want +got):\n%s", diff)
	}

	// The columns are typed, not text.
	rows, _ := pool.Query(context.Background(), `SELECT column_name::text, data_type::text FROM information_schema.columns
		WHERE table_name = 'postings' AND column_name IN ('id', 'tags', 'published_at', 'salary_min', 'first_seen_at')
		ORDER BY 1`)
	type column struct{ Name, Type string }
	types, err := pgx.CollectRows(rows, pgx.RowToStructByPos[column])
	if err != nil {
		t.Fatal(err)
	}
	wantTypes := []column{{"first_seen_at", "timestamp with time zone"}, {"id", "uuid"},
		{"published_at", "timestamp with time zone"}, {"salary_min", "numeric"}, {"tags", "ARRAY"}}
	if diff := cmp.Diff(wantTypes, types); diff != "" {
		t.Errorf("column types (-want +got):\n%s", diff)
	}
}

// versions lists every row of the warehouse with the transaction that last
// wrote it (xmin): equal lists mean no row was written.
const versions = `SELECT string_agg(t || ':' || x, ',' ORDER BY t) FROM (
	SELECT 'p' || id::text AS t, xmin::text AS x FROM postings UNION ALL
	SELECT 'l' || source || source_id, xmin::text FROM listings UNION ALL
	SELECT 's' || run_id, xmin::text FROM run_sightings UNION ALL
	SELECT 'r' || id, xmin::text FROM runs UNION ALL
	SELECT 'j' || lake_key || record_index, xmin::text FROM rejects UNION ALL
	SELECT 'rs' || run_id || source, xmin::text FROM run_sources UNION ALL
	SELECT 'n' || kind || value || alias, xmin::text FROM search_names) v`

func TestLoadTwiceChangesNothing(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	run := testRun("20261128T012823Z-aaaa", t1)
	postings := []ingest.Posting{posting("1", "Go Engineer", 1), posting("2", "Data Analyst", 2)}
	rejects := []ingest.Reject{{LakeKey: postings[0].LakeKey, Index: 3, Reason: "job has no id"}}
	loadWithRejects := func() warehouse.LoadStats {
		l, err := warehouse.BeginLoad(ctx, pool, run)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Rollback(ctx)
		if err := l.Copy(ctx, seq(postings...)); err != nil {
			t.Fatal(err)
		}
		stats, err := l.Commit(ctx, run, rejects)
		if err != nil {
			t.Fatal(err)
		}
		return stats
	}
	loadWithRejects()
	var before, after string
	if err := pool.QueryRow(ctx, versions).Scan(&before); err != nil {
		t.Fatal(err)
	}
	stats := loadWithRejects()
	if diff := cmp.Diff(warehouse.LoadStats{Unchanged: 2, Rejected: 1}, stats); diff != "" {
		t.Errorf("second load stats (-want +got):\n%s", diff)
	}
	if err := pool.QueryRow(ctx, versions).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if before != after {
		t.Errorf("second load rewrote rows:\nbefore %s\nafter  %s", before, after)
	}
}

// seq yields postings as a loader's input.
func seq(postings ...ingest.Posting) func(func(ingest.Posting, error) bool) {
	return func(yield func(ingest.Posting, error) bool) {
		for _, p := range postings {
			if !yield(p, nil) {
				return
			}
		}
	}
}

func TestLoadLaterRun(t *testing.T) {
	r1, r2 := testRun("20261128T012823Z-aaaa", t1), testRun("20261129T012823Z-bbbb", t2)
	p1, p2, p3 := posting("1", "Go Engineer", 1), posting("2", "Data Analyst", 2), posting("3", "Designer", 3)
	p2b := p2
	p2b.URL, p2b.LakeKey, p2b.Seniority = "https://remotive.com/remote-jobs/2-b", "raw/run2/page-0001.json", "Lead"
	p1b := p1
	p1b.LakeKey = "raw/run2/page-0001.json" // same content on another page: not a change, but the newest page

	tests := []struct {
		name      string
		first     func(*testing.T, *pgxpool.Pool)
		run       warehouse.Run
		postings  []ingest.Posting
		wantStats warehouse.LoadStats
		wantRows  []row
	}{{
		name:      "next run updates last seen and content",
		first:     func(t *testing.T, pool *pgxpool.Pool) { load(t, pool, r1, p1, p2) },
		run:       r2,
		postings:  []ingest.Posting{p1b, p2b, p3},
		wantStats: warehouse.LoadStats{Inserted: 1, Updated: 1, Unchanged: 1, Sightings: 3},
		wantRows: []row{
			want(p1b, r1.ID, t1, r2.ID, t2), want(p2b, r1.ID, t1, r2.ID, t2), want(p3, r2.ID, t2, r2.ID, t2),
		},
	}, {
		name:      "replay of an older run moves first seen only",
		first:     func(t *testing.T, pool *pgxpool.Pool) { load(t, pool, r2, p1b, p2b) },
		run:       r1,
		postings:  []ingest.Posting{p1, p2},
		wantStats: warehouse.LoadStats{Unchanged: 2, Sightings: 2},
		wantRows:  []row{want(p1b, r1.ID, t1, r2.ID, t2), want(p2b, r1.ID, t1, r2.ID, t2)},
	}, {
		name:      "the same run again with changed content replaces it",
		first:     func(t *testing.T, pool *pgxpool.Pool) { load(t, pool, r1, p1, p2) },
		run:       r1,
		postings:  []ingest.Posting{p1, p2b},
		wantStats: warehouse.LoadStats{Updated: 1, Unchanged: 1},
		wantRows:  []row{want(p1, r1.ID, t1, r1.ID, t1), want(p2b, r1.ID, t1, r1.ID, t1)},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pool := pgtest.New(t)
			tt.first(t, pool)
			stats := load(t, pool, tt.run, tt.postings...)
			if diff := cmp.Diff(tt.wantStats, stats); diff != "" {
				t.Errorf("stats (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantRows, postingRows(t, pool)); diff != "" {
				t.Errorf("postings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadInvalid(t *testing.T) {
	good := testRun("20261128T012823Z-aaaa", t1)
	badScope := posting("1", "Go", 1)
	badScope.Location.Scope = "galaxy"
	badCurrency := posting("1", "Go", 1)
	badCurrency.Salary.Currency = "dollars"
	tests := []struct {
		name     string
		run      func(*warehouse.Run)
		postings []ingest.Posting
	}{
		{name: "empty run id", run: func(r *warehouse.Run) { r.ID = "" }},
		{name: "run id with NUL", run: func(r *warehouse.Run) { r.ID = "a\x00b" }},
		{name: "run id with a slash", run: func(r *warehouse.Run) { r.ID = "../x" }},
		{name: "zero start", run: func(r *warehouse.Run) { r.StartedAt = time.Time{} }},
		{name: "unknown run status", run: func(r *warehouse.Run) { r.Status = "done" }},
		{name: "unknown source status", run: func(r *warehouse.Run) { r.Sources[0].Status = "partial" }},
		{name: "source twice", run: func(r *warehouse.Run) { r.Sources = append(r.Sources, r.Sources[0]) }},
		{name: "posting without id", postings: []ingest.Posting{posting("", "No Id", 1)}},
		{name: "unknown scope", postings: []ingest.Posting{badScope}},
		{name: "not a currency", postings: []ingest.Posting{badCurrency}},
	}
	pool := pgtest.New(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := good
			run.Sources = append([]warehouse.SourceRun(nil), good.Sources...)
			if tt.run != nil {
				tt.run(&run)
			}
			if _, err := warehouse.Load(context.Background(), pool, run, tt.postings); err == nil {
				t.Error("Load succeeded, want an error")
			}
		})
	}
	if n := count(t, pool, "SELECT count(*) FROM runs"); n != 0 {
		t.Errorf("rejected loads left %d runs", n)
	}
	if n := count(t, pool, "SELECT count(*) FROM postings"); n != 0 {
		t.Errorf("rejected loads left %d postings", n)
	}
}

// TestLoaderIteratorError: an error from the postings iterator aborts the
// load, and nothing of it remains, not even the postings copied before it.
func TestLoaderIteratorError(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	run := testRun("20261128T012823Z-aaaa", t1)
	boom := errors.New("page 7 unreadable")
	l, err := warehouse.BeginLoad(ctx, pool, run)
	if err != nil {
		t.Fatal(err)
	}
	err = l.Copy(ctx, func(yield func(ingest.Posting, error) bool) {
		if yield(posting("1", "Go", 1), nil) {
			yield(ingest.Posting{}, boom)
		}
	})
	if !errors.Is(err, boom) {
		t.Errorf("Copy = %v, want the iterator's error", err)
	}
	if _, err := l.Commit(ctx, run, nil); !errors.Is(err, boom) {
		t.Errorf("Commit after a failed Copy = %v, want the Copy's error", err)
	}
	if err := l.Rollback(ctx); err != nil {
		t.Errorf("Rollback: %v", err)
	}
	for _, table := range []string{"runs", "postings", "listings", "sightings"} {
		if n := count(t, pool, "SELECT count(*) FROM "+table); n != 0 {
			t.Errorf("%s: %d rows after an aborted load", table, n)
		}
	}
}

func TestNewRunID(t *testing.T) {
	a := warehouse.NewRunID(time.Date(2026, 11, 29, 1, 28, 23, 0, time.FixedZone("CET", 3600)))
	b := warehouse.NewRunID(time.Date(2026, 11, 29, 1, 28, 24, 0, time.UTC))
	if got := a[:len("20261129T002823Z-")]; got != "20261129T002823Z-" || len(a) != len(got)+4 {
		t.Errorf("NewRunID = %q, want 20261129T002823Z-xxxx", a)
	}
	if a >= b {
		t.Errorf("run ids do not sort by time: %q >= %q", a, b)
	}
}

func TestLastRun(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	if _, err := warehouse.LastRun(ctx, pool); !errors.Is(err, pgx.ErrNoRows) {
		t.Fatalf("LastRun on an empty warehouse: %v, want pgx.ErrNoRows", err)
	}
	older, newer := testRun("20261128T012823Z-aaaa", t1), testRun("20261129T012823Z-bbbb", t2)
	newer.Status = warehouse.RunPartial
	newer.Sources = []warehouse.SourceRun{
		{Source: "zeta", Status: warehouse.SourceFailed, Error: "fetch: 503", LakeKeys: []string{}},
		{Source: "remotive", Status: warehouse.SourceOK, Pages: 2, Postings: 40, Rejected: 1,
			LakeKeys: []string{"raw/a/page-0001.json", "raw/a/page-0002.json"}},
	}
	running := testRun("20261130T012823Z-cccc", t3)
	running.Status, running.FinishedAt = warehouse.RunRunning, time.Time{}
	for _, r := range []warehouse.Run{older, newer, running} {
		load(t, pool, r)
	}
	got, err := warehouse.LastRun(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	want := newer
	want.Sources = []warehouse.SourceRun{newer.Sources[1], newer.Sources[0]} // by name
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LastRun (-want +got):\n%s", diff)
	}
}
