package scrape

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/testenv"
)

// parseProfile is a small profile for parser tests.
func parseProfile() Profile {
	p := NewProfile("tiny")
	p.URL = "https://board.example/"
	p.Item = "div.job"
	p.Fields = map[string]Field{
		"id":        {Attr: "data-id"},
		"title":     {Selector: "h2"},
		"company":   {Selector: ".co"},
		"url":       {Selector: "a", Attr: "href"},
		"tags":      {Selector: ".tags"},
		"published": {Selector: "time", Attr: "datetime"},
	}
	return p
}

func TestParseListPage(t *testing.T) {
	const key = "raw/source=tiny/date=2026-08-01/run=r/page-0001.html"
	tests := []struct {
		name        string
		profile     func(*Profile)
		body        string
		wantErr     error
		want        []ingest.Posting
		wantRejects []ingest.Reject
	}{
		{name: "empty body", body: "", wantErr: ingest.ErrMalformed},
		{name: "200 error page", body: `<html><body><h1>Service unavailable</h1></body></html>`, wantErr: ingest.ErrMalformed},
		{name: "JSON", body: `{"jobs":[{"title":"x"}]}`, wantErr: ingest.ErrMalformed},
		{
			name: "item without title is rejected, the others kept",
			body: `<div class="job" data-id="1"><h2>  Go   Developer </h2><span class="co">Acme</span><a href="/j/1">x</a><span class="tags">go, sql ,go</span><time datetime="2026-08-01T10:00:00+02:00"></time></div>
			       <div class="job" data-id="2"><h3>Not a title</h3></div>`,
			want: []ingest.Posting{{Source: "tiny", SourceID: "1", Title: "Go Developer", Company: "Acme", URL: "https://board.example/j/1",
				Tags: []string{"go", "sql"}, PublishedAt: time.Date(2026, 8, 1, 8, 0, 0, 0, time.UTC), LakeKey: key}},
			wantRejects: []ingest.Reject{{LakeKey: key, Index: 1, Reason: `no title: fields.title "h2" matched nothing`}},
		},
		{
			name:        "required field",
			profile:     func(p *Profile) { f := p.Fields["company"]; f.Required = true; p.Fields["company"] = f },
			body:        `<div class="job" data-id="1"><h2>Go</h2></div>`,
			wantRejects: []ingest.Reject{{LakeKey: key, Index: 0, Reason: `fields.company ".co" is empty`}},
		},
		{
			name:        "repeated id",
			body:        `<div class="job" data-id="7"><h2>A</h2></div><div class="job" data-id="7"><h2>B</h2></div>`,
			want:        []ingest.Posting{{Source: "tiny", SourceID: "7", Title: "A", LakeKey: key}},
			wantRejects: []ingest.Reject{{LakeKey: key, Index: 1, Reason: `id "7" repeats item 0 of the page`}},
		},
		{
			name: "byte-order mark, invalid UTF-8, NUL, base href",
			body: "\xef\xbb\xbf<html><head><base href=\"https://mirror.example/jobs/\"></head><body><div class=\"job\" data-id=\"1\"><h2>Caf\xe9\x00 Manager</h2><a href=\"manager.html\">x</a></div></body></html>",
			want: []ingest.Posting{{Source: "tiny", SourceID: "1", Title: "Caf\uFFFD Manager", URL: "https://mirror.example/jobs/manager.html", LakeKey: key}},
		},
		{
			name:    "id from the link's slug, else from the content",
			profile: func(p *Profile) { delete(p.Fields, "id") },
			body:    `<div class="job"><h2>A</h2><a href="/jobs/a-job-1.html?ref=list">x</a></div><div class="job"><h2>B</h2><span class="co">Co</span></div>`,
			want: []ingest.Posting{
				{Source: "tiny", SourceID: "a-job-1?ref=list", Title: "A", URL: "https://board.example/jobs/a-job-1.html?ref=list", LakeKey: key},
				{Source: "tiny", SourceID: contentID("B\x00Co\x00"), Title: "B", Company: "Co", LakeKey: key},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parseProfile()
			if tt.profile != nil {
				tt.profile(&p)
			}
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			src := New(p, testFetchConfig(), testLogger(t))
			page := ingest.StoredPage{Key: key, Name: "page-0001.html", Body: []byte(tt.body), Meta: ingest.Meta{URL: "https://board.example/list"}}
			got, rejects, err := src.Parse(t.Context(), page, nil)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Parse error %v, want %v", err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), key) {
				t.Errorf("error %q does not name the lake key", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("postings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantRejects, rejects); diff != "" {
				t.Errorf("rejects (-want +got):\n%s", diff)
			}
		})
	}
}

// contentID is the id of a posting with neither an id nor a link: "h" and
// 16 hex digits of the SHA-256 of title, company and location.
func contentID(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "h" + hex.EncodeToString(sum[:8])
}

func TestParseOtherPages(t *testing.T) {
	src := New(FakeJobs(), testFetchConfig(), nil)
	for _, name := range []string{"robots.txt", DetailPageName("x"), "page-0001.attempt-1.html", "detail-0123456789abcdef.attempt-2.html"} {
		t.Run(name, func(t *testing.T) {
			ps, rs, err := src.Parse(t.Context(), ingest.StoredPage{Key: "k/" + name, Name: name, Body: []byte("<div class=card-content><h2 class=title>x</h2></div>")}, nil)
			if ps != nil || rs != nil || err != nil {
				t.Errorf("Parse(%s) = %v, %v, %v; want nothing", name, ps, rs, err)
			}
		})
	}
}

// TestParseLookupFailure: a lake that cannot answer fails the page, it does
// not silently drop descriptions.
func TestParseLookupFailure(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(testenv.RealCaptureDir(t, "fake-jobs"), "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	broken := errors.New("disk on fire")
	src := New(FakeJobs(), testFetchConfig(), testLogger(t))
	_, _, err = src.Parse(t.Context(), ingest.StoredPage{Key: "k/page-0001.html", Name: "page-0001.html", Body: body},
		func(context.Context, string) (ingest.StoredPage, error) { return ingest.StoredPage{}, broken })
	if !errors.Is(err, broken) || !strings.Contains(err.Error(), "k/page-0001.html") {
		t.Errorf("Parse error %v, want one wrapping the lake's and naming the key", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Profile)
		want   string // substring of the error; "" for none
	}{
		{name: "fakejobs", change: func(p *Profile) { p.Enabled = true }},
		{name: "disabled is not checked", change: func(p *Profile) { p.Item = "" }},
		{name: "bad name", change: func(p *Profile) { p.Name = "Fake Jobs" }, want: `sources: "Fake Jobs" is not a source name`},
		{name: "url", change: func(p *Profile) { p.Enabled, p.URL = true, "ftp://x" }, want: "sources.fakejobs.url:"},
		{name: "origin", change: func(p *Profile) { p.Enabled, p.Origin = true, "realpython.github.io" }, want: "sources.fakejobs.origin:"},
		{name: "item", change: func(p *Profile) { p.Enabled, p.Item = true, "" }, want: "sources.fakejobs.item: must not be empty"},
		{name: "item selector", change: func(p *Profile) { p.Enabled, p.Item = true, "div[" }, want: "sources.fakejobs.item: \"div[\" is not a CSS selector"},
		{name: "no title", change: func(p *Profile) { p.Enabled = true; delete(p.Fields, "title") }, want: "sources.fakejobs.fields.title: is required"},
		{name: "unknown field", change: func(p *Profile) { p.Enabled = true; p.Fields["salery"] = Field{Selector: "p"} }, want: "sources.fakejobs.fields.salery: unknown field"},
		{name: "empty field", change: func(p *Profile) { p.Enabled = true; p.Fields["salary"] = Field{} }, want: "sources.fakejobs.fields.salary: needs a selector or an attr"},
		{name: "html and attr", change: func(p *Profile) { p.Enabled = true; p.Fields["salary"] = Field{Selector: "p", Attr: "x", HTML: true} }, want: "sources.fakejobs.fields.salary: html and attr"},
		{name: "next", change: func(p *Profile) { p.Enabled, p.Next = true, "a:nope" }, want: "sources.fakejobs.next:"},
		{name: "detail fields without detail", change: func(p *Profile) { p.Enabled, p.Detail = true, Field{} }, want: "sources.fakejobs.detail_fields: detail fields need sources.fakejobs.detail"},
		{name: "detail field", change: func(p *Profile) { p.Enabled = true; p.DetailFields["description"] = Field{Selector: "p:"} }, want: "sources.fakejobs.detail_fields.description:"},
		{name: "delay", change: func(p *Profile) { p.Enabled, p.Delay = true, -time.Second }, want: "sources.fakejobs.delay: -1s must not be negative"},
		{name: "max pages", change: func(p *Profile) { p.Enabled, p.MaxPages = true, 0 }, want: "sources.fakejobs.max_pages: 0 must be positive"},
		{name: "user agent", change: func(p *Profile) { p.Enabled, p.UserAgent = true, "Mozilla/5.0" }, want: "sources.fakejobs.user_agent: \"Mozilla/5.0\" must name jobpulse"},
		{name: "contact", change: func(p *Profile) { p.Enabled, p.Contact = true, "me at home" }, want: "sources.fakejobs.contact:"},
		{name: "mailto contact", change: func(p *Profile) { p.Enabled, p.Contact = true, "mailto:ops@example.org" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := FakeJobs()
			tt.change(&p)
			err := p.Validate()
			if tt.want == "" {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "config: ") {
				t.Errorf("Validate() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestUserAgent(t *testing.T) {
	p := FakeJobs()
	p.Contact = "https://example.org/contact"
	if got, want := p.userAgent("jobpulse/0.1"), "jobpulse/0.1 (+https://example.org/contact)"; got != want {
		t.Errorf("userAgent = %q, want %q", got, want)
	}
}

// FuzzParseListPage: any HTML gives postings with a title and the lake key,
// rejects naming the lake key, or an error; never a panic. Detail lookups
// answer with the same bytes (a small fixed page when the input is large).
func FuzzParseListPage(f *testing.F) {
	for _, name := range []string{"testdata/board/index.html", "testdata/board/page2.html", "testdata/board/jobs/101.html"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	if b, err := os.ReadFile(filepath.Join(testenv.RealCaptureDir(f, "fake-jobs"), "index.html")); err == nil {
		f.Add(b[:min(len(b), 12<<10)]) // the first cards: the whole board makes every run slow
	}
	profiles := []Profile{FakeJobs(), parseProfile()}
	profiles[1].Detail = Field{Selector: "a"}
	profiles[1].DetailFields = map[string]Field{"description": {Selector: "div", HTML: true, All: true}, "tags": {Selector: "li", All: true}}
	const key = "raw/source=x/date=2026-08-01/run=r/page-0001.html"
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, p := range profiles {
			src := New(p, ingest.DefaultFetchConfig(), nil)
			detail := body
			if len(detail) > 4<<10 { // each item reads its detail page: keep a run linear
				detail = []byte(`<div class="box"><div class="content"><p>About.</p></div></div>`)
			}
			lookup := func(_ context.Context, name string) (ingest.StoredPage, error) {
				return ingest.StoredPage{Key: "k/" + name, Name: name, Body: detail}, nil
			}
			page := ingest.StoredPage{Key: key, Name: "page-0001.html", Body: body, Meta: ingest.Meta{URL: "https://board.example/"}}
			postings, rejects, err := src.Parse(t.Context(), page, lookup)
			if err != nil {
				if postings != nil || rejects != nil || !errors.Is(err, ingest.ErrMalformed) {
					t.Fatalf("error %v with %d postings, %d rejects", err, len(postings), len(rejects))
				}
				continue
			}
			for _, po := range postings {
				if po.Title == "" || po.LakeKey != key || po.SourceID == "" || po.Source != p.Name {
					t.Fatalf("posting %+v", po)
				}
				for _, s := range append([]string{po.Title, po.Company, po.LocationText, po.Description, po.SourceID}, po.Tags...) {
					if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
						t.Fatalf("value %q is not valid UTF-8 without NUL", s)
					}
				}
			}
			for _, r := range rejects {
				if r.LakeKey != key || r.Index < 0 || r.Reason == "" {
					t.Fatalf("reject %+v", r)
				}
			}
		}
	})
}
