package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// gatedRemotive serves the captured Remotive response, but holds every
// request until open is called: a run is then caught in the middle, holding
// the run lock. It counts the requests in flight at once.
type gatedRemotive struct {
	*httptest.Server
	arrived chan string // a request's path, as it arrives
	release chan struct{}
	once    sync.Once

	mu       sync.Mutex
	inFlight int
	most     int // largest inFlight seen
}

func newGatedRemotive(t *testing.T) *gatedRemotive {
	t.Helper()
	body := testenv.RealCapture(t, "remotive/remote-jobs.json")
	g := &gatedRemotive{arrived: make(chan string, 16), release: make(chan struct{})}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/remote-jobs" {
			http.NotFound(w, r)
			return
		}
		g.mu.Lock()
		g.inFlight++
		g.most = max(g.most, g.inFlight)
		g.mu.Unlock()
		defer func() {
			g.mu.Lock()
			g.inFlight--
			g.mu.Unlock()
		}()
		g.arrived <- r.URL.Path
		select {
		case <-g.release:
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	t.Cleanup(g.Close)
	t.Cleanup(g.open) // runs first: Close waits for the handlers
	return g
}

// open lets every request through, now and from now on.
func (g *gatedRemotive) open() { g.once.Do(func() { close(g.release) }) }

// mostInFlight is the largest number of requests it served at once.
func (g *gatedRemotive) mostInFlight() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.most
}

// arrival waits for a request to arrive, for at most a minute (a bound for
// a hung test, not a timing assertion).
func (g *gatedRemotive) arrival(t *testing.T) {
	t.Helper()
	select {
	case <-g.arrived:
	case <-time.After(time.Minute):
		t.Fatal("no request reached the source within a minute")
	}
}

// runArgs are the flags of a run against src, with everything under dir.
func runArgs(t *testing.T, dbURL, dir string, src *httptest.Server) []string {
	return []string{
		"run", "--json",
		"--warehouse.url=" + dbURL,
		"--lake.url=" + filepath.Join(dir, "lake"),
		"--sources.remotive.url=" + src.URL,
		"--site.out=" + filepath.Join(dir, "public"),
		"--site.echarts=" + echartsPath(t),
		"--publish.target=" + filepath.Join(dir, "published"),
	}
}

// runResult is what one `jobpulse run --json` printed and returned.
type runResult struct {
	rep report
	out string
	err error
}

func decodeRun(t *testing.T, out string, err error) runResult {
	t.Helper()
	r := runResult{out: out, err: err}
	// The summary is the last JSON document of the output (log lines at
	// warn level, if any, come first).
	if i := strings.LastIndex(out, "\n{\n"); i >= 0 {
		out = out[i+1:]
	}
	if jerr := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &r.rep); jerr != nil {
		t.Fatalf("run --json output is not a summary: %v\n%s", jerr, r.out)
	}
	return r
}

// warehouseState is what the warehouse and the lake hold after some runs.
type warehouseState struct {
	Runs      []string // ids, in the order they started
	Manifests []string // run ids whose manifest is in the lake
	Listings  int
	Sightings []int // per run, in the same order
}

func stateOf(t *testing.T, dbURL, lakeDir string) warehouseState {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var s warehouseState
	rows, _ := conn.Query(ctx, "SELECT id FROM runs ORDER BY started_at, id")
	if s.Runs, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		t.Fatal(err)
	}
	rows, _ = conn.Query(ctx, `SELECT count(s.posting_id)::int FROM runs r LEFT JOIN sightings s ON s.run_id = r.id
		GROUP BY r.id, r.started_at ORDER BY r.started_at, r.id`)
	if s.Sightings, err = pgx.CollectRows(rows, pgx.RowTo[int]); err != nil {
		t.Fatal(err)
	}
	s.Listings = count(t, conn, "SELECT count(*) FROM listings")
	if _, err := os.Stat(lakeDir); err == nil {
		lake, err := ingest.NewFolderLake(lakeDir)
		if err != nil {
			t.Fatal(err)
		}
		keys, err := lake.List(ctx, "runs/")
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			s.Manifests = append(s.Manifests, strings.TrimSuffix(strings.TrimPrefix(k, "runs/run="), ".json"))
		}
	}
	return s
}

// TestRunOverlap starts two runs at the same time on one warehouse and lake.
// Without --wait the one that does not get the run lock refuses at once,
// names the holder, exits non-zero and changes nothing; with --wait it runs
// after the first. Either way each run that got the lock is loaded once,
// and nothing twice.
func TestRunOverlap(t *testing.T) {
	tests := []struct {
		name string
		wait string
		runs int // runs that got the lock
	}{
		{name: "the second refuses", wait: "0s", runs: 1},
		{name: "the second waits", wait: "10m", runs: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dbURL, dir := pgtest.URL(t), t.TempDir()
			src := newGatedRemotive(t)
			args := append(runArgs(t, dbURL, dir, src.Server), "--wait="+tt.wait)
			results := make(chan runResult, 2)
			for range 2 {
				go func() {
					out, err := jobpulse(t, args...)
					results <- runResult{out: out, err: err}
				}()
			}
			src.arrival(t) // one run holds the lock and is fetching
			done := src.settle(t, dbURL, results, tt.runs == 1)

			var ok, refused []runResult
			for _, r := range done {
				r = decodeRun(t, r.out, r.err)
				if r.err == nil {
					ok = append(ok, r)
				} else {
					refused = append(refused, r)
				}
			}
			if len(ok) != tt.runs {
				t.Fatalf("%d runs succeeded, want %d: %+v", len(ok), tt.runs, done)
			}
			for _, r := range refused {
				msg := r.err.Error()
				if !strings.Contains(msg, "refused, nothing done") || !strings.Contains(msg, `"jobpulse run `) ||
					!strings.Contains(msg, "connected since") || r.rep.Error == "" || len(r.rep.Runs) != 0 || r.rep.Publish != nil {
					t.Errorf("refused run: err %q, summary %+v; want a refusal naming the holder, nothing run", msg, r.rep)
				}
			}
			var want warehouseState
			for _, r := range ok {
				if len(r.rep.Runs) != 1 || r.rep.Publish == nil || r.rep.Publish.Uploaded == 0 && r.rep.Publish.Unchanged == 0 {
					t.Fatalf("run that got the lock: summary %+v, want one run loaded and published", r.rep)
				}
				run := r.rep.Runs[0]
				want.Runs = append(want.Runs, run.ID)
				want.Sightings = append(want.Sightings, run.Loaded.Sightings)
			}
			want.Manifests = slices.Sorted(slices.Values(want.Runs))
			want.Listings = 31 // one per Remotive job of the capture, however often seen
			got := stateOf(t, dbURL, filepath.Join(dir, "lake"))
			slices.Sort(want.Runs)
			slices.Sort(got.Runs)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("warehouse and lake (-want +got):\n%s", diff)
			}
			if n := src.mostInFlight(); n != 1 {
				t.Errorf("the source served %d requests at once, want 1: the runs overlapped", n)
			}
		})
	}
}

// settle collects the results of two commands started on g, the first of
// which holds the run lock and waits in g for its source: when refused, the
// second must end (refused) while the first is held, else it must wait for
// the lock; then g lets the first go on.
func (g *gatedRemotive) settle(t *testing.T, dbURL string, results <-chan runResult, refused bool) []runResult {
	t.Helper()
	var done []runResult
	if refused {
		select {
		case r := <-results: // the second, refused while the first is held
			done = append(done, r)
		case <-g.arrived:
			t.Fatal("both fetched at once")
		}
	} else {
		waitForLockWaiter(t, dbURL)
	}
	g.open()
	for len(done) < 2 {
		done = append(done, <-results)
	}
	return done
}

// waitForLockWaiter waits until a session waits for the run lock.
func waitForLockWaiter(t *testing.T, dbURL string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		n := count(t, conn, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
			AND objid::bigint = `+lockObjID)
		if n > 0 {
			return
		}
	}
	t.Fatal("no session waited for the run lock within a minute")
}

// lockObjID is the low half of the run lock's key, as pg_locks shows it.
var lockObjID = strconv.FormatInt(warehouse.RunLockKey&0xffffffff, 10)

// TestRunAfterCrash kills a run's process (the built binary, SIGKILL) while
// it holds the run lock in the middle of its fetch: PostgreSQL frees the lock
// with the dead process's session, so the next run proceeds. A run refused
// by a holder whose session is then terminated (pg_terminate_backend, as an
// operator would end a hung run) proceeds too, and the refused attempt left
// nothing behind.
func TestRunAfterCrash(t *testing.T) {
	ctx := context.Background()
	dbURL, dir := pgtest.URL(t), t.TempDir()
	src := newGatedRemotive(t)
	args := runArgs(t, dbURL, dir, src.Server)

	bin := filepath.Join(t.TempDir(), "jobpulse")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	crashed := exec.Command(bin, append(args, offline...)...)
	if err := crashed.Start(); err != nil {
		t.Fatal(err)
	}
	src.arrival(t) // it holds the lock and waits for the source
	holder := lockHolder(t, dbURL)
	if holder == nil || !strings.HasPrefix(holder.Application, "jobpulse run ") ||
		!strings.HasSuffix(holder.Application, " pid "+strconv.Itoa(crashed.Process.Pid)) {
		t.Fatalf("run lock holder = %+v, want the process %d", holder, crashed.Process.Pid)
	}
	if err := crashed.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	crashed.Wait()
	// The server ends the session when it sees the socket closed.
	for deadline := time.Now().Add(time.Minute); lockHolder(t, dbURL) != nil; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the run lock outlived its process by a minute")
		}
	}
	src.open()
	if out, err := jobpulse(t, args...); err != nil {
		t.Fatalf("run after a crashed run: %v\n%s", err, out)
	}
	runs := stateOf(t, dbURL, filepath.Join(dir, "lake")).Runs
	if len(runs) != 1 {
		t.Fatalf("runs = %v, want the one after the crash", runs)
	}

	// A hung holder, ended by an operator.
	pool := pgtestPool(t, dbURL)
	hung, err := warehouse.AcquireRunLock(ctx, pool, "jobpulse run hung-host pid 1", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer hung.Release(ctx)
	out, err := jobpulse(t, args...)
	if err == nil || !strings.Contains(err.Error(), `"jobpulse run hung-host pid 1"`) {
		t.Fatalf("run while another holds the lock: err = %v, want a refusal naming the holder\n%s", err, out)
	}
	if diff := cmp.Diff(runs, stateOf(t, dbURL, filepath.Join(dir, "lake")).Runs); diff != "" {
		t.Errorf("a refused run changed the runs (-before +after):\n%s", diff)
	}
	if _, err := pool.Exec(ctx, "SELECT pg_terminate_backend($1)", int64(hung.PID())); err != nil {
		t.Fatal(err)
	}
	if out, err := jobpulse(t, append(args, "--wait=10m")...); err != nil {
		t.Fatalf("run after the holder's session was terminated: %v\n%s", err, out)
	}
	if got := stateOf(t, dbURL, filepath.Join(dir, "lake")); len(got.Runs) != 2 || len(got.Manifests) != 2 {
		t.Errorf("runs %v, manifests %v: want two of each", got.Runs, got.Manifests)
	}
}

func lockHolder(t *testing.T, dbURL string) *warehouse.LockHolder {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	h, err := warehouse.RunLockHolder(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// dbConn connects to dbURL for the test; the connection closes with it.
func dbConn(t *testing.T, dbURL string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func pgtestPool(t *testing.T, dbURL string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// TestRunFailures checks what a run does when a part fails: a failing build
// stops it before anything is published, and it exits non-zero after loading
// its run; a failing source (one of two) does not stop it, and its summary and
// the site's sources page say which failed and why.
func TestRunFailures(t *testing.T) {
	broken := t.TempDir()
	page := "---\ntitle: Broken\nqueries:\n  broken: SELECT no_such_column FROM postings\n---\n# Broken\n\n${broken.no_such_column}\n"
	if err := os.WriteFile(filepath.Join(broken, "index.md"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "upstream broke", http.StatusInternalServerError)
	}))
	t.Cleanup(failing.Close)
	type outcome struct {
		Failed    bool   // the command returned an error
		Status    string // of the run in the warehouse
		Published bool   // the target has an index.html
	}
	tests := []struct {
		name     string
		flags    []string
		want     outcome
		wantText []string // in the error or the summary
	}{
		{
			name:     "broken build",
			flags:    []string{"--site.content=" + broken},
			want:     outcome{Failed: true, Status: warehouse.RunOK},
			wantText: []string{"build failed, nothing published", "no_such_column"},
		},
		{
			name: "one failing source",
			flags: []string{"--sources.arbeitnow.enabled=true", "--sources.arbeitnow.url=" + failing.URL,
				"--sources.arbeitnow.min_interval=0s", "--fetch.retries=1", "--fetch.retry_delay=1ms"},
			want:     outcome{Status: warehouse.RunPartial, Published: true},
			wantText: []string{`"status": "partial"`, `"source": "arbeitnow"`, `"status": "failed"`, "500"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dbURL, dir := pgtest.URL(t), t.TempDir()
			out, err := jobpulse(t, append(runArgs(t, dbURL, dir, realRemotive(t)), tt.flags...)...)
			got := outcome{Failed: err != nil}
			conn, cerr := pgx.Connect(context.Background(), dbURL)
			if cerr != nil {
				t.Fatal(cerr)
			}
			defer conn.Close(context.Background())
			if qerr := conn.QueryRow(context.Background(), "SELECT string_agg(status, ',') FROM runs").Scan(&got.Status); qerr != nil {
				t.Fatal(qerr)
			}
			_, serr := os.Stat(filepath.Join(dir, "published", "index.html"))
			got.Published = serr == nil
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("outcome (-want +got), err %v:\n%s\n%s", err, diff, out)
			}
			if err != nil {
				out += "\n" + err.Error()
			}
			for _, s := range tt.wantText {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
			if !tt.want.Published {
				if _, err := os.Stat(filepath.Join(dir, "published")); !os.IsNotExist(err) {
					t.Errorf("publish target exists after a failed run (%v)", err)
				}
				return
			}
			sources, err := os.ReadFile(filepath.Join(dir, "published", "sources", "index.html"))
			if err != nil || !strings.Contains(string(sources), "arbeitnow") || !strings.Contains(string(sources), "failed") {
				t.Errorf("the published sources page does not show the failed source (%v)", err)
			}
		})
	}
}
