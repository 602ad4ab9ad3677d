package warehouse_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// primaryKeys lists the primary keys of postings and listings, with their
// columns.
func primaryKeys(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	return texts(t, pool, `SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid IN ('postings'::regclass, 'listings'::regclass) AND contype = 'p' ORDER BY 1`)
}

var wantKeys = []string{"listings_pkey PRIMARY KEY (source, source_id)", "postings_pkey PRIMARY KEY (id)"}

// TestLoadEmptyKeepsKeys: a load into an empty warehouse builds the primary
// keys of postings and listings at commit (see Loader.deferKeys); they are
// there after it, after a load that failed, and when a foreign key of
// another table keeps them from being dropped.
func TestLoadEmptyKeepsKeys(t *testing.T) {
	ctx := context.Background()
	run := testRun("20261128T012823Z-aaaa", t1)
	postings := []ingest.Posting{posting("1", "Go Engineer", 1), posting("2", "Data Analyst", 2)}
	tests := []struct {
		name  string
		setup string
		fail  bool
	}{
		{name: "first load"},
		{name: "failed first load", fail: true},
		{name: "key referenced by a foreign key",
			setup: `CREATE TABLE favourites (posting_id uuid REFERENCES postings (id))`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pool := pgtest.New(t)
			if tt.setup != "" {
				if _, err := pool.Exec(ctx, tt.setup); err != nil {
					t.Fatal(err)
				}
			}
			if tt.fail {
				boom := errors.New("page 7 unreadable")
				l, err := warehouse.BeginLoad(ctx, pool, run)
				if err != nil {
					t.Fatal(err)
				}
				err = l.Copy(ctx, func(yield func(ingest.Posting, error) bool) {
					if yield(postings[0], nil) {
						yield(ingest.Posting{}, boom)
					}
				})
				if !errors.Is(err, boom) {
					t.Fatalf("Copy = %v, want the iterator's error", err)
				}
				if err := l.Rollback(ctx); err != nil {
					t.Fatal(err)
				}
			} else {
				if got := load(t, pool, run, postings...); got.Inserted != 2 {
					t.Errorf("load: %+v, want 2 inserted", got)
				}
			}
			if diff := cmp.Diff(wantKeys, primaryKeys(t, pool)); diff != "" {
				t.Errorf("primary keys (-want +got):\n%s", diff)
			}
			// The keys hold: the same posting cannot be inserted twice.
			if !tt.fail {
				_, err := pool.Exec(ctx, `INSERT INTO postings SELECT * FROM postings LIMIT 1`)
				if err == nil {
					t.Error("a second row with the same id was accepted")
				}
			}
		})
	}
}
