package warehouse_test

import (
	"context"
	"iter"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/internal/jobdata"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// postingStream is a [warehouse.RunStream] of postings held in memory.
type postingStream struct {
	run      warehouse.Run
	postings []jobdata.Posting
	names    []jobdata.Name
}

func (s postingStream) Run() warehouse.Run        { return s.run }
func (s postingStream) Rejects() []jobdata.Reject { return nil }
func (s postingStream) Names() []jobdata.Name     { return s.names }
func (s postingStream) Postings(context.Context) iter.Seq2[jobdata.Posting, error] {
	return func(yield func(jobdata.Posting, error) bool) {
		for _, p := range s.postings {
			if !yield(p, nil) {
				return
			}
		}
	}
}

// TestLoadSearchNames checks that a load of a stream leaves search_names
// holding the names of the stream's normalizer, writing them anew when they
// differ (here: a row removed and a stale one added by hand) and not
// otherwise (see TestLoadTwiceChangesNothing).
func TestLoadSearchNames(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	read := func() []jobdata.Name {
		t.Helper()
		rows, err := pool.Query(ctx, `SELECT kind, value, alias FROM search_names
			ORDER BY kind COLLATE "C", value COLLATE "C", alias COLLATE "C"`)
		if err != nil {
			t.Fatal(err)
		}
		var out []jobdata.Name
		for rows.Next() {
			var n jobdata.Name
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
	want := []jobdata.Name{
		{Kind: "country", Value: "DE", Alias: "deutschland"},
		{Kind: "country", Value: "US", Alias: "usa"},
		{Kind: "role", Value: "Frontend Engineer", Alias: "react"},
		{Kind: "skill", Value: "Kubernetes", Alias: "k8s"},
	}
	load := func(run warehouse.Run) {
		t.Helper()
		s := postingStream{run: run, postings: []jobdata.Posting{posting("1", "Go Engineer", 1)}, names: want}
		if _, _, err := warehouse.LoadStream(ctx, pool, s); err != nil {
			t.Fatal(err)
		}
	}
	load(testRun("20261128T012823Z-aaaa", t1))
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

// TestLoadKeepsSearchNames checks that a load of postings held in memory,
// which come with no names, leaves search_names as the last load of a
// stream wrote them.
func TestLoadKeepsSearchNames(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	names := []jobdata.Name{{Kind: "skill", Value: "Go", Alias: "golang"}}
	s := postingStream{run: testRun("20261128T012823Z-aaaa", t1), names: names,
		postings: []jobdata.Posting{posting("1", "Go Engineer", 1)}}
	if _, _, err := warehouse.LoadStream(ctx, pool, s); err != nil {
		t.Fatal(err)
	}
	if _, err := warehouse.Load(ctx, pool, testRun("20261129T012823Z-bbbb", t2), []jobdata.Posting{posting("2", "Go Engineer", 2)}); err != nil {
		t.Fatal(err)
	}
	if got := texts(t, pool, "SELECT kind || ' ' || value || ' ' || alias FROM search_names"); !cmp.Equal(got, []string{"skill Go golang"}) {
		t.Errorf("search_names after a load in memory: %q, want the stream's", got)
	}
}
