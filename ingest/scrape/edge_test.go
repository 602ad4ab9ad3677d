package scrape

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/testenv"
)

// TestNeverLeavesHost: links and redirects to another host, or another port
// of 127.0.0.1, are reported and never requested.
func TestNeverLeavesHost(t *testing.T) {
	other := newBoard(t, http.FileServer(http.Dir("testdata")))
	list := `<html><body>
<div class="job"><a class="t" href="https://elsewhere.example/jobs/1.html">Off host</a></div>
<div class="job"><a class="t" href="` + other.URL + `/board/jobs/101.html">Other port</a></div>
<div class="job"><a class="t" href="/moved">Redirected away</a></div>
<div class="job"><a class="t" href="/jobs/4.html">Here</a></div>
<a class="next" href="` + other.URL + `/board/page2.html">next</a>
</body></html>`
	srv := newBoard(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, list)
		case "/moved":
			http.Redirect(w, r, "https://elsewhere.example/jobs/3.html", http.StatusFound)
		case "/jobs/4.html":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><body><p class="d">Four.</p></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	p := NewProfile("tiny")
	p.URL, p.Item, p.Next, p.Delay = srv.URL+"/", "div.job", "a.next", 0
	p.Fields = map[string]Field{"title": {Selector: "a.t"}}
	p.Detail = Field{Selector: "a.t"}
	p.DetailFields = map[string]Field{"description": {Selector: "p.d"}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	tr := newLocalOnly()
	lake := newMemLake()
	err := New(p, testFetchConfig(), testLogger(t), WithTransport(tr)).Fetch(t.Context(), lake.keep)
	if !errors.Is(err, ErrOffHost) || !strings.Contains(err.Error(), "4 problem(s)") {
		t.Fatalf("Fetch error %v, want 4 problems wrapping ErrOffHost", err)
	}
	if len(tr.refused) > 0 || len(other.requests()) > 0 {
		t.Errorf("left the start host: transport refused %v, other server saw %v", tr.refused, other.requests())
	}
	if diff := cmp.Diff([]string{"/robots.txt", "/", "/moved", "/jobs/4.html"}, srv.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	moved := lake.pages[DetailPageName("/moved")]
	if moved.Meta.Status != http.StatusFound || !strings.Contains(moved.Meta.Error, "elsewhere.example") {
		t.Errorf("redirect kept with meta %+v", moved.Meta)
	}
}

func TestBadResponses(t *testing.T) {
	page := `<html><body>` + strings.Repeat(`<div class="job"><a class="t" href="/j.html">A job</a></div>`, 50) + `</body></html>`
	tests := []struct {
		name     string
		ctype    string
		body     string
		maxBytes int64
		maxPages int
		wantErr  error
		wantReqs []string
	}{
		{name: "too large", ctype: "text/html", body: page, maxBytes: 100, wantErr: ingest.ErrTooLarge,
			wantReqs: []string{"/robots.txt", "/"}},
		{name: "not HTML", ctype: "application/json", body: `{"jobs": []}`, wantErr: ErrNotHTML,
			wantReqs: []string{"/robots.txt", "/"}},
		{name: "max pages", ctype: "text/html", body: page, maxPages: 1, wantErr: ErrMaxPages,
			wantReqs: []string{"/robots.txt", "/"}},
		{name: "200 error page", ctype: "text/html", body: `<html><body><h1>Something went wrong</h1></body></html>`,
			wantReqs: []string{"/robots.txt", "/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newBoard(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/" {
					http.NotFound(w, r)
					return
				}
				w.Header().Set("Content-Type", tt.ctype)
				fmt.Fprint(w, tt.body)
			}))
			p := NewProfile("tiny")
			p.URL, p.Item, p.Delay = srv.URL+"/", "div.job", 0
			p.Fields = map[string]Field{"title": {Selector: "a.t"}}
			p.Detail = Field{Selector: "a.t"}
			if tt.maxPages > 0 {
				p.MaxPages = tt.maxPages
			}
			cfg := testFetchConfig()
			if tt.maxBytes > 0 {
				cfg.MaxBytes = tt.maxBytes
			}
			src := New(p, cfg, testLogger(t), WithTransport(newLocalOnly()))
			lake := newMemLake()
			err := src.Fetch(t.Context(), lake.keep)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Fetch error %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.wantReqs, srv.requests()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			list, ok := lake.pages["page-0001.html"]
			if !ok {
				t.Fatal("list page not kept")
			}
			if tt.maxBytes > 0 && (int64(len(list.Body)) != tt.maxBytes || !strings.Contains(list.Meta.Error, "max_bytes")) {
				t.Errorf("too large page kept with %d bytes, error %q", len(list.Body), list.Meta.Error)
			}
			if _, _, perr := src.Parse(t.Context(), ingest.StoredPage{Key: "k/page-0001.html", Name: "page-0001.html", Body: list.Body, Meta: list.Meta}, lake.lookup); tt.name != "max pages" && tt.maxBytes == 0 && !errors.Is(perr, ingest.ErrMalformed) {
				t.Errorf("Parse of the page: %v, want ErrMalformed", perr)
			}
		})
	}
}

// TestCancel: a cancelled context stops the crawl between two pages.
func TestCancel(t *testing.T) {
	srv := newBoard(t, http.FileServer(http.Dir(testenv.RealCaptureDir(t, "fake-jobs"))))
	src := New(fakeJobsProfile(srv.URL+"/"), testFetchConfig(), testLogger(t), WithTransport(newLocalOnly()))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	lake := newMemLake()
	err := src.Fetch(ctx, func(ctx context.Context, p ingest.RawPage) error {
		if p.Name == "page-0001.html" {
			cancel()
		}
		return lake.keep(ctx, p)
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Fetch error %v, want context.Canceled", err)
	}
	if got := srv.count("/jobs/"); got > 1 {
		t.Errorf("%d detail pages requested after the cancel", got)
	}
}
