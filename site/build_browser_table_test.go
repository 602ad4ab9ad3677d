package site

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// tablePage has one table of 61 rows, among them text a spreadsheet would
// take for a formula and text that is markup.
const tablePage = `---
title: Items
queries:
  items: |
    SELECT 'item ' || i AS name, (i * 37) % 101 AS n FROM generate_series(1, 60) AS i
    UNION ALL SELECT '=cmd|'' /C calc''!A0 <img src=x onerror=alert(1)>', 1000
---

` + "```table\nquery: items\n```\n"

// TestBrowserTables checks in headless Chromium that a table pages its rows,
// sorts by a column both ways, filters as one types, and that its Download
// links save its query's data files: CSV (with formula-like text defused)
// and JSON.
func TestBrowserTables(t *testing.T) {
	browserCtx := browser(t)
	pool := pgtest.New(t)
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"index.md": tablePage})
	cfg := testConfig(t)
	cfg.Content = dir
	if _, err := Build(context.Background(), pool, cfg, nil); err != nil {
		t.Fatal(err)
	}
	downloads := t.TempDir()
	ctx, w := openSite(t, browserCtx, cfg.Out)
	if _, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads}); err != nil {
		t.Fatal(err)
	}
	// state describes the table as a reader sees it.
	const state = `(() => {
		const rows = [...document.querySelectorAll('table tbody tr')];
		return rows.length + ' | ' + (rows[0] ? rows[0].cells[0].textContent + ' ' + rows[0].cells[1].textContent : '') +
			' | ' + document.querySelector('.table-status').textContent;
	})()`
	steps := []struct {
		name, do, want string
	}{
		{"load", ``, "25 | item 1 37 | Page 1 of 3, 61 rows"},
		{"next page", `document.querySelectorAll('.table-pages button')[1].click()`, "25 | item 26 53 | Page 2 of 3, 61 rows"},
		{"sort by n", `document.querySelectorAll('th button.sort')[1].click()`, "25 | item 41 2 | Page 1 of 3, 61 rows"},
		{"sort by n, descending", `document.querySelectorAll('th button.sort')[1].click()`,
			"25 | =cmd|' /C calc'!A0 <img src=x onerror=alert(1)> 1,000 | Page 1 of 3, 61 rows"},
		{"filter (the sort stays)", `(() => { const s = document.querySelector('.table-tools input[type=search]');
			s.value = 'ITEM 5'; s.dispatchEvent(new Event('input')); })()`, "11 | item 57 89 | 11 rows"},
	}
	for _, s := range steps {
		if s.do != "" {
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](s.do+"; true")); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](state))
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got != s.want {
			t.Errorf("%s: table shows %q, want %q", s.name, got, s.want)
		}
	}

	for _, d := range []struct{ button, file, want string }{
		{"CSV", "items.csv", "name,n\r\nitem 1,37\r\n"},
		{"JSON", "items.json", "[\n{\"name\":\"item 1\",\"n\":37},\n"},
	} {
		click := `[...document.querySelectorAll('.table-tools a.download')].find(b => b.textContent.startsWith('` + d.button + `')).click(); true`
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](click)); err != nil {
			t.Fatalf("download %s: %v", d.button, err)
		}
		path := filepath.Join(downloads, d.file)
		var body []byte
		for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
			if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
				body = b
				break
			}
		}
		if !strings.HasPrefix(string(body), d.want) {
			t.Errorf("%s download starts %q, want %q", d.button, firstBytes(body, 80), d.want)
		}
		if d.file == "items.csv" && !strings.Contains(string(body), "\r\n'=cmd|' /C calc'!A0 <img src=x onerror=alert(1)>,1000\r\n") {
			t.Errorf("CSV download does not defuse the formula-like text:\n%s", body)
		}
	}
	checkQuiet(t, ctx, w)
}

func firstBytes(b []byte, n int) string {
	return string(b[:min(n, len(b))])
}
