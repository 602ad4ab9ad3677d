package warehouse_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/ingest/normalize"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// TestLoadSearchNames checks that a load leaves search_names holding the
// normalizer's names, writing them anew when they differ (here: a row
// removed and a stale one added by hand) and not otherwise (see
// TestLoadTwiceChangesNothing).
func TestLoadSearchNames(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	read := func() []normalize.Name {
		t.Helper()
		rows, err := pool.Query(ctx, `SELECT kind, value, alias FROM search_names
			ORDER BY kind COLLATE "C", value COLLATE "C", alias COLLATE "C"`)
		if err != nil {
			t.Fatal(err)
		}
		var out []normalize.Name
		for rows.Next() {
			var n normalize.Name
			if err := rows.Scan(&n.Kind, &n.Value, &n.Alias); err != nil {
				t.Fatal(err)
			}
			out = append(out, n)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got := read(); len(got) != 0 {
		t.Fatalf("before any load search_names holds %d rows", len(got))
	}
	load := func(run warehouse.Run) {
		t.Helper()
		if _, err := warehouse.Load(ctx, pool, run, []ingest.Posting{posting("1", "Go Engineer", 1)}); err != nil {
			t.Fatal(err)
		}
	}
	load(testRun("20261128T012823Z-aaaa", t1))
	want := normalize.Names()
	if diff := cmp.Diff(want, read()); diff != "" {
		t.Fatalf("search_names after a load (-want +got):\n%s", diff)
	}
	if _, err := pool.Exec(ctx, `DELETE FROM search_names WHERE kind = 'skill' AND alias = 'k8s';
		INSERT INTO search_names VALUES ('role', 'Gone Role', 'gone')`); err != nil {
		t.Fatal(err)
	}
	load(testRun("20261129T012823Z-bbbb", t2))
	if diff := cmp.Diff(want, read()); diff != "" {
		t.Errorf("search_names after a load over changed names (-want +got):\n%s", diff)
	}
}
