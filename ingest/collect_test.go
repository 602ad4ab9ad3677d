package ingest

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/internal/testenv"
)

// namedRemotive is the Remotive source under another name, so that one test
// can collect from several Remotive-shaped servers.
type namedRemotive struct {
	*Remotive
	name string
}

func (n namedRemotive) Name() string { return n.name }

func (n namedRemotive) Fetch(ctx context.Context, keep func(context.Context, RawPage) error) error {
	return n.fetcher.Get(ctx, n.name, n.cfg.URL+"/api/remote-jobs", "page-0001.json", keep)
}

func TestFetch(t *testing.T) {
	ctx := context.Background()
	body := testenv.RealCapture(t, "remotive/remote-jobs.json")
	serve := func(status int, body string) *httptest.Server {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(status)
			w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return srv
	}
	good := serve(200, string(body))
	down := serve(503, "maintenance")
	htmlPage := serve(200, "<html><body>Please enable JavaScript</body></html>")

	cfg := DefaultFetchConfig()
	cfg.Retries, cfg.RetryDelay = 0, time.Millisecond
	f := NewFetcher(cfg, nil, slog.New(slog.DiscardHandler))
	src := func(name, url string) Source {
		return namedRemotive{NewRemotive(RemotiveConfig{Enabled: true, URL: url}, f), name}
	}
	lake, err := NewFolderLake(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	started := time.Date(2026, 11, 29, 1, 2, 3, 0, time.UTC)
	var progressed sync.Map
	progress := func(source string, pages int, bytes int64) { progressed.Store(source, pages) }
	results := Fetch(ctx, lake, []Source{src("good", good.URL), src("down", down.URL), src("html", htmlPage.URL)},
		"r1", started, progress, slog.New(slog.DiscardHandler))

	type summary struct {
		Source string
		Failed bool
		Keys   []string
	}
	var got []summary
	for _, r := range results {
		got = append(got, summary{r.Source, r.Err != nil, r.Keys})
		if n, _ := progressed.Load(r.Source); n != len(r.Keys) {
			t.Errorf("%s: progress saw %v pages, want %d", r.Source, n, len(r.Keys))
		}
	}
	want := []summary{
		{"good", false, []string{"raw/source=good/date=2026-11-29/run=r1/page-0001.json"}},
		{"down", true, []string{"raw/source=down/date=2026-11-29/run=r1/page-0001.json"}},
		// A 200 with an error page is fetched fine; the load rejects it.
		{"html", false, []string{"raw/source=html/date=2026-11-29/run=r1/page-0001.json"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	// Every response is in the lake, the failed ones with their status.
	for _, r := range results {
		b, meta, err := lake.Get(ctx, r.Keys[0])
		if err != nil {
			t.Fatalf("%s: %v", r.Source, err)
		}
		if len(b) == 0 || meta.Source != r.Source || meta.SHA256 == "" {
			t.Errorf("%s: lake object has %d bytes, meta %+v", r.Source, len(b), meta)
		}
		if r.Source == "down" && (meta.Status != 503 || meta.Error == "") {
			t.Errorf("down: meta %+v should record the 503", meta)
		}
	}
}

// panicking is a source with a bug: it keeps one page, then panics.
type panicking struct{}

func (panicking) Name() string { return "buggy" }

func (panicking) Parse(context.Context, StoredPage, Lookup) ([]Posting, []Reject, error) {
	return nil, nil, nil
}

func (panicking) Fetch(ctx context.Context, keep func(context.Context, RawPage) error) error {
	if err := keep(ctx, RawPage{Name: "page-0001.json", Body: []byte("{}")}); err != nil {
		return err
	}
	var m map[string]int
	m["boom"]++ // a nil map: a panic, as a bug in a source would
	return nil
}

// TestFetchSourcePanics runs a source that panics beside a healthy one:
// the panicking source fails, naming the panic, with the page it kept; the
// healthy one is fetched whole, and the process goes on.
func TestFetchSourcePanics(t *testing.T) {
	body := testenv.RealCapture(t, "remotive/remote-jobs.json")
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(body) }))
	t.Cleanup(good.Close)
	f := NewFetcher(DefaultFetchConfig(), nil, slog.New(slog.DiscardHandler))
	lake, err := NewFolderLake(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sources := []Source{panicking{}, namedRemotive{NewRemotive(RemotiveConfig{Enabled: true, URL: good.URL}, f), "good"}}
	results := Fetch(context.Background(), lake, sources, "r1", time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC), nil, slog.New(slog.DiscardHandler))
	if r := results[0]; !errors.Is(r.Err, ErrPanic) || !strings.Contains(r.Err.Error(), "nil map") || len(r.Keys) != 1 {
		t.Errorf("panicking source: err %v, %d pages kept; want ErrPanic naming the panic, 1 page", r.Err, len(r.Keys))
	}
	if r := results[1]; r.Err != nil || len(r.Keys) != 1 {
		t.Errorf("healthy source beside it: err %v, %d pages; want it fetched", r.Err, len(r.Keys))
	}
}
