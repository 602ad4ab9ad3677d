package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// staticToken is a token source that always gives the token tok.
func staticToken(tok string) oauth2.TokenSource {
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok, TokenType: "Bearer"})
}

// fetchFT runs the source on cfg and returns the pages it kept.
func fetchFT(t *testing.T, cfg FranceTravailConfig, now time.Time) ([]RawPage, error) {
	t.Helper()
	src := NewFranceTravail(cfg, DefaultFetchConfig(), WithLimiter(NewHostLimiter()))
	if !now.IsZero() {
		src.now = func() time.Time { return now }
	}
	var (
		mu    sync.Mutex
		pages []RawPage
	)
	err := src.Fetch(t.Context(), func(_ context.Context, p RawPage) error {
		mu.Lock()
		defer mu.Unlock()
		pages = append(pages, p)
		return nil
	})
	return pages, err
}

// parseFT parses the pages kept as a run does, and returns the postings by
// id; an id read twice is counted in dups.
func parseFT(t *testing.T, pages []RawPage) (byID map[string]Posting, dups int) {
	t.Helper()
	src := NewFranceTravail(DefaultFranceTravailConfig(), DefaultFetchConfig())
	byID = map[string]Posting{}
	for _, p := range pages {
		key := "raw/source=francetravail/date=2026-12-05/run=r1/" + p.Name
		ps, rejects, err := src.Parse(t.Context(), StoredPage{Key: key, Name: p.Name, Body: p.Body, Meta: p.Meta}, nil)
		if err != nil || len(rejects) > 0 {
			t.Fatalf("%s: rejects %v, err %v", p.Name, rejects, err)
		}
		for _, q := range ps {
			if _, ok := byID[q.SourceID]; ok {
				dups++
			}
			byID[q.SourceID] = q
		}
	}
	return byID, dups
}

// TestFranceTravailFetch runs the source against the test server: the
// token exchange as France Travail asks for it, then the search paged by
// ranges of 150, every page kept, named in fetch order, and read whole.
func TestFranceTravailFetch(t *testing.T) {
	for _, tc := range []struct {
		name      string
		offers    int
		wantPages []string // range of each search
	}{
		{name: "the real capture, one page", offers: 150, wantPages: []string{"0-149"}},
		{name: "three pages, the last short", offers: 400, wantPages: []string{"0-149", "150-299", "300-449"}},
		{name: "two whole pages", offers: 300, wantPages: []string{"0-149", "150-299"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, srv := newFTServer(t, tc.offers, false)
			pages, err := fetchFT(t, s.config(srv), time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			var names, ranges []string
			for i, p := range pages {
				names = append(names, p.Name)
				if want := fmt.Sprintf("page-%04d.json", i+1); p.Name != want {
					t.Errorf("page %d named %s, want %s", i+1, p.Name, want)
				}
				u, err := url.Parse(p.Meta.URL)
				if err != nil || u.Path != "/partenaire/offresdemploi/v2/offres/search" {
					t.Errorf("page %s: URL %s", p.Name, p.Meta.URL)
					continue
				}
				ranges = append(ranges, u.Query().Get("range"))
			}
			if diff := cmp.Diff(tc.wantPages, ranges); diff != "" {
				t.Errorf("ranges asked (-want +got):\n%s", diff)
			}
			byID, dups := parseFT(t, pages)
			if len(byID) != tc.offers || dups != 0 {
				t.Errorf("read %d offers (%d twice), want %d", len(byID), dups, tc.offers)
			}
			if tokens, _ := s.counts(); tokens != 1 {
				t.Errorf("%d tokens asked for, want 1 (reused until it expires)", tokens)
			}
			if tc.offers == 150 {
				// The one page is the capture's offers, byte for byte.
				capture, _ := ftCapture(t)
				var got struct{ Resultats []json.RawMessage }
				json.Unmarshal(pages[0].Body, &got)
				if !slices.EqualFunc(capture, got.Resultats, func(a, b json.RawMessage) bool { return bytes.Equal(a, b) }) {
					t.Error("the page kept is not the capture's offers as served")
				}
			}
		})
	}
}

// TestFranceTravailSplitsBigSearches: a search that finds more offers than
// the API pages through (3,150) is split into windows of creation dates,
// and every offer is read; none of the requests breaks the API's limits
// (the server fails the test on any).
func TestFranceTravailSplitsBigSearches(t *testing.T) {
	s, srv := newFTServer(t, 7000, true)
	now := time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)
	pages, err := fetchFT(t, s.config(srv), now)
	if err != nil {
		t.Fatal(err)
	}
	byID, dups := parseFT(t, pages)
	if len(byID) != 7000 {
		t.Errorf("read %d distinct offers, want 7000", len(byID))
	}
	_, searches := s.counts()
	t.Logf("7000 offers in %d pages (%d searches), %d offers read twice (the first page of each split window)", len(pages), searches, dups)
	if len(pages) > 7000/150+40 {
		t.Errorf("%d pages for 7000 offers: the split asks too much", len(pages))
	}
}

// TestFranceTravailDepartements: one search per département, each paged.
func TestFranceTravailDepartements(t *testing.T) {
	s, srv := newFTServer(t, 600, false)
	cfg := s.config(srv)
	cfg.Departements = []string{"75", "13"}
	cfg.Query = "typeContrat=CDI"
	cfg.PublishedSinceDays = 7
	pages, err := fetchFT(t, cfg, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, o := range s.offers {
		if o.departement == "75" || o.departement == "13" {
			want[o.departement]++
		}
	}
	byID, _ := parseFT(t, pages)
	got := map[string]int{}
	for _, p := range byID {
		dep, _, _ := strings.Cut(p.LocationText, " - ")
		got[dep]++
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("offers by département (-want +got):\n%s", diff)
	}
	for _, p := range pages {
		u, _ := url.Parse(p.Meta.URL)
		q := u.Query()
		if q.Get("typeContrat") != "CDI" || q.Get("publieeDepuis") != "7" || (q.Get("departement") != "75" && q.Get("departement") != "13") {
			t.Errorf("page %s: criteria %s", p.Name, u.RawQuery)
		}
	}
}

// TestFranceTravailTokenRefresh: a token is asked again when it expires,
// and every search carries the last one (the server refuses the others).
func TestFranceTravailTokenRefresh(t *testing.T) {
	for _, tc := range []struct {
		name      string
		expiresIn int
		want      func(searches int) int // tokens asked for
	}{
		// golang.org/x/oauth2 renews a token 10 seconds before it expires:
		// one of a second is renewed before each search.
		{name: "expired at each search", expiresIn: 1, want: func(n int) int { return n + 1 }},
		{name: "valid for the run", expiresIn: 1499, want: func(int) int { return 1 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, srv := newFTServer(t, 450, false)
			s.expiresIn = tc.expiresIn
			if _, err := fetchFT(t, s.config(srv), time.Time{}); err != nil {
				t.Fatal(err)
			}
			tokens, searches := s.counts()
			if searches != 3 || tokens != tc.want(searches) {
				t.Errorf("%d tokens for %d searches, want %d for 3", tokens, searches, tc.want(3))
			}
		})
	}
}

// TestFranceTravailTokenRevoked: a token the API stops taking in the
// middle of a run (401 before it expires) is exchanged for a new one and
// the page asked once more: the run completes, every offer read, with two
// token exchanges, the refused answer kept as an attempt of its page, so
// that reading the run back from the lake finds the source fetched whole.
// When the API refuses the new token too, the source fails with an error
// that names the 401. Neither the secret nor a token reaches a log line,
// the lake or the error.
func TestFranceTravailTokenRevoked(t *testing.T) {
	const prefix = "raw/source=francetravail/date=2026-12-05/run=r1/"
	for _, tc := range []struct {
		name          string
		revokeAfter   int // each token serves this many searches
		refuseAfter   int // the server serves this many searches in all
		wantKeys      []string
		wantStatus    string // of the source, read back from the lake
		wantPostings  int
		wantErr       string // in the fetch's error; "" for none
		wantTokens    int
		wantSearches  int
		wantRefused   int
		wantAttempt   int // status of page-0003.attempt-1.json
		wantLastFinal int // status of page-0003.json
	}{{
		name:        "revoked after two searches",
		revokeAfter: 2,
		wantKeys:    []string{"page-0001.json", "page-0002.json", "page-0003.attempt-1.json", "page-0003.json"},
		wantStatus:  jobdata.SourceOK, wantPostings: 450,
		wantTokens: 2, wantSearches: 4, wantRefused: 1,
		wantAttempt: http.StatusUnauthorized, wantLastFinal: http.StatusOK,
	}, {
		name:        "refused whatever the token after two searches",
		refuseAfter: 2,
		wantKeys:    []string{"page-0001.json", "page-0002.json", "page-0003.attempt-1.json", "page-0003.json"},
		wantStatus:  jobdata.SourceFailed, wantPostings: 300, wantErr: "401 Unauthorized",
		wantTokens: 2, wantSearches: 4, wantRefused: 2,
		wantAttempt: http.StatusUnauthorized, wantLastFinal: http.StatusUnauthorized,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			s, srv := newFTServer(t, 450, false)
			s.revokeAfter, s.refuseAfter = tc.revokeAfter, tc.refuseAfter
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			src := NewFranceTravail(s.config(srv), DefaultFetchConfig(), WithLimiter(NewHostLimiter()), WithLogger(logger))
			lake, err := NewFolderLake(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			started := time.Date(2026, 12, 5, 3, 0, 0, 0, time.UTC)
			res := FetchWith(t.Context(), lake, []Source{src}, "r1", started, FetchOptions{}, logger)[0]

			var names []string
			for _, k := range res.Keys {
				names = append(names, strings.TrimPrefix(k, prefix))
			}
			if diff := cmp.Diff(tc.wantKeys, names); diff != "" {
				t.Errorf("pages kept (-want +got):\n%s", diff)
			}
			switch {
			case tc.wantErr == "" && res.Err != nil:
				t.Errorf("fetch: %v, want no error", res.Err)
			case tc.wantErr != "" && (res.Err == nil || !strings.Contains(res.Err.Error(), tc.wantErr)):
				t.Errorf("fetch: %v, want an error naming %q", res.Err, tc.wantErr)
			}
			s.mu.Lock()
			tokens, searches, refused := len(s.tokens), len(s.searches), s.refused
			s.mu.Unlock()
			if tokens != tc.wantTokens || searches != tc.wantSearches || refused != tc.wantRefused {
				t.Errorf("%d token exchanges, %d searches (%d refused), want %d, %d (%d)",
					tokens, searches, refused, tc.wantTokens, tc.wantSearches, tc.wantRefused)
			}
			for name, want := range map[string]int{"page-0003.attempt-1.json": tc.wantAttempt, "page-0003.json": tc.wantLastFinal} {
				if _, meta, err := lake.Get(t.Context(), prefix+name); err != nil || meta.Status != want {
					t.Errorf("%s: status %d, err %v; want %d", name, meta.Status, err, want)
				}
			}

			// Read back from the lake, as ingest loads a run.
			sr := jobdata.SourceRun{Source: src.Name(), Status: jobdata.SourceOK, Pages: len(res.Keys), LakeKeys: res.Keys}
			if res.Err != nil {
				sr.Status, sr.Error = jobdata.SourceFailed, res.Err.Error()
			}
			reader := ReadRun(lake, map[string]Source{src.Name(): src},
				jobdata.Run{ID: "r1", StartedAt: started, FinishedAt: started.Add(time.Minute), Sources: []jobdata.SourceRun{sr}}, nil)
			ids := map[string]bool{}
			for p, err := range reader.Postings(t.Context()) {
				if err != nil {
					t.Fatal(err)
				}
				ids[p.SourceID] = true
			}
			got := reader.Run().Sources[0]
			if got.Status != tc.wantStatus || len(ids) != tc.wantPostings || got.Rejected != 0 {
				t.Errorf("read back: source %s (%q), %d offers, %d rejected; want %s, %d offers, none rejected",
					got.Status, got.Error, len(ids), got.Rejected, tc.wantStatus, tc.wantPostings)
			}
			if tc.wantStatus == jobdata.SourceOK && got.Error != "" {
				t.Errorf("read back: error %q, want none", got.Error)
			}

			if !strings.Contains(logs.String(), "refused the run's token (401)") {
				t.Errorf("no log line says the token was refused:\n%s", logs.String())
			}
			var kept []byte
			for _, k := range res.Keys {
				body, meta, _ := lake.Get(t.Context(), k)
				m, _ := json.Marshal(meta)
				kept = append(append(kept, body...), m...)
			}
			errText := ""
			if res.Err != nil {
				errText = res.Err.Error()
			}
			for where, text := range map[string]string{"log": logs.String(), "lake": string(kept), "error": errText} {
				for _, leak := range []string{ftSecret, url.QueryEscape(ftSecret), "M5e1c2e3t4", "tok-1", "tok-2", "access_token"} {
					if strings.Contains(text, leak) {
						t.Errorf("the %s holds %q", where, leak)
					}
				}
			}
		})
	}
}

// TestFranceTravailSecretStaysOut: the secret and the token exchange never
// reach the lake, and a refused exchange fails the source at once, with an
// error that names the exchange and never shows the secret, even when the
// server echoes it.
func TestFranceTravailSecretStaysOut(t *testing.T) {
	s, srv := newFTServer(t, 300, false)
	pages, err := fetchFT(t, s.config(srv), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		meta, _ := json.Marshal(p.Meta)
		for _, b := range [][]byte{p.Body, meta, []byte(p.Name)} {
			for _, leak := range []string{ftSecret, url.QueryEscape(ftSecret), "tok-1", "access_token"} {
				if bytes.Contains(b, []byte(leak)) {
					t.Errorf("page %s holds %q", p.Name, leak)
				}
			}
		}
	}
	if len(s.bodies) != 1 || !strings.Contains(s.bodies[0], url.QueryEscape(ftSecret)) {
		t.Errorf("token requests %q: want one, with the secret in the form", s.bodies)
	}

	wrong := s.config(srv)
	wrong.ClientSecret = "Wrong" + ftSecret
	pages, err = fetchFT(t, wrong, time.Time{})
	switch {
	case err == nil:
		t.Fatal("fetch with a wrong secret: no error")
	case len(pages) != 0:
		t.Errorf("fetch with a wrong secret kept %d pages", len(pages))
	case strings.Contains(err.Error(), "M5e1c2e3t4") || strings.Contains(err.Error(), url.QueryEscape(ftSecret)):
		t.Errorf("error shows the secret: %v", err)
	case !strings.Contains(err.Error(), "token exchange") || !strings.Contains(err.Error(), "invalid_client"):
		t.Errorf("error %q: want the token exchange and the server's reason named", err)
	}

	none := s.config(srv)
	none.ClientSecret = ""
	if _, err := fetchFT(t, none, time.Time{}); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("fetch without a secret: %v, want ErrNoCredentials", err)
	}
}

// TestBearerTransportOnlyToTheAPI: the token goes to the API's host and
// scheme only, never to another host (a redirect the fetcher follows).
func TestBearerTransportOnlyToTheAPI(t *testing.T) {
	var got []string
	var mu sync.Mutex
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Host+" "+r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Range", "offres 0-0/1")
	})
	api, other := httptest.NewServer(h), httptest.NewServer(h)
	defer api.Close()
	defer other.Close()
	apiURL, _ := url.Parse(api.URL)
	tr := newBearerTransport(apiURL, staticToken("tok"), func(err error) error { return err })
	client := &http.Client{Transport: tr}
	for _, u := range []string{api.URL + "/x?range=0-0", other.URL + "/x?range=0-0"} {
		resp, err := client.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	want := []string{strings.TrimPrefix(api.URL, "http://") + " Bearer tok", strings.TrimPrefix(other.URL, "http://") + " "}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hosts and Authorization (-want +got):\n%s", diff)
	}
	if cr := tr.contentRange("range=0-0"); cr != "offres 0-0/1" {
		t.Errorf("Content-Range noted %q", cr)
	}
}

// TestFranceTravailPageCap: max_pages ends the fetch without an error.
func TestFranceTravailPageCap(t *testing.T) {
	s, srv := newFTServer(t, 600, false)
	cfg := s.config(srv)
	cfg.MaxPages = 2
	pages, err := fetchFT(t, cfg, time.Time{})
	if err != nil || len(pages) != 2 {
		t.Errorf("%d pages, err %v: want 2 and no error", len(pages), err)
	}
}

func TestFranceTravailConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(*FranceTravailConfig)
		want string // in the error; "" for none
	}{
		{name: "defaults", set: func(*FranceTravailConfig) {}},
		{name: "disabled, anything goes", set: func(c *FranceTravailConfig) { c.Enabled, c.URL = false, "x" }},
		{name: "criteria", set: func(c *FranceTravailConfig) {
			c.Departements, c.Query, c.PublishedSinceDays = []string{"75", "2A", "971"}, "codeROME=M1805&typeContrat=CDI", 7
		}},
		{name: "url", set: func(c *FranceTravailConfig) { c.URL = "ftp://x" }, want: "sources.francetravail.url"},
		{name: "token url", set: func(c *FranceTravailConfig) { c.TokenURL = "https://user:pw@x/token" }, want: "sources.francetravail.token_url"},
		{name: "departement", set: func(c *FranceTravailConfig) { c.Departements = []string{"7"} }, want: "sources.francetravail.departements"},
		{name: "range in the query", set: func(c *FranceTravailConfig) { c.Query = "range=0-9" }, want: "sources.francetravail.query"},
		{name: "bad query", set: func(c *FranceTravailConfig) { c.Query = "a=%zz" }, want: "sources.francetravail.query"},
		{name: "published since", set: func(c *FranceTravailConfig) { c.PublishedSinceDays = 2 }, want: "sources.francetravail.published_since_days"},
		{name: "max pages", set: func(c *FranceTravailConfig) { c.MaxPages = 0 }, want: "sources.francetravail.max_pages"},
		{name: "scope", set: func(c *FranceTravailConfig) { c.Scope = "a\nb" }, want: "sources.francetravail.scope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultFranceTravailConfig()
			c.ClientID, c.ClientSecret = ftClientID, ftSecret
			tc.set(&c)
			err := c.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("error %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want one naming %s", err, tc.want)
			case err != nil && strings.Contains(err.Error(), "M5e1c2e3t4"):
				t.Errorf("error shows the secret: %v", err)
			}
		})
	}
}
