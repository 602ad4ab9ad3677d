package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// whBoard is a fake Arbeitnow API on 127.0.0.1 serving a set of jobs in pages
// linked by links.next, as the real one does. It remembers every page it
// served since the jobs were last set.
type whBoard struct {
	*httptest.Server
	mu     sync.Mutex
	pages  [][]byte
	slugs  []string          // of the jobs that can be parsed, sorted
	served map[string][]byte // page name (page-0001.json) -> body served
}

func newWHBoard(t *testing.T) *whBoard {
	t.Helper()
	b := &whBoard{}
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.URL.Query().Get("page"))
		b.mu.Lock()
		defer b.mu.Unlock()
		if r.URL.Path != "/api/job-board-api" || err != nil || n < 1 || n > len(b.pages) {
			http.NotFound(w, r)
			return
		}
		b.served[fmt.Sprintf("page-%04d.json", n)] = b.pages[n-1]
		w.Header().Set("Content-Type", "application/json")
		w.Write(b.pages[n-1])
	}))
	t.Cleanup(b.Close)
	return b
}

// setJobs serves jobs from now on, per to a page. The first page also
// holds a job without a slug, which the run must record as a reject.
func (b *whBoard) setJobs(t *testing.T, jobs []map[string]any, per int) {
	t.Helper()
	var pages [][]byte
	var slugs []string
	for i := 0; i < len(jobs); i += per {
		data := jobs[i:min(i+per, len(jobs))]
		if i == 0 {
			data = append(slices.Clone(data), map[string]any{"slug": "", "title": "A job without a slug"})
		}
		var next any
		if i+per < len(jobs) {
			next = fmt.Sprintf("/api/job-board-api?page=%d", len(pages)+2)
		}
		body, err := json.Marshal(map[string]any{"data": data, "links": map[string]any{"next": next},
			"meta": map[string]any{"current_page": len(pages) + 1, "per_page": per}})
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, body)
	}
	for _, j := range jobs {
		slugs = append(slugs, j["slug"].(string))
	}
	slices.Sort(slugs)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pages, b.slugs, b.served = pages, slugs, map[string][]byte{}
}

// servedPages returns a digest of every page served since setJobs, by name.
func (b *whBoard) servedPages() map[string]string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := map[string]string{}
	for name, body := range b.served {
		out[name] = whSHA(body)
	}
	return out
}

func whSHA(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// whJobs returns the jobs from..to-1, as Arbeitnow writes them; edition
// goes into each description, so that the same jobs in another edition
// have changed content.
func whJobs(from, to int, edition string) []map[string]any {
	roles := []string{"Backend Engineer", "Data Scientist", "Product Designer", "DevOps Engineer", "Frontend Developer"}
	places := []string{"Berlin", "Remote", "Munich, Germany", "Hamburg", "Vienna, Austria"}
	var jobs []map[string]any
	for i := from; i < to; i++ {
		slug := fmt.Sprintf("fault-job-%05d", i)
		jobs = append(jobs, map[string]any{
			"slug":         slug,
			"company_name": fmt.Sprintf("Company %d GmbH", i%97),
			"title":        fmt.Sprintf("%s %d", roles[i%len(roles)], i),
			"description":  fmt.Sprintf("<p>Job %d, edition %s. We build software; Go, PostgreSQL and Kubernetes.</p>", i, edition),
			"remote":       i%3 == 0,
			"url":          "https://www.arbeitnow.com/jobs/companies/x/" + slug,
			"tags":         []string{"Software Development", roles[i%len(roles)]},
			"job_types":    []string{"Full-time"},
			"location":     places[i%len(places)],
			"created_at":   1795857300 - i,
		})
	}
	return jobs
}

// whArgs are the flags of command (run, ingest, replay, build) against
// the board, with everything under dir.
func whArgs(t *testing.T, command, dbURL, dir string, b *whBoard) []string {
	return []string{command, "--json",
		"--warehouse.url=" + dbURL,
		"--lake.url=" + filepath.Join(dir, "lake"),
		"--sources.remotive.enabled=false",
		"--sources.arbeitnow.enabled=true", "--sources.arbeitnow.url=" + b.URL,
		"--sources.arbeitnow.min_interval=0s", "--sources.arbeitnow.max_pages=9999",
		"--site.out=" + filepath.Join(dir, "public"),
		"--site.echarts=" + echartsPath(t),
		"--publish.target=" + filepath.Join(dir, "published"),
	}
}

// whRelations are the tables a load writes and the views the report
// reads.
var whRelations = []string{"runs", "run_sources", "postings", "listings", "run_sightings", "rejects",
	"open_postings", "source_latest_runs", "sightings"}

// whState returns, for each of [whRelations], its row count and a
// digest of its rows, as conn sees them.
func whState(t *testing.T, conn *pgx.Conn) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, r := range whRelations {
		var d string
		err := conn.QueryRow(context.Background(), "SELECT count(*) || ' rows ' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM "+r+" t").Scan(&d)
		if err != nil {
			t.Fatalf("%s: %v", r, err)
		}
		out[r] = d
	}
	return out
}

// TestWarehouseKilledMidLoad crashes the PostgreSQL server (SIGKILL of the
// postmaster and of every backend) while `jobpulse run` loads a run of 8,000
// postings, caught inside the load's COPY, on two nights in a row. On the
// first the load is held in its COPY while a reader and a report build look:
// they see only the night before. After each crash the server restarts
// (crash recovery) and the warehouse is exactly as it was before the run,
// nothing was published, and every page the source served is in the lake
// with the run's manifest; then `jobpulse replay` (first night) or the next
// `jobpulse run` (second night) loads that data.
func TestWarehouseKilledMidLoad(t *testing.T) {
	const jobs, perPage = 8000, 400
	pg, dir, b := pgtest.Private(t), t.TempDir(), newWHBoard(t)

	// The night before: 300 jobs, loaded, built and published.
	b.setJobs(t, whJobs(0, 300, "a"), 100)
	out, err := jobpulse(t, whArgs(t, "run", pg.URL(), dir, b)...)
	first := decodeRun(t, out, err)
	if err != nil || len(first.rep.Runs) != 1 {
		t.Fatalf("first run: %v\n%s", err, out)
	}
	runs := []string{first.rep.Runs[0].ID}
	nights := []struct {
		name     string
		from     int    // the jobs served are from..from+jobs-1: 200 changed, the others new; the rest gone
		hold     bool   // hold the load in its COPY and look at the warehouse meanwhile
		complete string // the command that completes the run after the restart
	}{
		{name: "held in its COPY, then replay", from: 100, hold: true, complete: "replay"},
		{name: "caught in its COPY, then run again", from: 7900, complete: "run"},
	}
	for i, night := range nights {
		ok := t.Run(night.name, func(t *testing.T) {
			ctx := context.Background()
			before := whState(t, dbConn(t, pg.URL()))
			siteBefore := whTree(t, filepath.Join(dir, "public"))
			publishedBefore := whTree(t, filepath.Join(dir, "published"))

			b.setJobs(t, whJobs(night.from, night.from+jobs, strconv.Itoa(i)), perPage)
			var locker *pgx.Conn
			if night.hold {
				// A SHARE lock on listings lets the load read the warehouse and
				// COPY its postings, then holds it when it COPYs its listings.
				locker = dbConn(t, pg.URL())
				if _, err := locker.Exec(ctx, "BEGIN; LOCK TABLE listings IN SHARE MODE"); err != nil {
					t.Fatal(err)
				}
			}
			sizeBefore := whRelSize(t, dbConn(t, pg.URL()), "postings")
			done := make(chan runResult, 1)
			go func() {
				out, err := jobpulse(t, whArgs(t, "run", pg.URL(), dir, b)...)
				done <- runResult{out: out, err: err}
			}()
			if night.hold {
				whWaitHeld(t, pg.URL(), locker, done)
				id := whHeldRunID(t, dir, runs)
				whCheckMidLoad(t, pg.URL(), dir, b, id, before, siteBefore, sizeBefore)
			} else {
				whWaitCopying(t, pg.URL(), done)
			}
			t0 := time.Now()
			pg.Kill()
			r := <-done
			killed := time.Since(t0)
			r = decodeRun(t, r.out, r.err)
			if r.err == nil || len(r.rep.Runs) != 1 || r.rep.Runs[0].Status != warehouse.RunFailed {
				t.Fatalf("run with its server killed: err %v, summary %+v: want a failed run\n%s", r.err, r.rep, r.out)
			}
			crashed := r.rep.Runs[0].Run
			t.Logf("the run failed with: %v", r.err)
			for _, want := range []string{"run " + crashed.ID, "rerun or replay", filepath.Join(dir, "lake")} {
				if !strings.Contains(r.err.Error(), want) {
					t.Errorf("error %q does not say %q", r.err, want)
				}
			}

			t0 = time.Now()
			pg.Restart()
			restarted := time.Since(t0)
			if diff := cmp.Diff(before, whState(t, dbConn(t, pg.URL()))); diff != "" {
				t.Errorf("warehouse after the crash and restart differs from before the run (-before +after):\n%s", diff)
			}
			if diff := cmp.Diff(publishedBefore, whTree(t, filepath.Join(dir, "published"))); diff != "" {
				t.Errorf("the crashed run changed the published site (-before +after):\n%s", diff)
			}
			served := b.servedPages()
			if len(served) != jobs/perPage {
				t.Fatalf("the board served %d pages, want %d", len(served), jobs/perPage)
			}
			if diff := cmp.Diff(served, whLakePages(t, dir, crashed)); diff != "" {
				t.Errorf("pages in the lake differ from the pages served (-served +lake):\n%s", diff)
			}

			t0 = time.Now()
			if out, err := jobpulse(t, whArgs(t, night.complete, pg.URL(), dir, b)...); err != nil {
				t.Fatalf("%s after the restart: %v\n%s", night.complete, err, out)
			}
			completed := time.Since(t0)
			loaded := whCheckLoaded(t, dbConn(t, pg.URL()), b, len(served))
			switch {
			case night.complete == "replay" && loaded != crashed.ID:
				t.Errorf("after replay the latest run of arbeitnow is %s, want the crashed run %s", loaded, crashed.ID)
			case night.complete == "run" && slices.Contains(append(runs, crashed.ID), loaded):
				t.Errorf("after a new run the latest run of arbeitnow is %s, want a new one", loaded)
			}
			runs = append(runs, crashed.ID, loaded)
			t.Logf("%d pages (%d postings) in the lake; server killed and gone in %s, restarted (crash recovery) in %s; %s completed the run in %s",
				len(served), jobs, killed.Round(time.Millisecond), restarted.Round(time.Millisecond), night.complete, completed.Round(time.Millisecond))
		})
		if !ok {
			return // the next night starts from this one's warehouse
		}
	}
}

// whRelSize returns the size of a table's main fork in bytes.
func whRelSize(t *testing.T, conn *pgx.Conn, table string) int64 {
	t.Helper()
	var n int64
	if err := conn.QueryRow(context.Background(), "SELECT pg_relation_size($1::regclass)", table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// whWaitHeld waits until the load waits for locker's lock inside its COPY
// into listings, having written its transaction's first rows.
func whWaitHeld(t *testing.T, dbURL string, locker *pgx.Conn, done <-chan runResult) {
	t.Helper()
	conn := dbConn(t, dbURL)
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(10 * time.Millisecond) {
		var n int
		err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE $1 = ANY (pg_blocking_pids(pid)) AND query LIKE 'COPY "listings"%' AND backend_xid IS NOT NULL`,
			locker.PgConn().PID()).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			return
		}
		select {
		case r := <-done:
			t.Fatalf("the run ended before its load was held: %v\n%s", r.err, r.out)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the load did not reach its COPY into listings within two minutes")
		}
	}
}

// whWaitCopying waits until the load is inside a COPY into postings and
// has sent it rows.
func whWaitCopying(t *testing.T, dbURL string, done <-chan runResult) {
	t.Helper()
	conn := dbConn(t, dbURL)
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(time.Millisecond) {
		var n int64
		err := conn.QueryRow(context.Background(), `SELECT coalesce(max(tuples_processed), 0) FROM pg_stat_progress_copy
			WHERE datname = current_database() AND relid = 'postings'::regclass`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			t.Logf("caught the load in its COPY into postings after %d rows", n)
			return
		}
		select {
		case r := <-done:
			t.Fatalf("the run ended before its load was caught in its COPY (make the run larger): %v\n%s", r.err, r.out)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the load did not COPY into postings within two minutes")
		}
	}
}

// whHeldRunID returns the id of the run whose manifest is in the lake and
// which is not one of runs.
func whHeldRunID(t *testing.T, dir string, runs []string) string {
	t.Helper()
	lake, err := ingest.NewFolderLake(filepath.Join(dir, "lake"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := lake.List(context.Background(), "runs/")
	if err != nil {
		t.Fatal(err)
	}
	keys = slices.DeleteFunc(keys, func(k string) bool {
		return slices.ContainsFunc(runs, func(id string) bool { return k == ingest.ManifestKey(id) })
	})
	if len(keys) != 1 {
		t.Fatalf("manifests in the lake besides those of the runs before: %v, want the held run's", keys)
	}
	return strings.TrimSuffix(strings.TrimPrefix(keys[0], "runs/run="), ".json")
}

// whTree returns a digest of every file under dir, by relative path.
func whTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = whSHA(b)
		return err
	})
	if err != nil {
		t.Fatalf("read %s: %v", dir, err)
	}
	return files
}

// whCheckMidLoad looks at the warehouse while the load is held: a reader sees
// the night before only, and a report built now is the night before's.
func whCheckMidLoad(t *testing.T, dbURL, dir string, b *whBoard, id string, before, siteBefore map[string]string, sizeBefore int64) {
	t.Helper()
	reader := dbConn(t, dbURL)
	if diff := cmp.Diff(before, whState(t, reader)); diff != "" {
		t.Errorf("a reader sees the load in progress (-before +during):\n%s", diff)
	}
	var n int
	err := reader.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM runs WHERE id = $1)
		+ (SELECT count(*) FROM run_sources WHERE run_id = $1)
		+ (SELECT count(*) FROM postings WHERE first_seen_run = $1 OR last_seen_run = $1)
		+ (SELECT count(*) FROM sightings WHERE run_id = $1)`, id).Scan(&n)
	if err != nil || n != 0 {
		t.Errorf("a reader sees %d rows of the run being loaded (%v)", n, err)
	}
	grown := whRelSize(t, reader, "postings") - sizeBefore
	if grown <= 0 {
		t.Errorf("postings did not grow: the load was not caught after writing its postings")
	}
	out := filepath.Join(t.TempDir(), "public")
	args := append(whArgs(t, "build", dbURL, dir, b), "--site.out="+out)
	if o, err := jobpulse(t, args...); err != nil {
		t.Fatalf("build during the load: %v\n%s", err, o)
	}
	if diff := cmp.Diff(siteBefore, whTree(t, out)); diff != "" {
		t.Errorf("a report built during the load differs from the one built before it (-before +during):\n%s", diff)
	}
	t.Logf("held the load of run %s in its COPY into listings, %d kB of postings written and invisible", id, grown>>10)
}

// whLakePages returns a digest of each raw page of run in the lake, by name,
// after checking that the run's manifest lists exactly those pages.
func whLakePages(t *testing.T, dir string, run warehouse.Run) map[string]string {
	t.Helper()
	ctx := context.Background()
	lake, err := ingest.NewFolderLake(filepath.Join(dir, "lake"))
	if err != nil {
		t.Fatal(err)
	}
	prefix := path.Dir(ingest.RawKey("arbeitnow", run.StartedAt, run.ID, "x")) + "/"
	keys, err := lake.List(ctx, prefix)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, k := range keys {
		body, _, err := lake.Get(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		out[path.Base(k)] = whSHA(body)
	}
	body, _, err := lake.Get(ctx, ingest.ManifestKey(run.ID))
	if err != nil {
		t.Fatalf("manifest of the crashed run: %v", err)
	}
	var manifest warehouse.Run
	if err := json.Unmarshal(body, &manifest); err != nil {
		t.Fatal(err)
	}
	if len(manifest.Sources) != 1 || !slices.Equal(manifest.Sources[0].LakeKeys, keys) {
		t.Errorf("manifest of the crashed run lists %+v, want the pages %v", manifest.Sources, keys)
	}
	return out
}

// whCheckLoaded checks that the warehouse holds what the board served last:
// its jobs are the open postings of arbeitnow, and the source's latest run
// read every page and job. It returns that run's id.
func whCheckLoaded(t *testing.T, conn *pgx.Conn, b *whBoard, pages int) string {
	t.Helper()
	ctx := context.Background()
	rows, _ := conn.Query(ctx, "SELECT source_id FROM open_postings WHERE source = 'arbeitnow' ORDER BY source_id")
	open, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	b.mu.Lock()
	want := b.slugs
	b.mu.Unlock()
	if !slices.Equal(want, open) {
		t.Errorf("open postings: %d, want the %d jobs served (first open %v, first served %v)", len(open), len(want), open[:min(3, len(open))], want[:3])
	}
	type runRow struct {
		ID, Status                         string
		Pages, Postings, Rejected, Sighted int
	}
	var got runRow
	err = conn.QueryRow(ctx, `SELECT r.id, r.status, rs.pages, rs.postings, rs.rejected,
			(SELECT count(*) FROM sightings s WHERE s.run_id = r.id)
		FROM source_latest_runs l JOIN runs r ON r.id = l.run_id JOIN run_sources rs ON rs.run_id = r.id AND rs.source = l.source
		WHERE l.source = 'arbeitnow'`).Scan(&got.ID, &got.Status, &got.Pages, &got.Postings, &got.Rejected, &got.Sighted)
	if err != nil {
		t.Fatal(err)
	}
	want2 := runRow{ID: got.ID, Status: warehouse.RunOK, Pages: pages, Postings: len(want), Rejected: 1, Sighted: len(want)}
	if diff := cmp.Diff(want2, got); diff != "" {
		t.Errorf("latest run of arbeitnow (-want +got):\n%s", diff)
	}
	return got.ID
}
