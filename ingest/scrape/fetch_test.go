package scrape

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/testenv"
)

// fixtureWith serves the fake-jobs board, with handlers for some paths.
func fixtureWith(t *testing.T, override map[string]http.HandlerFunc) http.Handler {
	files := http.FileServer(http.Dir(testenv.RealCaptureDir(t, "fake-jobs")))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := override[r.URL.Path]; ok {
			h(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
}

func robotsTxt(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

func TestRobots(t *testing.T) {
	tests := []struct {
		name       string
		status     int // of robots.txt; 200 when zero
		robots     string
		honour     bool
		required   bool // the profile marks the description required
		wantErr    error
		wantList   int // requests for the list page
		wantDetail int // requests for detail pages
		wantPosted int
		wantReject int
		wantDesc   bool
	}{
		{name: "details disallowed", robots: "User-agent: *\nDisallow: /jobs/\n", honour: true,
			wantErr: ErrDisallowed, wantList: 1, wantPosted: 100},
		{name: "details disallowed, description required", robots: "User-agent: *\nDisallow: /jobs/\n", honour: true, required: true,
			wantErr: ErrDisallowed, wantList: 1, wantReject: 100},
		{name: "jobpulse disallowed everywhere", robots: "User-agent: *\nAllow: /\n\nUser-agent: jobpulse\nDisallow: /\n", honour: true,
			wantErr: ErrDisallowed},
		{name: "other robots disallowed", robots: "User-agent: googlebot\nDisallow: /\n", honour: true,
			wantList: 1, wantDetail: 100, wantPosted: 100, wantDesc: true},
		{name: "robots.txt failing", status: 503, robots: "down", honour: true,
			wantErr: ErrDisallowed},
		{name: "robots ignored when the profile says so", robots: "User-agent: *\nDisallow: /\n", honour: false,
			wantList: 1, wantDetail: 100, wantPosted: 100, wantDesc: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newBoard(t, fixtureWith(t, map[string]http.HandlerFunc{"/robots.txt": robotsTxt(max(tt.status, 200), tt.robots)}))
			p := fakeJobsProfile(srv.URL + "/")
			p.Robots = tt.honour
			if tt.required {
				f := p.DetailFields["description"]
				f.Required = true
				p.DetailFields = map[string]Field{"description": f}
			}
			src := New(p, testFetchConfig(), testLogger(t), WithTransport(newLocalOnly()))
			lake := newMemLake()
			err := src.Fetch(t.Context(), lake.keep)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Fetch error %v, want %v", err, tt.wantErr)
			}
			if err != nil && tt.wantDetail == 0 && tt.wantList == 1 && !strings.Contains(err.Error(), "100 problem(s)") {
				t.Errorf("error does not count the pages robots.txt kept us from: %v", err)
			}
			if got := srv.count("/jobs/"); got != tt.wantDetail {
				t.Errorf("%d detail requests, want %d", got, tt.wantDetail)
			}
			if list := srv.hits("/"); list != tt.wantList {
				t.Errorf("%d list requests, want %d", list, tt.wantList)
			}
			if tt.status != 0 && (!errors.Is(err, ErrDisallowed) || srv.hits("/robots.txt") != 3 || len(lake.names) != 3) {
				t.Errorf("failing robots.txt: error %v, %d requests for it, pages kept %v", err, srv.hits("/robots.txt"), lake.names)
			}
			if _, kept := lake.pages["robots.txt"]; kept != tt.honour {
				t.Errorf("robots.txt kept: %v, want %v", kept, tt.honour)
			}
			postings, rejects, _ := lake.parseAll(t, src)
			if len(postings) != tt.wantPosted || len(rejects) != tt.wantReject {
				t.Fatalf("%d postings and %d rejects, want %d and %d", len(postings), len(rejects), tt.wantPosted, tt.wantReject)
			}
			for _, p := range postings {
				if (p.Description != "") != tt.wantDesc {
					t.Fatalf("posting %s: description %.30q", p.SourceID, p.Description)
				}
			}
			for _, r := range rejects {
				if r.LakeKey != "mem/page-0001.html" || !strings.Contains(r.Reason, "was not fetched") {
					t.Fatalf("reject %v", r)
				}
			}
		})
	}
}

// TestRateLimit checks that requests to the host never overlap and are
// spaced by at least the delay (a lower bound, which sleeping guarantees).
func TestRateLimit(t *testing.T) {
	srv := newBoard(t, http.FileServer(http.Dir("testdata")))
	p := boardProfile(t, srv.URL+"/board/")
	p.Delay = 20 * time.Millisecond
	src := New(p, testFetchConfig(), testLogger(t), WithTransport(newLocalOnly()))
	if err := src.Fetch(t.Context(), newMemLake().keep); err != nil {
		t.Fatal(err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.paths) != 10 || srv.peak != 1 {
		t.Errorf("%d requests, at most %d at once; want 10, one at a time", len(srv.paths), srv.peak)
	}
	for i := 2; i < len(srv.arrivals); i++ { // from the first page on: robots.txt is fetched just before it
		if gap := srv.arrivals[i].Sub(srv.arrivals[i-1]); gap < p.Delay {
			t.Errorf("request %d (%s) came %s after the previous one, want at least %s", i, srv.paths[i], gap, p.Delay)
		}
	}
}

// flaky answers status (with Retry-After: 0) the first n times, then serves next.
func flaky(n, status int, next http.Handler) http.HandlerFunc {
	var mu sync.Mutex
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n--
		fail := n >= 0
		mu.Unlock()
		if fail {
			w.Header().Set("Retry-After", "0")
			http.Error(w, "try again later", status)
			return
		}
		next.ServeHTTP(w, r)
	}
}

func TestRetry(t *testing.T) {
	const detail = "/jobs/energy-engineer-1.html"
	detailName := DetailPageName("https://realpython.github.io/fake-jobs/jobs/energy-engineer-1.html")
	tests := []struct {
		name      string
		path      string
		fails     int
		status    int
		wantErr   error
		wantPages []string // kept pages named after this one
		wantReqs  int      // requests for path
	}{
		{name: "503 then 200 on the list", path: "/", fails: 1, status: 503,
			wantPages: []string{"page-0001.attempt-1.html", "page-0001.html"}, wantReqs: 2},
		{name: "429 twice then 200 on a detail", path: detail, fails: 2, status: 429,
			wantPages: []string{strings.TrimSuffix(detailName, ".html") + ".attempt-1.html", strings.TrimSuffix(detailName, ".html") + ".attempt-2.html", detailName}, wantReqs: 3},
		{name: "500 every time on a detail", path: detail, fails: 99, status: 500, wantErr: ingest.ErrStatus,
			wantPages: []string{strings.TrimSuffix(detailName, ".html") + ".attempt-1.html", strings.TrimSuffix(detailName, ".html") + ".attempt-2.html", detailName}, wantReqs: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := http.FileServer(http.Dir(testenv.RealCaptureDir(t, "fake-jobs")))
			srv := newBoard(t, fixtureWith(t, map[string]http.HandlerFunc{tt.path: flaky(tt.fails, tt.status, files)}))
			src := New(fakeJobsProfile(srv.URL+"/"), testFetchConfig(), testLogger(t), WithTransport(newLocalOnly()))
			lake := newMemLake()
			err := src.Fetch(t.Context(), lake.keep)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Fetch error %v, want %v", err, tt.wantErr)
			}
			if got := srv.hits(tt.path); got != tt.wantReqs {
				t.Errorf("%d requests for %s, want %d", got, tt.path, tt.wantReqs)
			}
			prefix := strings.TrimSuffix(tt.wantPages[len(tt.wantPages)-1], ".html")
			if diff := cmp.Diff(tt.wantPages, withPrefix(lake.names, prefix)); diff != "" {
				t.Errorf("pages kept (-want +got):\n%s", diff)
			}
			for i, name := range tt.wantPages {
				m := lake.pages[name].Meta
				failed := i < len(tt.wantPages)-1 || tt.wantErr != nil
				if failed != (m.Error != "") || (failed && (m.Status != tt.status || !strings.Contains(m.Error, fmt.Sprint(tt.status)))) {
					t.Errorf("%s: status %d, error %q", name, m.Status, m.Error)
				}
			}
			postings, rejects, errs := lake.parseAll(t, src)
			if len(postings) != 100 || len(rejects) != 0 || len(errs) != 0 {
				t.Errorf("%d postings, rejects %v, errors %v; want 100 and none", len(postings), rejects, errs)
			}
		})
	}
}

// TestDetailFailure: a 404 detail page fails the source, clearly, and keeps
// everything else; the posting is kept without its description, or rejected
// when the profile requires the description.
func TestDetailFailure(t *testing.T) {
	const gone = "/jobs/architect-12.html"
	for _, required := range []bool{false, true} {
		t.Run(fmt.Sprintf("required=%v", required), func(t *testing.T) {
			srv := newBoard(t, fixtureWith(t, map[string]http.HandlerFunc{gone: http.NotFound}))
			p := fakeJobsProfile(srv.URL + "/")
			p.DetailFields = map[string]Field{"description": {Selector: ".box .content > p:not([id])", HTML: true, All: true, Required: required}}
			src := New(p, testFetchConfig(), testLogger(t), WithTransport(newLocalOnly()))
			lake := newMemLake()
			err := src.Fetch(t.Context(), lake.keep)
			if !errors.Is(err, ingest.ErrStatus) || !strings.Contains(err.Error(), gone) || !strings.Contains(err.Error(), "404") {
				t.Fatalf("Fetch error %v, want one naming %s and 404", err, gone)
			}
			if got := len(withPrefix(lake.names, "detail-")); got != 100 {
				t.Errorf("%d detail pages kept, want 100 (the 404 too)", got)
			}
			name := DetailPageName("https://realpython.github.io/fake-jobs/jobs/architect-12.html")
			if m := lake.pages[name].Meta; m.Status != 404 || m.Error == "" {
				t.Errorf("404 page kept with meta %+v", m)
			}
			postings, rejects, errs := lake.parseAll(t, src)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			wantPosted, wantRejects := 100, 0
			if required {
				wantPosted, wantRejects = 99, 1
			}
			if len(postings) != wantPosted || len(rejects) != wantRejects {
				t.Fatalf("%d postings, %d rejects; want %d, %d", len(postings), len(rejects), wantPosted, wantRejects)
			}
			if required {
				if r := rejects[0]; r.LakeKey != "mem/page-0001.html" || !strings.Contains(r.Reason, "404") || !strings.Contains(r.Reason, "detail_fields.description") {
					t.Errorf("reject %v", r)
				}
				return
			}
			for _, p := range postings {
				if (p.SourceID == "architect-12") != (p.Description == "") {
					t.Errorf("posting %s: description %.30q", p.SourceID, p.Description)
				}
			}
		})
	}
}
