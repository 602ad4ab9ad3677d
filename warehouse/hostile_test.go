package warehouse_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// TestLoadHostileStrings loads text PostgreSQL cannot store as given (NUL
// bytes, invalid UTF-8), huge values and out-of-range times: the load
// succeeds and stores cleaned values.
func TestLoadHostileStrings(t *testing.T) {
	huge := strings.Repeat("é", 1<<19) // 1 MiB
	longID := strings.Repeat("9", 1<<20)
	tests := []struct {
		name   string
		in     func(*ingest.Posting)
		want   func(*row)
		source string // SourceRun.Error
	}{{
		name: "NUL bytes",
		in: func(p *ingest.Posting) {
			p.Title, p.Tags, p.DescriptionText = "Go\x00 Engineer", []string{"g\x00o", "\x00"}, "a\x00b"
			p.Skills, p.Location.Countries = []string{"\x00"}, []string{"U\x00S"}
		},
		want: func(r *row) {
			r.Title, r.Tags, r.DescriptionText = "Go Engineer", []string{"go", ""}, "ab"
			r.Skills, r.Countries = []string{""}, []string{"US"}
		},
	}, {
		name: "invalid UTF-8",
		in:   func(p *ingest.Posting) { p.Company, p.LocationText, p.Role = "Ac\xffme", "\xc3(", "\xffDev" },
		want: func(r *row) { r.Company, r.Location, r.Role = "Ac\uFFFDme", "\uFFFD(", "\uFFFDDev" },
	}, {
		name: "occupation code with NUL bytes and invalid UTF-8",
		in:   func(p *ingest.Posting) { p.OccupationCode = "rome:\x00D11\xff06" },
		want: func(r *row) { r.OccupationCode = new("rome:D11\uFFFD06") },
	}, {
		name: "occupation code of NUL bytes only: none",
		in:   func(p *ingest.Posting) { p.OccupationCode = "\x00\x00" },
		want: func(r *row) { r.OccupationCode = nil },
	}, {
		name: "1 MiB description",
		in:   func(p *ingest.Posting) { p.DescriptionText = huge },
		want: func(r *row) { r.DescriptionText = huge },
	}, {
		name: "1 MiB source id",
		in:   func(p *ingest.Posting) { p.SourceID = longID },
		want: func(r *row) { r.SourceID = warehouse.CleanKey(longID) },
	}, {
		name: "impossible salary figures",
		in:   func(p *ingest.Posting) { p.Salary.Min, p.Salary.AnnualMax = math.NaN(), math.Inf(1) },
		want: func(r *row) { r.SalaryMin, r.SalaryAnnualMax = nil, nil },
	}, {
		name: "publication time out of range",
		in:   func(p *ingest.Posting) { p.PublishedAt = time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC) },
		want: func(r *row) { r.PublishedAt = nil },
	}, {
		name:   "hostile source error",
		source: "HTTP 500: \x00\xfe" + huge,
		want:   func(*row) {},
	}}
	pool := pgtest.New(t)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := pool.Exec(context.Background(), "TRUNCATE runs, run_sources, rejects, postings, listings, run_sightings, run_tallies, week_tallies"); err != nil {
				t.Fatal(err)
			}
			run := testRun(warehouse.NewRunID(t1), t1)
			run.Sources[0].Error = tt.source
			p := posting("1", "Go Engineer", 1)
			if tt.in != nil {
				tt.in(&p)
			}
			load(t, pool, run, p)
			w := want(posting("1", "Go Engineer", 1), run.ID, t1, run.ID, t1)
			tt.want(&w)
			got := postingRows(t, pool)
			if len(got) != 1 {
				t.Fatalf("%d postings, want 1", len(got))
			}
			if diff := cmp.Diff(w, got[0]); diff != "" {
				if len(diff) > 2000 {
					diff = diff[:2000] + "..."
				}
				t.Errorf("posting %d (-want +got):\n%s", i, diff)
			}
			if len(got[0].SourceID) > 256 || !utf8.ValidString(got[0].SourceID) {
				t.Errorf("source id of %d bytes stored", len(got[0].SourceID))
			}
			last, err := warehouse.LastRun(context.Background(), pool)
			if err != nil {
				t.Fatal(err)
			}
			if e := last.Sources[0].Error; !utf8.ValidString(e) || strings.ContainsRune(e, 0) {
				t.Errorf("source error stored unclean: %q...", e[:min(len(e), 40)])
			}
		})
	}
}

func TestCleanKeyDistinct(t *testing.T) {
	a, b := strings.Repeat("x", 300)+"a", strings.Repeat("x", 300)+"b"
	ka, kb := warehouse.CleanKey(a), warehouse.CleanKey(b)
	if ka == kb || len(ka) > 256 || ka != warehouse.CleanKey(a) {
		t.Errorf("CleanKey: %q and %q (%d bytes)", ka, kb, len(ka))
	}
	// A cut never splits a rune.
	if k := warehouse.CleanKey(strings.Repeat("é", 200)); !utf8.ValidString(k) {
		t.Errorf("CleanKey split a rune: %q", k)
	}
}

// TestLoadEncodings checks values through the loader's own binary COPY
// encoding: salary figures as numeric, times on both sides of 1970 and 2000,
// arrays empty and not.
func TestLoadEncodings(t *testing.T) {
	pool := pgtest.New(t)
	tests := []struct {
		name      string
		amount    float64
		want      string // salary_min::text
		published time.Time
		skills    []string
	}{
		{name: "integer", amount: 100000, want: "100000", published: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)},
		{name: "hourly", amount: 45.5, want: "45.5", published: time.Date(1999, 12, 31, 23, 59, 59, 999999000, time.UTC)},
		{name: "fraction", amount: 0.25, want: "0.25", published: time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC)},
		{name: "small fraction", amount: 0.0001, want: "0.0001", published: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{name: "long fraction", amount: 31200.123456, want: "31200.123456", skills: []string{}},
		{name: "ten thousands", amount: 10000, want: "10000", skills: []string{"go", "", "日本語"}},
		{name: "big", amount: 123456789012.5, want: "123456789012.5", published: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)},
		{name: "digits across groups", amount: 12345.6789, want: "12345.6789"},
		{name: "nanoseconds are cut", amount: 1, want: "1", published: time.Date(2026, 1, 1, 0, 0, 0, 1999, time.UTC)},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := testRun(fmt.Sprintf("20261128T012823Z-%04d", i), t1)
			p := posting("1", "Go Engineer", i+1)
			p.Salary.Min, p.PublishedAt, p.Skills = tt.amount, tt.published, tt.skills
			load(t, pool, run, p)
			var got string
			var published *time.Time
			var skills []string
			err := pool.QueryRow(context.Background(), `SELECT salary_min::text, published_at, skills FROM postings
				WHERE id = $1::uuid`, p.Fingerprint).Scan(&got, &published, &skills)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("salary_min = %s, want %s", got, tt.want)
			}
			wantTime := tt.published.Truncate(time.Microsecond)
			if (published == nil) != tt.published.IsZero() || (published != nil && !published.Equal(wantTime)) {
				t.Errorf("published_at = %v, want %v", published, wantTime)
			}
			if diff := cmp.Diff(orEmpty(tt.skills), skills); diff != "" {
				t.Errorf("skills (-want +got):\n%s", diff)
			}
		})
	}
}
