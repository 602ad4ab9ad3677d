package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// fourSources serves every source's data on 127.0.0.1 (the real captures of
// Remotive, RemoteOK and the fake-jobs board; Arbeitnow's hand-written pages)
// and returns the flags that point jobpulse at them, all four enabled.
func fourSources(t *testing.T) []string {
	t.Helper()
	remotive := testenv.RealCapture(t, "remotive/remote-jobs.json")
	remoteok := testenv.RealCapture(t, "remoteok/api.json")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/remote-jobs", func(w http.ResponseWriter, _ *http.Request) { w.Write(remotive) })
	mux.HandleFunc("GET /api", func(w http.ResponseWriter, _ *http.Request) { w.Write(remoteok) })
	mux.HandleFunc("GET /api/job-board-api", func(w http.ResponseWriter, r *http.Request) {
		page := r.URL.Query().Get("page")
		if !regexp.MustCompile(`^[1-3]$`).MatchString(page) {
			http.NotFound(w, r)
			return
		}
		http.ServeFile(w, r, filepath.Join("..", "..", "ingest", "testdata", "arbeitnow", "page-000"+page+".json"))
	})
	fake := testenv.RealCaptureDir(t, "fake-jobs")
	mux.Handle("GET /fake-jobs/", http.StripPrefix("/fake-jobs/", http.FileServer(http.Dir(fake))))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return []string{
		"--sources.remotive.url=" + srv.URL,
		"--sources.remoteok.enabled=true", "--sources.remoteok.url=" + srv.URL, "--sources.remoteok.min_interval=0s",
		"--sources.arbeitnow.enabled=true", "--sources.arbeitnow.url=" + srv.URL, "--sources.arbeitnow.min_interval=0s",
		"--sources.fakejobs.enabled=true", "--sources.fakejobs.url=" + srv.URL + "/fake-jobs/", "--sources.fakejobs.delay=1ms",
	}
}

// digest returns a digest of every table of the warehouse but the
// migrations' own, by table name.
func digest(t *testing.T, dbURL string) map[string]string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, table := range tables {
		var d string
		sql := "SELECT count(*) || ' rows ' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM " + pgx.Identifier{table}.Sanitize() + " t"
		if err := conn.QueryRow(ctx, sql).Scan(&d); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		out[table] = d
	}
	return out
}

// TestReplayGivesTheSameWarehouse ingests all four sources twice, then
// replays the lake into an empty warehouse: every table is the same. A
// second replay changes nothing.
func TestReplayGivesTheSameWarehouse(t *testing.T) {
	dir := t.TempDir()
	lake := "--lake.url=" + filepath.Join(dir, "lake")
	sources := fourSources(t)
	original := pgtest.URL(t)
	for i := range 2 {
		out, err := jobpulse(t, append([]string{"ingest", "--warehouse.url=" + original, lake}, sources...)...)
		if err != nil {
			t.Fatalf("ingest %d: %v\n%s", i+1, err, out)
		}
		if i == 0 {
			for _, want := range []string{"remotive   ok", "remoteok   ok", "arbeitnow  ok", "fakejobs   ok", "     100 postings"} {
				if !strings.Contains(out, want) {
					t.Errorf("ingest output lacks %q:\n%s", want, out)
				}
			}
		}
	}
	want := digest(t, original)
	if !strings.HasPrefix(want["postings"], "") || strings.HasPrefix(want["postings"], "0 rows") {
		t.Fatalf("no postings after two ingests: %v", want)
	}

	replayed := pgtest.URL(t)
	out, err := jobpulse(t, append([]string{"replay", "--warehouse.url=" + replayed, lake}, sources...)...)
	if err != nil {
		t.Fatalf("replay: %v\n%s", err, out)
	}
	if diff := cmp.Diff(want, digest(t, replayed)); diff != "" {
		t.Errorf("replayed warehouse differs from the ingested one (-ingested +replayed):\n%s", diff)
	}
	if _, err := jobpulse(t, "replay", "--warehouse.url="+replayed, lake); err != nil {
		t.Fatalf("second replay: %v", err)
	}
	if diff := cmp.Diff(want, digest(t, replayed)); diff != "" {
		t.Errorf("a second replay changed the warehouse (-before +after):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(dir, "lake", "runs")); err != nil {
		t.Errorf("no run manifests in the lake: %v", err)
	}
}
