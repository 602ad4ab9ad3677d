package sample

import (
	"bytes"
	"io"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/ingest"
)

var day0 = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

// normalized parses body as Remotive's API and normalizes every posting, as
// a load does.
func normalized(t *testing.T, body []byte) []ingest.Posting {
	t.Helper()
	postings, rejects, err := ingest.ParseRemotive(body, "k")
	if err != nil || len(rejects) > 0 {
		t.Fatalf("ParseRemotive: %v, rejects %v", err, rejects)
	}
	for i := range postings {
		ingest.Normalize(&postings[i])
	}
	return postings
}

func TestRemotiveResponseParses(t *testing.T) {
	body := RemotiveResponse(day0, 200)
	if !bytes.Equal(body, RemotiveResponse(day0.Add(5*time.Hour), 200)) {
		t.Error("the same day gave different bytes")
	}
	postings := normalized(t, body)
	if len(postings) != 200 {
		t.Fatalf("got %d postings, want 200", len(postings))
	}
	next := normalized(t, RemotiveResponse(day0.AddDate(0, 0, 1), 200))
	seen := map[string]bool{}
	for _, p := range postings {
		seen[p.SourceID] = true
	}
	shared := 0
	for _, p := range next {
		if seen[p.SourceID] {
			shared++
		}
	}
	if shared == 0 || shared == len(next) {
		t.Errorf("consecutive days share %d of %d jobs; want some but not all", shared, len(next))
	}
}

// TestBoardHistory follows boards over 60 days: the number of open jobs stays
// within 10% of the size (exactly the size on a steady board), jobs appear
// and go every day, a job is the same on every day it is open, and a job that
// is gone never comes back.
func TestBoardHistory(t *testing.T) {
	tests := []struct {
		name      string
		board     Board
		wantDiffs bool // some day has more new jobs than gone ones, or fewer
	}{
		{name: "steady", board: Board{Size: 200, Steady: true}},
		{name: "varying", board: Board{Size: 400}, wantDiffs: true},
		{name: "large", board: Board{Size: 2000}, wantDiffs: true},
		{name: "tiny", board: Board{Size: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := tt.board.Size
			open := map[int]Job{}
			gone := map[int]bool{}
			diffs := 0
			for i := range 60 {
				day := day0.AddDate(0, 0, i)
				jobs := tt.board.Jobs(day)
				if d := len(jobs) - n; d > n/10 || d < -n/10 || (tt.board.Steady && d != 0) {
					t.Fatalf("%s: %d jobs open, want %d ± 10%%", day.Format(time.DateOnly), len(jobs), n)
				}
				today := map[int]Job{}
				added := 0
				for _, j := range jobs {
					if _, dup := today[j.ID]; dup {
						t.Fatalf("%s: job %d listed twice", day.Format(time.DateOnly), j.ID)
					}
					today[j.ID] = j
					switch prev, ok := open[j.ID]; {
					case gone[j.ID]:
						t.Fatalf("%s: job %d is back after it was gone", day.Format(time.DateOnly), j.ID)
					case ok:
						if !reflect.DeepEqual(prev, j) {
							t.Fatalf("%s: job %d changed (-before +after):\n%s", day.Format(time.DateOnly), j.ID, cmp.Diff(prev, j))
						}
					default:
						added++
					}
				}
				removed := 0
				for id := range open {
					if _, ok := today[id]; !ok {
						gone[id] = true
						removed++
					}
				}
				if i > 0 && n >= 16 && (added == 0 || removed == 0) {
					t.Errorf("%s: %d jobs new and %d gone, want some of each", day.Format(time.DateOnly), added, removed)
				}
				if i > 0 && added != removed {
					diffs++
				}
				open = today
			}
			if tt.wantDiffs != (diffs > 0) {
				t.Errorf("%d days of 59 had as many new jobs as gone ones; want differences: %v", 59-diffs, tt.wantDiffs)
			}
			if tt.board.Steady && !bytes.Equal(tt.board.RemotiveResponse(day0), RemotiveResponse(day0, n)) {
				t.Error("Board{Steady: true} and RemotiveResponse differ")
			}
		})
	}
}

// TestRoleDrift checks that, as package normalize reads the titles, some
// roles clearly rise and others fall over two weeks, from any day.
func TestRoleDrift(t *testing.T) {
	board := Board{Size: 4000}
	shares := func(day time.Time) map[string]float64 {
		postings := normalized(t, board.RemotiveResponse(day))
		s := map[string]float64{}
		for _, p := range postings {
			s[p.Role] += 1 / float64(len(postings))
		}
		return s
	}
	tests := []struct {
		name string
		from time.Time
	}{
		{name: "late 2026", from: day0},
		{name: "early 2027", from: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)},
		{name: "mid 2027", from: time.Date(2027, 6, 15, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, after := shares(tt.from), shares(tt.from.AddDate(0, 0, 14))
			var rising, falling []string
			for role, b := range before {
				switch a := after[role]; {
				case b >= 0.02 && a >= 1.4*b:
					rising = append(rising, role)
				case b >= 0.02 && a <= b/1.4:
					falling = append(falling, role)
				}
			}
			if len(rising) < 2 || len(falling) < 2 {
				t.Errorf("over two weeks, rising roles %q, falling roles %q: want at least two of each\nbefore %v\nafter %v",
					rising, falling, before, after)
			}
		})
	}
}

// TestNormalized checks that package normalize understands every generated
// field, so that the report's role, location, salary and skill pages all
// have content, and that every company says it is a sample.
func TestNormalized(t *testing.T) {
	wantRole := map[string]string{}
	for _, r := range roles {
		wantRole[r.title] = r.norm
	}
	countries, regions, skills := map[string]bool{}, map[string]bool{}, map[string]bool{}
	stated, annual := 0, 0
	for _, p := range normalized(t, Board{Size: 3000}.RemotiveResponse(day0)) {
		title := p.Title
		for _, s := range seniorities {
			if s.prefix != "" && strings.HasPrefix(title, s.prefix) {
				title = strings.TrimPrefix(title, s.prefix)
				if p.Seniority == "" {
					t.Errorf("%q: no seniority", p.Title)
				}
			}
		}
		if p.Role != wantRole[title] {
			t.Errorf("%q: role %q, want %q", p.Title, p.Role, wantRole[title])
		}
		if p.Location.Scope == "" {
			t.Errorf("%q: no location scope", p.LocationText)
		}
		if !strings.HasSuffix(p.Company, " (sample)") {
			t.Errorf("company %q does not end in (sample)", p.Company)
		}
		if len(p.Skills) < 2 {
			t.Errorf("tags %q: skills %q, want two or more", p.Tags, p.Skills)
		}
		if p.SalaryText != "" {
			stated++
			if p.Salary.AnnualMin > 0 && p.Salary.AnnualMax >= p.Salary.AnnualMin {
				annual++
			} else {
				t.Errorf("salary %q: %+v, want an annual range", p.SalaryText, p.Salary)
			}
		}
		for _, c := range p.Location.Countries {
			countries[c] = true
		}
		for _, r := range p.Location.Regions {
			regions[r] = true
		}
		for _, s := range p.Skills {
			skills[s] = true
		}
	}
	if len(countries) < 15 || len(regions) < 5 || len(skills) < 50 || stated == 0 {
		t.Errorf("%d countries, %d regions, %d skills, %d salaries: want at least 15, 5, 50 and some",
			len(countries), len(regions), len(skills), stated)
	}
}

// TestHandler checks that a board's handler serves the day its clock says,
// and that the fixed-day Handler serves RemotiveResponse.
func TestHandler(t *testing.T) {
	var now atomic.Int64
	now.Store(day0.Unix())
	board := Board{Size: 50}
	srv := httptest.NewServer(board.Handler(func() time.Time { return time.Unix(now.Load(), 0) }))
	defer srv.Close()
	fixed := httptest.NewServer(Handler(day0, 50))
	defer fixed.Close()
	get := func(base string) []byte {
		t.Helper()
		resp, err := srv.Client().Get(base + "/api/remote-jobs")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "application/json" {
			t.Fatalf("GET %s: %d %q", base, resp.StatusCode, ct)
		}
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for i := range 3 {
		day := day0.AddDate(0, 0, i)
		now.Store(day.Add(2 * time.Hour).Unix())
		if !bytes.Equal(get(srv.URL), board.RemotiveResponse(day)) {
			t.Errorf("day %d: the handler does not serve that day's jobs", i)
		}
	}
	if !bytes.Equal(get(fixed.URL), RemotiveResponse(day0, 50)) {
		t.Error("Handler does not serve RemotiveResponse")
	}
}
