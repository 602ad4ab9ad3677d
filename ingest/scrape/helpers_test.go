package scrape

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jobpulse/jobpulse/ingest"
)

// testLogger logs to the test's output.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// testFetchConfig is polite but quick: the retry backoff is a millisecond.
func testFetchConfig() ingest.FetchConfig {
	cfg := ingest.DefaultFetchConfig()
	cfg.Timeout = 10 * time.Second
	cfg.RetryDelay = time.Millisecond
	cfg.Retries = 2
	cfg.MaxBytes = 1 << 20
	return cfg
}

// board is a web server on 127.0.0.1 that counts what it is asked.
type board struct {
	*httptest.Server
	mu       sync.Mutex
	paths    []string // request paths in arrival order
	arrivals []time.Time
	agents   map[string]bool
	inflight int
	peak     int // most requests in flight at once
}

func newBoard(t testing.TB, h http.Handler) *board {
	b := &board{agents: map[string]bool{}}
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		b.paths = append(b.paths, r.URL.Path)
		b.arrivals = append(b.arrivals, time.Now())
		b.agents[r.UserAgent()] = true
		b.inflight++
		b.peak = max(b.peak, b.inflight)
		b.mu.Unlock()
		defer func() {
			b.mu.Lock()
			b.inflight--
			b.mu.Unlock()
		}()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(b.Close)
	return b
}

// requests returns the paths asked, in order.
func (b *board) requests() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.paths)
}

// count returns how many requests had a path starting with prefix.
func (b *board) count(prefix string) int {
	n := 0
	for _, p := range b.requests() {
		if strings.HasPrefix(p, prefix) {
			n++
		}
	}
	return n
}

// hits returns how many requests had exactly path.
func (b *board) hits(path string) int {
	n := 0
	for _, p := range b.requests() {
		if p == path {
			n++
		}
	}
	return n
}

// localOnly is a transport that refuses every host but 127.0.0.1 and
// remembers what it refused.
type localOnly struct {
	mu      sync.Mutex
	base    http.RoundTripper
	asked   int
	refused []string
}

func newLocalOnly() *localOnly {
	return &localOnly{base: http.DefaultTransport.(*http.Transport).Clone()}
}

func (l *localOnly) RoundTrip(r *http.Request) (*http.Response, error) {
	l.mu.Lock()
	l.asked++
	if r.URL.Hostname() != "127.0.0.1" {
		l.refused = append(l.refused, r.URL.String())
		l.mu.Unlock()
		return nil, fmt.Errorf("test: request to %s refused: only 127.0.0.1 is allowed", r.URL)
	}
	l.mu.Unlock()
	return l.base.RoundTrip(r)
}

// memLake keeps pages in memory, refusing a name twice as a lake would.
type memLake struct {
	mu    sync.Mutex
	names []string
	pages map[string]ingest.RawPage
}

func newMemLake() *memLake { return &memLake{pages: map[string]ingest.RawPage{}} }

func (m *memLake) keep(_ context.Context, p ingest.RawPage) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.pages[p.Name]; ok {
		return fmt.Errorf("memlake: put %s: %w", p.Name, ingest.ErrExist)
	}
	m.names = append(m.names, p.Name)
	m.pages[p.Name] = p
	return nil
}

func (m *memLake) stored(name string) (ingest.StoredPage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.pages[name]
	if !ok {
		return ingest.StoredPage{}, fmt.Errorf("memlake: get %s: %w", name, ingest.ErrNotFound)
	}
	return ingest.StoredPage{Key: "mem/" + name, Name: name, Body: p.Body, Meta: p.Meta}, nil
}

func (m *memLake) lookup(_ context.Context, name string) (ingest.StoredPage, error) {
	return m.stored(name)
}

// parseAll parses every page fit to parse, in the order kept, as the ingest
// does after a crawl: postings, rejects, and each failing page's error.
func (m *memLake) parseAll(t testing.TB, src ingest.Source) ([]ingest.Posting, []ingest.Reject, map[string]error) {
	t.Helper()
	var postings []ingest.Posting
	var rejects []ingest.Reject
	errs := map[string]error{}
	for _, name := range m.names {
		page, err := m.stored(name)
		if err != nil {
			t.Fatal(err)
		}
		if page.Meta.Error != "" {
			continue
		}
		ps, rs, err := src.Parse(t.Context(), page, m.lookup)
		if err != nil {
			errs[name] = err
		}
		postings = append(postings, ps...)
		rejects = append(rejects, rs...)
	}
	return postings, rejects, errs
}

// withPrefix returns the names that start with prefix.
func withPrefix(names []string, prefix string) []string {
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			out = append(out, n)
		}
	}
	return out
}
