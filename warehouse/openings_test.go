package warehouse_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/ingest/normalize"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// listing returns posting(id, title, fp) as source lists it, for company.
func listing(source, id, title string, fp int, company string) ingest.Posting {
	p := posting(id, title, fp)
	p.Source, p.Company = source, company
	p.CompanyName, p.CompanyKey = normalize.Company(company)
	return p
}

// TestOpenings checks open_postings.openings: a job a source lists once per
// town is one posting with one opening per open listing; the same job on
// two sources counts at the source with most listings, not at both; a
// listing no longer listed, or a source that failed, closes nothing more.
func TestOpenings(t *testing.T) {
	pool := pgtest.New(t)
	openings := func() []string {
		return texts(t, pool, `SELECT title || ' ' || openings FROM open_postings ORDER BY title`)
	}
	arbeitnow := func(id string, status string) warehouse.SourceRun {
		return warehouse.SourceRun{Source: "arbeitnow", Status: status, Pages: 1,
			LakeKeys: []string{"raw/source=arbeitnow/date=2026-11-28/run=" + id + "/page-0001.json"}}
	}

	// Run 1: remotive lists the Go developer and the data engineer;
	// arbeitnow lists the Go developer too, and the sales job in three towns.
	run1 := testRun("20261128T012823Z-aaaa", t1)
	run1.Sources = append(run1.Sources, arbeitnow(run1.ID, warehouse.SourceOK))
	goDev := listing("remotive", "a", "Go Developer", 1, "Acme Inc.")
	data := listing("remotive", "b", "Data Engineer", 2, "Acme Inc.")
	goDevArb := listing("arbeitnow", "go-developer-acme", "Go Developer", 1, "ACME")
	sales := func(town string) ingest.Posting {
		p := listing("arbeitnow", "sales-"+town, "Sales Manager", 3, "SumUp")
		p.LocationText = town + ", Germany"
		return p
	}
	load(t, pool, run1, goDev, data, goDevArb, sales("berlin"), sales("hamburg"), sales("munich"))
	want := []string{"Data Engineer 1", "Go Developer 1", "Sales Manager 3"}
	if diff := cmp.Diff(want, openings()); diff != "" {
		t.Errorf("after run 1 (-want +got):\n%s", diff)
	}
	if got := texts(t, pool, `SELECT count(*) || ' ' || sum(openings) FROM open_postings`); got[0] != "3 5" {
		t.Errorf("open postings and openings: %s, want 3 5", got[0])
	}

	// Run 2: arbeitnow lists the sales job in Berlin only.
	run2 := testRun("20261129T012823Z-bbbb", t2)
	run2.Sources = append(run2.Sources, arbeitnow(run2.ID, warehouse.SourceOK))
	load(t, pool, run2, goDev, data, goDevArb, sales("berlin"))
	want = []string{"Data Engineer 1", "Go Developer 1", "Sales Manager 1"}
	if diff := cmp.Diff(want, openings()); diff != "" {
		t.Errorf("after run 2: Hamburg and Munich are closed (-want +got):\n%s", diff)
	}

	// Run 3: arbeitnow fails: its listings stay open as run 2 saw them.
	run3 := testRun("20261130T012823Z-cccc", t3)
	run3.Status = warehouse.RunPartial
	run3.Sources = append(run3.Sources, arbeitnow(run3.ID, warehouse.SourceFailed))
	run3.Sources[1].Error = "HTTP 503"
	load(t, pool, run3, goDev, data)
	if diff := cmp.Diff(want, openings()); diff != "" {
		t.Errorf("after run 3 (-want +got):\n%s", diff)
	}
}

// TestCompaniesView checks the view companies: one row per company key,
// named by a spelling in mixed case before one in capitals, then by the
// spelling most postings give; no row for postings that name no company.
func TestCompaniesView(t *testing.T) {
	pool := pgtest.New(t)
	var ps []ingest.Posting
	for i, c := range []string{"SUMUP GMBH", "SUMUP GMBH", "SUMUP GMBH", "SumUp", "SumUp", "Sumup Ltd.",
		"ACME gmbh", "Acme GmbH", "Meta", "Metabase", "Empresa Confidencial", "", "NVISO"} {
		ps = append(ps, listing("remotive", string(rune('a'+i)), "Engineer", 100+i, c))
	}
	load(t, pool, testRun("20261128T012823Z-aaaa", t1), ps...)
	got := texts(t, pool, `SELECT company_key || ' = ' || name FROM companies ORDER BY company_key`)
	want := []string{"acme = Acme", "meta = Meta", "metabase = Metabase", "nviso = NVISO", "sumup = SumUp"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("companies (-want +got):\n%s", diff)
	}
	got = texts(t, pool, `SELECT company || ' | ' || company_name || ' | ' || company_key FROM postings WHERE company_key = 'sumup' ORDER BY source_id`)
	want = []string{"SUMUP GMBH | SUMUP | sumup", "SUMUP GMBH | SUMUP | sumup", "SUMUP GMBH | SUMUP | sumup",
		"SumUp | SumUp | sumup", "SumUp | SumUp | sumup", "Sumup Ltd. | Sumup | sumup"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("postings of SumUp (-want +got):\n%s", diff)
	}
}
