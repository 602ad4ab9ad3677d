package site

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// chartKindsPage draws every kind of chart from one query of generated rows.
const chartKindsPage = `---
title: Every chart
queries:
  grid: |
    SELECT r AS role, l AS location, (r_i * 7 + l_i * 3) % 11 + 1 AS postings, (r_i * 5 + l_i) % 7 AS remote,
           40000 + r_i * 9000 + l_i * 1000 AS salary
    FROM unnest(ARRAY['Backend Engineer', 'Data Analyst', 'Designer', '<b>x</b> & "y"', 'Senior Site Reliability Engineer, Platform']) WITH ORDINALITY AS a (r, r_i),
         unnest(ARRAY['Europe', 'USA', 'Worldwide', 'Germany', 'United Kingdom', 'Latin America', 'Asia-Pacific', 'Canada']) WITH ORDINALITY AS b (l, l_i)
  roles: SELECT role, sum(postings) AS postings, sum(remote) AS remote FROM (SELECT * FROM (VALUES
    ('Backend Engineer', 9, 3), ('Data Analyst', 5, 2), ('Designer', 2, 0), ('<b>x</b> & "y"', 1, 1)) AS v (role, postings, remote)) AS t
    GROUP BY role ORDER BY postings DESC
  days: SELECT to_char(d, 'YYYY-MM-DD') AS day, (extract(day FROM d)::int * 7) % 13 AS new, (extract(day FROM d)::int * 3) % 5 AS gone
    FROM generate_series('2026-11-01'::date, '2026-11-20'::date, '1 day') AS d
---
`

// staticKinds is how many of chartBlocks the server draws: bar, hbar, line
// and heatmap.
const staticKinds = 4

// chartBlocks are the blocks of chartKindsPage, one per kind.
var chartBlocks = []string{
	"type: bar\nquery: roles\nx: role\ny: postings",
	"type: hbar\nquery: roles\nx: role\ny: [postings, remote]",
	"type: stacked\nquery: roles\nx: role\ny: [postings, remote]",
	"type: line\nquery: days\nx: day\ny: [new, gone]",
	"type: area\nquery: days\nx: day\ny: [new, gone]",
	"type: pie\nquery: roles\nx: role\ny: postings",
	"type: donut\nquery: roles\nx: role\ny: postings",
	"type: treemap\nquery: roles\nx: role\ny: postings",
	"type: scatter\nquery: grid\nx: salary\ny: postings",
	"type: heatmap\nquery: grid\nx: location\ny: role\nvalue: postings",
	"type: histogram\nquery: grid\nx: salary\nbins: 6",
}

// TestBrowserChartKinds checks in headless Chromium that every kind of chart
// draws, with the real ECharts (loaded as the charts near the screen) or by
// the server, and nothing on the console.
// JOBPULSE_SCREENSHOT=file.png saves a screenshot.
func TestBrowserChartKinds(t *testing.T) {
	echarts := realECharts(t)
	browserCtx := browser(t)
	pool := pgtest.New(t)
	if len(chartBlocks) != len(chartKinds) {
		t.Fatalf("%d chart blocks for %d kinds: draw every kind", len(chartBlocks), len(chartKinds))
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"index.md": chartKindsContent()})
	cfg := testConfig(t)
	cfg.Content, cfg.ECharts = dir, echarts
	if _, err := Build(context.Background(), pool, cfg, nil); err != nil {
		t.Fatal(err)
	}
	ctx, w := openSite(t, browserCtx, cfg.Out)
	// Four kinds here, bar of one column, hbar and line of two and heatmap,
	// are drawn by the server; the rest by ECharts.
	static, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('figure .bars, figure .columns, figure .line-chart, figure .heat').length`))
	if err != nil || static != staticKinds {
		t.Errorf("%d charts drawn by the server, want %d (%v)", static, staticKinds, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](strings.Replace(chartsDrawn, "%d", strconv.Itoa(len(chartBlocks)-staticKinds), 1))); err != nil {
		t.Fatalf("charts not all drawn: %v (console: %q)", err, w.All())
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.scrollTo(0, 0), true`)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "")
	checkQuiet(t, ctx, w)
}
