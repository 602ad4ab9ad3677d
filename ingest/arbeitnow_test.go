package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

const arbeitnowKey = "raw/source=arbeitnow/date=2026-11-29/run=r1/page-0001.json"

// arbeitnowPage reads a written test page (see testdata/arbeitnow/README.md).
func arbeitnowPage(t testing.TB, n int) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "arbeitnow", fmt.Sprintf("page-%04d.json", n)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseArbeitnowPages(t *testing.T) {
	var all []Posting
	for n := 1; n <= 3; n++ {
		key := fmt.Sprintf("raw/source=arbeitnow/date=2026-11-29/run=r1/page-%04d.json", n)
		postings, rejects, err := ParseArbeitnow(arbeitnowPage(t, n), key)
		if err != nil || len(rejects) != 0 {
			t.Fatalf("page %d: rejects %v, err %v", n, rejects, err)
		}
		for _, p := range postings {
			if p.LakeKey != key {
				t.Errorf("posting %s: lake key %s, want %s", p.SourceID, p.LakeKey, key)
			}
		}
		all = append(all, postings...)
	}
	if len(all) != 10 {
		t.Fatalf("got %d postings, want 10 (4 + 4 + 2)", len(all))
	}
	second := all[1]
	if !strings.HasPrefix(second.Description, "<p>Für unser Team in München suchen wir") {
		t.Errorf("description = %.60q", second.Description)
	}
	second.Description = ""
	no := false
	want := Posting{
		Source:       "arbeitnow",
		SourceID:     "softwareentwickler-mwd-munchen-418230",
		URL:          "https://www.arbeitnow.com/jobs/companies/muller-sohne-versicherungen-ag/softwareentwickler-mwd-munchen-418230",
		Title:        "Softwareentwickler (m/w/d) Java",
		Company:      "Müller & Söhne Versicherungen AG",
		JobType:      "Vollzeit, Berufserfahren",
		LocationText: "München",
		Tags:         []string{"IT", "Java", "Spring Boot"},
		PublishedAt:  time.Date(2026, 11, 28, 8, 45, 0, 0, time.UTC),
		LakeKey:      "raw/source=arbeitnow/date=2026-11-29/run=r1/page-0001.json",
		RemoteHint:   &no,
		CountryHint:  "DE",
	}
	if diff := cmp.Diff(want, second); diff != "" {
		t.Errorf("second posting (-want +got):\n%s", diff)
	}
	ids := map[string]bool{}
	remote := 0
	for _, p := range all {
		if ids[p.SourceID] {
			t.Errorf("duplicate slug %s", p.SourceID)
		}
		ids[p.SourceID] = true
		if p.Title == "" || p.URL == "" || p.Company == "" || p.PublishedAt.IsZero() || p.RemoteHint == nil {
			t.Errorf("posting %s lacks a field: %+v", p.SourceID, p)
		}
		if *p.RemoteHint {
			remote++
		}
	}
	if remote != 4 {
		t.Errorf("%d remote postings, want 4", remote)
	}
	if got := all[2].JobType; got != "Working student, berufseinstieg" {
		t.Errorf("job type of the working student = %q", got)
	}
}

func TestParseArbeitnowVariants(t *testing.T) {
	runParseCases(t, ParseArbeitnow, arbeitnowKey, []parseCase{
		{
			name:    "byte-order mark",
			body:    "\xef\xbb\xbf" + `{"data":[{"slug":"a-1","title":"Entwickler (m/w/d)"}],"links":{"next":null}}`,
			wantIDs: []string{"a-1"},
		},
		{name: "empty data, last page", body: `{"data":[],"links":{"next":null},"meta":{"current_page":9}}`, wantIDs: []string{}},
		{
			name:     "jobs without slug or title are rejected, the others kept",
			body:     `{"data":[{"title":"no slug"},{"slug":" ","title":"blank"},{"slug":"x","title":""},{"slug":"ok","title":"OK"},"job",null,{"slug":7,"title":"number slug"}]}`,
			wantIDs:  []string{"ok"},
			wantRejs: []int{0, 1, 2, 4, 5, 6},
		},
		{name: "truncated JSON", body: `{"data":[{"slug":"a","title":"A"`, wantError: true},
		{name: "HTML error page", body: `<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>`, wantError: true},
		{name: "no data key", body: `{"message":"Too Many Attempts."}`, wantError: true},
		{name: "data is not an array", body: `{"data":{"slug":"a"}}`, wantError: true},
		{name: "null", body: `null`, wantError: true},
		{name: "empty body", body: ``, wantError: true},
	})
}

func TestArbeitnowFields(t *testing.T) {
	yes := true
	tests := []struct {
		name string
		job  string
		get  func(Posting) any
		want any
	}{
		{"remote absent is no hint", `"location":"Berlin"`, func(p Posting) any { return p.RemoteHint }, (*bool)(nil)},
		{"remote true", `"remote":true`, func(p Posting) any { return p.RemoteHint }, &yes},
		{"created_at as a string", `"created_at":"1795857300"`, func(p Posting) any { return p.PublishedAt }, time.Date(2026, 11, 28, 9, 15, 0, 0, time.UTC)},
		{"created_at unreadable", `"created_at":"gestern"`, func(p Posting) any { return p.PublishedAt }, time.Time{}},
		{"job types trimmed and joined", `"job_types":[" Vollzeit ","","Teilzeit"]`, func(p Posting) any { return p.JobType }, "Vollzeit, Teilzeit"},
		{"no job types", `"job_types":[]`, func(p Posting) any { return p.JobType }, ""},
		{"raw UTF-8 kept", `"company_name":"Bäckerei Größ GmbH"`, func(p Posting) any { return p.Company }, "Bäckerei Größ GmbH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `{"data":[{"slug":"s","title":"T",` + tt.job + `}]}`
			postings, rejects, err := ParseArbeitnow([]byte(body), arbeitnowKey)
			if err != nil || len(rejects) != 0 || len(postings) != 1 {
				t.Fatalf("ParseArbeitnow(%s) = %d postings, rejects %v, err %v", body, len(postings), rejects, err)
			}
			if diff := cmp.Diff(tt.want, tt.get(postings[0])); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// pagedServer serves Arbeitnow pages: page(n) answers ?page=n (status, body).
type pagedServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []string
}

func newPagedServer(t *testing.T, page func(n int) (int, string)) *pagedServer {
	s := &pagedServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.URL.RequestURI())
		s.mu.Unlock()
		var n int
		if r.URL.Path != "/api/job-board-api" {
			http.NotFound(w, r)
			return
		}
		fmt.Sscan(r.URL.Query().Get("page"), &n)
		status, body := page(n)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(s.Close)
	return s
}

// fetchAndParse runs src.Fetch and parses what it kept, as an ingest does.
func fetchAndParse(t *testing.T, src Source) (names []string, postings []Posting, fetchErr error) {
	t.Helper()
	type kept struct {
		name string
		page RawPage
	}
	var pages []kept
	fetchErr = src.Fetch(context.Background(), func(_ context.Context, p RawPage) error {
		pages = append(pages, kept{p.Name, p})
		return nil
	})
	for _, k := range pages {
		names = append(names, k.name)
		if k.page.Meta.Error != "" {
			continue
		}
		ps, _, err := src.Parse(context.Background(), StoredPage{Key: "raw/source=" + src.Name() + "/" + k.name, Name: k.name, Body: k.page.Body, Meta: k.page.Meta}, nil)
		if err != nil {
			t.Logf("parse %s: %v", k.name, err)
		}
		postings = append(postings, ps...)
	}
	return names, postings, fetchErr
}

func TestArbeitnowFetch(t *testing.T) {
	testdata := func(n int) (int, string) {
		if n < 1 || n > 3 {
			return http.StatusNotFound, `{"message":"Not Found"}`
		}
		return http.StatusOK, string(arbeitnowPage(t, n))
	}
	page := func(n int, next string) string {
		return fmt.Sprintf(`{"data":[{"slug":"job-%d","title":"Job %d"}],"links":{"next":%s}}`, n, n, next)
	}
	tests := []struct {
		name         string
		pages        func(n int) (int, string)
		maxPages     int
		wantErr      error // nil: success
		wantRequests []string
		wantNames    []string
		wantPostings int
	}{
		{
			name:         "three pages, next links moved from the public host onto the test server",
			pages:        testdata,
			wantRequests: []string{"/api/job-board-api?page=1", "/api/job-board-api?page=2", "/api/job-board-api?page=3"},
			wantNames:    []string{"page-0001.json", "page-0002.json", "page-0003.json"},
			wantPostings: 10,
		},
		{
			name:         "max_pages caps the run without an error",
			pages:        testdata,
			maxPages:     2,
			wantRequests: []string{"/api/job-board-api?page=1", "/api/job-board-api?page=2"},
			wantNames:    []string{"page-0001.json", "page-0002.json"},
			wantPostings: 8,
		},
		{
			name: "an empty page ends the paging whatever its next link says",
			pages: func(n int) (int, string) {
				if n == 1 {
					return 200, page(1, `"https://www.arbeitnow.com/api/job-board-api?page=2"`)
				}
				return 200, `{"data":[],"links":{"next":"https://www.arbeitnow.com/api/job-board-api?page=3"}}`
			},
			wantRequests: []string{"/api/job-board-api?page=1", "/api/job-board-api?page=2"},
			wantNames:    []string{"page-0001.json", "page-0002.json"},
			wantPostings: 1,
		},
		{
			name: "a loop back to page 1 stops the source",
			pages: func(n int) (int, string) {
				if n == 1 {
					return 200, page(1, `"https://www.arbeitnow.com/api/job-board-api?page=2"`)
				}
				return 200, page(2, `"https://www.arbeitnow.com/api/job-board-api?page=1"`)
			},
			wantErr:      ErrPaging,
			wantRequests: []string{"/api/job-board-api?page=1", "/api/job-board-api?page=2"},
			wantNames:    []string{"page-0001.json", "page-0002.json"},
			wantPostings: 2,
		},
		{
			name: "a 500 on page 2 keeps page 1 and every attempt, and fails the source",
			pages: func(n int) (int, string) {
				if n == 1 {
					return 200, page(1, `"/api/job-board-api?page=2"`)
				}
				return 500, `<html><body>Server Error</body></html>`
			},
			wantErr: ErrStatus,
			wantRequests: []string{"/api/job-board-api?page=1", "/api/job-board-api?page=2", "/api/job-board-api?page=2",
				"/api/job-board-api?page=2", "/api/job-board-api?page=2"},
			wantNames: []string{"page-0001.json", "page-0002.attempt-1.json", "page-0002.attempt-2.json",
				"page-0002.attempt-3.json", "page-0002.json"},
			wantPostings: 1,
		},
		{
			name: "a malformed page 2 is kept and fails the source",
			pages: func(n int) (int, string) {
				if n == 1 {
					return 200, page(1, `"https://www.arbeitnow.com/api/job-board-api?page=2"`)
				}
				return 200, `{"data":[{"slug":"job-2","title":"Job 2"}],"links":{"next":`
			},
			wantErr:      ErrMalformed,
			wantRequests: []string{"/api/job-board-api?page=1", "/api/job-board-api?page=2"},
			wantNames:    []string{"page-0001.json", "page-0002.json"},
			wantPostings: 1,
		},
		{
			name: "a next link to a foreign host is refused",
			pages: func(n int) (int, string) {
				return 200, page(1, `"https://evil.example.com/api/job-board-api?page=2"`)
			},
			wantErr:      ErrPaging,
			wantRequests: []string{"/api/job-board-api?page=1"},
			wantNames:    []string{"page-0001.json"},
			wantPostings: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newPagedServer(t, tt.pages)
			cfg := ArbeitnowConfig{Enabled: true, URL: srv.URL, MaxPages: tt.maxPages, MinInterval: time.Millisecond}
			src := NewArbeitnow(cfg, testFetcher(1<<20), WithLimiter(NewHostLimiter()))
			names, postings, err := fetchAndParse(t, src)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Errorf("Fetch: %v", err)
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("Fetch: %v, want an error wrapping %v", err, tt.wantErr)
			case tt.wantErr != nil && !strings.Contains(err.Error(), "arbeitnow: page"):
				t.Errorf("Fetch: %q should name the source and the page", err)
			}
			if diff := cmp.Diff(tt.wantRequests, srv.requests); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantNames, names); diff != "" {
				t.Errorf("kept pages (-want +got):\n%s", diff)
			}
			if len(postings) != tt.wantPostings {
				t.Errorf("got %d postings from the kept pages, want %d", len(postings), tt.wantPostings)
			}
		})
	}
}

func TestArbeitnowNextURL(t *testing.T) {
	tests := []struct {
		name, base, current, link string
		want                      string // "" when the link is refused
	}{
		{"public link moved onto a test server", "http://127.0.0.1:8080", "http://127.0.0.1:8080/api/job-board-api?page=1",
			"https://www.arbeitnow.com/api/job-board-api?page=2", "http://127.0.0.1:8080/api/job-board-api?page=2"},
		{"public link moved under a mirror's path", "http://127.0.0.1:8080/mirror", "http://127.0.0.1:8080/mirror/api/job-board-api?page=1",
			"https://arbeitnow.com/api/job-board-api?page=2&x=%C3%BC", "http://127.0.0.1:8080/mirror/api/job-board-api?page=2&x=%C3%BC"},
		{"public link on the public host", "https://www.arbeitnow.com", "https://www.arbeitnow.com/api/job-board-api?page=1",
			"https://www.arbeitnow.com/api/job-board-api?page=2", "https://www.arbeitnow.com/api/job-board-api?page=2"},
		{"http link on the public host stays https", "https://www.arbeitnow.com", "https://www.arbeitnow.com/api/job-board-api?page=1",
			"http://www.arbeitnow.com/api/job-board-api?page=2", "https://www.arbeitnow.com/api/job-board-api?page=2"},
		{"relative link", "http://127.0.0.1:8080", "http://127.0.0.1:8080/api/job-board-api?page=1",
			"?page=2", "http://127.0.0.1:8080/api/job-board-api?page=2"},
		{"foreign host refused", "http://127.0.0.1:8080", "http://127.0.0.1:8080/api/job-board-api?page=1",
			"https://arbeitnow.com.evil.example/api/job-board-api?page=2", ""},
		{"other port refused", "http://127.0.0.1:8080", "http://127.0.0.1:8080/api/job-board-api?page=1",
			"http://127.0.0.1:9999/api/job-board-api?page=2", ""},
		{"other scheme refused", "http://127.0.0.1:8080", "http://127.0.0.1:8080/api/job-board-api?page=1",
			"ftp://www.arbeitnow.com/api/job-board-api?page=2", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, err := url.Parse(tt.base)
			if err != nil {
				t.Fatal(err)
			}
			got, err := arbeitnowNextURL(base, tt.current, tt.link)
			if tt.want == "" {
				if !errors.Is(err, ErrPaging) {
					t.Errorf("arbeitnowNextURL(%q) = %q, %v; want an error wrapping ErrPaging", tt.link, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("arbeitnowNextURL(%q) = %q, %v; want %q", tt.link, got, err, tt.want)
			}
		})
	}
}

func TestArbeitnowConfigValidate(t *testing.T) {
	ok := DefaultArbeitnowConfig()
	with := func(f func(*ArbeitnowConfig)) ArbeitnowConfig { c := ok; f(&c); return c }
	tests := []struct {
		name    string
		cfg     ArbeitnowConfig
		wantErr string
	}{
		{"default", ok, ""},
		{"disabled ignores the rest", ArbeitnowConfig{}, ""},
		{"bad url", with(func(c *ArbeitnowConfig) { c.URL = "ftp://arbeitnow.com" }), "sources.arbeitnow.url"},
		{"no pages", with(func(c *ArbeitnowConfig) { c.MaxPages = 0 }), "sources.arbeitnow.max_pages"},
		{"too many pages", with(func(c *ArbeitnowConfig) { c.MaxPages = 10000 }), "sources.arbeitnow.max_pages"},
		{"negative interval", with(func(c *ArbeitnowConfig) { c.MinInterval = -1 }), "sources.arbeitnow.min_interval"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkConfigErr(t, tt.cfg.Validate(), tt.wantErr)
		})
	}
}

// FuzzParseArbeitnow checks that any input gives postings or a clear error,
// never a panic, that every job is a posting or a reject, and that every
// posting has a slug, a title and valid UTF-8 and names its lake key.
func FuzzParseArbeitnow(f *testing.F) {
	var page struct {
		Data []json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(arbeitnowPage(f, 1), &page); err != nil {
		f.Fatal(err)
	}
	for _, j := range page.Data[:3] {
		f.Add([]byte(`{"data":[` + string(j) + `],"links":{"next":null},"meta":{"current_page":1}}`))
	}
	f.Add([]byte("\xef\xbb\xbf{\"data\":[{\"slug\":\"a\",\"title\":\"K\\u00f6ln (m/w/d)\",\"created_at\":\"1e3\"}]}"))
	f.Add([]byte(`{"data":[{"slug":"b","title":"x","remote":"yes","tags":[null,""],"job_types":null}]}`))
	f.Add([]byte(`{"data":null,"links":{"next":"https://www.arbeitnow.com/api/job-board-api?page=2"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		postings, rejects, err := ParseArbeitnow(body, arbeitnowKey)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", err)
			}
			return
		}
		var page struct {
			Data []json.RawMessage `json:"data"`
		}
		if json.Unmarshal(body, &page) == nil && len(postings)+len(rejects) != len(page.Data) {
			t.Fatalf("%d postings + %d rejects != %d jobs", len(postings), len(rejects), len(page.Data))
		}
		for _, p := range postings {
			if p.SourceID == "" || p.Title == "" || p.LakeKey != arbeitnowKey || p.Source != "arbeitnow" ||
				!utf8.ValidString(p.Title) || !utf8.ValidString(p.JobType) {
				t.Fatalf("bad posting %+v", p)
			}
		}
	})
}
