package ingest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/internal/testenv"
)

const testKey = "raw/source=remotive/date=2026-11-29/run=r1/page-0001.json"

func TestParseRemotiveRealCapture(t *testing.T) {
	body := testenv.RealCapture(t, "remotive/remote-jobs.json")
	postings, rejects, err := ParseRemotive(body, testKey)
	if err != nil {
		t.Fatalf("ParseRemotive: %v", err)
	}
	if len(rejects) != 0 {
		t.Errorf("rejects = %v, want none", rejects)
	}
	if len(postings) != 31 {
		t.Fatalf("got %d postings, want 31 (job-count of the capture)", len(postings))
	}
	first := postings[0]
	remoteOnly := true // Remotive lists remote jobs only
	first.Description = first.Description[:3]
	first.Tags = first.Tags[:3]
	want := Posting{
		Source:       "remotive",
		SourceID:     "2091081",
		URL:          "https://remotive.com/remote-jobs/design/senior-graphic-designer-2091081",
		Title:        "Senior Graphic Designer",
		Company:      "Lemon.io",
		CompanyLogo:  "https://remotive.com/job/2091081/logo",
		Category:     "Design",
		JobType:      "full_time",
		LocationText: "Americas, Europe, Asia, Africa, Oceania",
		Tags:         []string{".Net", "android", "C"},
		Description:  "<p>",
		PublishedAt:  time.Date(2026, 7, 28, 14, 23, 5, 0, time.UTC),
		LakeKey:      testKey,
		RemoteHint:   &remoteOnly,
	}
	if diff := cmp.Diff(want, first); diff != "" {
		t.Errorf("first posting (-want +got):\n%s", diff)
	}
	ids := map[string]bool{}
	for _, p := range postings {
		if ids[p.SourceID] {
			t.Errorf("duplicate id %s", p.SourceID)
		}
		ids[p.SourceID] = true
		if p.Title == "" || p.URL == "" || p.PublishedAt.IsZero() {
			t.Errorf("posting %s lacks title, url or date: %+v", p.SourceID, p)
		}
	}
	if got := postings[1].SalaryText; got != "$18 - $22/hr" {
		t.Errorf("salary of second posting = %q", got)
	}
}

func TestParseRemotiveVariants(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		wantIDs   []string
		wantRejs  int
		wantError bool
	}{
		{
			name:    "byte-order mark",
			body:    "\xef\xbb\xbf" + `{"job-count": 1, "jobs": [{"id": 1, "title": "Go Developer"}]}`,
			wantIDs: []string{"1"},
		},
		{
			name:    "older schema without warning and total count",
			body:    `{"0-legal-notice": "x", "job-count": 2, "jobs": [{"id": 7, "title": "A"}, {"id": 8, "title": "B"}]}`,
			wantIDs: []string{"7", "8"},
		},
		{
			name:    "string id",
			body:    `{"jobs": [{"id": "42", "title": "A"}]}`,
			wantIDs: []string{"42"},
		},
		{
			name:     "jobs without id or title are rejected, the others kept",
			body:     `{"jobs": [{"title": "no id"}, {"id": 3, "title": "  "}, {"id": 4, "title": "ok"}, 17, {"id": "x1", "title": "bad id"}]}`,
			wantIDs:  []string{"4"},
			wantRejs: 4,
		},
		{
			name:    "empty jobs",
			body:    `{"jobs": []}`,
			wantIDs: []string{},
		},
		{name: "truncated JSON", body: `{"jobs": [{"id": 1, "title": "A"`, wantError: true},
		{name: "HTML error page", body: `<!doctype html><html><body>Service unavailable</body></html>`, wantError: true},
		{name: "no jobs key", body: `{"error": "rate limited"}`, wantError: true},
		{name: "jobs is not an array", body: `{"jobs": "none"}`, wantError: true},
		{name: "empty body", body: ``, wantError: true},
		{name: "data after the document", body: `{"jobs": []} <html>`, wantError: true},
		{name: "two documents", body: `{"jobs": []}{"jobs": []}`, wantError: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			postings, rejects, err := ParseRemotive([]byte(tt.body), testKey)
			if tt.wantError {
				if err == nil {
					t.Fatalf("ParseRemotive succeeded, want an error")
				}
				if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), testKey) {
					t.Errorf("error %q should wrap ErrMalformed and name the lake key", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseRemotive: %v", err)
			}
			ids := []string{}
			for _, p := range postings {
				ids = append(ids, p.SourceID)
			}
			if diff := cmp.Diff(tt.wantIDs, ids); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
			if len(rejects) != tt.wantRejs {
				t.Errorf("got %d rejects %v, want %d", len(rejects), rejects, tt.wantRejs)
			}
			for _, r := range rejects {
				if r.LakeKey != testKey || r.Reason == "" {
					t.Errorf("reject %+v should name the lake key and a reason", r)
				}
			}
		})
	}
}

func TestParseRemotiveTime(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want time.Time
	}{
		{"no zone is UTC", "2026-07-28T14:23:05", time.Date(2026, 7, 28, 14, 23, 5, 0, time.UTC)},
		{"zone", "2026-07-28T16:23:05+02:00", time.Date(2026, 7, 28, 14, 23, 5, 0, time.UTC)},
		{"fraction", "2026-07-28T14:23:05.5", time.Date(2026, 7, 28, 14, 23, 5, 5e8, time.UTC)},
		{"date only", "2026-07-28", time.Date(2026, 7, 28, 0, 0, 0, 0, time.UTC)},
		{"garbage", "yesterday", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseRemotiveTime(tt.in); !got.Equal(tt.want) {
				t.Errorf("parseRemotiveTime(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzParseRemotive checks that any input gives postings or a clear error,
// never a panic, and that every posting has an id and a title and names its
// lake key.
func FuzzParseRemotive(f *testing.F) {
	// The real capture's first jobs: real shapes, small enough to mutate fast.
	var capture map[string]json.RawMessage
	if err := json.Unmarshal(testenv.RealCapture(f, "remotive/remote-jobs.json"), &capture); err != nil {
		f.Fatal(err)
	}
	var jobs []json.RawMessage
	if err := json.Unmarshal(capture["jobs"], &jobs); err != nil {
		f.Fatal(err)
	}
	for _, j := range jobs[:3] {
		f.Add([]byte(`{"00-warning":"moved","job-count":1,"jobs":[` + string(j) + `]}`))
	}
	f.Add([]byte("\xef\xbb\xbf{\"jobs\":[{\"id\":1,\"title\":\"x\"}]}"))
	f.Add([]byte(`{"jobs":[{"id":"1e3","title":"<script>","tags":[null,""],"publication_date":"2026-13-45"}]}`))
	f.Add([]byte(`{"jobs":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		postings, rejects, err := ParseRemotive(body, testKey)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", err)
			}
			return
		}
		var resp struct {
			Jobs []json.RawMessage `json:"jobs"`
		}
		if json.Unmarshal(body, &resp) == nil && len(postings)+len(rejects) != len(resp.Jobs) {
			t.Fatalf("%d postings + %d rejects != %d jobs", len(postings), len(rejects), len(resp.Jobs))
		}
		for _, p := range postings {
			if p.SourceID == "" || p.Title == "" || p.LakeKey != testKey || p.Source != "remotive" {
				t.Fatalf("bad posting %+v", p)
			}
		}
	})
}

func TestRemotiveFetch(t *testing.T) {
	job := func(id int) string { return fmt.Sprintf(`{"id":%d,"title":"Job %d"}`, id, id) }
	tests := []struct {
		name         string
		categories   []string
		failCategory string // answered 404
		wantErr      bool
		wantRequests []string
		wantNames    []string
		wantIDs      []string
	}{
		{
			name:         "all jobs in one call",
			wantRequests: []string{"/api/remote-jobs"},
			wantNames:    []string{"page-0001.json"},
			wantIDs:      []string{"1", "2"},
		},
		{
			name:         "one call per category; a job in two categories parses twice",
			categories:   []string{"software-dev", "data"},
			wantRequests: []string{"/api/remote-jobs?category=software-dev", "/api/remote-jobs?category=data"},
			wantNames:    []string{"page-software-dev.json", "page-data.json"},
			wantIDs:      []string{"1", "2", "2", "3"},
		},
		{
			name:         "a failing category stops the source and keeps what came before",
			categories:   []string{"software-dev", "data", "design"},
			failCategory: "data",
			wantErr:      true,
			wantRequests: []string{"/api/remote-jobs?category=software-dev", "/api/remote-jobs?category=data"},
			wantNames:    []string{"page-software-dev.json", "page-data.json"},
			wantIDs:      []string{"1", "2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var requests []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests = append(requests, r.URL.RequestURI())
				switch cat := r.URL.Query().Get("category"); {
				case cat != "" && cat == tt.failCategory:
					http.NotFound(w, r)
				case cat == "data":
					fmt.Fprintf(w, `{"job-count":2,"jobs":[%s,%s]}`, job(2), job(3))
				default:
					fmt.Fprintf(w, `{"job-count":2,"jobs":[%s,%s]}`, job(1), job(2))
				}
			}))
			defer srv.Close()
			clock := newFakeClock(true)
			cfg := RemotiveConfig{Enabled: true, URL: srv.URL, Categories: tt.categories, MinInterval: RemotiveMinInterval}
			names, postings, err := fetchAndParse(t, NewRemotive(cfg, testFetcher(1<<20), WithLimiter(clock.limiter())))
			if tt.wantErr != (err != nil) {
				t.Errorf("Fetch: %v, want an error: %v", err, tt.wantErr)
			}
			if err != nil && tt.failCategory != "" && !strings.Contains(err.Error(), "category "+tt.failCategory) {
				t.Errorf("Fetch: %q should name the category", err)
			}
			if diff := cmp.Diff(tt.wantRequests, requests); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantNames, names); diff != "" {
				t.Errorf("kept pages (-want +got):\n%s", diff)
			}
			ids := []string{}
			for _, p := range postings {
				ids = append(ids, p.SourceID)
			}
			if diff := cmp.Diff(tt.wantIDs, ids); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
			// Calls are 30 s apart on the fake clock: 2 a minute at most.
			for _, d := range clock.sleeps {
				if d != RemotiveMinInterval {
					t.Errorf("waited %s between calls, want %s", d, RemotiveMinInterval)
				}
			}
			if len(clock.sleeps) != len(tt.wantRequests)-1 {
				t.Errorf("waited %d times for %d calls, want %d", len(clock.sleeps), len(tt.wantRequests), len(tt.wantRequests)-1)
			}
		})
	}
}

func TestRemotiveInterval(t *testing.T) {
	tests := []struct {
		name string
		cfg  RemotiveConfig
		want time.Duration
	}{
		{"default", DefaultRemotiveConfig(), 30 * time.Second},
		{"never below the terms on remotive.com", RemotiveConfig{URL: "https://remotive.com", MinInterval: time.Second}, 30 * time.Second},
		{"nor on a subdomain", RemotiveConfig{URL: "https://API.Remotive.com/"}, 30 * time.Second},
		{"longer is kept", RemotiveConfig{URL: "https://remotive.com", MinInterval: time.Hour}, time.Hour},
		{"a test server takes the configured value", RemotiveConfig{URL: "http://127.0.0.1:8080", MinInterval: time.Millisecond}, time.Millisecond},
		{"look-alike host is not remotive.com", RemotiveConfig{URL: "https://notremotive.com"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NewRemotive(tt.cfg, nil).interval(); got != tt.want {
				t.Errorf("interval = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestRemotiveConfigValidate(t *testing.T) {
	ok := DefaultRemotiveConfig()
	with := func(f func(*RemotiveConfig)) RemotiveConfig { c := ok; f(&c); return c }
	tests := []struct {
		name    string
		cfg     RemotiveConfig
		wantErr string
	}{
		{"default", ok, ""},
		{"disabled ignores the rest", RemotiveConfig{URL: "x", Categories: []string{"?"}}, ""},
		{"categories", with(func(c *RemotiveConfig) { c.Categories = []string{"software-dev", "data", "ai-ml"} }), ""},
		{"bad url", with(func(c *RemotiveConfig) { c.URL = "remotive.com" }), "sources.remotive.url"},
		{"category name, not slug", with(func(c *RemotiveConfig) { c.Categories = []string{"Software Development"} }), "sources.remotive.categories"},
		{"category that escapes a key", with(func(c *RemotiveConfig) { c.Categories = []string{"../x"} }), "sources.remotive.categories"},
		{"category twice", with(func(c *RemotiveConfig) { c.Categories = []string{"data", "data"} }), "sources.remotive.categories"},
		{"negative interval", with(func(c *RemotiveConfig) { c.MinInterval = -time.Second }), "sources.remotive.min_interval"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkConfigErr(t, tt.cfg.Validate(), tt.wantErr)
		})
	}
}

// FuzzParseRemotiveFastMatchesSlow checks that ParseRemotive, whose fast
// path reads most pages, gives exactly what the slow path (encoding/json,
// job by job) gives on any input: the same postings, rejects and error
// text, and what the frozen reference gives (remotive_ref_test.go).
func FuzzParseRemotiveFastMatchesSlow(f *testing.F) {
	f.Add([]byte(`{"jobs":[{"id":1,"title":"x","Company_Name":"A","TITLE":"y"}]}`))
	f.Add([]byte(`{"jobs":[{"id":"7","title":"x","tags":["go",null]}]}`))
	f.Add([]byte(`{"jobs":[{"id":1.5,"title":"x"},{"id":2,"title":"y","companyname":"B"}]}`))
	f.Add([]byte(`{"job-count":2,"jobs":[{"id":1,"title":"\u003cb\u003e \ud83d\ude00 é","company_logo_url":" ","company_logo":"L","publication_date":"2026-02-29T00:00:00"},null]}`))
	var capture map[string]json.RawMessage
	if err := json.Unmarshal(testenv.RealCapture(f, "remotive/remote-jobs.json"), &capture); err != nil {
		f.Fatal(err)
	}
	var jobs []json.RawMessage
	if err := json.Unmarshal(capture["jobs"], &jobs); err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`{"00-warning":"moved","job-count":2,"jobs":[` + string(jobs[0]) + `,` + string(jobs[1]) + `]}`))
	f.Add([]byte("\xef\xbb\xbf {\"0-legal-notice\":[{\"a\":-0.5e+1},true,false,null],\"jobs\":[{\"\\u0069d\":\" 1 \",\"title\":\"\\t\",\"x\":{}}]} \n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		checkRemotiveMatchesReference(t, body)
	})
}
