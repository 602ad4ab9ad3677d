package scrape

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jobpulse/jobpulse/ingest"
	"go.yaml.in/yaml/v3"
)

// boardProfile decodes testdata/board.yaml as the CLI would (YAML, then
// mapstructure as viper does) and points it at url.
func boardProfile(t *testing.T, url string) Profile {
	t.Helper()
	b, err := os.ReadFile("testdata/board.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Sources map[string]map[string]any `yaml:"sources"`
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	p, err := DecodeProfile("board", cfg.Sources["board"])
	if err != nil {
		t.Fatal(err)
	}
	p.URL = url
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDecodeProfile(t *testing.T) {
	got := boardProfile(t, "http://127.0.0.1:1/board/")
	want := Profile{
		Name: "board", Enabled: true, URL: "http://127.0.0.1:1/board/", Origin: "https://jobs.example.org/board/",
		Item: "li.job",
		Fields: map[string]Field{
			"id":        {Attr: "data-id"},
			"title":     {Selector: "a.title"},
			"company":   {Selector: ".company"},
			"location":  {Selector: ".where"},
			"salary":    {Selector: ".pay"},
			"tags":      {Selector: "ul.tags li", All: true},
			"published": {Selector: "time", Attr: "datetime"},
		},
		Next:   "a.next",
		Detail: Field{Selector: "a.title"},
		DetailFields: map[string]Field{
			"description": {Selector: "div.description", HTML: true, Required: true},
			"job_type":    {Selector: ".type"},
		},
		Robots: true, Delay: time.Millisecond, MaxPages: 20, Contact: "https://example.org/jobpulse-contact",
		Deadline: ingest.DefaultDeadline, // not in the file: the default
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded profile (-want +got):\n%s", diff)
	}

	t.Run("defaults", func(t *testing.T) {
		p, err := DecodeProfile("mini", map[string]any{"url": "https://example.org/", "item": "li", "fields": map[string]any{"title": "a"}})
		if err != nil {
			t.Fatal(err)
		}
		if !p.Enabled || !p.Robots || p.Delay != DefaultDelay || p.MaxPages != DefaultMaxPages {
			t.Errorf("defaults lost: %+v", p)
		}
	})
	t.Run("unknown key", func(t *testing.T) {
		_, err := DecodeProfile("mini", map[string]any{"url": "https://example.org/", "itme": "li"})
		if err == nil || !strings.Contains(err.Error(), "sources.mini") || !strings.Contains(err.Error(), "itme") {
			t.Errorf("error %v, want one naming sources.mini and itme", err)
		}
	})
}

// TestBoardNextChain crawls a three-page board described in YAML only:
// relative, root-relative and origin links, a fragment, a link back.
func TestBoardNextChain(t *testing.T) {
	srv := newBoard(t, http.FileServer(http.Dir("testdata")))
	tr := newLocalOnly()
	src := New(boardProfile(t, srv.URL+"/board/"), testFetchConfig(), testLogger(t), WithTransport(tr))
	lake := newMemLake()
	if err := src.Fetch(t.Context(), lake.keep); err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if len(tr.refused) > 0 {
		t.Errorf("requests left 127.0.0.1: %v", tr.refused)
	}
	wantReq := []string{"/robots.txt",
		"/board/", "/board/jobs/101.html", "/board/jobs/102.html",
		"/board/page2.html", "/board/jobs/103.html", "/board/jobs/104.html",
		"/board/page3.html", "/board/jobs/105.html", "/board/jobs/106.html"}
	if diff := cmp.Diff(wantReq, srv.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"page-0001.html", "page-0002.html", "page-0003.html"}, withPrefix(lake.names, "page-")); diff != "" {
		t.Errorf("list pages (-want +got):\n%s", diff)
	}
	if _, ok := lake.pages[DetailPageName("https://jobs.example.org/board/jobs/103.html")]; !ok {
		t.Errorf("detail page of the origin link not kept under the name of the link as written")
	}

	postings, rejects, errs := lake.parseAll(t, src)
	if len(errs) > 0 || len(rejects) > 0 {
		t.Fatalf("parse: errors %v, rejects %v", errs, rejects)
	}
	type row struct {
		ID, Title, Company, Location, Salary, URL, JobType, Description string
		Tags                                                            []string
		Published                                                       time.Time
		Key                                                             string
	}
	var got []row
	for _, p := range postings {
		got = append(got, row{p.SourceID, p.Title, p.Company, p.LocationText, p.SalaryText, p.URL, p.JobType, p.Description, p.Tags, p.PublishedAt, p.LakeKey})
	}
	desc := func(id string) string {
		return `<div class="description"><p>About job ` + id + `.</p><ul><li>You build things.</li></ul></div>`
	}
	base := srv.URL + "/board/"
	want := []row{
		{"101", "Senior Go Developer", "Acme GmbH", "Berlin, Germany", "€60.000 - €75.000", base + "jobs/101.html", "full_time", desc("101"),
			[]string{"go", "postgres"}, time.Date(2026, 8, 1, 9, 30, 0, 0, time.UTC), "mem/page-0001.html"},
		{"102", "Développeur Full Stack (H/F)", "Société Exemple SAS", "Paris, France", "", base + "jobs/102.html", "full_time", desc("102"),
			[]string{"javascript"}, time.Date(2026, 8, 2, 0, 0, 0, 0, time.UTC), "mem/page-0001.html"},
		{"103", "Softwareentwickler (m/w/d)", "Beispiel AG", "Remote (DACH)", "90-150 /hour", "https://jobs.example.org/board/jobs/103.html", "full_time", desc("103"),
			nil, time.Date(2026, 8, 3, 10, 0, 0, 0, time.UTC), "mem/page-0002.html"},
		{"104", "Data Engineer", "Numbers Ltd", "USA, Canada, USA timezones", "$18 - $22/hr", base + "jobs/104.html#apply", "contract", desc("104"),
			nil, time.Time{}, "mem/page-0002.html"},
		{"105", "Site Reliability Engineer", "Cloudy Inc.", "Americas, Europe, Israel", "", base + "jobs/105.html", "full_time", desc("105"),
			nil, time.Time{}, "mem/page-0003.html"},
		{"106", "Product Designer", "Pixels & Co", "Worldwide", "OTE $25k - $35k", base + "jobs/106.html", "full_time", desc("106"),
			nil, time.Time{}, "mem/page-0003.html"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("postings (-want +got):\n%s", diff)
	}
	for _, p := range postings {
		if p.Source != "board" {
			t.Errorf("posting %s: source %q", p.SourceID, p.Source)
		}
	}
}
