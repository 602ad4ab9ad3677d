package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/objstore/s3test"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// TestShardedNight fetches one night's sources in 4 shards into one lake in
// a bucket of a real S3 server (versitygw on 127.0.0.1), as 4 runners of the
// nightly workflow would, and loads it with load --night: the warehouse
// then holds what one unsharded ingest of the same sources gives, as one
// run, with the failing board failed the same way. While a shard is
// missing, load refuses, names it and changes nothing. Shard 2's first
// attempt fails wholesale (its sources' servers are down): the night loads
// without it, and the same command fetches it again as attempt 2, which the
// night, loaded again, takes instead: the same run, equal to the unsharded
// one. A shard that fetched anything is refused before it fetches; loading
// the night again changes nothing; and a replay of the lake restores the
// night as one run, loaded as the warehouse was.
func TestShardedNight(t *testing.T) {
	s3srv := s3test.Start(t)
	s3srv.Setenv(t)
	dir := t.TempDir()
	// FNV-1a mod 4 puts these in shards 1: fakejobs; 2: remoteok, board-a,
	// board-500; 3: remotive, arbeitnow; 4: board-c, lever-leftus (a
	// company board that answers 404: gone, no failure, in a shard too).
	gone := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(gone.Close)
	args := []string{
		"--config=" + filepath.Join(dir, "jobpulse.yaml"),
		"--fetch.timeout=5s", "--fetch.retries=1", "--fetch.retry_delay=10ms",
		"--boards.list=lever leftus", "--boards.min_interval=0s",
		"--boards.url.lever=" + gone.URL + "/v0/postings/{board}?mode=json",
	}
	var yaml strings.Builder
	yaml.WriteString("sources:\n")
	var shard2 []*faultServer
	for _, src := range []struct{ name, kind string }{
		{"remotive", "remotive"}, {"remoteok", "remoteok"}, {"arbeitnow", "arbeitnow"},
		{"fakejobs", "board"}, {"board-a", "board"}, {"board-c", "board"}, {"board-500", "board"},
	} {
		f := healthy
		if src.name == "board-500" || src.name == "remoteok" || src.name == "board-a" {
			f = serverError
		}
		srv := newFaultServer(t, src.kind, f)
		if src.name == "remoteok" || src.name == "board-a" {
			// Up, but for shard 2's first attempt: shard 2 holds these
			// two and board-500, which never is.
			srv.healthy.Store(true)
			shard2 = append(shard2, srv)
		}
		switch {
		case src.kind != "board":
			args = append(args, "--sources."+src.name+".enabled=true", "--sources."+src.name+".url="+srv.URL,
				"--sources."+src.name+".min_interval=0s")
		case src.name == "fakejobs":
			args = append(args, "--sources.fakejobs.enabled=true", "--sources.fakejobs.url="+srv.URL+srv.entry,
				"--sources.fakejobs.delay=0s")
		default:
			fmt.Fprintf(&yaml, boardYAML, src.name, srv.URL+srv.entry)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "jobpulse.yaml"), []byte(yaml.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	with := func(extra ...string) []string { return append(slices.Clone(args), extra...) }
	network := func(up bool) {
		for _, srv := range shard2 {
			srv.healthy.Store(up)
		}
	}

	// One runner: the reference.
	oneLake := "--lake.url=s3://" + s3srv.NewBucket(t, "one") + "/jobpulse"
	oneDB := pgtest.URL(t)
	out, err := jobpulse(t, with("ingest", "--json", oneLake, "--warehouse.url="+oneDB)...)
	one := decodeRun(t, out, err)
	if one.err != nil || len(one.rep.Runs) != 1 || one.rep.Runs[0].Status != warehouse.RunPartial {
		t.Fatalf("unsharded ingest: %v, want one partial run (board-500 fails)\n%s", one.err, out)
	}

	// Four runners, sharing a lake, with no warehouse.
	bucket := s3srv.NewBucket(t, "shards")
	lakeURL := "s3://" + bucket + "/jobpulse"
	night := time.Now().UTC().Format(time.DateOnly)
	shard := func(i int) (string, error) {
		return jobpulse(t, with("ingest", "--json", "--lake.url="+lakeURL, "--night="+night,
			"--warehouse.url=postgres://nowhere.invalid/none", // never used
			"--shard="+strconv.Itoa(i)+"/4")...)
	}
	shardsDB := pgtest.URL(t)
	load := func() (string, error) {
		return jobpulse(t, with("load", "--json", "--lake.url="+lakeURL, "--warehouse.url="+shardsDB, "--night="+night)...)
	}
	fetched := map[string]int{}
	for i := 1; i <= 3; i++ {
		if i == 2 {
			network(false)
		}
		out, err := shard(i)
		network(true)
		r := decodeRun(t, out, err)
		if i == 2 {
			// Every source failed: recorded, and the job fails.
			if r.err == nil || !strings.Contains(r.err.Error(), "every source failed") || r.rep.Shard == nil ||
				r.rep.Shard.Attempt != 1 || len(r.rep.Runs) != 1 || r.rep.Runs[0].Status != warehouse.RunFailed {
				t.Fatalf("ingest --shard 2/4, its servers down: %v, want it recorded as failed\n%s", r.err, out)
			}
		} else if r.err != nil || r.rep.Shard == nil || r.rep.Shard.Attempt != 1 || len(r.rep.Runs) != 1 {
			t.Fatalf("ingest --shard %d/4: %v\n%s", i, r.err, out)
		}
		for _, s := range r.rep.Runs[0].Sources {
			fetched[s.Source] = i
		}
	}
	out, err = load()
	if err == nil || !errors.Is(err, ingest.ErrShardMissing) || !strings.Contains(err.Error(), "4/4 of 4 not in") {
		t.Fatalf("load with shard 4/4 missing: err = %v, want it refused naming 4/4\n%s", err, out)
	}
	if got := tableRows(t, shardsDB, "runs"); len(got) != 0 {
		t.Fatalf("a refused load left runs in the warehouse: %v", got)
	}
	out, err = shard(4)
	if r := decodeRun(t, out, err); r.err != nil || len(r.rep.Runs) != 1 || r.rep.Runs[0].Status != warehouse.RunOK {
		t.Fatalf("ingest --shard 4/4: %v, want ok (its gone board is no failure)\n%s", r.err, out)
	}
	out, err = shard(1)
	if !errors.Is(err, ingest.ErrShardRecorded) || !strings.Contains(err.Error(), "nothing fetched") {
		t.Fatalf("ingest --shard 1/4 again: err = %v, want it refused before fetching\n%s", err, out)
	}
	if want := map[string]int{"fakejobs": 1, "remoteok": 2, "board-a": 2, "board-500": 2, "remotive": 3, "arbeitnow": 3}; !cmp.Equal(fetched, want) {
		t.Errorf("sources of shards 1-3 = %v, want %v", fetched, want)
	}

	// A replay before the night is loaded loads nothing of it, as the
	// warehouse has nothing of it either.
	earlyDB := pgtest.URL(t)
	if out, err := jobpulse(t, with("replay", "--lake.url="+lakeURL, "--warehouse.url="+earlyDB)...); err != nil {
		t.Fatalf("replay before the load: %v\n%s", err, out)
	}
	if got := tableRows(t, earlyDB, "runs"); len(got) != 0 {
		t.Errorf("replay of unloaded shards loaded runs: %v", got)
	}

	// As the nightly workflow does when a shard job failed: the night
	// loads without shard 2's sources, failed.
	out, err = load()
	without := decodeRun(t, out, err)
	if without.err != nil || len(without.rep.Runs) != 1 || without.rep.Runs[0].Status != warehouse.RunPartial {
		t.Fatalf("load --night with shard 2/4 failed: %v, want one partial run\n%s", without.err, out)
	}
	failed := tableRows(t, shardsDB, "(SELECT source AS j FROM run_sources WHERE status = 'failed' ORDER BY source) y")
	if want := []string{"board-500", "board-a", "remoteok"}; !cmp.Equal(failed, want) {
		t.Errorf("failed sources of the night without shard 2/4 = %v, want %v", failed, want)
	}
	// The operator re-runs the failed shard job: attempt 2, then no more.
	out, err = shard(2)
	retried := decodeRun(t, out, err)
	if retried.err != nil || retried.rep.Shard == nil || retried.rep.Shard.Attempt != 2 ||
		!strings.HasSuffix(retried.rep.Shard.Key, "/shard=2-of-4/attempt=2.json") || len(retried.rep.Runs) != 1 ||
		retried.rep.Runs[0].Status != warehouse.RunPartial {
		t.Fatalf("ingest --shard 2/4 again, after it failed wholesale: %v, want attempt 2, partial\n%s", retried.err, out)
	}
	out, err = shard(2)
	if !errors.Is(err, ingest.ErrShardRecorded) || !strings.Contains(err.Error(), "attempt 2") {
		t.Fatalf("ingest --shard 2/4 after attempt 2 fetched: err = %v, want it refused\n%s", err, out)
	}

	out, err = load()
	night1 := decodeRun(t, out, err)
	if night1.err != nil || len(night1.rep.Runs) != 1 || night1.rep.Runs[0].Status != warehouse.RunPartial ||
		night1.rep.Runs[0].ID != without.rep.Runs[0].ID {
		t.Fatalf("load --night after shard 2/4 was fetched again: %v, want the same run, partial\n%s", night1.err, out)
	}
	want := warehouseTables(t, oneDB)
	if len(want["postings"]) == 0 || len(want["listings"]) == 0 || len(want["run_sources"]) != 8 {
		t.Fatalf("the unsharded run loaded %d postings, %d listings, %d sources; want some, some, 8",
			len(want["postings"]), len(want["listings"]), len(want["run_sources"]))
	}
	got := warehouseTables(t, shardsDB)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the night loaded from 4 shards differs from one unsharded run (-one +shards):\n%s", diff)
	}

	// Loading it again changes nothing.
	out, err = load()
	again := decodeRun(t, out, err)
	if again.err != nil || len(again.rep.Runs) != 1 || again.rep.Runs[0].ID != night1.rep.Runs[0].ID {
		t.Fatalf("load --night again: %v\n%s", again.err, out)
	}
	if l := again.rep.Runs[0].Loaded; l.Inserted != 0 || l.Updated != 0 {
		t.Errorf("load --night again: %+v, want nothing inserted or updated", l)
	}
	if diff := cmp.Diff(got, warehouseTables(t, shardsDB)); diff != "" {
		t.Errorf("loading the night again changed the warehouse:\n%s", diff)
	}

	// run --night, the nightly workflow's last job: the same load (a no-op
	// now), then build and publish.
	out, err = jobpulse(t, with("run", "--json", "--lake.url="+lakeURL, "--warehouse.url="+shardsDB, "--night="+night,
		"--site.out="+filepath.Join(dir, "public"), "--site.echarts="+echartsPath(t),
		"--publish.target="+filepath.Join(dir, "published"))...)
	last := decodeRun(t, out, err)
	if last.err != nil || len(last.rep.Runs) != 1 || last.rep.Runs[0].ID != night1.rep.Runs[0].ID || last.rep.Build == nil || last.rep.Publish == nil {
		t.Fatalf("run --night: %v, want the night loaded again, built and published\n%s", last.err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "published", "index.html")); err != nil {
		t.Errorf("run --night published no site: %v", err)
	}

	// A replay restores the night as one run.
	replayDB := pgtest.URL(t)
	if out, err := jobpulse(t, with("replay", "--lake.url="+lakeURL, "--warehouse.url="+replayDB)...); err != nil {
		t.Fatalf("replay: %v\n%s", err, out)
	}
	if diff := cmp.Diff(got, warehouseTables(t, replayDB)); diff != "" {
		t.Errorf("replay of the sharded lake differs from the load (-load +replay):\n%s", diff)
	}
	if ids := tableRows(t, replayDB, "runs"); len(ids) != 1 {
		t.Errorf("replay loaded %d runs, want the night as one", len(ids))
	}
}

// runSegment is what differs between two runs of the same pages: the run
// (and date) partition of a lake key.
var runSegment = regexp.MustCompile(`date=\d{4}-\d{2}-\d{2}/run=[^/"]+`)

// warehouseTables returns the rows of the tables a load writes, as JSON,
// without what names or dates the run (its id, its times, the partition of
// its lake keys): what must be equal when two runs load the same pages.
func warehouseTables(t *testing.T, dbURL string) map[string][]string {
	t.Helper()
	runCols := "'{run_id,first_seen_run,last_seen_run,first_seen_at,last_seen_at}'::text[]"
	out := map[string][]string{}
	for _, table := range []string{"postings", "listings", "run_sources", "rejects", "sightings"} {
		rows := tableRows(t, dbURL, fmt.Sprintf("(SELECT to_jsonb(x) - %s AS j FROM %s x) y", runCols, table))
		for i, r := range rows {
			rows[i] = runSegment.ReplaceAllString(r, "RUN")
		}
		slices.Sort(rows)
		out[table] = rows
	}
	out["runs"] = tableRows(t, dbURL, "(SELECT jsonb_build_object('status', status, 'sample', sample) AS j FROM runs) y")
	return out
}

// tableRows returns the rows of a table (or of a subquery y with one jsonb
// column j) as JSON text.
func tableRows(t *testing.T, dbURL, from string) []string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	col := "to_jsonb(y)::text"
	if strings.HasPrefix(from, "(") {
		col = "y.j::text"
	} else {
		from += " y"
	}
	rows, err := conn.Query(ctx, "SELECT "+col+" FROM "+from)
	if err != nil {
		t.Fatalf("read %s: %v", from, err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("read %s: %v", from, err)
	}
	return got
}
