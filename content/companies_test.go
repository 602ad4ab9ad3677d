package content_test

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/site"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// TestCompaniesAndOpenings loads one night of postings whose companies are
// spelt several ways and one of whose jobs is listed once per town, builds
// the embedded report and reads its figures of companies and places: each
// company counts once under one name ("SUMUP GMBH", "SumUp" and "Sumup Ltd."
// are SumUp; "Meta" and "Metabase" are two), and a job listed in three
// British towns counts three openings in the United Kingdom and for SumUp,
// while one listing naming Berlin and Paris counts once in each country and
// once in the total.
func TestCompaniesAndOpenings(t *testing.T) {
	echarts := installedECharts(t)
	pool := pgtest.New(t)
	ctx := context.Background()

	n := 0
	job := func(source, company, title, location string) ingest.Posting {
		n++
		p := ingest.Posting{Source: source, SourceID: fmt.Sprint(n), URL: fmt.Sprintf("https://example.org/jobs/%d", n),
			Title: title, Company: company, LocationText: location,
			LakeKey: "raw/source=" + source + "/date=2026-11-28/run=r/page-0001.json"}
		ingest.Normalize(&p)
		return p
	}
	postings := []ingest.Posting{
		job("arbeitnow", "SUMUP GMBH", "Field Sales Executive", "York, United Kingdom"),
		job("arbeitnow", "SUMUP GMBH", "Field Sales Executive", "Leeds, United Kingdom"),
		job("arbeitnow", "SUMUP GMBH", "Field Sales Executive", "Hull, United Kingdom"),
		job("remotive", "SumUp", "Backend Engineer", "Berlin, Germany"),
		job("remotive", "Sumup Ltd.", "Data Analyst", "London, United Kingdom"),
		job("remotive", "Acme GmbH", "Product Designer", "Berlin, Germany"),
		job("remotive", "ACME gmbh", "Technical Writer", "Paris, France"),
		job("arbeitnow", "Acme GmbH", "Product Manager", "Berlin, Germany; Paris, France"),
		job("remotive", "Meta", "Data Engineer", "USA"),
		job("remotive", "Metabase", "Data Engineer", "USA"),
		job("remotive", "Empresa Confidencial", "Sales Manager", "Madrid, Spain"),
		// The same job on a second source: one more listing, no more openings.
		job("remotive", "SumUp", "Field Sales Executive", "Leeds, United Kingdom"),
		// A fourth role of SumUp's, tied with two others at one opening:
		// the roles it hires most for keep the tie whole.
		job("remotive", "SumUp", "Technical Writer", "Lisbon, Portugal"),
	}
	started := time.Now().UTC().Add(-time.Hour)
	run := warehouse.Run{ID: warehouse.NewRunID(started), StartedAt: started, FinishedAt: started.Add(time.Minute),
		Status: warehouse.RunOK}
	for _, s := range []string{"arbeitnow", "remotive"} {
		run.Sources = append(run.Sources, warehouse.SourceRun{Source: s, Status: warehouse.SourceOK, Pages: 1,
			LakeKeys: []string{"raw/source=" + s + "/date=2026-11-28/run=r/page-0001.json"}})
	}
	if err := warehouse.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if _, err := warehouse.Load(ctx, pool, run, postings); err != nil {
		t.Fatalf("load: %v", err)
	}
	cfg := site.DefaultBuildConfig()
	cfg.Out = filepath.Join(t.TempDir(), "public")
	cfg.ECharts = echarts
	if _, err := site.Build(ctx, pool, cfg, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatalf("build: %v", err)
	}

	companies := readPage(t, cfg.Out, "companies/index.html")
	t.Run("companies", func(t *testing.T) {
		want := [][]any{
			{"SumUp", 6.0, 4.0, 50.0, "Sales (3), Backend Engineer (1), Data Analyst (1), Technical Writer (1)"},
			{"Acme", 3.0, 3.0, 25.0, "Product Manager (1), Technical Writer (1), UX/UI Designer (1)"},
			{"Meta", 1.0, 1.0, 8.3, "Data Engineer (1)"},
			{"Metabase", 1.0, 1.0, 8.3, "Data Engineer (1)"},
		}
		checkColumns(t, companies.table(t, "top"), []string{"Company", "Openings", "Postings", "Share %", "Hiring most for"}, want)
		for _, s := range []string{"4 companies have open postings, and 1 open postings name no company",
			"the 10 open postings (jobs) hold 12 openings"} {
			if !strings.Contains(companies.text(), s) {
				t.Errorf("companies page does not say %q", s)
			}
		}
	})
	t.Run("home", func(t *testing.T) {
		home := readPage(t, cfg.Out, "index.html")
		for _, s := range []string{"10 job offers are open from 4 companies", "the 10 open postings hold 12 openings"} {
			if !strings.Contains(home.text(), s) {
				t.Errorf("home page does not say %q", s)
			}
		}
	})
	t.Run("countries", func(t *testing.T) {
		want := [][]any{
			{"United Kingdom", 4.0, 2.0, 33.3}, // the sales job's 3 towns, and London
			{"Germany", 3.0, 3.0, 25.0},
			{"France", 2.0, 2.0, 16.7}, // the product manager counts in Germany and France
			{"United States", 2.0, 2.0, 16.7},
			{"Portugal", 1.0, 1.0, 8.3},
			{"Spain", 1.0, 1.0, 8.3},
		}
		got := readPage(t, cfg.Out, "locations/index.html").table(t, "countries")
		checkColumns(t, got, []string{"Country", "Openings", "Postings", "Share %"}, want)
	})
	t.Run("place", func(t *testing.T) {
		uk := readPage(t, cfg.Out, "locations/united-kingdom/index.html")
		checkColumns(t, uk.table(t, "companies"), []string{"Company", "Openings", "Postings"},
			[][]any{{"SumUp", 4.0, 2.0}})
		if s := "4 openings (33.3% of all), in 2 open postings from 1 companies"; !strings.Contains(uk.text(), s) {
			t.Errorf("United Kingdom page does not say %q", s)
		}
	})
}

// checkColumns compares the named columns of a table's rows with want.
func checkColumns(t *testing.T, got *tableData, columns []string, want [][]any) {
	t.Helper()
	var rows [][]any
	for _, r := range got.Rows {
		var row []any
		for _, c := range columns {
			row = append(row, r[got.col(t, c)])
		}
		rows = append(rows, row)
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("%v (-want +got):\n%s", columns, diff)
	}
}
