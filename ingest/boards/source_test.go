package boards

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/jobdata"
	"github.com/jobpulse/jobpulse/internal/testenv"
)

// boardServer serves the pages of every kind on 127.0.0.1 under
// /<kind>/<board>/..., and records the requests.
type boardServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []string
}

func newBoardServer(t *testing.T, pages map[string]string) *boardServer {
	t.Helper()
	s := &boardServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.URL.RequestURI())
		s.mu.Unlock()
		body, ok := pages[r.URL.RequestURI()]
		switch {
		case !ok:
			http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
		case body == "500":
			http.Error(w, "down", http.StatusInternalServerError)
		default:
			_, _ = w.Write([]byte(body))
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// testConfig points every kind at srv.
func testConfig(srv string) Config {
	c := DefaultConfig()
	c.MinInterval = 0
	c.URL = URLs{
		Greenhouse:      srv + "/greenhouse/{board}/jobs?content=true",
		Lever:           srv + "/lever/{board}?mode=json",
		Ashby:           srv + "/ashby/{board}?includeCompensation=true",
		SmartRecruiters: srv + "/smartrecruiters/{board}/postings",
		Recruitee:       srv + "/recruitee/{board}/api/offers/",
		Workable:        srv + "/workable/{board}?details=true",
		Personio:        srv + "/personio/{board}/xml",
	}
	return c
}

func testFetcher() *ingest.Fetcher {
	cfg := ingest.DefaultFetchConfig()
	cfg.Retries = 0
	return ingest.NewFetcher(cfg, nil, slog.New(slog.DiscardHandler))
}

// fetchAll fetches src and returns the pages kept, by name.
func fetchAll(t *testing.T, src *Source) (map[string]ingest.RawPage, []string, error) {
	t.Helper()
	pages := map[string]ingest.RawPage{}
	var names []string
	err := src.Fetch(context.Background(), func(_ context.Context, p ingest.RawPage) error {
		pages[p.Name] = p
		names = append(names, p.Name)
		return nil
	})
	return pages, names, err
}

// smartRecruitersFirstPage is a first page of 100 postings of 101.
func smartRecruitersFirstPage() string {
	var items []string
	for i := range 100 {
		items = append(items, fmt.Sprintf(`{"id":"7440000%03d","name":"Technician %d","company":{"name":"Acme Group"},"location":{"city":"Stuttgart","country":"de"}}`, i, i))
	}
	return `{"offset":0,"limit":100,"totalFound":101,"content":[` + strings.Join(items, ",") + `]}`
}

// TestFetchAndParse fetches a board of each kind from a server on
// 127.0.0.1 through Source.Fetch, and parses what it kept through
// Source.Parse: the real Greenhouse capture, and the written pages of the
// others (not real captures); SmartRecruiters over two pages.
func TestFetchAndParse(t *testing.T) {
	srv := newBoardServer(t, map[string]string{
		"/greenhouse/sumup/jobs?content=true":                      string(testenv.RealCapture(t, "greenhouse/sumup.json")),
		"/lever/acme?mode=json":                                    string(written(t, "lever.json")),
		"/ashby/acme?includeCompensation=true":                     string(written(t, "ashby.json")),
		"/smartrecruiters/AcmeGroup/postings?limit=100&offset=0":   smartRecruitersFirstPage(),
		"/smartrecruiters/AcmeGroup/postings?limit=100&offset=100": string(written(t, "smartrecruiters-2.json")),
		"/recruitee/acme/api/offers/":                              string(written(t, "recruitee.json")),
		"/workable/acme?details=true":                              string(written(t, "workable.json")),
		"/personio/acme/xml":                                       string(written(t, "personio.xml")),
	})
	cfg := testConfig(srv.URL)
	cfg.MaxDetails = 0 // SmartRecruiters' detail pages: TestSmartRecruitersDetails
	tests := []struct {
		board     Board
		wantNames []string
		postings  int
	}{
		{Board{Kind: "greenhouse", Name: "sumup"}, []string{"page-0001.json"}, 381},
		{Board{Kind: "lever", Name: "acme"}, []string{"page-0001.json"}, 2},
		{Board{Kind: "ashby", Name: "acme"}, []string{"page-0001.json"}, 2},
		{Board{Kind: "smartrecruiters", Name: "AcmeGroup"}, []string{"page-0001.json", "page-0002.json"}, 101},
		{Board{Kind: "recruitee", Name: "acme"}, []string{"page-0001.json"}, 2},
		{Board{Kind: "workable", Name: "acme"}, []string{"page-0001.json"}, 2},
		{Board{Kind: "personio", Name: "acme"}, []string{"page-0001.xml"}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.board.Kind, func(t *testing.T) {
			src := New(tc.board, cfg, testFetcher(), ingest.NewHostLimiter(), nil)
			pages, names, err := fetchAll(t, src)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.wantNames, names); d != "" {
				t.Fatalf("pages kept (-want +got):\n%s", d)
			}
			n := 0
			for _, name := range names {
				p := pages[name]
				if p.Meta.Source != tc.board.Source() || p.Meta.Status != 200 {
					t.Errorf("page %s: meta %+v", name, p.Meta)
				}
				key := ingest.RawKey(src.Name(), p.Meta.FetchedAt, "run", name)
				ps, _, err := src.Parse(context.Background(), ingest.StoredPage{Key: key, Name: name, Body: p.Body, Meta: p.Meta}, nil)
				if err != nil {
					t.Fatal(err)
				}
				n += len(ps)
			}
			if n != tc.postings {
				t.Errorf("%d postings, want %d", n, tc.postings)
			}
		})
	}
}

// TestFetchGone: a board that answers 404 fails with ErrGone, keeping the
// answer; a board that answers 500 fails, and is not gone.
func TestFetchGone(t *testing.T) {
	srv := newBoardServer(t, map[string]string{"/lever/down?mode=json": "500"})
	cfg := testConfig(srv.URL)
	for _, tc := range []struct {
		board    Board
		wantGone bool
	}{
		{Board{Kind: "greenhouse", Name: "left"}, true},
		{Board{Kind: "personio", Name: "left"}, true},
		{Board{Kind: "lever", Name: "down"}, false},
	} {
		t.Run(tc.board.Source(), func(t *testing.T) {
			pages, names, err := fetchAll(t, New(tc.board, cfg, testFetcher(), nil, nil))
			if err == nil {
				t.Fatal("no error")
			}
			if gone := errors.Is(err, ingest.ErrGone); gone != tc.wantGone {
				t.Errorf("error %v: gone %v, want %v", err, gone, tc.wantGone)
			}
			if tc.wantGone && !strings.Contains(err.Error(), "404") {
				t.Errorf("error %v does not say 404", err)
			}
			if len(names) != 1 || pages[names[0]].Meta.Error == "" {
				t.Errorf("pages kept %v: want the answer, with its error", names)
			}
		})
	}
}

// TestSmartRecruitersPaging: a board with more postings than the page cap
// stops at the cap without an error.
func TestSmartRecruitersPaging(t *testing.T) {
	srv := newBoardServer(t, map[string]string{
		"/smartrecruiters/big/postings?limit=100&offset=0":   smartRecruitersFirstPage(),
		"/smartrecruiters/big/postings?limit=100&offset=100": smartRecruitersFirstPage(),
	})
	cfg := testConfig(srv.URL)
	cfg.MaxPages, cfg.MaxDetails = 1, 0
	_, names, err := fetchAll(t, New(Board{Kind: "smartrecruiters", Name: "big"}, cfg, testFetcher(), nil, nil))
	if err != nil || len(names) != 1 {
		t.Fatalf("pages %v, error %v: want one page and no error", names, err)
	}
}

// TestSmartRecruitersDetails fetches a SmartRecruiters board of two list
// pages (the written pages, not real captures) whose postings each have a
// detail page (GET .../postings/<id>): the first answers the written
// detail, the second 404 (a posting closed since the list was read). Each
// detail is kept in the lake after its list page, before anything is
// parsed; read back, the board is ok (a detail is optional), the first
// posting has the job ad's sections as its description and the second
// none. A detail that fails otherwise ends the board's details without
// failing it, and boards.max_details caps them.
func TestSmartRecruitersDetails(t *testing.T) {
	const list = "/smartrecruiters/AcmeGroup/postings"
	pages := map[string]string{
		list + "?limit=100&offset=0":   string(written(t, "smartrecruiters-1.json")),
		list + "?limit=100&offset=100": string(written(t, "smartrecruiters-2.json")),
		list + "/744000012345678":      string(written(t, "smartrecruiters-detail.json")),
	}
	board := Board{Kind: "smartrecruiters", Name: "AcmeGroup"}
	ctx := context.Background()

	srv := newBoardServer(t, pages)
	lake, err := ingest.NewFolderLake(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	src := New(board, testConfig(srv.URL), testFetcher(), ingest.NewHostLimiter(), nil)
	started := time.Date(2026, 12, 5, 3, 17, 0, 0, time.UTC)
	fetched := ingest.FetchWith(ctx, lake, []ingest.Source{src}, "run1", started, ingest.FetchOptions{}, slog.New(slog.DiscardHandler))
	if len(fetched) != 1 || fetched[0].Err != nil {
		t.Fatalf("fetch: %+v", fetched)
	}
	var names []string
	for _, k := range fetched[0].Keys {
		names = append(names, path.Base(k))
	}
	want := []string{"page-0001.json", "posting-744000012345678.json", "page-0002.json", "posting-744000012399999.json"}
	if d := cmp.Diff(want, names); d != "" {
		t.Errorf("pages kept, in order (-want +got):\n%s", d)
	}
	run := jobdata.Run{ID: "run1", StartedAt: started, Sources: []jobdata.SourceRun{{Source: board.Source(), Status: jobdata.SourceOK}}}
	r := ingest.ReadRun(lake, map[string]ingest.Source{board.Source(): src}, run, nil)
	descriptions := map[string]string{}
	for p, err := range r.Postings(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		descriptions[p.SourceID] = p.Description
	}
	wantDescriptions := map[string]string{
		"744000012345678": "<h3>Company Description</h3>\n<p>Acme Group builds machines.</p>\n" +
			"<h3>Job Description</h3>\n<p>Service our machines on site.</p><ul><li>Install</li><li>Repair</li></ul>\n" +
			"<h3>Qualifications &amp; &lt;Skills&gt;</h3>\n<p>A technical degree; German and English.</p>",
		"744000012399999": "",
	}
	if d := cmp.Diff(wantDescriptions, descriptions); d != "" {
		t.Errorf("descriptions (-want +got):\n%s", d)
	}
	if got := r.Run().Sources[0]; got.Status != jobdata.SourceOK || got.Pages != 4 || got.Postings != 2 {
		t.Errorf("the board read back: %+v; want ok, 4 pages, 2 postings (a closed posting's detail fails nothing)", got)
	}

	for _, tc := range []struct {
		name       string
		maxDetails int
		first      string // the first posting's detail
		want       []string
	}{
		{"500 ends the details", 100, "500", []string{list + "/744000012345678"}},
		{"max_details 1", 1, "", []string{list + "/744000012345678"}},
		{"max_details 0", 0, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := maps.Clone(pages)
			if tc.first != "" {
				p[list+"/744000012345678"] = tc.first
			}
			srv := newBoardServer(t, p)
			cfg := testConfig(srv.URL)
			cfg.MaxDetails = tc.maxDetails
			_, names, err := fetchAll(t, New(board, cfg, testFetcher(), nil, nil))
			if err != nil {
				t.Fatalf("fetch: %v (pages %v), want no error", err, names)
			}
			var details []string
			for _, r := range srv.requests {
				if strings.HasPrefix(r, list+"/") {
					details = append(details, r)
				}
			}
			if d := cmp.Diff(tc.want, details); d != "" {
				t.Errorf("detail requests (-want +got):\n%s", d)
			}
		})
	}
}
