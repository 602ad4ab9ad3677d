package warehouse_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// TestReconcileViews checks the views of migration 0006 over four nights of
// one source: previous_postings (what the run before the latest saw),
// returned_postings (open again after being gone), and that the open
// postings of the run before, plus the new and the returned, less the gone,
// are the open postings now; then a night whose run fails, which run_days
// marks incomplete and which changes none of the counts.
func TestReconcileViews(t *testing.T) {
	pool := pgtest.New(t)
	ids := func(view string) []string {
		return texts(t, pool, "SELECT source_id FROM "+view+" ORDER BY source_id")
	}
	counts := func() string {
		return texts(t, pool, `SELECT (SELECT count(*) FROM previous_postings) || ' + ' ||
			(SELECT count(*) FROM new_postings) || ' + ' || (SELECT count(*) FROM returned_postings) || ' - ' ||
			(SELECT count(*) FROM gone_postings) || ' = ' || (SELECT count(*) FROM open_postings)`)[0]
	}
	a, b, c, d := posting("a", "Go Developer", 1), posting("b", "Data Engineer", 2),
		posting("c", "Product Designer", 3), posting("d", "Sales Manager", 4)

	load(t, pool, testRun("20261128T012823Z-aaaa", t1), a, b, c)
	if got := ids("previous_postings"); len(got) != 0 {
		t.Errorf("after one run, previous postings %v: there is no run before", got)
	}
	// Night 2: c is not listed.
	load(t, pool, testRun("20261129T012823Z-bbbb", t2), a, b)
	// Night 3: c is listed again, b is gone, d is new.
	load(t, pool, testRun("20261130T012823Z-cccc", t3), a, c, d)
	for _, v := range []struct{ view, want string }{
		{"previous_postings", "[a b]"}, {"new_postings", "[d]"}, {"returned_postings", "[c]"},
		{"gone_postings", "[b]"}, {"open_postings", "[a c d]"},
	} {
		if got := fmt.Sprint(ids(v.view)); got != v.want {
			t.Errorf("after night 3, %s = %s, want %s", v.view, got, v.want)
		}
	}
	if got := counts(); got != "2 + 1 + 1 - 1 = 3" {
		t.Errorf("after night 3: %s, want 2 + 1 + 1 - 1 = 3", got)
	}

	// Night 4: the source fails. Nothing is compared anew, and the day is
	// incomplete.
	t4 := t3.Add(24 * time.Hour)
	failed := testRun("20261201T012823Z-dddd", t4)
	failed.Status = warehouse.RunPartial
	failed.Sources[0] = warehouse.SourceRun{Source: "remotive", Status: warehouse.SourceFailed, Error: "HTTP 503"}
	load(t, pool, failed)
	if got := counts(); got != "2 + 1 + 1 - 1 = 3" {
		t.Errorf("after a failed night: %s, want the counts of night 3", got)
	}
	days := texts(t, pool, `SELECT day || ' ' || run_id || ' ' || complete || ' ' || days_in_week FROM run_days ORDER BY day`)
	want := []string{
		"2026-11-28 20261128T012823Z-aaaa true 2", // Saturday and Sunday of ISO week 48
		"2026-11-29 20261129T012823Z-bbbb true 2",
		"2026-11-30 20261130T012823Z-cccc true 2", // Monday and Tuesday of week 49
		"2026-12-01 20261201T012823Z-dddd false 2",
	}
	if diff := cmp.Diff(want, days); diff != "" {
		t.Errorf("run_days (-want +got):\n%s", diff)
	}
}

// TestRoleDemand checks the view role_demand: one competition rank per
// count (tied roles share it, the next skips), and none for a role with
// fewer than 5 open postings.
func TestRoleDemand(t *testing.T) {
	pool := pgtest.New(t)
	run := testRun("20261128T012823Z-aaaa", t1)
	n := 0
	var all []ingest.Posting
	for role, count := range map[string]int{"Backend Engineer": 7, "Data Engineer": 6, "DevOps Engineer": 6, "Sales": 5, "Designer": 2} {
		for range count {
			n++
			p := posting(fmt.Sprint(n), role, n)
			p.Role = role
			all = append(all, p)
		}
	}
	load(t, pool, run, all...)
	got := texts(t, pool, `SELECT role || ' ' || postings || ' ' || coalesce(rank::text, '-') || ' ' || ranked
		FROM role_demand ORDER BY postings DESC, role`)
	want := []string{"Backend Engineer 7 1 4", "Data Engineer 6 2 4", "DevOps Engineer 6 2 4", "Sales 5 4 4", "Designer 2 - 4"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("role_demand (-want +got):\n%s", diff)
	}
}
