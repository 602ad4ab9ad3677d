package site

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// bench10kSeed fills a warehouse with 100,000 postings over 10,000 roles, 37
// locations and 5 seniority levels.
const bench10kSeed = `
INSERT INTO runs (id, started_at, finished_at, status) VALUES
  ('20261129T010000Z-b10k', '2026-11-29 01:00:00Z', '2026-11-29 01:05:00Z', 'ok');
INSERT INTO run_sources (run_id, source, status, postings) VALUES ('20261129T010000Z-b10k', 'remotive', 'ok', 100000);
INSERT INTO postings (id, source, source_id, title, role, seniority, location_text, company,
                      first_seen_run, last_seen_run, first_seen_at, last_seen_at, lake_key)
SELECT md5('b10k' || i)::uuid, 'remotive', i::text, 'Role ' || (i % 10000), 'Role ' || (i % 10000),
       (ARRAY['', 'Junior', 'Senior', 'Lead', 'Principal'])[1 + (i * 7) % 5],
       'Location ' || ((i * 13) % 37), 'Company ' || (i % 997),
       '20261129T010000Z-b10k', '20261129T010000Z-b10k', '2026-11-29 01:00:00Z', '2026-11-29 01:00:00Z',
       'raw/source=remotive/page-1.json'
FROM generate_series(1, 100000) AS i;
ANALYZE postings;
`

// bench10kContent is a home page and one templated page per role, each with
// two queries (split by role: one scan each for all pages), a chart and a
// 10-row table: what Hugo's side of the comparison
// (/work/shared/bench/hugo_10k.sh) builds from 10,000 Markdown files.
var bench10kContent = map[string]string{
	"index.md": testPage(`title: Roles
queries:
  roles: SELECT role, count(*) AS postings FROM postings GROUP BY role ORDER BY postings DESC, role LIMIT 20
`, "# Roles\n\n```table\nquery: roles\nlink:\n  role: /roles/[role]/\n```\n"),
	"roles/[role].md": testPage(`title: "{role}"
description: "{postings} postings for {role}"
pages: roles
queries:
  roles: SELECT role, count(*) AS postings FROM postings GROUP BY role
  seniority:
    by: role
    sql: SELECT role, seniority, count(*) AS postings FROM postings GROUP BY 1, 2 ORDER BY 1, 2
  locations:
    by: role
    sql: |
      SELECT role, location, offers FROM (
        SELECT role, location_text AS location, count(*) AS offers,
               row_number() OVER (PARTITION BY role ORDER BY count(*) DESC, location_text) AS n
        FROM postings GROUP BY 1, 2) AS l
      WHERE n <= 10 ORDER BY role, n
`, `## Where and how senior

This role had postings in several places; the chart shows them by seniority.

`+"```chart\ntype: bar\nquery: seniority\nx: seniority\ny: postings\ntitle: By seniority\n```\n\n"+
		"```table\nquery: locations\ncolumns: [location, offers]\ntitle: Top locations\n```\n"),
}

// BenchmarkBuild10kPages builds 10,000 templated role pages and a home page
// from the warehouse. Hold it against Hugo building 10,000 comparable
// Markdown pages (/work/shared/bench/hugo_10k.sh, run beside it): the target
// is no slower than Hugo, and at most 300 MB of memory.
func BenchmarkBuild10kPages(b *testing.B) {
	pool := pgtest.New(b)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, bench10kSeed); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	content := filepath.Join(dir, "content")
	writeTree(b, content, bench10kContent)
	cfg := testConfig(b)
	cfg.Content = content
	testenv.ResetPeakRSS()
	var res BuildResult
	for b.Loop() {
		var err error
		if res, err = Build(ctx, pool, cfg, nil); err != nil {
			b.Fatal(err)
		}
	}
	if res.Pages != 10_001 {
		b.Fatalf("built %d pages, want 10,001", res.Pages)
	}
	b.ReportMetric(float64(res.Pages)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(float64(testenv.PeakRSS())/1e6, "peak-RSS-MB")
	b.ReportMetric(float64(res.Files), "files")
	index, err := os.ReadFile(filepath.Join(res.Out, searchFile))
	if err != nil {
		b.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write(index); err != nil || zw.Close() != nil {
		b.Fatalf("gzip %s: %v", searchFile, err)
	}
	b.ReportMetric(float64(len(index)), "search-bytes")
	b.ReportMetric(float64(gz.Len()), "search-gzip-bytes")
	b.Logf("%d files, %d bytes; stages %v", res.Files, res.Bytes, res.Stages)
}
