package ingest

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
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

func TestCollect(t *testing.T) {
	ctx := context.Background()
	body := realFixture(t, "remotive/remote-jobs.json")
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
	results := Collect(ctx, lake, []Source{src("good", good.URL), src("down", down.URL), src("html", htmlPage.URL)},
		"r1", started, slog.New(slog.DiscardHandler))

	type summary struct {
		Source   string
		Failed   bool
		Keys     []string
		Postings int
		Rejects  int
	}
	var got []summary
	for _, r := range results {
		got = append(got, summary{r.Source, r.Err != nil, r.Keys, len(r.Postings), len(r.Rejects)})
	}
	want := []summary{
		{"good", false, []string{"raw/source=good/date=2026-11-29/run=r1/page-0001.json"}, 31, 0},
		{"down", true, []string{"raw/source=down/date=2026-11-29/run=r1/page-0001.json"}, 0, 0},
		{"html", true, []string{"raw/source=html/date=2026-11-29/run=r1/page-0001.json"}, 0, 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if err := results[2].Err; err == nil || !strings.Contains(err.Error(), results[2].Keys[0]) {
		t.Errorf("error of the HTML page %v should name its lake key", err)
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
	for _, p := range results[0].Postings {
		if p.LakeKey != results[0].Keys[0] {
			t.Fatalf("posting %s has lake key %q", p.SourceID, p.LakeKey)
		}
	}
}
