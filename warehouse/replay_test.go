package warehouse_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/ingest/sample"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// board is a test source with detail pages: a list page holds lines
// "id|title|detail page name" after a "board" header line; the description is
// the detail page's body. A line "bad" is a reject; a page without the
// header is unreadable; a page "PANIC" makes the parser panic.
type board struct{}

func (board) Name() string { return "board" }
func (board) Fetch(context.Context, func(context.Context, ingest.RawPage) error) error {
	return fmt.Errorf("board: no network in tests")
}

func (board) Parse(ctx context.Context, page ingest.StoredPage, lookup ingest.Lookup) ([]ingest.Posting, []ingest.Reject, error) {
	if string(page.Body) == "PANIC" {
		panic("board parser bug")
	}
	if strings.HasPrefix(page.Name, "detail-") {
		return nil, nil, nil // completes list pages
	}
	sc := bufio.NewScanner(bytes.NewReader(page.Body))
	if !sc.Scan() || sc.Text() != "board" {
		return nil, nil, fmt.Errorf("board: parse %s: no board header", page.Key)
	}
	var out []ingest.Posting
	var rejects []ingest.Reject
	for i := 0; sc.Scan(); i++ {
		f := strings.Split(sc.Text(), "|")
		if len(f) != 3 {
			rejects = append(rejects, ingest.Reject{LakeKey: page.Key, Index: i, Reason: "not id|title|detail"})
			continue
		}
		detail, err := lookup(ctx, f[2])
		if err != nil {
			rejects = append(rejects, ingest.Reject{LakeKey: page.Key, Index: i, Reason: err.Error()})
			continue
		}
		out = append(out, ingest.Posting{Source: "board", SourceID: f[0], Title: f[1], Company: "Board Co",
			Description: string(detail.Body), LakeKey: page.Key})
	}
	return out, rejects, nil
}

// sources are the sources the replay tests parse.
var sources = map[string]ingest.Source{
	"remotive": ingest.NewRemotive(ingest.DefaultRemotiveConfig(), nil),
	"board":    board{},
}

// page is a raw page of a test run.
type page struct {
	source, name, body, err string
}

// fetched is a run as its fetch leaves it: pages in the lake, the manifest
// (unless noManifest) recording each source's fetch error.
type fetched struct {
	id         string
	start      time.Time
	pages      []page
	fetchErr   map[string]string // source -> fetch error
	noManifest bool
}

// put writes the run's pages and manifest to lake, and returns the run as
// the fetch recorded it.
func (f fetched) put(t *testing.T, lake ingest.Lake) warehouse.Run {
	t.Helper()
	ctx := context.Background()
	run := warehouse.Run{ID: f.id, StartedAt: f.start, FinishedAt: f.start.Add(2 * time.Minute)}
	if f.noManifest {
		run.FinishedAt = time.Time{} // as a replay derives it: the last page's fetch time
	}
	bySource := map[string]*warehouse.SourceRun{}
	for i, p := range f.pages {
		key := ingest.RawKey(p.source, f.start, f.id, p.name)
		status := 200
		if p.err != "" {
			status = 503
		}
		meta := ingest.Meta{Source: p.source, URL: "http://127.0.0.1/" + p.name, Status: status,
			FetchedAt: f.start.Add(time.Duration(i) * time.Second), ContentType: "application/json", Error: p.err}
		if err := lake.Put(ctx, key, []byte(p.body), meta); err != nil {
			t.Fatal(err)
		}
		s := bySource[p.source]
		if s == nil {
			run.Sources = append(run.Sources, warehouse.SourceRun{Source: p.source, Status: warehouse.SourceOK})
			s = &run.Sources[len(run.Sources)-1]
			bySource[p.source] = s
		}
		s.Pages++
		s.LakeKeys = append(s.LakeKeys, key)
	}
	for i := range run.Sources {
		if e := f.fetchErr[run.Sources[i].Source]; e != "" {
			run.Sources[i].Status, run.Sources[i].Error = warehouse.SourceFailed, e
		}
		if f.noManifest { // as a replay derives it: the run never finished
			run.Sources[i].Status, run.Sources[i].Error = warehouse.SourceFailed, incompleteLine(f.id)
		}
	}
	if !f.noManifest {
		body, err := json.Marshal(run)
		if err != nil {
			t.Fatal(err)
		}
		if err := lake.Put(ctx, ingest.ManifestKey(run.ID), body, ingest.Meta{Source: "jobpulse"}); err != nil {
			t.Fatal(err)
		}
	}
	return run
}

// replayLake replays the runs of lake into pool, as jobpulse replay does:
// ingest reads them back, the warehouse loads them.
func replayLake(ctx context.Context, pool *pgxpool.Pool, lake ingest.Lake, sources map[string]ingest.Source,
	opts ingest.ReplayOptions) (warehouse.ReplayResult, error) {
	runs, err := ingest.Replay(ctx, lake, sources, opts, nil)
	if err != nil {
		return warehouse.ReplayResult{}, err
	}
	return warehouse.Replay(ctx, pool, runs, nil)
}

// incompleteLine is the error a replay gives each source of a run that has
// no manifest, as the README quotes it.
func incompleteLine(runID string) string {
	return "incomplete: run " + runID + " has no manifest in the lake (its ingest did not finish): " +
		"its pages are loaded, but it decides nothing about what is open or gone"
}

// newLake returns an empty folder lake.
func newLake(t *testing.T) ingest.Lake {
	t.Helper()
	lake, err := ingest.NewFolderLake(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return lake
}

// ingestRun does what an ingest does once the fetch is over: load the run
// from the lake.
func ingestRun(t *testing.T, pool *pgxpool.Pool, lake ingest.Lake, run warehouse.Run) (warehouse.Run, warehouse.LoadStats) {
	t.Helper()
	got, stats, err := warehouse.LoadStream(context.Background(), pool, ingest.ReadRun(lake, sources, run, nil))
	if err != nil {
		t.Fatalf("LoadStream %s: %v", run.ID, err)
	}
	return got, stats
}

// dump returns every row of every table, as text, sorted per table.
func dump(t *testing.T, pool *pgxpool.Pool) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, table := range []string{"runs", "run_sources", "rejects", "postings", "listings", "sightings"} {
		out[table] = texts(t, pool, "SELECT t::text FROM "+table+" t ORDER BY 1")
	}
	return out
}

var (
	d1 = time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
	d2 = d1.Add(24 * time.Hour)
	d3 = d2.Add(24 * time.Hour)
	d4 = d3.Add(24 * time.Hour)
)

// history is four nights of fetches: sample Remotive data that changes a
// little each day, a board with detail pages, a retried page, pages that do
// not parse, a failed fetch, and a run whose manifest was never written.
func history() []fetched {
	boardPage := func(lines ...string) string { return strings.Join(append([]string{"board"}, lines...), "\n") }
	return []fetched{{
		id: warehouse.NewRunID(d1), start: d1,
		pages: []page{
			{source: "board", name: "list-1.txt", body: boardPage("b1|Go Developer|detail-b1.html", "bad", "b2|Designer|detail-b2.html")},
			{source: "board", name: "detail-b1.html", body: "Write Go."},
			{source: "board", name: "detail-b2.html", body: "Draw."},
			{source: "remotive", name: "page-0001.attempt-1.json", body: "upstream busy", err: "HTTP 503"},
			{source: "remotive", name: "page-0001.json", body: string(sample.RemotiveResponse(d1, 40))},
		},
	}, {
		id: warehouse.NewRunID(d2), start: d2,
		pages: []page{
			{source: "board", name: "list-1.txt", body: boardPage("b1|Go Developer|detail-b1.html", "b3|Writer|detail-missing.html")},
			{source: "board", name: "detail-b1.html", body: "Write Go, and tests."},
			{source: "board", name: "list-2.txt", body: "<html>maintenance</html>"},
			{source: "board", name: "list-3.txt", body: "PANIC"},
			{source: "remotive", name: "page-0001.json", body: string(sample.RemotiveResponse(d2, 40))},
		},
	}, {
		id: warehouse.NewRunID(d3), start: d3,
		pages: []page{
			{source: "remotive", name: "page-0001.json", body: "Bad gateway", err: "HTTP 502"},
			{source: "board", name: "list-1.txt", body: boardPage("b2|Designer|detail-b2.html")},
			{source: "board", name: "detail-b2.html", body: "Draw, again."},
		},
		fetchErr: map[string]string{"remotive": "fetch http://127.0.0.1/api/remote-jobs: HTTP 502"},
	}, {
		id: warehouse.NewRunID(d4), start: d4, noManifest: true,
		pages: []page{
			{source: "remotive", name: "page-0001.json", body: string(sample.RemotiveResponse(d4, 40))},
		},
	}}
}

func TestLoadStream(t *testing.T) {
	pool := pgtest.New(t)
	lake := newLake(t)
	runs := history()
	var got []warehouse.Run
	for _, f := range runs[:3] {
		run, _ := ingestRun(t, pool, lake, f.put(t, lake))
		got = append(got, run)
	}
	type source struct {
		Source, Status            string
		Pages, Postings, Rejected int
		Error                     []string
	}
	type summary struct {
		Status  string
		Sources []source
	}
	summarize := func(r warehouse.Run) summary {
		s := summary{Status: r.Status}
		for _, src := range r.Sources {
			var lines []string
			for _, l := range strings.Split(src.Error, "\n") {
				if l != "" {
					lines = append(lines, strings.SplitN(l, ": ", 2)[0]) // the line's kind and key
				}
			}
			s.Sources = append(s.Sources, source{src.Source, src.Status, src.Pages, src.Postings, src.Rejected, lines})
		}
		return s
	}
	key := func(run int, source, name string) string {
		return ingest.RawKey(source, runs[run].start, runs[run].id, name)
	}
	want := []summary{{
		Status: warehouse.RunOK,
		Sources: []source{
			{"board", warehouse.SourceOK, 3, 2, 1, nil},
			{"remotive", warehouse.SourceOK, 2, 40, 0, nil},
		},
	}, {
		Status: warehouse.RunPartial,
		Sources: []source{
			{"board", warehouse.SourceFailed, 4, 1, 3, []string{"parse " + key(1, "board", "list-2.txt"), "parse " + key(1, "board", "list-3.txt")}},
			{"remotive", warehouse.SourceOK, 1, 40, 0, nil},
		},
	}, {
		Status: warehouse.RunPartial,
		Sources: []source{
			{"board", warehouse.SourceOK, 2, 1, 0, nil},
			{"remotive", warehouse.SourceFailed, 1, 0, 0, []string{"fetch http://127.0.0.1/api/remote-jobs"}},
		},
	}}
	var gotSummary []summary
	for _, r := range got {
		gotSummary = append(gotSummary, summarize(r))
	}
	if diff := cmp.Diff(want, gotSummary); diff != "" {
		t.Errorf("runs (-want +got):\n%s", diff)
	}

	// Rejects: a record of a page, a detail page missing, whole pages.
	wantRejects := []string{
		key(0, "board", "list-1.txt") + " 1 board",
		key(1, "board", "list-1.txt") + " 1 board",
		key(1, "board", "list-2.txt") + " -1 board",
		key(1, "board", "list-3.txt") + " -1 board",
	}
	if diff := cmp.Diff(wantRejects, texts(t, pool, `SELECT concat_ws(' ', lake_key, record_index, source)
		FROM rejects ORDER BY 1`)); diff != "" {
		t.Errorf("rejects (-want +got):\n%s", diff)
	}
	// The board's b1 changed its description in run 2; b2 was not seen by
	// run 2; every listing points to a posting, and every sighting too.
	if diff := cmp.Diff([]string{"Write Go, and tests.", "Draw, again."}, texts(t, pool,
		`SELECT description_text FROM postings WHERE source = 'board' ORDER BY source_id`)); diff != "" {
		// The test normalizer may leave description_text empty: compare the
		// raw pages they come from instead.
		if diff2 := cmp.Diff([]string{key(1, "board", "list-1.txt"), key(2, "board", "list-1.txt")}, texts(t, pool,
			`SELECT lake_key FROM postings WHERE source = 'board' ORDER BY source_id`)); diff2 != "" {
			t.Errorf("board postings' pages (-want +got):\n%s", diff2)
		}
	}
	for _, q := range []string{
		`SELECT count(*) FROM listings l WHERE NOT EXISTS (SELECT 1 FROM postings p WHERE p.id = l.posting_id)`,
		`SELECT count(*) FROM sightings s WHERE NOT EXISTS (SELECT 1 FROM postings p WHERE p.id = s.posting_id)`,
		`SELECT count(*) FROM sightings s WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = s.run_id)`,
	} {
		if n := count(t, pool, q); n != 0 {
			t.Errorf("%s: %d", q, n)
		}
	}

	// The run LoadStream returns loads again to the same run: replay of
	// an ingest's own record is stable.
	for _, r := range got {
		again, stats, err := warehouse.LoadStream(context.Background(), pool, ingest.ReadRun(lake, sources, r, nil))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(r, again); diff != "" {
			t.Errorf("LoadStream of its own result (-first +again):\n%s", diff)
		}
		if stats.Inserted+stats.Updated+stats.Sightings != 0 {
			t.Errorf("LoadStream again changed rows: %+v", stats)
		}
	}
}

// TestReplayEqualsIngest ingests a history run by run, then replays the
// lake into an empty warehouse: the tables are the same. Replaying again
// writes nothing; ingesting the runs in another order gives the same tables.
func TestReplayEqualsIngest(t *testing.T) {
	ctx := context.Background()
	lake := newLake(t)
	ingested := pgtest.New(t)
	runs := history()
	for _, f := range runs {
		ingestRun(t, ingested, lake, f.put(t, lake))
	}
	want := dump(t, ingested)
	if len(want["postings"]) < 40 || len(want["sightings"]) < 100 {
		t.Fatalf("history too small to test: %d postings, %d sightings", len(want["postings"]), len(want["sightings"]))
	}

	replayed := pgtest.New(t)
	readers, err := ingest.Replay(ctx, lake, sources, ingest.ReplayOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(readers) != len(runs) || readers[3].Manifest() || !readers[0].Manifest() {
		t.Errorf("%d runs to replay, want %d, the last without a manifest", len(readers), len(runs))
	}
	res, err := warehouse.Replay(ctx, replayed, readers, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Runs) != len(runs) {
		t.Errorf("replayed %d runs, want %d", len(res.Runs), len(runs))
	}
	if diff := cmp.Diff(want, dump(t, replayed)); diff != "" {
		t.Errorf("replayed warehouse differs from the ingested one (-ingested +replayed):\n%s", diff)
	}

	var before, after string
	if err := replayed.QueryRow(ctx, versions).Scan(&before); err != nil {
		t.Fatal(err)
	}
	again, err := replayLake(ctx, replayed, lake, sources, ingest.ReplayOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s := again.Stats; s.Inserted+s.Updated+s.Sightings != 0 {
		t.Errorf("second replay: %+v, want no change", s)
	}
	if err := replayed.QueryRow(ctx, versions).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if before != after {
		t.Errorf("second replay rewrote rows")
	}

	shuffled := pgtest.New(t)
	for _, i := range []int{2, 0, 3, 1} {
		r, err := replayLake(ctx, shuffled, lake, sources, ingest.ReplayOptions{Since: runs[i].start})
		if err != nil {
			t.Fatal(err)
		}
		_ = r
	}
	if diff := cmp.Diff(want, dump(t, shuffled)); diff != "" {
		t.Errorf("runs loaded out of order (-in order +out of order):\n%s", diff)
	}
}

func TestReplayOptions(t *testing.T) {
	ctx := context.Background()
	lake := newLake(t)
	runs := history()
	for _, f := range runs {
		f.put(t, lake)
	}
	tests := []struct {
		name     string
		opts     ingest.ReplayOptions
		wantRuns []string
		wantSrc  []string // sources with listings
	}{
		{name: "all", wantRuns: []string{runs[0].id, runs[1].id, runs[2].id, runs[3].id}, wantSrc: []string{"board", "remotive"}},
		{name: "since", opts: ingest.ReplayOptions{Since: d3}, wantRuns: []string{runs[2].id, runs[3].id},
			wantSrc: []string{"board", "remotive"}},
		{name: "one source", opts: ingest.ReplayOptions{Sources: []string{"board"}},
			wantRuns: []string{runs[0].id, runs[1].id, runs[2].id}, wantSrc: []string{"board"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pool := pgtest.New(t)
			res, err := replayLake(ctx, pool, lake, sources, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range res.Runs {
				ids = append(ids, r.Run.ID)
			}
			if diff := cmp.Diff(tt.wantRuns, ids); diff != "" {
				t.Errorf("runs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantRuns, texts(t, pool, "SELECT id FROM runs ORDER BY id")); diff != "" {
				t.Errorf("runs table (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantSrc, texts(t, pool, "SELECT DISTINCT source FROM listings ORDER BY 1")); diff != "" {
				t.Errorf("sources loaded (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReplayDerivedRun replays a run without a manifest: its start comes from
// its id, its sources from its partitions. Its ingest never finished, so
// every source of it is failed and says so, and a final page kept with an
// error is named too.
func TestReplayDerivedRun(t *testing.T) {
	lake := newLake(t)
	start := time.Date(2026, 11, 29, 1, 28, 23, 0, time.UTC)
	f := fetched{id: warehouse.NewRunID(start), start: start, noManifest: true, pages: []page{
		{source: "remotive", name: "page-0001.json", body: "Bad gateway", err: "HTTP 502"},
		{source: "board", name: "list-1.txt", body: "board\nb1|Go Developer|detail-b1.html"},
		{source: "board", name: "detail-b1.html", body: "Write Go."},
	}}
	f.put(t, lake)
	pool := pgtest.New(t)
	res, err := replayLake(context.Background(), pool, lake, sources, ingest.ReplayOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(res.Runs))
	}
	run := res.Runs[0].Run
	remotiveKey := ingest.RawKey("remotive", start, f.id, "page-0001.json")
	want := warehouse.Run{
		ID: f.id, StartedAt: start, FinishedAt: start.Add(2 * time.Second), Status: warehouse.RunFailed,
		Sources: []warehouse.SourceRun{{
			Source: "board", Status: warehouse.SourceFailed, Error: incompleteLine(f.id), Pages: 2, Postings: 1,
			LakeKeys: []string{ingest.RawKey("board", start, f.id, "detail-b1.html"), ingest.RawKey("board", start, f.id, "list-1.txt")},
		}, {
			Source: "remotive", Status: warehouse.SourceFailed, Error: incompleteLine(f.id), Pages: 1,
			LakeKeys: []string{remotiveKey},
		}},
	}
	if diff := cmp.Diff(want, run); diff != "" {
		t.Errorf("derived run (-want +got):\n%s", diff)
	}
	last, err := warehouse.LastRun(context.Background(), pool)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, last); diff != "" {
		t.Errorf("stored run (-want +got):\n%s", diff)
	}
}

// TestLoadStreamCancel cancels a load from the lake while it parses: the
// load fails with the context's error and leaves nothing behind.
func TestLoadStreamCancel(t *testing.T) {
	pool := pgtest.New(t)
	lake := newLake(t)
	f := fetched{id: warehouse.NewRunID(d1), start: d1}
	for i := range 6 {
		f.pages = append(f.pages, page{source: "remotive", name: fmt.Sprintf("page-%04d.json", i+1),
			body: string(sample.RemotiveResponse(d1.Add(time.Duration(i)*24*time.Hour), 40))})
	}
	run := f.put(t, lake)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, _, err := warehouse.LoadStream(ctx, pool, ingest.ReadRun(lake, sources, run, func(string, int, int) { cancel() }))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("LoadStream = %v, want context.Canceled", err)
	}
	for _, table := range []string{"runs", "postings", "listings", "sightings"} {
		if n := count(t, pool, "SELECT count(*) FROM "+table); n != 0 {
			t.Errorf("%s: %d rows after a cancelled load", table, n)
		}
	}
}
