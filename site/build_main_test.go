package site

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/internal/objstore/s3test"
	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/templates"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// update rewrites the golden files: go test ./site -run Golden -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

func TestMain(m *testing.M) { testenv.Main(m, pgtest.Stop, s3test.Stop) }

// stubECharts is a tiny stand-in for echarts.min.js, for tests that do not
// run the charts.
const stubECharts = "testdata/echarts-stub.min.js"

// realECharts returns the path of the bundle of ECharts that the binary
// carries (templates/echarts/echarts.min.js, made by go generate from the
// npm package), so that the browser tests draw with what the site ships;
// or ends the test with [testenv.Missing].
func realECharts(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "templates", filepath.FromSlash(templates.EChartsBundle)))
	if err == nil {
		_, err = os.Stat(p)
	}
	if err != nil {
		testenv.Missing(t, "ECharts: %v: run `npm ci --prefix templates && go generate ./templates`", err)
	}
	return p
}

// testPosting is a posting row for tests: only what the reports read.
type testPosting struct {
	Title    string
	Location string
}

// seedRun stores a finished run with one source and the given postings.
func seedRun(t *testing.T, pool *pgxpool.Pool, sample bool, postings []testPosting) {
	t.Helper()
	ctx := context.Background()
	started := time.Date(2026, 11, 29, 1, 28, 23, 0, time.UTC)
	_, err := pool.Exec(ctx, `INSERT INTO runs (id, started_at, finished_at, status, sample)
		VALUES ('20261129T012823Z-3f9a', $1, $2, 'ok', $3)`, started, started.Add(95*time.Second), sample)
	if err == nil {
		_, err = pool.Exec(ctx, `INSERT INTO run_sources (run_id, source, status, pages, postings)
			VALUES ('20261129T012823Z-3f9a', 'remotive', 'ok', 1, $1)`, len(postings))
	}
	for i, p := range postings {
		if err != nil {
			break
		}
		_, err = pool.Exec(ctx, `INSERT INTO postings (id, source, source_id, title, location_text,
			first_seen_run, last_seen_run, first_seen_at, last_seen_at, lake_key)
			VALUES (md5('remotive' || $1)::uuid, 'remotive', $1, $2, $3, '20261129T012823Z-3f9a',
				'20261129T012823Z-3f9a', $4, $4, 'raw/k')`,
			fmt.Sprint(i+1), p.Title, p.Location, started)
	}
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
}

// testConfig is a build configuration writing into a fresh temporary folder.
func testConfig(t testing.TB) BuildConfig {
	t.Helper()
	cfg := DefaultBuildConfig()
	cfg.Out = filepath.Join(t.TempDir(), "public")
	cfg.ECharts = stubECharts
	return cfg
}

// readTree reads every file under dir, by slash-separated relative path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatalf("read %s: %v", dir, err)
	}
	return files
}

// writeTree writes files (slash-separated relative path -> content) under dir.
func writeTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// homeContent is a content folder like the embedded report's first home
// page: the top job titles and locations, each as a chart and a table, and
// the postings per title with links to a page per title. The engine's tests
// build it rather than the embedded content, which the report changes (the
// report has tests of its own in content/).
var homeContent = map[string]string{
	"index.md": `---
title: The job market
description: Which jobs are in demand and where.
nav: 1
queries:
  top_titles: top_titles.sql
  top_locations: top_locations.sql
---

# The job market

` + "```chart\ntype: hbar\nquery: top_titles\nx: Job title\ny: Postings\ntitle: Most demanded job titles\n```\n\n" +
		"```table\nquery: top_titles\ntitle: Postings per job title\n```\n\n" +
		"```chart\ntype: stacked\nquery: top_locations\nx: Location\ny: Postings\ntitle: Locations with the most offers\n```\n\n" +
		"```table\nquery: top_locations\ntitle: Postings per location\n```\n",
	"queries/top_titles.sql": `-- The 10 most demanded job titles: postings per title, ties broken by title.
SELECT title AS "Job title", count(*) AS "Postings"
FROM postings
GROUP BY title
ORDER BY count(*) DESC, title
LIMIT 10
`,
	"queries/top_locations.sql": `-- The 5 locations with the most offers, as the source writes them.
SELECT CASE WHEN btrim(location_text) = '' THEN 'Unspecified' ELSE location_text END AS "Location",
       count(*) AS "Postings"
FROM postings
GROUP BY 1
ORDER BY count(*) DESC, 1
LIMIT 5
`,
}

// homeConfig writes homeContent into a temporary folder and returns a build
// configuration that builds it.
func homeConfig(t *testing.T) BuildConfig {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, homeContent)
	cfg := testConfig(t)
	cfg.Content = dir
	return cfg
}
