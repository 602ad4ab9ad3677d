package scrape

import (
	"context"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/testenv"
)

// fakeJobsProfile is the built-in profile pointed at a copy of the board.
func fakeJobsProfile(url string) Profile {
	p := FakeJobs()
	p.Enabled = true
	p.URL = url
	p.Delay = time.Millisecond
	p.Contact = "https://example.org/jobpulse-contact"
	return p
}

func TestFakeJobsCrawl(t *testing.T) {
	srv := newBoard(t, http.FileServer(http.Dir(testenv.RealCaptureDir(t, "fake-jobs"))))
	tr := newLocalOnly()
	p := fakeJobsProfile(srv.URL + "/")
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	src := New(p, testFetchConfig(), testLogger(t), WithTransport(tr))
	lake := newMemLake()
	if err := src.Fetch(t.Context(), lake.keep); err != nil {
		t.Fatalf("Fetch: %v", err)
	}

	// Every request went to the test server, once per page.
	if len(tr.refused) > 0 {
		t.Errorf("requests left 127.0.0.1: %v", tr.refused)
	}
	if got, want := len(srv.requests()), 1+1+100; got != want || tr.asked != want {
		t.Errorf("server saw %d requests, transport %d; want %d (robots.txt, the list, 100 details)", got, tr.asked, want)
	}
	if got := srv.count("/jobs/"); got != 100 {
		t.Errorf("%d requests for detail pages, want 100", got)
	}
	for ua := range srv.agents {
		if !strings.HasPrefix(ua, "jobpulse/") || !strings.Contains(ua, "+https://example.org/jobpulse-contact") {
			t.Errorf("User-Agent %q does not name jobpulse and the contact URL", ua)
		}
	}

	// Every response was kept under its deterministic name.
	if diff := cmp.Diff([]string{"robots.txt", "page-0001.html"}, lake.names[:2]); diff != "" {
		t.Errorf("first pages kept (-want +got):\n%s", diff)
	}
	if got := len(withPrefix(lake.names, "detail-")); got != 100 {
		t.Errorf("%d detail pages kept, want 100", got)
	}
	first := lake.pages[DetailPageName("https://realpython.github.io/fake-jobs/jobs/senior-python-developer-0.html")]
	if first.Meta.URL != srv.URL+"/jobs/senior-python-developer-0.html" || first.Meta.Status != 200 ||
		!strings.HasPrefix(first.Meta.ContentType, "text/html") || first.Meta.Size != int64(len(first.Body)) ||
		len(first.Meta.SHA256) != 64 || first.Meta.FetchedAt.IsZero() || first.Meta.Error != "" || first.Meta.Source != "fakejobs" {
		t.Errorf("meta of the first detail page: %+v", first.Meta)
	}

	postings, rejects, errs := lake.parseAll(t, src)
	if len(errs) > 0 || len(rejects) > 0 {
		t.Fatalf("parse: errors %v, rejects %v", errs, rejects)
	}
	if len(postings) != 100 {
		t.Fatalf("%d postings, want 100", len(postings))
	}
	ids := map[string]bool{}
	for _, po := range postings {
		ids[po.SourceID] = true
		if !strings.HasPrefix(po.Description, "<p>") || po.LakeKey != "mem/page-0001.html" {
			t.Errorf("posting %s: description %.40q, lake key %q", po.SourceID, po.Description, po.LakeKey)
		}
	}
	if len(ids) != 100 {
		t.Errorf("%d distinct ids, want 100", len(ids))
	}
	// Checked by hand against index.html and jobs/*.html.
	day := time.Date(2021, 4, 8, 0, 0, 0, 0, time.UTC)
	want := map[int]ingest.Posting{
		0: {
			Source: "fakejobs", SourceID: "senior-python-developer-0",
			URL:   "https://realpython.github.io/fake-jobs/jobs/senior-python-developer-0.html",
			Title: "Senior Python Developer", Company: "Payne, Roberts and Davis", LocationText: "Stewartbury, AA",
			PublishedAt: day, LakeKey: "mem/page-0001.html",
			Description: "<p>Professional asset web application environmentally friendly detail-oriented asset. Coordinate educational dashboard agile employ growth opportunity. Company programs CSS explore role. Html educational grit web application. Oversea SCRUM talented support. Web Application fast-growing communities inclusive programs job CSS. Css discussions growth opportunity explore open-minded oversee. Css Python environmentally friendly collaborate inclusive role. Django no experience oversee dashboard environmentally friendly willing to learn programs. Programs open-minded programs asset.</p>",
		},
		99: {
			Source: "fakejobs", SourceID: "ship-broker-99",
			URL:   "https://realpython.github.io/fake-jobs/jobs/ship-broker-99.html",
			Title: "Ship broker", Company: "Fuentes, Walls and Castro", LocationText: "Michelleville, AP",
			PublishedAt: day, LakeKey: "mem/page-0001.html",
			Description: "<p>Management common popular project only. Must small hair strong reveal future girl. Mother anything western Congress. You thought PM charge or put upon. Least building military seem. Glass type structure so magazine worker. Message become of Republican life field game look.</p>",
		},
	}
	for i, w := range want {
		if diff := cmp.Diff(w, postings[i]); diff != "" {
			t.Errorf("posting %d (-want +got):\n%s", i, diff)
		}
	}
	// And every description is the first paragraph of its detail page file.
	dir := testenv.RealCaptureDir(t, "fake-jobs")
	for _, i := range []int{10, 50, 77} {
		b, err := os.ReadFile(filepath.Join(dir, "jobs", postings[i].SourceID+".html"))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		para := s[strings.Index(s, "<p>"):]
		para = para[:strings.Index(para, "</p>")+len("</p>")]
		if postings[i].Description != para {
			t.Errorf("posting %d: description %q, want %q", i, postings[i].Description, para)
		}
	}
}

// TestFakeJobsReplay crawls into a real folder lake, stops the server, and
// parses the run from the lake alone: the postings are those the crawl gave.
func TestFakeJobsReplay(t *testing.T) {
	srv := newBoard(t, http.FileServer(http.Dir(testenv.RealCaptureDir(t, "fake-jobs"))))
	src := New(fakeJobsProfile(srv.URL+"/"), testFetchConfig(), testLogger(t), WithTransport(newLocalOnly()))
	folder, err := ingest.NewFolderLake(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	started := time.Date(2026, 8, 1, 3, 0, 0, 0, time.UTC)
	mem := newMemLake()
	if err := src.Fetch(t.Context(), func(ctx context.Context, p ingest.RawPage) error {
		if err := mem.keep(ctx, p); err != nil {
			return err
		}
		return folder.Put(ctx, ingest.RawKey(src.Name(), started, "run-1", p.Name), p.Body, p.Meta)
	}); err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	during, _, _ := mem.parseAll(t, src)
	srv.Close()

	prefix := path.Dir(ingest.RawKey(src.Name(), started, "run-1", "page-0001.html")) + "/"
	keys, err := folder.List(t.Context(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	lookup := func(ctx context.Context, name string) (ingest.StoredPage, error) {
		key := ingest.RawKey(src.Name(), started, "run-1", name)
		body, meta, err := folder.Get(ctx, key)
		return ingest.StoredPage{Key: key, Name: name, Body: body, Meta: meta}, err
	}
	var replayed []ingest.Posting
	for _, key := range keys {
		page, err := lookup(t.Context(), path.Base(key))
		if err != nil {
			t.Fatal(err)
		}
		if page.Meta.Error != "" {
			continue
		}
		ps, rs, err := src.Parse(t.Context(), page, lookup)
		if err != nil || len(rs) > 0 {
			t.Fatalf("parse %s: %v %v", key, err, rs)
		}
		replayed = append(replayed, ps...)
	}
	if len(replayed) != 100 {
		t.Fatalf("%d postings replayed, want 100", len(replayed))
	}
	if diff := cmp.Diff(during, replayed, cmpopts.IgnoreFields(ingest.Posting{}, "LakeKey")); diff != "" {
		t.Errorf("replay differs from the crawl (-crawl +replay):\n%s", diff)
	}
	if replayed[0].LakeKey != prefix+"page-0001.html" {
		t.Errorf("lake key %q", replayed[0].LakeKey)
	}
}
