package warehouse_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// TestOpenPostings checks the view open_postings: the postings the newest
// successful run of their source saw, so that a failed source keeps its
// postings open and a source fetched again closes what it no longer lists.
func TestOpenPostings(t *testing.T) {
	pool := pgtest.New(t)
	open := func() []string {
		return texts(t, pool, "SELECT source_id FROM open_postings ORDER BY source_id")
	}
	remoteok := func(id string, fp int) warehouse.SourceRun {
		return warehouse.SourceRun{Source: "remoteok", Status: warehouse.SourceOK, Pages: 1, Postings: 1,
			LakeKeys: []string{"raw/source=remoteok/date=2026-11-28/run=" + id + "/api.json"}}
	}

	// Run 1: remotive lists a and b.
	load(t, pool, testRun("20261128T012823Z-aaaa", t1), posting("a", "Go Developer", 1), posting("b", "Data Engineer", 2))
	if diff := cmp.Diff([]string{"a", "b"}, open()); diff != "" {
		t.Errorf("after run 1 (-want +got):\n%s", diff)
	}

	// Run 2: remotive lists only a; remoteok lists c.
	run2 := testRun("20261129T012823Z-bbbb", t2)
	run2.Sources = append(run2.Sources, remoteok(run2.ID, 3))
	c := posting("c", "Product Designer", 3)
	c.Source = "remoteok"
	load(t, pool, run2, posting("a", "Go Developer", 1), c)
	if diff := cmp.Diff([]string{"a", "c"}, open()); diff != "" {
		t.Errorf("after run 2: b is closed (-want +got):\n%s", diff)
	}

	// Run 3: remotive fails; remoteok lists nothing any more.
	run3 := testRun("20261130T012823Z-cccc", t3)
	run3.Status = warehouse.RunPartial
	run3.Sources[0] = warehouse.SourceRun{Source: "remotive", Status: warehouse.SourceFailed, Error: "HTTP 503"}
	run3.Sources = append(run3.Sources, remoteok(run3.ID, 0))
	load(t, pool, run3)
	if diff := cmp.Diff([]string{"a"}, open()); diff != "" {
		t.Errorf("after run 3: a stays open while remotive fails, c is closed (-want +got):\n%s", diff)
	}
}
