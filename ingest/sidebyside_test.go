package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// boardSource is a company board of one page, as the board sources fetch
// theirs: one Get through the shared fetcher, paced at its host.
type boardSource struct {
	name, url string
	fetcher   *Fetcher
	pace      Pace
}

func (s boardSource) Name() string { return s.name }
func (s boardSource) Kind() string { return "board" }

func (s boardSource) Fetch(ctx context.Context, keep func(context.Context, RawPage) error) error {
	return s.fetcher.Get(ctx, s.name, s.url, "page-0001.json", keep, s.pace)
}

func (boardSource) Parse(context.Context, StoredPage, Lookup) ([]Posting, []Reject, error) {
	return nil, nil, nil
}

// boardServer serves boards after latency, counting the requests in flight
// at once: now, and the most ever.
type boardServer struct {
	*httptest.Server
	inFlight, most atomic.Int32
}

func newBoardServer(tb testing.TB, latency time.Duration, total *boardCounter) *boardServer {
	s := &boardServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.inFlight.Add(1)
		total.enter()
		defer func() { s.inFlight.Add(-1); total.leave() }()
		for m := s.most.Load(); n > m && !s.most.CompareAndSwap(m, n); m = s.most.Load() {
		}
		time.Sleep(latency)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"jobs":[{"id":1,"title":"Engineer","absolute_url":"https://example.com%s"}],"meta":{"total":1}}`, r.URL.Path)
	}))
	tb.Cleanup(s.Close)
	return s
}

// boardCounter counts the requests in flight over every server.
type boardCounter struct {
	mu        sync.Mutex
	now, most int
}

func (c *boardCounter) enter() {
	c.mu.Lock()
	c.now++
	c.most = max(c.most, c.now)
	c.mu.Unlock()
}

func (c *boardCounter) leave() {
	c.mu.Lock()
	c.now--
	c.mu.Unlock()
}

// boards returns n board sources spread over the servers, their hosts
// allowing perHost requests at once.
func boards(n int, servers []*boardServer, perHost int, pace time.Duration) []Source {
	cfg := DefaultFetchConfig()
	cfg.Retries = 0
	limiter := NewHostLimiter()
	f := NewFetcher(cfg, nil, slog.New(slog.DiscardHandler)).WithLimiter(limiter)
	for _, s := range servers {
		u, _ := url.Parse(s.URL)
		limiter.AllowConcurrent(u.Host, perHost)
	}
	var out []Source
	for i := range n {
		s := servers[i%len(servers)]
		out = append(out, boardSource{name: fmt.Sprintf("board-%03d", i), url: fmt.Sprintf("%s/v1/boards/company-%03d/jobs", s.URL, i),
			fetcher: f, pace: Pace{limiter, pace}})
	}
	return out
}

// TestFetchSideBySide fetches boards side by side: never more sources at
// once than asked, never more requests at once at a host than it allows
// (one by default), every page in the lake, and every source told done.
func TestFetchSideBySide(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name                         string
		hosts, perHost, concurrency  int
		wantMostPerHost, wantMostAll int
	}{
		{name: "one host, one request at a time", hosts: 1, perHost: 1, concurrency: 8, wantMostPerHost: 1, wantMostAll: 1},
		{name: "one host allowing three", hosts: 1, perHost: 3, concurrency: 8, wantMostPerHost: 3, wantMostAll: 3},
		{name: "four hosts, two sources at once", hosts: 4, perHost: 1, concurrency: 2, wantMostPerHost: 1, wantMostAll: 2},
		{name: "four hosts, eight sources at once", hosts: 4, perHost: 1, concurrency: 8, wantMostPerHost: 1, wantMostAll: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var total boardCounter
			var servers []*boardServer
			for range tt.hosts {
				servers = append(servers, newBoardServer(t, 20*time.Millisecond, &total))
			}
			sources := boards(24, servers, tt.perHost, 0)
			lake, err := NewFolderLake(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var done []string
			results := FetchWith(ctx, lake, sources, "run-1", time.Date(2026, 12, 5, 1, 0, 0, 0, time.UTC),
				FetchOptions{Concurrency: tt.concurrency, Done: func(r FetchResult) {
					mu.Lock()
					done = append(done, r.Source)
					mu.Unlock()
				}}, slog.New(slog.DiscardHandler))
			for i, r := range results {
				if r.Err != nil || r.Source != sources[i].Name() || len(r.Keys) != 1 {
					t.Errorf("result %d: %s, %d keys, err %v; want %s with one page", i, r.Source, len(r.Keys), r.Err, sources[i].Name())
				}
			}
			// Every source is told done once, and every page is in the
			// lake (it could not have been counted otherwise).
			if len(done) != len(sources) {
				t.Errorf("%d sources told done, want %d", len(done), len(sources))
			}
			keys, err := lake.List(ctx, "raw/")
			if err != nil || len(keys) != len(sources) {
				t.Errorf("lake holds %d pages (%v), want %d", len(keys), err, len(sources))
			}
			// At most what is allowed (how close it comes depends on the
			// machine: not asserted).
			for i, s := range servers {
				if m := int(s.most.Load()); m > tt.wantMostPerHost {
					t.Errorf("host %d had %d requests at once, more than the %d allowed", i, m, tt.wantMostPerHost)
				}
			}
			if total.most > tt.wantMostAll {
				t.Errorf("%d requests at once over every host, more than %d", total.most, tt.wantMostAll)
			}
		})
	}
}

// BenchmarkFetchBoards is the night of a few hundred company boards:
// 500 boards served from 127.0.0.1, each answering after 200 ms, fetched
// one source at a time (as before side by side), then side by side as a run
// fetches them (fetch.concurrency sources at once, its default, each host
// taking its turns and its pace). It reports both times and their ratio (the target:
// at most 0.1).
//
// The boards are served from ten listeners, ten hosts as the limiter sees
// them (host:port), as a real list spreads over the systems' hosts
// (boards-api.greenhouse.io, api.lever.co, api.ashbyhq.com, ...,
// <company>.recruitee.com), each host allowing 4 requests at once and 10 a
// second; and from one host allowing 16 at once, a list all on one board
// API whose operator allowed it.
//
// Run with: go test -run '^$' -bench FetchBoards -benchtime 1x ./ingest/
func BenchmarkFetchBoards(b *testing.B) {
	const n, latency = 500, 200 * time.Millisecond
	var sequential time.Duration
	run := func(b *testing.B, hosts, perHost, concurrency int, pace time.Duration) time.Duration {
		var total boardCounter
		var servers []*boardServer
		for range hosts {
			servers = append(servers, newBoardServer(b, latency, &total))
		}
		sources := boards(n, servers, perHost, pace)
		lake, err := NewFolderLake(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		results := FetchWith(context.Background(), lake, sources, "run-1", time.Date(2026, 12, 5, 1, 0, 0, 0, time.UTC),
			FetchOptions{Concurrency: concurrency}, slog.New(slog.DiscardHandler))
		took := time.Since(start)
		for _, r := range results {
			if r.Err != nil {
				b.Fatalf("%s: %v", r.Source, r.Err)
			}
		}
		return took
	}
	b.Run("sequential", func(b *testing.B) {
		for b.Loop() {
			sequential = run(b, 10, 4, 1, 100*time.Millisecond)
		}
		b.ReportMetric(sequential.Seconds(), "s/night")
	})
	for _, c := range []struct {
		name                        string
		hosts, perHost, concurrency int
		pace                        time.Duration
	}{
		{"10-hosts/4-per-host", 10, 4, DefaultConcurrency, 100 * time.Millisecond},
		{"1-host/16-per-host", 1, 16, DefaultConcurrency, 0},
	} {
		b.Run(fmt.Sprintf("%s/concurrency-%d", c.name, c.concurrency), func(b *testing.B) {
			var took time.Duration
			for b.Loop() {
				took = run(b, c.hosts, c.perHost, c.concurrency, c.pace)
			}
			b.ReportMetric(took.Seconds(), "s/night")
			if sequential > 0 {
				b.ReportMetric(took.Seconds()/sequential.Seconds(), "x-sequential")
			}
		})
	}
}
