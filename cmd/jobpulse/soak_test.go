package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/spf13/pflag"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/ingest/normalize"
	"github.com/jobpulse/jobpulse/ingest/sample"
	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/site"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// The soak: soakNights nightly runs, one per simulated night, of a sample
// board with about soakJobs open jobs (the build of the whole embedded report
// each night is most of a run's time: 300 jobs keep the 30 runs near a
// minute on 2 cores).
const (
	soakNights = 30
	soakJobs   = 300
)

// soakStart is the first night: 02:00 UTC, as the demo's nights, on a
// Thursday, so that the 30 nights span five ISO weeks, two of them in part.
var soakStart = time.Date(2026, 10, 1, demoHour, 0, 0, 0, time.UTC)

// soakBoard is the sample board that `jobpulse demo` serves ([sample.Board]),
// on a real HTTP server on 127.0.0.1. It serves the jobs of the night its
// clock reads and keeps a copy of each response it sent, in a folder rather
// than in memory, since the soak measures the heap.
type soakBoard struct {
	*httptest.Server
	clock nightClock
	dir   string

	mu   sync.Mutex
	sent []sentPage
	err  error // the first error writing a copy
}

// sentPage is one response the board sent.
type sentPage struct {
	Night string // the night's date (YYYY-MM-DD) when the request came
	Path  string
	File  string // a copy of the body
}

func newSoakBoard(tb testing.TB, jobs int) *soakBoard {
	tb.Helper()
	b := &soakBoard{dir: tb.TempDir()}
	serve := sample.Board{Size: jobs}.Handler(b.clock.now)
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		night := b.clock.now().UTC().Format(time.DateOnly)
		tee := &teeWriter{ResponseWriter: w}
		serve.ServeHTTP(tee, r)
		b.record(night, r.URL.Path, tee.body.Bytes())
	}))
	tb.Cleanup(b.Close)
	return b
}

func (b *soakBoard) record(night, path string, body []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	file := filepath.Join(b.dir, fmt.Sprintf("%03d-%s.json", len(b.sent)+1, night))
	if err := os.WriteFile(file, body, 0o644); err != nil && b.err == nil {
		b.err = err
	}
	b.sent = append(b.sent, sentPage{Night: night, Path: path, File: file})
}

// pages returns the responses sent so far, in order.
func (b *soakBoard) pages(tb testing.TB) []sentPage {
	tb.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		tb.Fatalf("keeping a copy of a response: %v", b.err)
	}
	return slices.Clone(b.sent)
}

// teeWriter keeps a copy of what it writes.
type teeWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (w *teeWriter) Write(p []byte) (int, error) {
	w.body.Write(p)
	return w.ResponseWriter.Write(p)
}

// soakArgs are the flags of a nightly run against the board, with the lake,
// the built site and the published copy under dir.
func soakArgs(tb testing.TB, dbURL, dir string, b *soakBoard) []string {
	tb.Helper()
	echarts, err := filepath.Abs(filepath.Join("..", "..", "templates", "node_modules", "echarts", "dist", "echarts.min.js"))
	if err == nil {
		_, err = os.Stat(echarts)
	}
	if err != nil {
		testenv.Missing(tb, "ECharts is not installed (%v): run npm ci --prefix templates", err)
	}
	return []string{
		"--warehouse.url=" + dbURL,
		"--lake.url=" + filepath.Join(dir, "lake"),
		"--sources.remotive.url=" + b.URL,
		"--site.out=" + filepath.Join(dir, "public"),
		"--site.echarts=" + echarts,
		"--publish.target=" + filepath.Join(dir, "published"),
	}
}

// soakApp returns the app of one `jobpulse run` with the offline flags and
// args, as the root command's PersistentPreRunE makes it, logging to logw.
func soakApp(args []string, logw io.Writer) (*app, error) {
	fs := pflag.NewFlagSet("jobpulse run", pflag.ContinueOnError)
	registerFlags(fs)
	if err := fs.Parse(append(slices.Clone(offline), args...)); err != nil {
		return nil, err
	}
	cfg, err := loadConfig("", fs)
	if err != nil {
		return nil, err
	}
	logger := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: cfg.Log.SlogLevel()}))
	return &app{cfg: cfg, logger: logger, stderr: logw}, nil
}

// soakRun is one `jobpulse run` (run.go: the command's steps under the run
// lock) whose run starts at the time now tells, as the demo dates its nights.
func soakRun(ctx context.Context, a *app, now func() time.Time) (report, error) {
	var rep report
	srcs, err := a.selectSources(nil)
	if err != nil {
		return rep, err
	}
	a.now = now
	defer func() { a.now = nil }()
	err = a.withRunLock(ctx, "run", a.cfg.Warehouse, 0, func(wh *warehouse.Warehouse, lock *warehouse.RunLock) error {
		return a.runLocked(ctx, &rep, wh, lock, srcs, 0)
	})
	return rep, err
}

// soakMem is the process's state after a run.
type soakMem struct {
	HeapMB     float64 // live heap after runtime.GC
	PeakRSSMB  float64 // peak resident set size during the run
	Goroutines int
	FDs        int // open file descriptors
}

// measure returns the process's state now; peak is its peak RSS since the
// run began.
func measure(peak int64) soakMem {
	// Twice: sync.Pool's victim cache survives the first collection.
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fds, _ := os.ReadDir("/proc/self/fd")
	return soakMem{HeapMB: mb(int64(ms.HeapAlloc)), PeakRSSMB: mb(peak), Goroutines: runtime.NumGoroutine(), FDs: len(fds)}
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

// cpuTime returns the CPU time (user and system) of this process so far:
// unlike wall time, it hardly depends on what else the machine runs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// stage returns the duration of a build's stage.
func stage(stages []site.Stage, name string) time.Duration {
	for _, s := range stages {
		if s.Name == name {
			return s.Duration
		}
	}
	return 0
}

// Leak thresholds: how far above its median over runs 3 to 7 a figure may
// end after run 30 (the first runs fill caches and pools). The live heap
// after a run is about 3 MB and moves by under 0.1 MB from run to run, and
// what the report rightly keeps growing (30 days of history) is a few kB. A
// leak of a run's raw page (about 330 kB at 300 jobs), of its parsed
// postings or of its built pages (about 2 MB) adds 180 kB or more a run: 4
// MB or more over the last 23 runs, 40 times the noise. Goroutines and open
// files stay exactly flat; a leak leaves one or more behind each run.
const (
	leakHeapMB      = 4
	leakGoroutines  = 10
	leakDescriptors = 10
)

// TestSoak makes 30 nightly runs (ingest from the sample board over HTTP
// into a folder lake and the warehouse, build the whole report, publish to a
// folder), one per simulated night, on sample data that changes from night
// to night. Then three views must agree with what the board served: the
// warehouse (runs, sightings, first and last sightings of postings and
// listings), the published trends page (postings per day and per week), and
// the lake (manifests, raw pages byte for byte, and a replay into a fresh
// database that gives the same tables). Memory, goroutines and open files
// must not grow from run to run.
func TestSoak(t *testing.T) {
	ctx := context.Background()
	dbURL, dir := pgtest.URL(t), t.TempDir()
	board := newSoakBoard(t, soakJobs)
	args := soakArgs(t, dbURL, dir, board)
	logs, err := os.Create(filepath.Join(dir, "jobpulse.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logs.Close()

	var mems []soakMem
	for i := range soakNights {
		night := soakStart.AddDate(0, 0, i)
		board.clock.set(night)
		testenv.ResetPeakRSS()
		start, cpu := time.Now(), cpuTime()
		a, err := soakApp(args, logs)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := soakRun(ctx, a, board.clock.now)
		wall, cpu := time.Since(start), cpuTime()-cpu
		if err != nil || len(rep.Runs) != 1 || rep.Publish == nil {
			log, _ := os.ReadFile(logs.Name())
			t.Fatalf("night %d (%s): %v; summary %+v\n%s", i+1, night.Format(time.DateOnly), err, rep, log)
		}
		m := measure(testenv.PeakRSS())
		mems = append(mems, m)
		run := rep.Runs[0]
		t.Logf("night %2d %s: run %s %s, %d postings seen (%d new), %d pages built, %d files published (%d deleted); "+
			"run %.2fs (build %.2fs, its queries %.2fs), CPU %.2fs; live heap %.1f MB, peak RSS %.0f MB, %d goroutines, %d fds",
			i+1, night.Format(time.DateOnly), run.ID, run.Status, run.Loaded.Sightings, run.Loaded.Inserted,
			rep.Build.Pages, rep.Publish.Uploaded, rep.Publish.Deleted, wall.Seconds(), rep.Build.Duration.Seconds(),
			stage(rep.Build.Stages, "query").Seconds(), cpu.Seconds(), m.HeapMB, m.PeakRSSMB, m.Goroutines, m.FDs)
	}
	checkLeaks(t, mems)

	want := expectFromBoard(t, board.pages(t))
	t.Run("warehouse", func(t *testing.T) { checkSoakWarehouse(t, dbURL, want) })
	t.Run("trends page", func(t *testing.T) { checkSoakTrends(t, filepath.Join(dir, "published"), want) })
	t.Run("lake", func(t *testing.T) { checkSoakLake(t, dbURL, filepath.Join(dir, "lake"), board.URL, want) })
	t.Run("replay", func(t *testing.T) {
		fresh := pgtest.URL(t)
		if out, err := jobpulse(t, "replay", "--warehouse.url="+fresh, "--lake.url="+filepath.Join(dir, "lake")); err != nil {
			t.Fatalf("replay: %v\n%s", err, out)
		}
		if diff := diffHead(digest(t, dbURL), digest(t, fresh)); diff != "" {
			t.Errorf("the lake replayed into a fresh database differs from the warehouse (-warehouse +replayed):\n%s", diff)
		}
	})
}

// checkLeaks fails when the live heap, the goroutines or the open files
// after the last run are clearly above their median over runs 3 to 7 (the
// first runs warm caches and pools).
func checkLeaks(t *testing.T, mems []soakMem) {
	t.Helper()
	base := mems[2:7]
	median := func(f func(soakMem) float64) float64 {
		v := make([]float64, len(base))
		for i, m := range base {
			v[i] = f(m)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	last := mems[len(mems)-1]
	heap, peak := median(func(m soakMem) float64 { return m.HeapMB }), median(func(m soakMem) float64 { return m.PeakRSSMB })
	routines, fds := median(func(m soakMem) float64 { return float64(m.Goroutines) }), median(func(m soakMem) float64 { return float64(m.FDs) })
	t.Logf("runs 3-7 (median) -> run %d: live heap %.1f -> %.1f MB, peak RSS %.0f -> %.0f MB, goroutines %.0f -> %d, fds %.0f -> %d",
		len(mems), heap, last.HeapMB, peak, last.PeakRSSMB, routines, last.Goroutines, fds, last.FDs)
	if last.HeapMB > heap+leakHeapMB {
		t.Errorf("live heap after run %d is %.1f MB, more than %d MB above the median of runs 3-7 (%.1f MB): a leak",
			len(mems), last.HeapMB, leakHeapMB, heap)
	}
	if float64(last.Goroutines) > routines+leakGoroutines {
		t.Errorf("%d goroutines after run %d, more than %d above the median of runs 3-7 (%.0f): a leak",
			last.Goroutines, len(mems), leakGoroutines, routines)
	}
	if float64(last.FDs) > fds+leakDescriptors {
		t.Errorf("%d open files after run %d, more than %d above the median of runs 3-7 (%.0f): a leak",
			last.FDs, len(mems), leakDescriptors, fds)
	}
}

// soakChildEnv, when set, makes TestSoakNight one nightly run (a
// soakChild, as JSON) in a process of its own, for BenchmarkSoak30.
const soakChildEnv = "JOBPULSE_SOAK_CHILD"

// soakChild is one run of BenchmarkSoak30.
type soakChild struct {
	Night time.Time
	Args  []string
}

// TestSoakNight is the child process of BenchmarkSoak30: one nightly run. It
// does nothing unless the benchmark started it.
func TestSoakNight(t *testing.T) {
	env := os.Getenv(soakChildEnv)
	if env == "" {
		t.Skip("the child process of BenchmarkSoak30: run by the benchmark only")
	}
	var c soakChild
	if err := json.Unmarshal([]byte(env), &c); err != nil {
		t.Fatalf("%s: %v", soakChildEnv, err)
	}
	var clock nightClock
	clock.set(c.Night)
	a, err := soakApp(c.Args, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := soakRun(context.Background(), a, clock.now); err != nil || len(rep.Runs) != 1 || rep.Publish == nil {
		t.Fatalf("night of %s: %v; summary %+v", c.Night.Format(time.DateOnly), err, rep)
	}
}

// BenchmarkSoak30 makes the soak's 30 nightly runs, each in a process of its
// own as a scheduler starts `jobpulse run` (the test binary, running
// TestSoakNight), and reports a run's wall time (the first, the last and
// their mean), the CPU time of the first and the last run's process (not
// PostgreSQL's) and their peak RSS. One iteration takes about a minute:
//
//	go test -run '^$' -bench Soak30 -benchtime 1x ./cmd/jobpulse
func BenchmarkSoak30(b *testing.B) {
	for range b.N {
		dbURL, dir := pgtest.URL(b), b.TempDir()
		board := newSoakBoard(b, soakJobs)
		args := soakArgs(b, dbURL, dir, board)
		var (
			total       time.Duration
			first, last time.Duration
			cpu         []time.Duration
			rss         []int64
		)
		for i := range soakNights {
			night := soakStart.AddDate(0, 0, i)
			board.clock.set(night)
			env, err := json.Marshal(soakChild{Night: night, Args: args})
			if err != nil {
				b.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestSoakNight$", "-test.count=1")
			cmd.Env = append(os.Environ(), soakChildEnv+"="+string(env))
			start := time.Now()
			out, err := cmd.CombinedOutput()
			wall := time.Since(start)
			if err != nil {
				b.Fatalf("night %d: %v\n%s", i+1, err, out)
			}
			total += wall
			if i == 0 {
				first = wall
			}
			last = wall
			ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
			rss = append(rss, ru.Maxrss*1024)
			cpu = append(cpu, time.Duration(ru.Utime.Nano()+ru.Stime.Nano()))
		}
		b.ReportMetric(first.Seconds(), "s/run-first")
		b.ReportMetric(last.Seconds(), "s/run-last")
		b.ReportMetric(total.Seconds()/soakNights, "s/run-mean")
		b.ReportMetric(cpu[0].Seconds(), "s-cpu/run-first")
		b.ReportMetric(cpu[len(cpu)-1].Seconds(), "s-cpu/run-last")
		b.ReportMetric(mb(rss[0]), "MB-peakRSS-first")
		b.ReportMetric(mb(rss[len(rss)-1]), "MB-peakRSS-last")
		b.ReportMetric(mb(slices.Max(rss)), "MB-peakRSS-max")
	}
}

// diffHead returns the cmp diff of want and got, cut to its first 60 lines.
func diffHead(want, got any) string {
	diff := cmp.Diff(want, got)
	if lines := strings.Split(diff, "\n"); len(lines) > 60 {
		diff = strings.Join(lines[:60], "\n") + fmt.Sprintf("\n... (%d more lines)", len(lines)-60)
	}
	return diff
}

// soakTruth is what the board served, night by night, read back from the
// copies of its responses: what the three views must show.
type soakTruth struct {
	nights   []soakNight
	listings map[string]span   // source id -> the nights it was served on
	postings map[string]span   // posting (soakKey) -> the nights it was served on
	keyOf    map[string]string // source id -> its posting
}

// soakNight is what the board served on one night.
type soakNight struct {
	Date string
	File string          // the response
	Jobs int             // records
	Keys map[string]bool // distinct postings
}

// span is the first and the last night (from 0) something was served on.
type span struct{ First, Last int }

// soakKey is the identity of a served job under the README's rule
// (Duplicates): its company and title, folded (lower case: the sample's
// names have no accents, legal suffixes, gender markers or places), and the
// countries and regions of its location text as the normalizer reads them.
func soakKey(company, title, location string) string {
	loc := normalize.ParseLocation(location)
	return strings.Join([]string{strings.ToLower(company), strings.ToLower(title),
		strings.Join(loc.Countries, ","), strings.Join(loc.Regions, ",")}, " | ")
}

// expectFromBoard reads the board's responses: one per night, each the
// night's jobs.
func expectFromBoard(t *testing.T, pages []sentPage) soakTruth {
	t.Helper()
	var got, want []string
	for i := range soakNights {
		want = append(want, soakStart.AddDate(0, 0, i).Format(time.DateOnly)+" /api/remote-jobs")
	}
	for _, p := range pages {
		got = append(got, p.Night+" "+p.Path)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("requests the board served (-want +got): one a night:\n%s", diff)
	}
	truth := soakTruth{listings: map[string]span{}, postings: map[string]span{}, keyOf: map[string]string{}}
	widen := func(m map[string]span, k string, night int) {
		if s, ok := m[k]; ok {
			m[k] = span{s.First, night}
		} else {
			m[k] = span{night, night}
		}
	}
	for i, p := range pages {
		body, err := os.ReadFile(p.File)
		if err != nil {
			t.Fatal(err)
		}
		var resp struct {
			Jobs []struct {
				ID       int    `json:"id"`
				Title    string `json:"title"`
				Company  string `json:"company_name"`
				Location string `json:"candidate_required_location"`
			} `json:"jobs"`
		}
		if err := json.Unmarshal(body, &resp); err != nil {
			t.Fatalf("response of %s: %v", p.Night, err)
		}
		n := soakNight{Date: p.Night, File: p.File, Jobs: len(resp.Jobs), Keys: map[string]bool{}}
		for _, j := range resp.Jobs {
			id, key := strconv.Itoa(j.ID), soakKey(j.Company, j.Title, j.Location)
			if k, ok := truth.keyOf[id]; ok && k != key {
				t.Fatalf("job %s changed from %q to %q on %s", id, k, key, p.Night)
			}
			truth.keyOf[id] = key
			n.Keys[key] = true
			widen(truth.listings, id, i)
			widen(truth.postings, key, i)
		}
		truth.nights = append(truth.nights, n)
	}
	// The soak means something only if postings come and go.
	var appeared, gone, back int
	for key, s := range truth.postings {
		appeared += b2i(s.First > 0)
		gone += b2i(s.Last < soakNights-1)
		for i := s.First; i <= s.Last; i++ {
			if !truth.nights[i].Keys[key] {
				back++ // gone for a night or more, then listed again (a repost)
				break
			}
		}
	}
	t.Logf("the board served %d jobs, %d distinct postings: %d appeared after the first night, %d were gone by the last, %d came back after a gap",
		len(truth.listings), len(truth.postings), appeared, gone, back)
	if appeared == 0 || gone == 0 {
		t.Fatal("no posting appeared or disappeared over the nights: the soak would test nothing")
	}
	return truth
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// soakRunRow is a row of runs.
type soakRunRow struct {
	ID        string
	StartedAt time.Time
	Status    string
}

func soakRuns(t *testing.T, conn *pgx.Conn) []soakRunRow {
	t.Helper()
	rows, _ := conn.Query(context.Background(), "SELECT id, started_at, status FROM runs ORDER BY started_at, id")
	runs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[soakRunRow])
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

// checkSoakWarehouse checks the warehouse's history against the board: one
// run a night; each run's sources, and its sightings exactly the postings
// served that night; one posting per identity; each listing's and posting's
// first and last sighting the first and last night it was served.
func checkSoakWarehouse(t *testing.T, dbURL string, want soakTruth) {
	ctx := context.Background()
	conn := dbConn(t, dbURL)
	runs := soakRuns(t, conn)
	type runRow struct {
		Night, Status string
		InTheHour     bool // started within the hour after the night's 02:00
	}
	var gotRuns, wantRuns []runRow
	night := map[string]int{} // run id -> night
	for _, n := range want.nights {
		wantRuns = append(wantRuns, runRow{n.Date, warehouse.RunOK, true})
	}
	for i, r := range runs {
		start := soakStart.AddDate(0, 0, i)
		gotRuns = append(gotRuns, runRow{r.StartedAt.UTC().Format(time.DateOnly), r.Status,
			!r.StartedAt.Before(start) && r.StartedAt.Before(start.Add(time.Hour))})
		night[r.ID] = i
	}
	if diff := cmp.Diff(wantRuns, gotRuns); diff != "" {
		t.Fatalf("runs (-want +got): one a night:\n%s", diff)
	}
	nightOf := func(runID string) int {
		if i, ok := night[runID]; ok {
			return i
		}
		return -1
	}

	type sourceRow struct {
		RunID, Source, Status     string
		Pages, Postings, Rejected int
		LakeKeys                  []string
	}
	rows, _ := conn.Query(ctx, "SELECT run_id, source, status, pages, postings, rejected, lake_keys FROM run_sources ORDER BY run_id, source")
	gotSources, err := pgx.CollectRows(rows, pgx.RowToStructByPos[sourceRow])
	if err != nil {
		t.Fatal(err)
	}
	var wantSources []sourceRow
	for i, r := range runs {
		wantSources = append(wantSources, sourceRow{r.ID, "remotive", warehouse.SourceOK, 1, want.nights[i].Jobs, 0,
			[]string{ingest.RawKey("remotive", r.StartedAt, r.ID, "page-0001.json")}})
	}
	if diff := diffHead(wantSources, gotSources); diff != "" {
		t.Errorf("run_sources (-want +got):\n%s", diff)
	}

	// Listings: one per job served, seen from the night it appeared to the
	// night it was last served; and through them, which posting each job is.
	var problems []string
	postingOf := map[string]string{}    // source id -> posting id
	keysOf := map[string][]string{}     // posting id -> the identities of its jobs
	postingsOf := map[string][]string{} // identity -> its posting ids
	gotListings := map[string]span{}
	rows, _ = conn.Query(ctx, `SELECT source_id, posting_id::text, first_seen_run, last_seen_run, first_seen_at, last_seen_at
		FROM listings`)
	var (
		id, posting, firstRun, lastRun string
		firstAt, lastAt                time.Time
	)
	_, err = pgx.ForEachRow(rows, []any{&id, &posting, &firstRun, &lastRun, &firstAt, &lastAt}, func() error {
		s := span{nightOf(firstRun), nightOf(lastRun)}
		gotListings[id] = s
		if s.First < 0 || s.Last < 0 || !firstAt.Equal(runs[s.First].StartedAt) || !lastAt.Equal(runs[s.Last].StartedAt) {
			problems = append(problems, fmt.Sprintf("listing %s: first seen %s at %s, last %s at %s: not the runs' times",
				id, firstRun, firstAt, lastRun, lastAt))
		}
		postingOf[id] = posting
		if key, ok := want.keyOf[id]; ok && !slices.Contains(keysOf[posting], key) {
			keysOf[posting] = append(keysOf[posting], key)
			postingsOf[key] = append(postingsOf[key], posting)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := diffHead(want.listings, gotListings); diff != "" {
		t.Errorf("listings: nights first and last seen (-served +warehouse):\n%s", diff)
	}
	for key, ps := range postingsOf {
		if len(ps) > 1 {
			problems = append(problems, fmt.Sprintf("one posting %q is %d postings in the warehouse", key, len(ps)))
		}
	}
	keyOfPosting := map[string]string{}
	for p, keys := range keysOf {
		if len(keys) > 1 {
			problems = append(problems, fmt.Sprintf("posting %s merges distinct postings %q", p, keys))
		}
		keyOfPosting[p] = keys[0]
	}

	// Postings: one per identity, first and last seen on the first and last
	// night one of its jobs was served.
	gotPostings := map[string]span{}
	rows, _ = conn.Query(ctx, "SELECT id::text, first_seen_run, last_seen_run, first_seen_at, last_seen_at FROM postings")
	_, err = pgx.ForEachRow(rows, []any{&posting, &firstRun, &lastRun, &firstAt, &lastAt}, func() error {
		key, ok := keyOfPosting[posting]
		if !ok {
			key = "posting " + posting + " (no job the board served)"
		}
		s := span{nightOf(firstRun), nightOf(lastRun)}
		gotPostings[key] = s
		if s.First < 0 || s.Last < 0 || !firstAt.Equal(runs[s.First].StartedAt) || !lastAt.Equal(runs[s.Last].StartedAt) {
			problems = append(problems, fmt.Sprintf("posting %s: first seen %s at %s, last %s at %s: not the runs' times",
				posting, firstRun, firstAt, lastRun, lastAt))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := diffHead(want.postings, gotPostings); diff != "" {
		t.Errorf("postings: nights first and last seen (-served +warehouse):\n%s", diff)
	}

	// Sightings: each run saw exactly the postings served that night.
	seen := make([]map[string]bool, len(runs))
	for i := range seen {
		seen[i] = map[string]bool{}
	}
	var runID string
	rows, _ = conn.Query(ctx, "SELECT run_id, posting_id::text FROM sightings")
	_, err = pgx.ForEachRow(rows, []any{&runID, &posting}, func() error {
		key, ok := keyOfPosting[posting]
		if !ok {
			key = "posting " + posting + " (no job the board served)"
		}
		if i := nightOf(runID); i >= 0 {
			seen[i][key] = true
		} else {
			problems = append(problems, fmt.Sprintf("sighting of %s by unknown run %s", posting, runID))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	type nightSeen struct {
		Night             string
		Postings          int
		NotServed, Unseen []string // the first few
	}
	var wantSeen, gotSeen []nightSeen
	for i, n := range want.nights {
		wantSeen = append(wantSeen, nightSeen{Night: n.Date, Postings: len(n.Keys)})
		gotSeen = append(gotSeen, nightSeen{Night: n.Date, Postings: len(seen[i]),
			NotServed: firstFew(seen[i], n.Keys), Unseen: firstFew(n.Keys, seen[i])})
	}
	if diff := cmp.Diff(wantSeen, gotSeen); diff != "" {
		t.Errorf("sightings per run (-served +warehouse):\n%s", diff)
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		t.Errorf("%d problems, the first:\n%s", len(problems), strings.Join(problems[:min(len(problems), 10)], "\n"))
	}
}

// firstFew returns up to three of the keys of a that are not in b, sorted.
func firstFew(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out[:min(len(out), 3)]
}

// checkSoakTrends checks the published trends page against the board: the
// postings seen per day (its chart, drawn as SVG, and the chart's data) and
// the distinct postings seen per ISO week (its chart's options and data).
func checkSoakTrends(t *testing.T, published string, want soakTruth) {
	html, err := os.ReadFile(filepath.Join(published, "trends", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(html)
	type count struct {
		Label    string
		Postings int
	}
	var wantDaily, wantWeekly []count
	weeks, days := map[string]map[string]bool{}, map[string]int{}
	for i, n := range want.nights {
		wantDaily = append(wantDaily, count{n.Date, len(n.Keys)})
		year, week := soakStart.AddDate(0, 0, i).ISOWeek()
		label := fmt.Sprintf("%d-W%02d", year, week)
		if weeks[label] == nil {
			weeks[label] = map[string]bool{}
			wantWeekly = append(wantWeekly, count{Label: label})
		}
		maps.Copy(weeks[label], n.Keys)
		days[label]++
	}
	for i := range wantWeekly {
		w := &wantWeekly[i]
		w.Postings = len(weeks[w.Label])
		if d := days[w.Label]; d < 7 { // a week with fewer nights says so
			w.Label += fmt.Sprintf(" (%d of 7 days)", d)
		}
	}

	// tableData returns the rows of the data file (CSV) the figure's
	// Download link leads to, beside the page.
	tableData := func(fig string) []count {
		t.Helper()
		m := regexp.MustCompile(`<a class="download" href="([a-z0-9_]+\.csv)"`).FindStringSubmatch(fig)
		if m == nil {
			t.Fatalf("no link to a data file in the figure:\n%s", fig)
		}
		f, err := os.Open(filepath.Join(published, "trends", m[1]))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil || len(recs) == 0 {
			t.Fatalf("%s: %v", m[1], err)
		}
		var out []count
		for _, r := range recs[1:] {
			n, _ := strconv.Atoi(r[1])
			out = append(out, count{r[0], n})
		}
		return out
	}

	daily := soakFigure(t, page, "Postings seen per day")
	var drawn []count
	for _, m := range regexp.MustCompile(`<title>(\d{4}-\d\d-\d\d): (\d+)</title>`).FindAllStringSubmatch(daily, -1) {
		n, _ := strconv.Atoi(m[2])
		drawn = append(drawn, count{m[1], n})
	}
	if diff := cmp.Diff(wantDaily, drawn); diff != "" {
		t.Errorf("chart of postings seen per day (-served +drawn):\n%s", diff)
	}
	if diff := cmp.Diff(wantDaily, tableData(daily)); diff != "" {
		t.Errorf("data of postings seen per day (-served +page):\n%s", diff)
	}

	weekly := soakFigure(t, page, "Distinct postings seen per week")
	// The build draws the weeks as columns, each value on its bar.
	var charted []count
	for _, m := range regexp.MustCompile(`<div class="column"><span class="column-bar"><span class="bar-value">([\d,]+)</span>.*?<span class="bar-label">([^<]*)</span></div>`).FindAllStringSubmatch(weekly, -1) {
		n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
		charted = append(charted, count{m[2], n})
	}
	if len(charted) == 0 {
		t.Fatalf("no columns in the weekly figure:\n%s", weekly)
	}
	if diff := cmp.Diff(wantWeekly, charted); diff != "" {
		t.Errorf("chart of distinct postings seen per week (-served +chart):\n%s", diff)
	}
	if diff := cmp.Diff(wantWeekly, tableData(weekly)); diff != "" {
		t.Errorf("data of distinct postings seen per week (-served +page):\n%s", diff)
	}
	span := fmt.Sprintf("jobpulse has run %d times on %d days, from %s to %s.",
		soakNights, soakNights, want.nights[0].Date, want.nights[soakNights-1].Date)
	if !strings.Contains(page, span) {
		t.Errorf("the trends page does not say %q", span)
	}
}

// soakFigure returns the figure of page with the caption.
func soakFigure(t *testing.T, page, caption string) string {
	t.Helper()
	_, fig, ok := strings.Cut(page, "<figcaption>"+caption+"</figcaption>")
	if !ok {
		t.Fatalf("the trends page has no figure %q", caption)
	}
	fig, _, _ = strings.Cut(fig, "</figure>")
	return fig
}

// checkSoakLake checks the lake against the board and the warehouse: a
// manifest per run, naming its raw page; a raw page per night, byte for
// byte the response the board sent, with its metadata.
func checkSoakLake(t *testing.T, dbURL, dir, boardURL string, want soakTruth) {
	ctx := context.Background()
	runs := soakRuns(t, dbConn(t, dbURL))
	lake, err := ingest.NewFolderLake(dir)
	if err != nil {
		t.Fatal(err)
	}
	type manifest struct {
		Key, ID, StartedAt string
		Sources            []warehouse.SourceRun
	}
	type rawPage struct {
		Key          string
		SameBytes    bool // as the board sent
		Status       int
		FromTheBoard bool // its URL is the board's
		SHA256       string
	}
	var wantManifests, gotManifests []manifest
	var wantRaw, gotRaw []rawPage
	for i, r := range runs {
		rawKey := ingest.RawKey("remotive", r.StartedAt, r.ID, "page-0001.json")
		wantManifests = append(wantManifests, manifest{ingest.ManifestKey(r.ID), r.ID, r.StartedAt.UTC().Format(time.RFC3339Nano),
			[]warehouse.SourceRun{{Source: "remotive", Status: warehouse.SourceOK, Pages: 1, LakeKeys: []string{rawKey}}}})
		sent, err := os.ReadFile(want.nights[i].File)
		if err != nil {
			t.Fatal(err)
		}
		wantRaw = append(wantRaw, rawPage{rawKey, true, http.StatusOK, true, fmt.Sprintf("%x", sha256.Sum256(sent))})
		body, meta, err := lake.Get(ctx, rawKey)
		if err != nil {
			t.Errorf("raw page of night %d: %v", i+1, err)
			continue
		}
		gotRaw = append(gotRaw, rawPage{rawKey, bytes.Equal(body, sent), meta.Status,
			strings.HasPrefix(meta.URL, boardURL+"/"), meta.SHA256})
	}
	keys, err := lake.List(ctx, "runs/")
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range keys {
		body, _, err := lake.Get(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		var run warehouse.Run
		if err := json.Unmarshal(body, &run); err != nil {
			t.Fatalf("manifest %s: %v", key, err)
		}
		m := manifest{Key: key, ID: run.ID, StartedAt: run.StartedAt.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano)}
		for _, s := range run.Sources {
			m.Sources = append(m.Sources, warehouse.SourceRun{Source: s.Source, Status: s.Status, Pages: s.Pages, LakeKeys: s.LakeKeys})
		}
		gotManifests = append(gotManifests, m)
	}
	if diff := diffHead(wantManifests, gotManifests); diff != "" {
		t.Errorf("run manifests in the lake (-warehouse +lake):\n%s", diff)
	}
	if diff := diffHead(wantRaw, gotRaw); diff != "" {
		t.Errorf("raw pages in the lake (-served +lake):\n%s", diff)
	}
	keys, err = lake.List(ctx, "raw/")
	if err != nil {
		t.Fatal(err)
	}
	var wantKeys []string
	for _, p := range wantRaw {
		wantKeys = append(wantKeys, p.Key)
	}
	if diff := diffHead(wantKeys, keys); diff != "" {
		t.Errorf("raw keys in the lake (-one a night +lake):\n%s", diff)
	}
}
