package warehouse_test

import (
	"context"
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
			p.Title, p.Tags, p.Description = "Go\x00 Engineer", []string{"g\x00o", "\x00"}, "a\x00b"
		},
		want: func(r *row) { r.Title, r.Tags, r.Description = "Go Engineer", []string{"go", ""}, "ab" },
	}, {
		name: "invalid UTF-8",
		in:   func(p *ingest.Posting) { p.Company, p.Location = "Ac\xffme", "\xc3(" },
		want: func(r *row) { r.Company, r.Location = "Ac\uFFFDme", "\uFFFD(" },
	}, {
		name: "1 MiB description",
		in:   func(p *ingest.Posting) { p.Description = huge },
		want: func(r *row) { r.Description = huge },
	}, {
		name: "1 MiB source id",
		in:   func(p *ingest.Posting) { p.SourceID = longID },
		want: func(r *row) { r.SourceID = warehouse.CleanKey(longID) },
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
			if _, err := pool.Exec(context.Background(), "TRUNCATE runs, run_sources, postings, sightings"); err != nil {
				t.Fatal(err)
			}
			run := testRun(warehouse.NewRunID(t1), t1)
			run.Sources[0].Error = tt.source
			p := posting("1", "Go Engineer")
			if tt.in != nil {
				tt.in(&p)
			}
			load(t, pool, run, p)
			w := want(posting("1", "Go Engineer"), run.ID, t1, run.ID, t1)
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
