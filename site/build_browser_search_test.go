package site

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// searchContent is a site whose pages give the search index aliases,
// weights, entries of their own and words that stand for one another (see
// build_search.go), from SQL VALUES: roles, places and skills as templated
// pages, companies as entries of the companies page, one with a hostile
// name and one with a name of 300 letters.
var searchContent = map[string]string{
	"index.md": testPage("title: Overview\ndescription: Which jobs are in demand.\n", "# Overview\n"),
	"roles/index.md": testPage(`title: Roles
description: Every role.
search: same
queries:
  same: SELECT 'engineer|developer|entwickler' AS same
`, "# Roles\n"),
	"roles/[role].md":      searchPage("role", "Open postings for {role}.", searchRoles),
	"locations/index.md":   testPage("title: Locations\n", "# Locations\n"),
	"locations/[place].md": searchPage("place", "", searchPlaces),
	"skills/index.md":      testPage("title: Skills\n", "# Skills\n"),
	"skills/[skill].md":    searchPage("skill", "", searchSkills),
	"companies.md": testPage(`title: Companies
description: Who hires.
search: found
queries:
  found: |
    SELECT name, aliases, weight, note FROM (VALUES
      ('Acme Corp', 'acme corporation', 12, '12 openings, mostly Data Analyst'),
      ('Usability Labs', NULL, 500, NULL),
      ('<img src=x onerror=window.__pwned=1> Jobs', NULL, 3, '<b onmouseover=window.__pwned=1>3 openings</b>'),
      (repeat('Long', 75) || ' Inc', repeat('long', 75), 1, NULL),
      ('', NULL, 9, NULL)) AS c (name, aliases, weight, note)
`, "# Companies\n"),
}

// searchPage is a templated page of searchContent, one page per row of
// values (name, aliases, weight), whose search query found gives each page
// its aliases and weight.
func searchPage(param, description, values string) string {
	from := "FROM (VALUES " + values + ") AS v (" + param + ", aliases, weight)"
	front := `title: "{` + param + `}"` + "\n"
	if description != "" {
		front += "description: " + strconv.Quote(description) + "\n"
	}
	return testPage(front+"pages: "+param+"s\nsearch: found\nqueries:\n"+
		"  "+param+"s: SELECT "+param+" "+from+"\n"+
		"  found:\n    by: "+param+"\n    sql: SELECT "+param+", aliases, weight "+from+"\n", "# A "+param+"\n")
}

// The roles, places and skills of searchContent, as SQL VALUES of name,
// aliases and weight.
const (
	searchRoles = `('Frontend Engineer', 'react|frontendentwickler|web', 10), ('Fullstack Engineer', 'full stack|backend', 50), ` +
		`('Data Analyst', NULL, 30)`
	searchPlaces = `('United States', 'usa|us|united states of america', 100), ('Germany', 'deutschland|de', 40), ` +
		`('Worldwide', NULL, 70)`
	searchSkills = `('Go', 'golang|go lang', 5), ('Kubernetes', 'k8s', 7), ('Django', NULL, 100), ` +
		`('Google Cloud', 'gcp', 60), ('React', NULL, 20)`
)

// TestSearchIndexOfQueries checks search.json of searchContent: the aliases and
// weights of templated pages, the companies page's entries (the one without
// a name left out, the long name cut, notes kept as text), the groups of
// words, and no description for templated pages.
func TestSearchIndexOfQueries(t *testing.T) {
	pool := pgtest.New(t)
	dir := t.TempDir()
	writeTree(t, dir, searchContent)
	cfg := testConfig(t)
	cfg.Content = dir
	if _, err := Build(context.Background(), pool, cfg, nil); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(cfg.Out, searchFile))
	if err != nil {
		t.Fatal(err)
	}
	var idx searchIndexJSON
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatalf("%s: %v", searchFile, err)
	}
	long := strings.Repeat("Long", 50) + "…"
	want := searchIndexJSON{
		Same: [][]string{{"engineer", "developer", "entwickler"}},
		Pages: []searchEntry{
			{Title: "Overview", URL: "./", Description: "Which jobs are in demand."},
			{Title: "<img src=x onerror=window.__pwned=1> Jobs", URL: "companies/", Section: "Companies", Weight: 3,
				Note: "<b onmouseover=window.__pwned=1>3 openings</b>"},
			{Title: "Acme Corp", URL: "companies/", Section: "Companies", Aliases: []string{"acme corporation"}, Weight: 12,
				Note: "12 openings, mostly Data Analyst"},
			{Title: "Companies", URL: "companies/", Description: "Who hires."},
			{Title: long, URL: "companies/", Section: "Companies", Weight: 1},
			{Title: "Usability Labs", URL: "companies/", Section: "Companies", Weight: 500},
			{Title: "Data", URL: "data/", Description: "Every chart and table of the report as CSV and JSON files, and a feed of what changed each night."},
			{Title: "Locations", URL: "locations/"},
			{Title: "Germany", URL: "locations/germany/", Section: "Locations", Aliases: []string{"deutschland", "de"}, Weight: 40},
			{Title: "United States", URL: "locations/united-states/", Section: "Locations", Aliases: []string{"usa", "us", "united states of america"}, Weight: 100},
			{Title: "Worldwide", URL: "locations/worldwide/", Section: "Locations", Weight: 70},
			{Title: "Roles", URL: "roles/", Description: "Every role."},
			{Title: "Data Analyst", URL: "roles/data-analyst/", Section: "Roles", Weight: 30},
			{Title: "Frontend Engineer", URL: "roles/frontend-engineer/", Section: "Roles", Aliases: []string{"react", "frontendentwickler", "web"}, Weight: 10},
			{Title: "Fullstack Engineer", URL: "roles/fullstack-engineer/", Section: "Roles", Aliases: []string{"full stack", "backend"}, Weight: 50},
			{Title: "Skills", URL: "skills/"},
			{Title: "Django", URL: "skills/django/", Section: "Skills", Weight: 100},
			{Title: "Go", URL: "skills/go/", Section: "Skills", Aliases: []string{"golang", "go lang"}, Weight: 5},
			{Title: "Google Cloud", URL: "skills/google-cloud/", Section: "Skills", Aliases: []string{"gcp"}, Weight: 60},
			{Title: "Kubernetes", URL: "skills/kubernetes/", Section: "Skills", Aliases: []string{"k8s"}, Weight: 7},
			{Title: "React", URL: "skills/react/", Section: "Skills", Weight: 20},
		},
	}
	if diff := cmp.Diff(want, idx); diff != "" {
		t.Errorf("%s (-want +got):\n%s", searchFile, diff)
	}
}

// TestBrowserSearchRanks checks in headless Chromium how the search box
// ranks what it finds (see rank in site.js): the name typed whole, then an
// alias typed whole, then names whose words start with the words typed
// (and the words that stand for them), then aliases that do, then names
// holding the text; within each, the greater weight first. A hostile
// company name stays text.
func TestBrowserSearchRanks(t *testing.T) {
	browserCtx := browser(t)
	pool := pgtest.New(t)
	dir := t.TempDir()
	writeTree(t, dir, searchContent)
	cfg := testConfig(t)
	cfg.Content = dir
	if _, err := Build(context.Background(), pool, cfg, nil); err != nil {
		t.Fatal(err)
	}
	ctx, w, _ := openPath(t, browserCtx, cfg.Out, "skills/go/")
	const found = `(() => {
		const list = document.getElementById('site-search-results');
		return list && !list.hidden ? [...list.querySelectorAll('li')].map(li => li.textContent).join(' | ') : '';
	})()`
	for _, c := range []struct{ typed, want string }{
		// An alias typed whole before a name that starts with it, whatever
		// its weight.
		{"usa", "United StatesLocations | Usability LabsCompanies"},
		{"Deutschland", "GermanyLocations"},
		{"DE", "GermanyLocations | Overview"}, // then a word of a description
		{"golang", "GoSkills"},
		{"k8s", "KubernetesSkills"},
		// The name, then names that start with it; text inside names (and
		// aliases) from three letters on.
		{"go", "GoSkills | Google CloudSkills"},
		{"ang", "DjangoSkills | GoSkills"},
		// "developer" stands for engineer, and "entwickler" too: a name
		// whose words start with the words typed, then one whose aliases
		// give the rest.
		{"frontend developer", "Frontend EngineerRoles"},
		{"web developer", "Frontend EngineerRoles"},
		{"backend dev", "Fullstack EngineerRoles"},
		{"entwickler", "Fullstack EngineerRoles | Frontend EngineerRoles"},
		// An alias typed whole after the name typed whole: React the skill
		// is named so.
		{"react", "ReactSkills | Frontend EngineerRoles"},
		{"acme", "Acme CorpCompanies12 openings, mostly Data Analyst"},
		{"acme corporation", "Acme CorpCompanies12 openings, mostly Data Analyst"},
		{"img onerror", "<img src=x onerror=window.__pwned=1> JobsCompanies<b onmouseover=window.__pwned=1>3 openings</b>"},
		{"longlong", strings.Repeat("Long", 50) + "…Companies"},
		{"nothing like it", "No page matches"},
	} {
		err := chromedp.Do(ctx, chromedp.Steps(
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := chromedp.Evaluate[bool](`document.getElementById('site-search-q').value = ''; true`)(ctx, tg)
				return err
			}),
			chromedp.SendKeys("#site-search-q", c.typed),
		))
		if err != nil {
			t.Fatalf("type %q: %v (console: %q)", c.typed, err, w.All())
		}
		pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, err = chromedp.Poll[bool](found+` === `+jsString(c.want))(pctx, chromedp.FromContext(ctx).Target)
		cancel()
		if err != nil {
			got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](found))
			t.Errorf("typed %q: the results are %q, want %q", c.typed, got, c.want)
		}
	}
	st, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[
		document.querySelectorAll('#site-search-results img, #site-search-results script').length,
		window.__pwned === undefined ? 0 : 1]`))
	if err != nil || len(st) != 2 || st[0] != 0 || st[1] != 0 {
		t.Errorf("markup from a name in the results, or a payload ran: %v (%v)", st, err)
	}
	checkQuiet(t, ctx, w)
}
