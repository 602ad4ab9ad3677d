package sample

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/ingest/normalize"
	"github.com/jobpulse/jobpulse/internal/testenv"
)

// TestPoolIsCurrent checks that the embedded pool is what `go generate`
// makes from the real captures, so that it changes with them.
func TestPoolIsCurrent(t *testing.T) {
	got, err := DerivePool(testenv.RealCaptureDir(t, "."))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, poolJSONL) {
		t.Fatalf("%s is not what the captures give (%d bytes, want %d): run `go generate ./ingest/sample`", PoolFile, len(poolJSONL), len(got))
	}
	p := pool()
	if len(p.listings) < 1000 || len(p.units) < 800 {
		t.Errorf("the pool holds %d listings of %d postings, want the captures' 1,100 or so", len(p.listings), len(p.units))
	}
}

// replayDay parses the pages a [Replay] serves on day with the real sources'
// parsers and normalizes every posting, as a night's load does.
func replayDay(t *testing.T, r Replay, day time.Time) []ingest.Posting {
	t.Helper()
	var out []ingest.Posting
	add := func(ps []ingest.Posting, rejects []ingest.Reject, err error) int {
		t.Helper()
		if err != nil || len(rejects) > 0 {
			t.Fatalf("%s: %v, rejects %v", day.Format(time.DateOnly), err, rejects)
		}
		out = append(out, ps...)
		return len(ps)
	}
	add(ingest.ParseRemotive(r.RemotiveResponse(day), "remotive"))
	add(ingest.ParseRemoteOK(r.RemoteOKResponse(day), "remoteok"))
	for page := 1; add(ingest.ParseArbeitnow(r.ArbeitnowResponse(day, page), "arbeitnow")) > 0; page++ {
	}
	for i := range out {
		ingest.Normalize(&out[i])
	}
	return out
}

var replayDay0 = time.Date(2026, 11, 29, 2, 0, 0, 0, time.UTC)

// TestReplayServes checks one day of a full board: the same day gives the
// same bytes, every listing parses in its source's shape, its fields are
// the pool's as published (its description escaped, as HTML), and every
// company is marked as a sample.
func TestReplayServes(t *testing.T) {
	r := Replay{Size: MaxReplaySize()}
	if !bytes.Equal(r.ArbeitnowResponse(replayDay0, 2), r.ArbeitnowResponse(replayDay0.Add(5*time.Hour), 2)) {
		t.Error("the same day gave different bytes")
	}
	postings := replayDay(t, r, replayDay0)
	if n := len(postings); n < MaxReplaySize() || n > len(pool().listings) {
		t.Errorf("%d listings open, want about the pool's %d postings", n, MaxReplaySize())
	}
	byURL := map[string]PoolPosting{}
	for _, l := range pool().listings {
		if _, dup := byURL[l.Shape+" "+l.URL]; dup {
			t.Fatalf("two postings of the pool have the URL %s", l.URL)
		}
		byURL[l.Shape+" "+l.URL] = l
	}
	ids := map[string]bool{}
	for _, p := range postings {
		if ids[p.Source+"/"+p.SourceID] {
			t.Errorf("%s %s listed twice", p.Source, p.SourceID)
		}
		ids[p.Source+"/"+p.SourceID] = true
		if p.Company != "" && !strings.HasSuffix(p.Company, " (sample)") {
			t.Errorf("company %q does not end in (sample)", p.Company)
		}
		l, ok := byURL[p.Source+" "+p.URL]
		if !ok || !strings.Contains(l.Title, p.Title) && !strings.Contains(p.Title, strings.TrimSpace(l.Title)) {
			t.Errorf("%s %q (%q, %s) is not a posting of the pool as published", p.Source, p.Title, p.Company, p.URL)
			continue
		}
		if got, want := strings.Join(strings.Fields(p.DescriptionText), " "), strings.Join(strings.Fields(l.Description), " "); got != want {
			t.Errorf("%s %q: description reads %q, want the pool's %q", p.Source, p.Title, got, want)
		}
		if p.SalaryText != l.Salary || p.PublishedAt.IsZero() || p.PublishedAt.After(replayDay0) {
			t.Errorf("%s %q: salary %q, published %s; want %q, before the night", p.Source, p.Title, p.SalaryText, p.PublishedAt, l.Salary)
		}
	}
}

// TestReplayHistory follows a full board and a small one for 60 nights: the
// number of postings open stays near the size, postings appear and go every
// night, a listing is the same posting every night it is open, and a posting
// that goes stays gone for two weeks at least.
func TestReplayHistory(t *testing.T) {
	for _, size := range []int{MaxReplaySize(), 120} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			r := Replay{Size: size}
			listing := map[string]string{} // id: title and company
			open := map[string]bool{}      // fingerprints open last night
			goneOn := map[string]int{}     // fingerprint: the night it went
			for night := range 60 {
				day := replayDay0.AddDate(0, 0, night)
				today := map[string]bool{}
				for _, p := range replayDay(t, r, day) {
					key := p.Title + " | " + p.Company
					if was, ok := listing[p.Source+p.SourceID]; ok && was != key {
						t.Fatalf("%s: listing %s %s was %q, is %q", day.Format(time.DateOnly), p.Source, p.SourceID, was, key)
					}
					listing[p.Source+p.SourceID] = key
					if g, ok := goneOn[p.Fingerprint]; ok && !open[p.Fingerprint] && night-g < minGapDays {
						t.Errorf("%s: %q is back %d nights after it went", day.Format(time.DateOnly), key, night-g)
					}
					today[p.Fingerprint] = true
				}
				if n := len(today); n < size*85/100 || n > size*110/100 {
					t.Errorf("%s: %d postings open, want about %d", day.Format(time.DateOnly), n, size)
				}
				added, removed := 0, 0
				for f := range today {
					if !open[f] {
						added++
					}
				}
				for f := range open {
					if !today[f] {
						removed++
						goneOn[f] = night
					}
				}
				if night > 0 && (added == 0 || removed == 0) {
					t.Errorf("%s: %d postings new and %d gone, want some of each", day.Format(time.DateOnly), added, removed)
				}
				open = today
			}
		})
	}
}

// readings are the role and fingerprint of each listing of the pool, as
// the real parsers and the normalizer read it.
func readings(t *testing.T) (role, print []string) {
	t.Helper()
	p := pool()
	all := make([]listing, len(p.listings))
	for i := range p.listings {
		all[i] = listing{PoolPosting: &p.listings[i], n: int64(i)}
	}
	role, print = make([]string, len(all)), make([]string, len(all))
	for _, shape := range []string{"remotive", "remoteok", "arbeitnow"} {
		ls := ofShape(all, shape)
		var postings []ingest.Posting
		var err error
		switch shape {
		case "remotive":
			postings, _, err = ingest.ParseRemotive(remotiveBody(ls), "k")
		case "remoteok":
			postings, _, err = ingest.ParseRemoteOK(remoteOKBody(replayDay0, ls), "k")
		case "arbeitnow":
			for page := 1; err == nil && (page-1)*arbeitnowPerPage < len(ls); page++ {
				var ps []ingest.Posting
				ps, _, err = ingest.ParseArbeitnow(arbeitnowBody(ls, page), "k")
				postings = append(postings, ps...)
			}
		}
		if err != nil || len(postings) != len(ls) {
			t.Fatalf("%s: %d of %d listings parsed: %v", shape, len(postings), len(ls), err)
		}
		for i := range postings {
			ingest.Normalize(&postings[i])
			role[ls[i].n], print[ls[i].n] = postings[i].Role, postings[i].Fingerprint
		}
	}
	return role, print
}

// TestReplayAnswers checks, for every day of three years, what the
// report's roles page will show of a full board: at least 50 roles with
// open postings, and lists of the 10 most demanded roles, the 10 around
// the median and the 10 least demanded (among roles with 5 open postings or
// more) that share no role, whether ties are broken by name or kept whole.
func TestReplayAnswers(t *testing.T) {
	role, print := readings(t)
	if got := len(slices.Compact(slices.Sorted(slices.Values(print)))); got != len(pool().units) {
		t.Fatalf("the parsed listings make %d postings, the pool's grouping %d: they must agree", got, len(pool().units))
	}
	r := Replay{Size: MaxReplaySize()}
	start := time.Date(2026, 1, 1, 2, 0, 0, 0, time.UTC)
	for day := start; day.Before(start.AddDate(3, 0, 0)); day = day.AddDate(0, 0, 1) {
		postings := map[string]string{}
		for _, l := range r.open(dayNumber(day)) {
			postings[print[l.n%int64(len(role))]] = role[l.n%int64(len(role))]
		}
		perRole := map[string]int{}
		for _, ro := range postings {
			if ro != "" {
				perRole[ro]++
			}
		}
		if err := roleLists(perRole); err != nil || len(perRole) < 50 {
			t.Fatalf("%s: %d roles open: %v\n%v", day.Format(time.DateOnly), len(perRole), err, perRole)
		}
	}
}

// roleLists returns an error when the roles page's three lists overlap
// for perRole (open postings per role), with ties broken by name (main's
// queries) or kept whole (every role tied at a list's edge is listed).
func roleLists(perRole map[string]int) error {
	type rr struct {
		role string
		n    int
	}
	var ranked []rr
	for ro, n := range perRole {
		if n >= rankMin {
			ranked = append(ranked, rr{ro, n})
		}
	}
	if len(ranked) < 30 {
		return fmt.Errorf("%d roles ranked, want 30 or more", len(ranked))
	}
	slices.SortFunc(ranked, func(a, b rr) int { return cmp.Or(b.n-a.n, strings.Compare(a.role, b.role)) })
	lo := (len(ranked) - 10) / 2 // the middle's first position, from 0
	byName := [3][]rr{ranked[:10], ranked[lo : lo+10], ranked[len(ranked)-10:]}
	// Ties kept whole: a list takes every role whose run of tied positions
	// meets its window of positions.
	whole := [3][]rr{}
	for i := 0; i < len(ranked); {
		j := i
		for j < len(ranked) && ranked[j].n == ranked[i].n {
			j++
		}
		for w, win := range [3][2]int{{0, 10}, {lo, lo + 10}, {len(ranked) - 10, len(ranked)}} {
			if i < win[1] && j > win[0] {
				whole[w] = append(whole[w], ranked[i:j]...)
			}
		}
		i = j
	}
	for _, lists := range [][3][]rr{byName, whole} {
		seen := map[string]int{}
		for w, list := range lists {
			for _, x := range list {
				if prev, ok := seen[x.role]; ok && prev != w {
					return fmt.Errorf("%s (%d postings) is in list %d and list %d of %v", x.role, x.n, prev, w, ranked)
				}
				seen[x.role] = w
			}
		}
	}
	return nil
}

// TestReplayDrift checks that over two weeks, from any of three days, some
// roles clearly rise and others fall.
func TestReplayDrift(t *testing.T) {
	role, print := readings(t)
	r := Replay{Size: MaxReplaySize()}
	shares := func(day time.Time) map[string]int {
		postings := map[string]string{}
		for _, l := range r.open(dayNumber(day)) {
			postings[print[l.n%int64(len(role))]] = role[l.n%int64(len(role))]
		}
		perRole := map[string]int{}
		for _, ro := range postings {
			perRole[ro]++
		}
		return perRole
	}
	for _, from := range []time.Time{replayDay0, time.Date(2027, 2, 1, 2, 0, 0, 0, time.UTC), time.Date(2027, 6, 15, 2, 0, 0, 0, time.UTC)} {
		before, after := shares(from), shares(from.AddDate(0, 0, 14))
		var rising, falling []string
		for ro, b := range before {
			switch a := after[ro]; {
			case ro == "" || b < 10:
			case float64(a) >= 1.1*float64(b):
				rising = append(rising, ro)
			case float64(a) <= float64(b)/1.1:
				falling = append(falling, ro)
			}
		}
		if len(rising) < 2 || len(falling) < 2 {
			t.Errorf("from %s, over two weeks, rising roles %q, falling roles %q: want two or more of each\nbefore %v\nafter %v",
				from.Format(time.DateOnly), rising, falling, before, after)
		}
	}
}

// TestReplayHandler checks that the handler serves each source's pages of
// the day its clock says, and that the real sources fetch them whole,
// following Arbeitnow's next links from its public host onto the server.
func TestReplayHandler(t *testing.T) {
	r := Replay{Size: 300}
	srv := httptest.NewServer(r.Handler(func() time.Time { return replayDay0 }))
	defer srv.Close()
	fetcher := ingest.NewFetcher(ingest.DefaultFetchConfig(), srv.Client(), slog.New(slog.DiscardHandler))
	sources := []ingest.Source{
		ingest.NewRemotive(ingest.RemotiveConfig{Enabled: true, URL: srv.URL}, fetcher),
		ingest.NewRemoteOK(ingest.RemoteOKConfig{Enabled: true, URL: srv.URL}, fetcher),
		ingest.NewArbeitnow(ingest.ArbeitnowConfig{Enabled: true, URL: srv.URL, MaxPages: 50}, fetcher),
	}
	want := map[string][][]byte{
		"remotive": {r.RemotiveResponse(replayDay0)},
		"remoteok": {r.RemoteOKResponse(replayDay0)},
	}
	for page := 1; ; page++ {
		body := r.ArbeitnowResponse(replayDay0, page)
		want["arbeitnow"] = append(want["arbeitnow"], body)
		if !bytes.Contains(body, []byte(`"next": "https://www.arbeitnow.com/`)) {
			break
		}
	}
	if len(want["arbeitnow"]) < 2 {
		t.Fatalf("Arbeitnow's listings fit on %d page: the test does not follow a next link", len(want["arbeitnow"]))
	}
	for _, src := range sources {
		var got [][]byte
		err := src.Fetch(context.Background(), func(_ context.Context, p ingest.RawPage) error {
			got = append(got, p.Body)
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", src.Name(), err)
		}
		if !slices.EqualFunc(got, want[src.Name()], bytes.Equal) {
			t.Errorf("%s: fetched %d pages that are not the day's %d", src.Name(), len(got), len(want[src.Name()]))
		}
	}
	resp, err := srv.Client().Get(srv.URL + ArbeitnowPath + "?page=x")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(body, want["arbeitnow"][0]) {
		t.Error("a page that is not a number does not give page 1")
	}
}

// TestSampleCompany checks how a published company name becomes a sample's.
func TestSampleCompany(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"SumUp", "SumUp (sample)"},
		{"SUMUP GMBH", "SUMUP (sample)"},
		{"adjoe GmbH", "adjoe (sample)"},
		{"", ""},
		{"Confidential", ""},
	} {
		if got := sampleCompany(tt.in); got != tt.want {
			t.Errorf("sampleCompany(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if _, key := normalize.Company(sampleCompany(tt.in)); (key == "") != (tt.want == "") {
			t.Errorf("%q: the normalizer reads the sample's name %q as key %q", tt.in, tt.want, key)
		}
	}
}

// FuzzReadPool feeds the pool's readers arbitrary bytes: a capture of each
// source and a pool file are read, or refused with an error, never with a
// panic.
func FuzzReadPool(f *testing.F) {
	f.Add("remotive", []byte(`{"jobs":[{"id":1,"title":"Go Developer","company_name":"Acme"}]}`))
	f.Add("remoteok", []byte(`[{"legal":"x"},{"id":"7","position":"Nurse","salary_min":1}]`))
	f.Add("arbeitnow", []byte(`{"data":[{"slug":"a-1","title":"Koch (m/w/d)","remote":null}]}`))
	f.Add("greenhouse", []byte(`{"jobs":[{"id":9,"title":"Sales","location":{"name":"Paris"}}]}`))
	f.Add("francetravail", []byte(`{"resultats":[{"id":"1AB","intitule":"Boulanger","lieuTravail":{"libelle":"75 - PARIS"}}]}`))
	f.Add("pool", poolJSONL[:bytes.IndexByte(poolJSONL, '\n')+1])
	f.Fuzz(func(t *testing.T, source string, body []byte) {
		if source == "pool" {
			if p, err := readPool(body); err == nil && len(p.units) == 0 {
				t.Error("a pool read without error has no postings")
			}
			return
		}
		postings, err := readCapture(source, body)
		if err != nil {
			return
		}
		for _, p := range postings {
			if p.Shape != "remotive" && p.Shape != "remoteok" && p.Shape != "arbeitnow" {
				t.Errorf("%s: shape %q", source, p.Shape)
			}
			_ = trimText(p.Description, descriptionRunes)
		}
	})
}
