package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// fault is how a source's server misbehaves on its entry point (the API
// call, or a board's start page); "" is healthy.
type fault string

const (
	healthy         fault = ""
	tooManyRequests fault = "429 every time, with Retry-After"
	serverError     fault = "500 every time"
	trickle         fault = "headers, a few bytes, then nothing, past the fetch timeout"
	truncated       fault = "body cut short of its Content-Length, connection closed"
	errorPage       fault = "HTML error page with status 200"
	redirectLoop    fault = "redirect loop"
	tooLarge        fault = "body far larger than fetch.max_bytes"
	bombEncoding    fault = "gzip bomb: 260 KB of Content-Encoding x-gzip decoding to 256 MiB"
	bombType        fault = "gzip bomb: 260 KB of Content-Type application/x-gzip decoding to 256 MiB"
	slowPages       fault = "every page but the start page answered after 400ms, past the source's deadline (3s)"
)

// faultBomb is what a gzip bomb of TestSourceFaults decodes to: 256 times
// fetch.max_bytes, in a body of a quarter of it.
const faultBomb = 256 << 20

// faultCap is fetch.max_bytes in TestSourceFaults; a too large body is 16
// times as large.
const faultCap = 1 << 20

// sentResponse is one response as a fault server wrote it.
type sentResponse struct {
	URL    string // path and query
	Status int
	Body   []byte // the first faultCap+1 bytes written
	N      int64  // bytes written
}

// faultServer serves one source's real data (kind: remotive, remoteok,
// arbeitnow or board) on 127.0.0.1, failing on its entry point with its
// fault until it is made healthy, and records every response it writes.
type faultServer struct {
	*httptest.Server
	fault   fault
	entry   string
	content func(r *http.Request) (body []byte, ctype string, ok bool)
	healthy atomic.Bool

	mu   sync.Mutex
	sent []*sentResponse
}

func newFaultServer(t *testing.T, kind string, f fault) *faultServer {
	t.Helper()
	s := &faultServer{fault: f}
	switch kind {
	case "remotive", "remoteok":
		file, entry := "remotive/remote-jobs.json", "/api/remote-jobs"
		if kind == "remoteok" {
			file, entry = "remoteok/api.json", "/api"
		}
		body := testenv.RealCapture(t, file)
		s.entry = entry
		s.content = func(r *http.Request) ([]byte, string, bool) {
			return body, "application/json", r.URL.Path == entry
		}
	case "arbeitnow": // synthetic pages: there is no real capture of Arbeitnow
		s.entry = "/api/job-board-api"
		s.content = func(r *http.Request) ([]byte, string, bool) {
			n, err := strconv.Atoi(r.URL.Query().Get("page"))
			if r.URL.Path != s.entry || err != nil || n < 1 || n > 3 {
				return nil, "", false
			}
			b, err := os.ReadFile(fmt.Sprintf("../../ingest/testdata/arbeitnow/page-%04d.json", n))
			return b, "application/json", err == nil
		}
	case "board": // the real fake-jobs board under /fake-jobs/
		index := testenv.RealCapture(t, "fake-jobs/index.html")
		details := filepath.Join(testenv.RealCaptureDir(t, "fake-jobs"), "jobs")
		s.entry = "/fake-jobs/"
		s.content = func(r *http.Request) ([]byte, string, bool) {
			switch p := r.URL.Path; {
			case p == "/robots.txt":
				return []byte("User-agent: *\nAllow: /\n"), "text/plain", true
			case p == s.entry:
				return index, "text/html; charset=utf-8", true
			case path.Dir(p) == "/fake-jobs/jobs" && path.Ext(p) == ".html":
				b, err := os.ReadFile(filepath.Join(details, path.Base(p)))
				return b, "text/html; charset=utf-8", err == nil
			}
			return nil, "", false
		}
	default:
		t.Fatalf("no source kind %q", kind)
	}
	s.Server = httptest.NewServer(s)
	t.Cleanup(s.Close)
	return s
}

func (s *faultServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sent := &sentResponse{URL: r.URL.RequestURI()}
	s.mu.Lock()
	s.sent = append(s.sent, sent)
	s.mu.Unlock()
	rw := &recordingWriter{ResponseWriter: w, mu: &s.mu, sent: sent}
	body, ctype, ok := s.content(r)
	if s.fault == slowPages && !s.healthy.Load() && r.URL.Path != s.entry && r.URL.Path != "/robots.txt" {
		if !sleep(r.Context(), 400*time.Millisecond) {
			return // the client gave up: no response
		}
	}
	switch {
	case r.URL.Path == s.entry && s.fault != healthy && !s.healthy.Load():
		s.misbehave(rw, r, body, ctype)
	case !ok:
		http.NotFound(rw, r)
	default:
		rw.Header().Set("Content-Type", ctype)
		rw.Write(body)
	}
}

// misbehave answers r with the server's fault; body is the healthy answer.
func (s *faultServer) misbehave(w *recordingWriter, r *http.Request, body []byte, ctype string) {
	switch s.fault {
	case tooManyRequests:
		w.Header().Set("Retry-After", "1")
		http.Error(w, "rate limit exceeded, slow down", http.StatusTooManyRequests)
	case serverError:
		http.Error(w, "internal server error", http.StatusInternalServerError)
	case trickle:
		// 64 bytes in the first second, then silence until the client
		// gives up: well before fetch.timeout (2s) every byte sent has
		// arrived, so the lake must hold all of them.
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		for i := range 4 {
			w.Write(body[i*16 : (i+1)*16])
			w.Flush()
			if !sleep(r.Context(), 250*time.Millisecond) {
				return
			}
		}
		sleep(r.Context(), time.Minute) // a bound for a hung test
	case truncated:
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body[:len(body)/2]) // returning short makes net/http close the connection
	case errorPage:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!DOCTYPE html>\n<html><head><title>Oops</title></head><body><h1>Something went wrong</h1>" +
			"<p>We are working on it. Please try again later.</p></body></html>\n"))
	case redirectLoop:
		to := r.URL.Path + "?loop=1"
		if r.URL.Query().Get("loop") != "" {
			to = r.URL.Path
		}
		http.Redirect(w, r, to, http.StatusFound)
	case bombEncoding:
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Encoding", "x-gzip")
		testenv.WriteGzipBomb(w, faultBomb)
	case bombType:
		w.Header().Set("Content-Type", "application/x-gzip")
		testenv.WriteGzipBomb(w, faultBomb)
	case slowPages: // the start page is healthy
		w.Header().Set("Content-Type", ctype)
		w.Write(body)
	case tooLarge:
		w.Header().Set("Content-Type", ctype)
		for sent := 0; sent < 16*faultCap; sent += len(body) {
			if _, err := w.Write(body); err != nil {
				return // the client stopped reading at the cap
			}
		}
	}
}

// sleep waits d, or less when ctx ends first; it reports whether it waited d.
func sleep(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

// recordingWriter records what a handler writes, as it writes it.
type recordingWriter struct {
	http.ResponseWriter
	mu   *sync.Mutex
	sent *sentResponse
}

func (w *recordingWriter) WriteHeader(code int) {
	w.mu.Lock()
	if w.sent.Status == 0 {
		w.sent.Status = code
	}
	w.mu.Unlock()
	w.ResponseWriter.WriteHeader(code)
}

func (w *recordingWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	if w.sent.Status == 0 {
		w.sent.Status = http.StatusOK
	}
	w.mu.Unlock()
	n, err := w.ResponseWriter.Write(p)
	w.mu.Lock()
	w.sent.N += int64(n)
	if room := faultCap + 1 - len(w.sent.Body); room > 0 {
		w.sent.Body = append(w.sent.Body, p[:min(n, room)]...)
	}
	w.mu.Unlock()
	return n, err
}

func (w *recordingWriter) Flush() { w.ResponseWriter.(http.Flusher).Flush() }

// exchange is one response, as a server sent it or as the lake holds it:
// the lake must hold every response received, with every byte of it up to
// the cap.
type exchange struct {
	URL    string
	Status int
	Size   int
	SHA256 string
}

func newExchange(url string, status int, body []byte) exchange {
	sum := sha256.Sum256(body)
	return exchange{URL: url, Status: status, Size: len(body), SHA256: hex.EncodeToString(sum[:8])}
}

func sortExchanges(xs []exchange) []exchange {
	slices.SortFunc(xs, func(a, b exchange) int {
		return strings.Compare(a.URL+" "+a.SHA256, b.URL+" "+b.SHA256)
	})
	return xs
}

// sentExchanges returns what the server sent since the last reset, each
// body cut at the cap, and forgets it.
func (s *faultServer) sentExchanges() []exchange {
	s.mu.Lock()
	defer s.mu.Unlock()
	var xs []exchange
	for _, r := range s.sent {
		if r.Status == 0 {
			continue // nothing was written: the client gave up first
		}
		xs = append(xs, newExchange(r.URL, r.Status, r.Body[:min(len(r.Body), faultCap)]))
	}
	s.sent = nil
	return sortExchanges(xs)
}

// lakeExchanges returns the raw pages a run kept for source, and their keys.
func lakeExchanges(t *testing.T, lake ingest.Lake, source, runID, base string) ([]exchange, []string) {
	t.Helper()
	ctx := context.Background()
	all, err := lake.List(ctx, "raw/source="+source+"/")
	if err != nil {
		t.Fatal(err)
	}
	var xs []exchange
	var keys []string
	for _, key := range all {
		if !strings.Contains(key, "/run="+runID+"/") {
			continue
		}
		body, meta, err := lake.Get(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key)
		xs = append(xs, newExchange(strings.TrimPrefix(meta.URL, base), meta.Status, body))
	}
	return sortExchanges(xs), keys
}

// boardYAML is a scrape profile of the configuration, for a copy of the
// fake-jobs board at url: what a user writes to add a board.
const boardYAML = `  %s:
    enabled: true
    url: %s
    origin: https://realpython.github.io/fake-jobs/
    item: div.card-content
    fields:
      title: h2.title
      company: h3.company
      location: p.location
      published: {selector: time, attr: datetime}
      url: {selector: "footer a:nth-of-type(2)", attr: href}
    detail: {selector: "footer a:nth-of-type(2)", attr: href}
    detail_fields:
      description: {selector: ".box .content > p:not([id])", html: true, all: true}
    delay: 0s
`

// TestSourceFaults runs `jobpulse run` against one healthy source (the real
// fake-jobs board) and a source for each way a source can misbehave, on the
// three API sources (whose requests go through ingest.Fetcher) and on boards
// (crawled by colly): the run finishes the healthy source, records each
// failure with what went wrong, and keeps in the lake every response
// received, failed attempts included, with every byte of it up to the cap.
// A second run, when the sources have recovered, completes them all.
func TestSourceFaults(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		source string
		kind   string
		fault  fault
		want   string // regexp the source's error must match; "" when it is healthy
	}{
		{"fakejobs", "board", healthy, ""},
		{"remotive", "remotive", redirectLoop, `redirect loop`},
		{"remoteok", "remoteok", trickle, `timed out after 2s \(fetch\.timeout\)`},
		{"arbeitnow", "arbeitnow", errorPage, `malformed page: invalid character '<'`},
		{"board-429", "board", tooManyRequests, `429 Too Many Requests`},
		{"board-500", "board", serverError, `500 Internal Server Error`},
		{"board-slow", "board", trickle, `timed out after 2s \(fetch\.timeout\)`},
		{"board-cut", "board", truncated, `unexpected EOF`},
		{"board-loop", "board", redirectLoop, `redirect loop`},
		{"board-huge", "board", tooLarge, `larger than fetch\.max_bytes`},
		{"board-xgzip", "board", bombEncoding, `larger than fetch\.max_bytes \(1048576 bytes, once decompressed`},
		{"board-gzipped", "board", bombType, `larger than fetch\.max_bytes \(1048576 bytes, once decompressed`},
		{"board-deadline", "board", slowPages, `deadline 3s exceeded after \d+ page\(s\) \(sources\.board-deadline\.deadline\)`},
	}
	dbURL, dir := pgtest.URL(t), t.TempDir()
	servers := map[string]*faultServer{}
	var yaml strings.Builder
	yaml.WriteString("sources:\n")
	args := []string{
		"run", "--json",
		"--warehouse.url=" + dbURL,
		"--lake.url=" + filepath.Join(dir, "lake"),
		"--site.out=" + filepath.Join(dir, "public"),
		"--site.echarts=" + echartsPath(t),
		"--publish.target=" + filepath.Join(dir, "published"),
		"--config=" + filepath.Join(dir, "jobpulse.yaml"),
		"--fetch.timeout=2s", "--fetch.retries=1", "--fetch.retry_delay=10ms",
		"--fetch.max_bytes=" + strconv.Itoa(faultCap),
	}
	for _, tt := range tests {
		srv := newFaultServer(t, tt.kind, tt.fault)
		servers[tt.source] = srv
		switch {
		case tt.kind != "board":
			args = append(args, "--sources."+tt.source+".enabled=true", "--sources."+tt.source+".url="+srv.URL,
				"--sources."+tt.source+".min_interval=0s")
		case tt.source == "fakejobs": // the built-in profile
			args = append(args, "--sources.fakejobs.enabled=true", "--sources.fakejobs.url="+srv.URL+srv.entry,
				"--sources.fakejobs.delay=0s")
		default:
			fmt.Fprintf(&yaml, boardYAML, tt.source, srv.URL+srv.entry)
			if tt.fault == slowPages {
				yaml.WriteString("    deadline: 3s\n")
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "jobpulse.yaml"), []byte(yaml.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	lake, err := ingest.NewFolderLake(filepath.Join(dir, "lake"))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)

	// A partial run is no failure of the command (see the README): it exits
	// 0, and its summary names each source that failed and why.
	start := time.Now()
	out, err := jobpulse(t, args...)
	first := decodeRun(t, out, err)
	t.Logf("run against %d faulty sources took %s", len(tests)-1, time.Since(start).Round(time.Millisecond))
	if first.err != nil || len(first.rep.Runs) != 1 || first.rep.Runs[0].Status != warehouse.RunPartial || first.rep.Build == nil || first.rep.Publish == nil {
		t.Fatalf("run: err = %v, want a partial run, built and published\n%s", first.err, first.out)
	}
	run := first.rep.Runs[0]
	if got := count(t, conn, "SELECT count(*) FROM runs WHERE status = 'partial'"); got != 1 {
		t.Errorf("partial runs in the warehouse = %d, want 1", got)
	}
	summary := map[string]warehouse.SourceRun{}
	for _, s := range run.Sources {
		summary[s.Source] = s
	}
	rows, _ := conn.Query(ctx, "SELECT source, status, error, lake_keys FROM run_sources WHERE run_id = $1", run.ID)
	type sourceRow struct {
		Source, Status, Error string
		LakeKeys              []string
	}
	recorded, err := pgx.CollectRows(rows, pgx.RowToStructByPos[sourceRow])
	if err != nil {
		t.Fatal(err)
	}
	var names, recordedNames []string
	for _, tt := range tests {
		names = append(names, tt.source)
	}
	for _, r := range recorded {
		recordedNames = append(recordedNames, r.Source)
	}
	if diff := cmp.Diff(slices.Sorted(slices.Values(names)), slices.Sorted(slices.Values(recordedNames))); diff != "" {
		t.Fatalf("run_sources rows (-want +got):\n%s", diff)
	}
	for _, tt := range tests {
		t.Run(tt.source, func(t *testing.T) {
			wantStatus := warehouse.SourceFailed
			if tt.fault == healthy {
				wantStatus = warehouse.SourceOK
			}
			i := slices.IndexFunc(recorded, func(r sourceRow) bool { return r.Source == tt.source })
			rec, sum := recorded[i], summary[tt.source]
			t.Logf("%s: %s %q", tt.fault, rec.Status, rec.Error)
			for _, got := range []struct{ where, status, err string }{
				{"run_sources", rec.Status, rec.Error},
				{"--json summary", sum.Status, sum.Error},
			} {
				if got.status != wantStatus || (tt.want == "") != (got.err == "") || !regexp.MustCompile(tt.want).MatchString(got.err) {
					t.Errorf("%s (%s): status %s, error %q; want %s, an error matching %q", got.where, tt.fault, got.status, got.err, wantStatus, tt.want)
				}
			}
			// Every response the server sent is in the lake, each byte up to
			// the cap, failed attempts and redirects included, and nothing else.
			srv := servers[tt.source]
			kept, keys := lakeExchanges(t, lake, tt.source, run.ID, srv.URL)
			sent := srv.sentExchanges()
			if tt.fault == slowPages {
				// The deadline may cut the last response after the server
				// wrote it: it may be missing from the lake, and only it.
				if n := len(sent) - len(kept); n == 1 && len(kept) > 0 {
					sent = slices.DeleteFunc(sent, func(x exchange) bool { return !slices.Contains(kept, x) })
				}
				if len(kept) < 3 || len(kept) >= 100 {
					t.Errorf("%d pages kept before the deadline, want a few: the start page and some detail pages", len(kept))
				}
			}
			if diff := cmp.Diff(sent, kept); diff != "" {
				t.Errorf("responses sent (-) and kept in the lake (+) differ:\n%s", diff)
			}
			if diff := cmp.Diff(keys, rec.LakeKeys); diff != "" {
				t.Errorf("run_sources.lake_keys (-lake +recorded):\n%s", diff)
			}
		})
	}
	cards := strings.Count(string(testenv.RealCapture(t, "fake-jobs/index.html")), `class="card-content"`)
	if got := count(t, conn, "SELECT count(*) FROM listings WHERE source = 'fakejobs'"); got != cards || cards == 0 {
		t.Errorf("listings of the healthy source = %d, want one per job card of the capture (%d)", got, cards)
	}

	// The sources recover: the next run completes them all. The board that
	// was too slow for its deadline now answers at once, but a whole crawl
	// of it (100 detail pages) may still take more than 3s on a busy
	// machine: its deadline is raised, as an operator would.
	for _, srv := range servers {
		srv.healthy.Store(true)
	}
	recovered := strings.ReplaceAll(yaml.String(), "deadline: 3s", "deadline: 5m")
	if err := os.WriteFile(filepath.Join(dir, "jobpulse.yaml"), []byte(recovered), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = jobpulse(t, args...)
	second := decodeRun(t, out, err)
	if second.err != nil || len(second.rep.Runs) != 1 || second.rep.Runs[0].Status != warehouse.RunOK || len(second.rep.Runs[0].Sources) != len(tests) {
		t.Fatalf("run after recovery: err = %v, want an ok run of %d sources\n%s", second.err, len(tests), second.out)
	}
	for _, s := range second.rep.Runs[0].Sources {
		if s.Status != warehouse.SourceOK || s.Error != "" || s.Postings == 0 {
			t.Errorf("source %s after recovery: %s, %d postings, error %q; want ok with postings", s.Source, s.Status, s.Postings, s.Error)
		}
	}
}
