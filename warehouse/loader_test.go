package warehouse_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// TestLoadDuplicates: one job seen twice in a run (on two sources, reposted
// under a new id, or the same record twice) is one posting with one listing
// per (source, id), and one sighting; the first listing gives the content.
func TestLoadDuplicates(t *testing.T) {
	run := testRun("20261128T012823Z-aaaa", t1)
	first := posting("1", "Go Engineer", 7)
	other := first
	other.Source, other.SourceID, other.URL, other.Title = "arbeitnow", "go-engineer-acme", "https://arbeitnow.com/x", "Go engineer"
	repost := first
	repost.SourceID, repost.URL = "99", "https://remotive.com/remote-jobs/99"
	again := first
	again.Title = "Go Engineer (again)"
	noFP1, noFP2 := posting("5", "Analyst", 0), posting("6", "Analyst", 0)
	noFP1.Fingerprint, noFP2.Fingerprint = "", "" // not normalized: one posting per listing
	odd := posting("8", "Odd", 0)
	odd.Fingerprint = "not hex at all" // a fingerprint of another form still identifies

	tests := []struct {
		name         string
		postings     []ingest.Posting
		wantStats    warehouse.LoadStats
		wantPostings []string // source, source_id of each posting
		wantListings int
	}{{
		name:         "two sources",
		postings:     []ingest.Posting{first, other},
		wantStats:    warehouse.LoadStats{Inserted: 1, Duplicates: 1, Sightings: 1},
		wantPostings: []string{"remotive 1"},
		wantListings: 2,
	}, {
		name:         "repost under a new id",
		postings:     []ingest.Posting{repost, first},
		wantStats:    warehouse.LoadStats{Inserted: 1, Duplicates: 1, Sightings: 1},
		wantPostings: []string{"remotive 99"},
		wantListings: 2,
	}, {
		name:         "same record twice",
		postings:     []ingest.Posting{first, again},
		wantStats:    warehouse.LoadStats{Inserted: 1, Duplicates: 1, Sightings: 1},
		wantPostings: []string{"remotive 1"},
		wantListings: 1,
	}, {
		name:         "no fingerprint",
		postings:     []ingest.Posting{noFP1, noFP2, noFP1},
		wantStats:    warehouse.LoadStats{Inserted: 2, Duplicates: 1, Sightings: 2},
		wantPostings: []string{"remotive 5", "remotive 6"},
		wantListings: 2,
	}, {
		name:         "fingerprint of another form",
		postings:     []ingest.Posting{odd, odd},
		wantStats:    warehouse.LoadStats{Inserted: 1, Duplicates: 1, Sightings: 1},
		wantPostings: []string{"remotive 8"},
		wantListings: 1,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pool := pgtest.New(t)
			stats := load(t, pool, run, tt.postings...)
			if diff := cmp.Diff(tt.wantStats, stats); diff != "" {
				t.Errorf("stats (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantPostings, texts(t, pool, "SELECT source || ' ' || source_id FROM postings ORDER BY 1")); diff != "" {
				t.Errorf("postings (-want +got):\n%s", diff)
			}
			if n := count(t, pool, "SELECT count(*) FROM listings"); n != tt.wantListings {
				t.Errorf("%d listings, want %d", n, tt.wantListings)
			}
			if n := count(t, pool, "SELECT count(*) FROM listings l JOIN postings p ON p.id = l.posting_id"); n != tt.wantListings {
				t.Errorf("%d listings point to a posting, want %d", n, tt.wantListings)
			}
			// Loading the same again changes nothing.
			stats = load(t, pool, run, tt.postings...)
			if stats.Inserted+stats.Updated+stats.Sightings != 0 {
				t.Errorf("second load: %+v", stats)
			}
		})
	}
}

// TestLoadManyPostings streams more postings than one segment holds, over
// three runs: new, all seen again with some changed, and an older run
// loaded last.
func TestLoadManyPostings(t *testing.T) {
	const n = 25_000
	mk := func(i int, title string) ingest.Posting {
		p := posting(fmt.Sprint(i), title, i+1)
		p.DescriptionText = fmt.Sprintf("Job %d. %s", i, title)
		return p
	}
	gen := func(change func(i int) string) func(func(ingest.Posting, error) bool) {
		return func(yield func(ingest.Posting, error) bool) {
			for i := range n {
				if !yield(mk(i, change(i)), nil) {
					return
				}
			}
		}
	}
	same := func(int) string { return "Engineer" }
	changed := func(i int) string {
		if i%10 == 0 {
			return "Senior Engineer"
		}
		return "Engineer"
	}
	ctx := context.Background()
	pool := pgtest.New(t)
	loadSeq := func(run warehouse.Run, postings func(func(ingest.Posting, error) bool)) warehouse.LoadStats {
		t.Helper()
		l, err := warehouse.BeginLoad(ctx, pool, run)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Rollback(ctx)
		if err := l.Copy(ctx, postings); err != nil {
			t.Fatal(err)
		}
		stats, err := l.Commit(ctx, run, nil)
		if err != nil {
			t.Fatal(err)
		}
		return stats
	}
	r0, r1, r2 := testRun("20261127T012823Z-0000", t1.Add(-24*time.Hour)), testRun("20261128T012823Z-aaaa", t1), testRun("20261129T012823Z-bbbb", t2)
	steps := []struct {
		name      string
		run       warehouse.Run
		change    func(int) string
		wantStats warehouse.LoadStats
	}{
		{"new", r1, same, warehouse.LoadStats{Inserted: n, Sightings: n}},
		{"seen again, a tenth changed", r2, changed, warehouse.LoadStats{Updated: n / 10, Unchanged: n - n/10, Sightings: n}},
		{"older run", r0, same, warehouse.LoadStats{Unchanged: n, Sightings: n}},
		{"older run again", r0, same, warehouse.LoadStats{Unchanged: n}},
	}
	for _, s := range steps {
		if diff := cmp.Diff(s.wantStats, loadSeq(s.run, gen(s.change))); diff != "" {
			t.Errorf("%s: stats (-want +got):\n%s", s.name, diff)
		}
	}
	for q, want := range map[string]int{
		"SELECT count(*) FROM postings":  n,
		"SELECT count(*) FROM listings":  n,
		"SELECT count(*) FROM sightings": 3 * n,
		"SELECT count(*) FROM postings WHERE first_seen_run = '" + r0.ID + "' AND last_seen_run = '" + r2.ID + "'":   n,
		"SELECT count(*) FROM listings WHERE first_seen_run = '" + r0.ID + "' AND last_seen_run = '" + r2.ID + "'":   n,
		"SELECT count(*) FROM postings WHERE title = 'Senior Engineer'":                                              n / 10,
		"SELECT count(*) FROM postings WHERE lake_key <> 'raw/source=remotive/date=2026-11-28/run=r/page-0001.json'": 0,
	} {
		if got := count(t, pool, q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}
}

// TestLoadConcurrent runs loads of overlapping runs at once: the advisory
// lock serialises them, and the result is as if they ran one by one.
func TestLoadConcurrent(t *testing.T) {
	pool := pgtest.New(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			start := t1.Add(time.Duration(i) * time.Hour)
			run := testRun(warehouse.NewRunID(start), start)
			var postings []ingest.Posting
			for j := range 200 {
				postings = append(postings, posting(fmt.Sprint(j+i*50), "Engineer", j+i*50))
			}
			_, errs[i] = warehouse.Load(context.Background(), pool, run, postings)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("load %d: %v", i, err)
		}
	}
	for q, want := range map[string]int{
		"SELECT count(*) FROM postings":  350,
		"SELECT count(*) FROM listings":  350,
		"SELECT count(*) FROM sightings": 800,
		"SELECT count(*) FROM runs":      4,
	} {
		if got := count(t, pool, q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}
}
