package site

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// hostile are texts a job board could send to break out of the page.
var hostile = []string{
	`</script><script>alert(1)</script>`,
	`"onmouseover=alert(1)`,
	`javascript:alert(1)`,
	`{{.}}`,
	`<img src=x onerror=alert(1)>`,
	`' onclick='alert(1)`,
	`<!-- x`,
}

// hostilePostings gives every hostile text a posting as title and as
// location, each once, so all appear among the top titles and some among
// the top locations.
func hostilePostings() []testPosting {
	var ps []testPosting
	for i, h := range hostile {
		ps = append(ps, testPosting{Title: h, Location: hostile[len(hostile)-1-i]})
	}
	return ps
}

// TestBuildHostile builds a home page of charts and tables (homeContent)
// over postings with hostile titles and locations, and checks in the parsed
// output that they stay text: in tables, in chart JSON, in the data files
// and nowhere as markup, script or link.
func TestBuildHostile(t *testing.T) {
	pool := pgtest.New(t)
	seedRun(t, pool, false, hostilePostings())
	cfg := homeConfig(t)
	if _, err := Build(context.Background(), pool, cfg, nil); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(cfg.Out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}

	var (
		cells       []string // text of every table cell
		jsonStrings []string // every string in the chart options
		scripts     []string // src of every script with one
		jsonBlocks  int
	)
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("<%s> has event handler attribute %s=%q", n.Data, a.Key, a.Val)
			}
			if (a.Key == "href" || a.Key == "src") && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
				t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
			}
		}
		switch n.Data {
		case "img", "iframe", "object", "embed":
			t.Errorf("unexpected <%s> element: hostile markup got through", n.Data)
		case "td":
			cells = append(cells, nodeText(n))
		case "script":
			typ, src := attr(n, "type"), attr(n, "src")
			switch {
			case src != "" && typ == "" && nodeText(n) == "":
				scripts = append(scripts, src)
			case typ == "application/json" && src == "":
				if attr(n, "class") == "chart-data" {
					jsonBlocks++
				}
				body := nodeText(n)
				if strings.ContainsAny(body, "<>&") {
					t.Errorf("JSON data holds unescaped <, > or &: %s", body)
				}
				var opt any
				if err := json.Unmarshal([]byte(body), &opt); err != nil {
					t.Fatalf("JSON data %s: %v", attr(n, "id"), err)
				}
				jsonStrings = append(jsonStrings, allStrings(opt)...)
			default:
				t.Errorf("unexpected script element: type=%q src=%q text=%q", typ, src, nodeText(n))
			}
		}
	}
	if jsonBlocks != 1 { // the hbar chart is drawn by the server, the stacked chart by ECharts
		t.Errorf("%d chart JSON blocks, want 1", jsonBlocks)
	}
	for _, s := range scripts {
		if !strings.HasPrefix(s, "assets/") {
			t.Errorf("script from %q, want the site's own assets/", s)
		}
	}
	for _, s := range jsonStrings {
		if strings.Contains(s, "<") && !slices.Contains(hostile, s) {
			t.Errorf("chart JSON string %q is not one of the hostile texts", s)
		}
	}
	rows := dataRows(t, cfg.Out, "top_titles")
	for _, h := range hostile {
		if !slices.Contains(cells, h) {
			t.Errorf("%q is not a table cell's text", h)
		}
		if !slices.ContainsFunc(rows, func(r map[string]string) bool { return r["Job title"] == h }) {
			t.Errorf("%q is not a job title of the data files", h)
		}
	}
}

// attr returns the value of an attribute of n, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// nodeText returns the text inside n.
func nodeText(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

// allStrings returns every string in a decoded JSON value.
func allStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, allStrings(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range x {
			out = append(out, allStrings(e)...)
		}
		return out
	}
	return nil
}

// hostileLinksPage has a table whose titles link outside to the URLs of a
// column, most of them hostile, and SQL that tries to close its element.
const hostileLinksPage = `---
title: Links
queries:
  jobs: |
    -- </code></pre><script>alert(1)</script> & {{.}}
    SELECT t AS "Title", u AS url FROM (VALUES %s) AS v (i, t, u) ORDER BY i
---

` + "```table\nquery: jobs\ncolumns: [Title]\nlink:\n  Title: \"[url]\"\n```\n"

// TestBuildHostileLinks checks in the parsed output that a column of URLs
// from outside makes links only of http and https URLs, each
// rel="nofollow noopener" and opening in the same tab, that every other
// value stays text, and that the page's SQL reaches the reader as text.
func TestBuildHostileLinks(t *testing.T) {
	urls := []struct{ url, href string }{ // href: "" for a cell that stays text
		{"https://remotive.com/remote-jobs/software-dev/1", "https://remotive.com/remote-jobs/software-dev/1"},
		{"javascript:alert(1)", ""},
		{"JAVASCRIPT:alert(document.cookie)", ""},
		{" javascript:alert(1)", ""},
		{"java\tscript:alert(1)", ""},
		{"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", ""},
		{`https://example.com/"><script>alert(1)</script>`, "https://example.com/%22%3E%3Cscript%3Ealert%281%29%3C/script%3E"},
		{`https://example.com/?q=' onmouseover='alert(1)`, ""},
		{`https://example.com/?q='onmouseover='alert(1)`, "https://example.com/?q=%27onmouseover=%27alert%281%29"},
		{"https://exämple.com/ünï", "https://xn--exmple-cua.com/%C3%BCn%C3%AF"},
		{"https://example.com@evil.example/", ""},
		{"//evil.example/", ""},
		{"/roles/", ""},
		{"", ""},
	}
	var values []string
	for i, u := range urls {
		values = append(values, fmt.Sprintf("(%d, 'job %d', %s)", i, i, pgQuote(u.url)))
	}
	pool := pgtest.New(t)
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"index.md": fmt.Sprintf(hostileLinksPage, strings.Join(values, ", "))})
	cfg := testConfig(t)
	cfg.Content = dir
	if _, err := Build(context.Background(), pool, cfg, nil); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(cfg.Out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string // "text: href" of every title cell
	var sql []string       // the text of the SQL elements
	for i, u := range urls {
		want = append(want, fmt.Sprintf("job %d: %s", i, u.href))
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch {
		case n.Data == "td":
			href := ""
			for c := range n.Descendants() {
				if c.Type == html.ElementNode && c.Data == "a" {
					href = attr(c, "href")
					if attr(c, "rel") != "nofollow noopener" || attr(c, "target") != "" {
						t.Errorf("<a href=%q rel=%q target=%q>: want rel=\"nofollow noopener\" and no target",
							href, attr(c, "rel"), attr(c, "target"))
					}
				}
			}
			got = append(got, nodeText(n)+": "+href)
		case n.Data == "script" && attr(n, "src") == "" && attr(n, "type") != "application/json":
			t.Errorf("a script element: %q", nodeText(n))
		case n.Data == "code" && attr(n, "class") == "language-sql":
			sql = append(sql, nodeText(n))
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("title cells (-want +got):\n%s", diff)
	}
	wantSQL := "-- </code></pre><script>alert(1)</script> & {{.}}\nSELECT t AS \"Title\", u AS url FROM (VALUES " +
		strings.Join(values, ", ") + ") AS v (i, t, u) ORDER BY i"
	if diff := cmp.Diff([]string{wantSQL}, sql); diff != "" {
		t.Errorf("SQL shown (-want +got):\n%s", diff)
	}
}

// pgQuote quotes s as a PostgreSQL string constant.
func pgQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
