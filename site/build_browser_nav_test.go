package site

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/site/browsertest"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// navContent is a site with a navigation, a section of templated pages
// (one with a hostile title), a page found only by its description, a
// chart whose bars link to the pages, and a table.
var navContent = map[string]string{
	"index.md": `---
title: Overview
description: Which jobs are in demand.
nav: 1
queries:
  roles: SELECT role AS "Role", n AS "Postings" FROM (VALUES ` + navRoles + `) AS r (role, n) ORDER BY n DESC, role
---

# Overview

` + "```chart\ntype: hbar\nquery: roles\nx: Role\ny: Postings\ntitle: Postings per role\nlink: /roles/[Role]/\n```\n",
	"roles/index.md": `---
title: Roles
description: Every role, ranked by postings.
nav: 2
queries:
  roles: SELECT role AS "Role", n AS "Postings" FROM (VALUES ` + navRoles + `) AS r (role, n) ORDER BY n DESC, role
---

# Roles

` + "```table\nquery: roles\nlink:\n  Role: /roles/[Role]/\n```\n\n" +
		"```chart\ntype: pie\nquery: roles\nx: Role\ny: Postings\ntitle: Share of postings\nlink: /roles/[Role]/\n```\n",
	"roles/[role].md": `---
title: "{role}"
description: "Open postings for {role}."
pages: roles
queries:
  roles: SELECT role FROM (VALUES ` + navRoles + `) AS r (role, n)
---

# A role
`,
	"method.md": `---
title: Method
description: How postings are counted, with notes for the analyst.
nav: 3
---

# Method
`,
}

// navRoles are the roles of navContent, as SQL VALUES.
const navRoles = `('Analytics Engineer', 4), ('Backend Engineer', 9), ('Data Analyst', 5), ` +
	`('Développeur Full Stack', 3), ('<img src=x onerror=alert(1)> Analyst', 1)`

// openPath serves the site in out under /reports/ and opens path (under
// it) in a new tab of browserCtx, watched, with a minute for the test.
func openPath(t *testing.T, browserCtx context.Context, out, path string) (context.Context, *browsertest.Watch, string) {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/reports/", http.StripPrefix("/reports", http.FileServer(http.Dir(out))))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	ctx, cancelTab := chromedp.NewContext(browserCtx)
	t.Cleanup(cancelTab)
	w := browsertest.WatchTab(ctx)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	t.Cleanup(cancel)
	base := srv.URL + "/reports/"
	if _, err := chromedp.Run(ctx, chromedp.Navigate(base+path)); err != nil {
		t.Fatal(err)
	}
	return ctx, w, base
}

// searchState describes the search box as a reader sees it: the titles of
// the results shown (none when the list is hidden), and the focused
// element's text.
const searchState = `(() => {
	const list = document.getElementById('site-search-results');
	const titles = list && !list.hidden ? [...list.querySelectorAll('.search-title, .search-none')].map(e => e.textContent) : [];
	const a = document.activeElement;
	return titles.join(' | ') + ' @ ' + (a.id === 'site-search-q' ? 'input' : a.textContent);
})()`

// TestBrowserSearch checks the search box in headless Chromium, on a site
// served under a prefix, from a page two folders down: typed words find
// pages by title (first) and description, without regard to case and
// accents (the description of a templated page is left out of the index:
// it is the same for all its pages); arrows move through the results, Escape closes them, Enter opens
// one; the page opened shows its place in the navigation and a breadcrumb.
// A hostile title stays text. JOBPULSE_SCREENSHOT=file.png saves
// screenshots at phone width (file-phone.png, file-phone-dark.png).
func TestBrowserSearch(t *testing.T) {
	browserCtx := browser(t)
	pool := pgtest.New(t)
	dir := t.TempDir()
	writeTree(t, dir, navContent)
	cfg := testConfig(t)
	cfg.Content = dir
	if _, err := Build(context.Background(), pool, cfg, nil); err != nil {
		t.Fatal(err)
	}
	ctx, w, base := openPath(t, browserCtx, cfg.Out, "roles/backend-engineer/")

	do := func(what string, a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, a); err != nil {
			t.Fatalf("%s: %v (console: %q)", what, err, w.All())
		}
	}
	typeIn := func(text string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := chromedp.Evaluate[bool](`document.getElementById('site-search-q').value = ''; true`)(ctx, tg)
				return err
			}),
			chromedp.SendKeys("#site-search-q", text),
		)
	}
	state := func(want string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			if _, err := chromedp.Poll[bool](searchState+` === `+jsString(want))(pctx, tg); err != nil {
				got, _ := chromedp.Evaluate[string](searchState)(ctx, tg)
				t.Errorf("search shows %q, want %q", got, want)
			}
			return nil
		})
	}
	const hostileTitle = "<img src=x onerror=alert(1)> Analyst"
	steps := []struct {
		name string
		do   chromedp.Action[chromedp.Void]
		want string
	}{
		{"accents and case", typeIn("DEVELOPPEUR"), "Développeur Full Stack @ input"},
		{"title first, then description", typeIn("analy"),
			"Analytics Engineer | Data Analyst | " + hostileTitle + " | Method @ input"},
		{"two words", typeIn("engineer  DATA"), "No page matches @ input"},
		{"words of title and description", typeIn("method notes"), "Method @ input"},
		{"back to many", typeIn("analy"),
			"Analytics Engineer | Data Analyst | " + hostileTitle + " | Method @ input"},
		{"arrow down", chromedp.KeyEvent(kb.ArrowDown),
			"Analytics Engineer | Data Analyst | " + hostileTitle + " | Method @ Analytics EngineerRoles"},
		{"arrow down again", chromedp.KeyEvent(kb.ArrowDown),
			"Analytics Engineer | Data Analyst | " + hostileTitle + " | Method @ Data AnalystRoles"},
		{"arrow up", chromedp.KeyEvent(kb.ArrowUp),
			"Analytics Engineer | Data Analyst | " + hostileTitle + " | Method @ Analytics EngineerRoles"},
		{"arrow up to the box", chromedp.KeyEvent(kb.ArrowUp),
			"Analytics Engineer | Data Analyst | " + hostileTitle + " | Method @ input"},
		{"escape closes", chromedp.KeyEvent(kb.Escape), " @ input"},
	}
	for _, s := range steps {
		do(s.name, chromedp.Steps(s.do, state(s.want)))
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#site-search-results img, #site-search-results script').length`)); err != nil || n != 0 {
		t.Errorf("the results hold %d elements of markup from a title (%v)", n, err)
	}

	// At phone width, with the results open, in both colour schemes.
	do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	do("results again", chromedp.Steps(typeIn("analy"), state(
		"Analytics Engineer | Data Analyst | "+hostileTitle+" | Method @ input")))
	for _, scheme := range []string{"light", "dark"} {
		do("emulate "+scheme, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
			return err
		}))
		suffix := "-phone"
		if scheme == "dark" {
			suffix += "-dark"
		}
		screenshot(t, ctx, suffix)
	}
	if fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
		`document.documentElement.scrollWidth <= window.innerWidth`)); err != nil || !fits {
		t.Errorf("at phone width the page is wider than the screen (%v)", err)
	}

	// Enter on a result opens it: its page shows where it is.
	do("open with Enter", chromedp.Steps(chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter)))
	do("wait for the page", waitFor(`location.pathname === '/reports/roles/data-analyst/' && document.readyState === 'complete'`))
	where, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[
		document.title,
		[...document.querySelectorAll('nav.breadcrumb li')].map(li => li.textContent).join(' › '),
		[...document.querySelectorAll('.site-nav a[aria-current]')].map(a => a.textContent + '=' + a.getAttribute('aria-current')).join(', '),
	]`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Data Analyst · jobpulse", "Home › Roles › Data Analyst", "Roles=true"}, where); diff != "" {
		t.Errorf("the page opened (-want +got):\n%s", diff)
	}

	// Enter in the box opens the first result.
	do("type and press Enter", chromedp.Steps(typeIn("method"), state("Method @ input"), chromedp.KeyEvent(kb.Enter)))
	do("wait for the method page", waitFor(`location.href === `+jsString(base+"method/")+` && document.readyState === 'complete'`))
	current, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.site-nav a[aria-current="page"]').textContent`))
	if err != nil || current != "Method" {
		t.Errorf("current navigation entry %q (%v), want Method", current, err)
	}
	checkQuiet(t, ctx, w)
}

// TestBrowserSQLLinks checks that each chart and table has its downloads
// and its SQL link in one bar, and that the SQL link opens the query's SQL.
func TestBrowserSQLLinks(t *testing.T) {
	echarts := realECharts(t)
	browserCtx := browser(t)
	pool := pgtest.New(t)
	dir := t.TempDir()
	writeTree(t, dir, navContent)
	cfg := testConfig(t)
	cfg.Content, cfg.ECharts = dir, echarts
	if _, err := Build(context.Background(), pool, cfg, nil); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, path, bar string
	}{
		{name: "table", path: "roles/", bar: ".table-block > .table-tools"},
		{name: "chart", path: "", bar: "figure.chart-block > .table-tools"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, w, _ := openPath(t, browserCtx, cfg.Out, tt.path)
			tools, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
				`[...document.querySelector(`+jsString(tt.bar)+`).children].filter(e => e.tagName !== 'INPUT').map(e => e.textContent)`))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"Download", "CSV of query roles", "JSON of query roles", "SQL of query roles"}, tools); diff != "" {
				t.Errorf("tools of the %s (-want +got):\n%s", tt.name, diff)
			}
			if err := chromedp.Do(ctx, chromedp.Click(tt.bar+" a.sql-link")); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](
				`location.hash === '#sql-roles' && document.getElementById('sql-roles').open`)); err != nil {
				t.Errorf("the SQL link did not open #sql-roles: %v", err)
			}
			sql, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#sql-roles pre').innerText`))
			if err != nil || !strings.HasPrefix(sql, `SELECT role AS "Role"`) {
				t.Errorf("SQL shown: %q (%v)", sql, err)
			}
			checkQuiet(t, ctx, w)
		})
	}
}

// waitFor waits until the JavaScript expression is true, through the
// navigation to another page (which ends a poll on the page before).
func waitFor(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for {
			ok, err := chromedp.Evaluate[bool](expr)(ctx, tg)
			switch {
			case err == nil && ok:
				return nil
			case ctx.Err() != nil:
				return fmt.Errorf("waiting for %s: %w (last: %v)", expr, ctx.Err(), err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// jsString quotes s as a JavaScript string.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}

// TestBrowserNoScript checks a page with scripts disabled: the search box,
// which cannot work, is not shown, and the links to the data files and the
// SQL still are.
func TestBrowserNoScript(t *testing.T) {
	browserCtx := browser(t)
	pool := pgtest.New(t)
	dir := t.TempDir()
	writeTree(t, dir, navContent)
	cfg := testConfig(t)
	cfg.Content = dir
	if _, err := Build(context.Background(), pool, cfg, nil); err != nil {
		t.Fatal(err)
	}
	ctx, w, base := openPath(t, browserCtx, cfg.Out, "roles/")
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"roles/")); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[
		getComputedStyle(document.querySelector('form.site-search')).display,
		[...document.querySelectorAll('.table-tools > *')].map(e => e.textContent + ' ' + e.getAttribute('href')).join(', '),
	]`))
	if err != nil {
		t.Fatal(err)
	}
	// The table's and the pie chart's tools: their links to the data files
	// and to the SQL, which need no script.
	tools := "Download null, CSV of query roles roles.csv, JSON of query roles roles.json, SQL of query roles #sql-roles"
	if diff := cmp.Diff([]string{"none", tools + ", " + tools}, got); diff != "" {
		t.Errorf("page without scripts (-want +got):\n%s", diff)
	}
	checkQuiet(t, ctx, w)
}

// TestBrowserChartLink follows the links of a chart whose categories link
// to pages, a hostile name included: the server draws its bars, with each
// label a link.
func TestBrowserChartLink(t *testing.T) {
	echarts := realECharts(t)
	browserCtx := browser(t)
	pool := pgtest.New(t)
	dir := t.TempDir()
	writeTree(t, dir, navContent)
	cfg := testConfig(t)
	cfg.Content, cfg.ECharts = dir, echarts
	if _, err := Build(context.Background(), pool, cfg, nil); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, path string }{
		{"Backend Engineer", "/reports/roles/backend-engineer/"},
		{"<img src=x onerror=alert(1)> Analyst", "/reports/roles/img-src-x-onerror-alert-1-analyst/"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			ctx, w, _ := openPath(t, browserCtx, cfg.Out, "")
			click := `[...document.querySelectorAll('.bars .bar-label a')].find(a => a.firstChild.textContent === ` + jsString(tt.name) + `).click(), true`
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](click)); err != nil {
				t.Fatalf("clicking %q: %v", tt.name, err)
			}
			if err := chromedp.Do(ctx, waitFor(`location.pathname === `+jsString(tt.path))); err != nil {
				t.Fatalf("clicking %q: %v", tt.name, err)
			}
			checkQuiet(t, ctx, w)
		})
	}
	// A pie chart is drawn by ECharts: a click on a slice opens its page.
	t.Run("echarts", func(t *testing.T) {
		ctx, w, _ := openPath(t, browserCtx, cfg.Out, "roles/")
		div := `document.querySelector('div.chart')`
		if err := chromedp.Do(ctx, waitFor(`(`+div+`.scrollIntoView(), !!window.echarts && !!echarts.getInstanceByDom(`+div+`))`)); err != nil {
			t.Fatal(err)
		}
		click := `echarts.getInstanceByDom(` + div + `).trigger('click', {name: 'Data Analyst'}), true`
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](click)); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, waitFor(`location.pathname === '/reports/roles/data-analyst/'`)); err != nil {
			t.Fatal(err)
		}
		checkQuiet(t, ctx, w)
	})
}
