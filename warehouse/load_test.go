package warehouse_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

type ingestPosting = ingest.Posting

var (
	t1 = time.Date(2026, 11, 28, 1, 28, 23, 0, time.UTC)
	t2 = t1.Add(24 * time.Hour)
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

// posting returns a Remotive posting with every field set.
func posting(id, title string) ingest.Posting {
	return ingest.Posting{
		Source: "remotive", SourceID: id, URL: "https://remotive.com/remote-jobs/" + id, Title: title,
		Company: "Acme", CompanyLogo: "https://remotive.com/logo/" + id, Category: "Software Development",
		JobType: "full_time", Location: "USA, Canada", Salary: "$100k - $120k", Tags: []string{"go", "sql"},
		Description: "<p>Build things.</p>", PublishedAt: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC),
		LakeKey: "raw/source=remotive/date=2026-11-28/run=r/page-0001.json",
	}
}

// row is a postings row as read back.
type row struct {
	Source, SourceID, URL, Title   string
	Company, CompanyLogo, Category string
	JobType, Location, Salary      string
	Tags                           []string
	Description                    string
	PublishedAt                    *time.Time
	FirstSeenRun, LastSeenRun      string
	FirstSeenAt, LastSeenAt        time.Time
	LakeKey                        string
}

// postingRows reads every postings row, ordered by key, times in UTC.
func postingRows(t *testing.T, pool *pgxpool.Pool) []row {
	t.Helper()
	rows, _ := pool.Query(context.Background(), `SELECT source, source_id, url, title, company, company_logo,
		category, job_type, location, salary_text, tags, description, published_at, first_seen_run,
		last_seen_run, first_seen_at, last_seen_at, lake_key FROM postings ORDER BY source, source_id`)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var p row
		err := r.Scan(&p.Source, &p.SourceID, &p.URL, &p.Title, &p.Company, &p.CompanyLogo, &p.Category,
			&p.JobType, &p.Location, &p.Salary, &p.Tags, &p.Description, &p.PublishedAt, &p.FirstSeenRun,
			&p.LastSeenRun, &p.FirstSeenAt, &p.LastSeenAt, &p.LakeKey)
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
		Source: p.Source, SourceID: p.SourceID, URL: p.URL, Title: p.Title, Company: p.Company,
		CompanyLogo: p.CompanyLogo, Category: p.Category, JobType: p.JobType, Location: p.Location,
		Salary: p.Salary, Tags: p.Tags, Description: p.Description, FirstSeenRun: first, LastSeenRun: last,
		FirstSeenAt: f, LastSeenAt: l, LakeKey: p.LakeKey,
	}
	if r.Tags == nil {
		r.Tags = []string{}
	}
	if !p.PublishedAt.IsZero() {
		r.PublishedAt = &p.PublishedAt
	}
	return r
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

func TestLoadTypedRows(t *testing.T) {
	pool := pgtest.New(t)
	run := testRun("20261128T012823Z-aaaa", t1)
	p1, p2 := posting("1", "Senior Go Engineer"), posting("2", "Data Analyst")
	p2.PublishedAt, p2.Tags = time.Time{}, nil // unknown publication time, no tags

	stats := load(t, pool, run, p1, p2)
	if diff := cmp.Diff(warehouse.LoadStats{Inserted: 2, Sightings: 2}, stats); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	wantRows := []row{want(p1, run.ID, t1, run.ID, t1), want(p2, run.ID, t1, run.ID, t1)}
	if diff := cmp.Diff(wantRows, postingRows(t, pool)); diff != "" {
		t.Errorf("postings (-want +got):\n%s", diff)
	}

	// The columns are typed, not text.
	rows, _ := pool.Query(context.Background(), `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_name = 'postings' AND column_name IN ('tags', 'published_at', 'first_seen_at') ORDER BY 1`)
	type column struct{ Name, Type string }
	types, err := pgx.CollectRows(rows, pgx.RowToStructByPos[column])
	if err != nil {
		t.Fatal(err)
	}
	wantTypes := []column{{"first_seen_at", "timestamp with time zone"}, {"published_at", "timestamp with time zone"}, {"tags", "ARRAY"}}
	if diff := cmp.Diff(wantTypes, types); diff != "" {
		t.Errorf("column types (-want +got):\n%s", diff)
	}
	if n := count(t, pool, "SELECT count(*) FROM sightings WHERE run_id = '"+run.ID+"'"); n != 2 {
		t.Errorf("sightings: %d, want 2", n)
	}
}

func TestLoadTwiceChangesNothing(t *testing.T) {
	pool := pgtest.New(t)
	run := testRun("20261128T012823Z-aaaa", t1)
	postings := []ingest.Posting{posting("1", "Go Engineer"), posting("2", "Data Analyst")}
	load(t, pool, run, postings...)
	// xmin is the transaction that last wrote a row: unchanged means not rewritten.
	const versions = `SELECT string_agg(t || ':' || xmin::text, ',' ORDER BY t) FROM (
		SELECT 'p' || source_id AS t, xmin FROM postings UNION ALL
		SELECT 's' || source_id, xmin FROM sightings UNION ALL
		SELECT 'r' || id, xmin FROM runs UNION ALL
		SELECT 'rs' || source, xmin FROM run_sources) v`
	var before, after string
	if err := pool.QueryRow(context.Background(), versions).Scan(&before); err != nil {
		t.Fatal(err)
	}
	stats := load(t, pool, run, postings...)
	if diff := cmp.Diff(warehouse.LoadStats{Unchanged: 2}, stats); diff != "" {
		t.Errorf("second load stats (-want +got):\n%s", diff)
	}
	if err := pool.QueryRow(context.Background(), versions).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if before != after {
		t.Errorf("second load rewrote rows:\nbefore %s\nafter  %s", before, after)
	}
}

func TestLoadLaterRun(t *testing.T) {
	r1, r2 := testRun("20261128T012823Z-aaaa", t1), testRun("20261129T012823Z-bbbb", t2)
	p1, p2, p3 := posting("1", "Go Engineer"), posting("2", "Data Analyst"), posting("3", "Designer")
	p2b := p2
	p2b.Title, p2b.LakeKey = "Senior Data Analyst", "raw/run2/page-0001.json"
	p1b := p1
	p1b.LakeKey = "raw/run2/page-0001.json"

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

func TestLoadDuplicateIDs(t *testing.T) {
	pool := pgtest.New(t)
	run := testRun("20261128T012823Z-aaaa", t1)
	a, b, other := posting("1", "First Title"), posting("1", "Last Title"), posting("2", "Other")
	stats := load(t, pool, run, a, other, b)
	if diff := cmp.Diff(warehouse.LoadStats{Inserted: 2, Sightings: 2}, stats); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	wantRows := []row{want(b, run.ID, t1, run.ID, t1), want(other, run.ID, t1, run.ID, t1)}
	if diff := cmp.Diff(wantRows, postingRows(t, pool)); diff != "" {
		t.Errorf("postings (-want +got):\n%s", diff)
	}
}

func TestLoadRejects(t *testing.T) {
	good := testRun("20261128T012823Z-aaaa", t1)
	tests := []struct {
		name     string
		run      func(*warehouse.Run)
		postings []ingest.Posting
	}{
		{name: "empty run id", run: func(r *warehouse.Run) { r.ID = "" }},
		{name: "run id with NUL", run: func(r *warehouse.Run) { r.ID = "a\x00b" }},
		{name: "zero start", run: func(r *warehouse.Run) { r.StartedAt = time.Time{} }},
		{name: "unknown run status", run: func(r *warehouse.Run) { r.Status = "done" }},
		{name: "unknown source status", run: func(r *warehouse.Run) { r.Sources[0].Status = "partial" }},
		{name: "source twice", run: func(r *warehouse.Run) { r.Sources = append(r.Sources, r.Sources[0]) }},
		{name: "posting without id", postings: []ingest.Posting{posting("", "No Id")}},
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
	running := testRun("20261130T012823Z-cccc", t2.Add(24*time.Hour))
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
