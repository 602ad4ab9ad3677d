package warehouse_test

import (
	"fmt"
	"strings"
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

// TestPostingNames checks posting_names (migration 0012), which the loader
// keeps: after a first load into an empty warehouse, after a night that
// adds postings and changes others (their company's spelling, role, skills
// and places), and after a night that changes nothing, it holds what
// counting every posting again gives, and the views that read it (companies,
// the report's lists) follow the changes.
func TestPostingNames(t *testing.T) {
	pool := pgtest.New(t)
	names := func() []string {
		return texts(t, pool, `SELECT kind || ' ' || key || ' ' || detail || ' ' || postings FROM posting_names ORDER BY 1`)
	}
	recounted := func() []string {
		return texts(t, pool, `SELECT kind || ' ' || key || ' ' || detail || ' ' || count(*)
			FROM posting_name_rows GROUP BY kind, key, detail ORDER BY 1`)
	}
	tallies := func(run string) []string {
		return texts(t, pool, `SELECT kind || ' ' || key || ' ' || n FROM run_tallies WHERE run_id = $1 ORDER BY 1`, run)
	}
	var last string
	check := func(when string) {
		t.Helper()
		if diff := cmp.Diff(recounted(), names()); diff != "" {
			t.Errorf("%s: posting_names against a count of every posting (-recounted +kept):\n%s", when, diff)
		}
		// The loader counted what the run saw as it streamed it: the same
		// as tally_run counts from the run's sightings.
		counted := tallies(last)
		if _, err := pool.Exec(t.Context(), `SELECT tally_run($1)`, last); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tallies(last), counted); diff != "" {
			t.Errorf("%s: run_tallies of %s against tally_run (-tally_run +loader):\n%s", when, last, diff)
		}
		if len(counted) < 5 {
			t.Errorf("%s: run_tallies of %s: %v, want the run's roles, skills and places", when, last, counted)
		}
	}
	a := listing("remotive", "a", "Go Developer", 1, "SUMUP GMBH")
	b := listing("remotive", "b", "Data Engineer", 2, "SUMUP GMBH")
	c := listing("remotive", "c", "Sales Manager", 3, "Acme Inc.")
	last = "20261128T012823Z-aaaa"
	load(t, pool, testRun(last, t1), a, b, c)
	check("after the first load")
	if got := texts(t, pool, `SELECT name FROM companies WHERE company_key = 'sumup'`); fmt.Sprint(got) != "[SUMUP]" {
		t.Errorf("after the first load, SumUp is named %v, want [SUMUP]", got)
	}

	// Night 2: a and b are spelled in mixed case; b becomes a product role
	// open worldwide with other skills; c is listed unchanged; d is new.
	a2 := listing("remotive", "a", "Go Developer", 1, "SumUp")
	b2 := listing("remotive", "b", "Product Manager", 2, "SumUp")
	b2.Role, b2.Skills, b2.Location.Scope, b2.Location.Countries = "Product Manager", []string{"jira"}, normalize.ScopeWorldwide, nil
	d := listing("remotive", "d", "Designer", 4, "Metabase")
	d.Role = "Product Designer"
	// A company's name is the outside's text: 20,000 bytes of it are
	// counted as any other (a B-tree row holds about 2,700).
	e := listing("remotive", "e", "Engineer", 5, strings.Repeat("Hostile Company ", 1250))
	last = "20261129T012823Z-bbbb"
	load(t, pool, testRun(last, t2), a2, b2, c, d, e)
	check("after a night that adds and changes postings")
	if got := texts(t, pool, `SELECT name FROM companies WHERE company_key = 'sumup'`); fmt.Sprint(got) != "[SumUp]" {
		t.Errorf("after night 2, SumUp is named %v, want [SumUp]", got)
	}
	for _, q := range []string{
		`SELECT count(*) FROM posting_names WHERE kind = 'company' AND detail = 'SUMUP'`,
		`SELECT count(*) FROM posting_names WHERE kind = 'role' AND key = 'Data Engineer'`,
	} {
		if n := count(t, pool, q); n != 0 {
			t.Errorf("after night 2, %s = %d, want 0: no posting gives it any more", q, n)
		}
	}
	if got := texts(t, pool, `SELECT key || ' ' || detail || ' ' || postings FROM posting_names WHERE kind = 'place' ORDER BY 1`); fmt.Sprint(got) != "[Canada country 4 United States country 4 Worldwide worldwide 1]" {
		t.Errorf("after night 2, places %v", got)
	}

	last = "20261130T012823Z-cccc"
	load(t, pool, testRun(last, t3), a2, b2, c, d, e)
	check("after a night that changes nothing")
}
