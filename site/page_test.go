package site

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestPageURL(t *testing.T) {
	tests := []struct {
		name, file, url, out string
	}{
		{name: "home", file: "index.md", url: "/", out: "index.html"},
		{name: "page", file: "about.md", url: "/about/", out: "about/index.html"},
		{name: "folder index", file: "jobs/index.md", url: "/jobs/", out: "jobs/index.html"},
		{name: "nested", file: "jobs/remote.md", url: "/jobs/remote/", out: "jobs/remote/index.html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url, out := pageURL(tt.file)
			if diff := cmp.Diff([]string{tt.url, tt.out}, []string{url, out}); diff != "" {
				t.Errorf("pageURL(%q) (-want +got):\n%s", tt.file, diff)
			}
		})
	}
}

func TestSplitFrontMatter(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		fm, body string
		bodyLine int
		err      string
	}{
		{name: "plain", src: "---\ntitle: T\n---\nHello\n", fm: "title: T\n", body: "Hello\n", bodyLine: 4},
		{name: "CRLF and BOM", src: "\ufeff---\r\ntitle: T\r\n---\r\nHello", fm: "title: T\r\n", body: "Hello", bodyLine: 4},
		{name: "empty body", src: "---\ntitle: T\n---", fm: "title: T\n", body: "", bodyLine: 4},
		{name: "dashes in YAML", src: "---\na: |\n  ----\n---\nx", fm: "a: |\n  ----\n", body: "x", bodyLine: 5},
		{name: "missing", src: "# Title\n", err: "front matter missing"},
		{name: "not closed", src: "---\ntitle: T\n", err: "front matter not closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm, body, line, err := splitFrontMatter([]byte(tt.src))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := []any{string(fm), string(body), line}
			if diff := cmp.Diff([]any{tt.fm, tt.body, tt.bodyLine}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoadPages checks what is known before any query runs: URLs, queries
// from files and inline, blocks and their lines.
func TestLoadPages(t *testing.T) {
	fsys := fstest.MapFS{
		"index.md": {Data: []byte("---\ntitle: Home\nnav: 2\nqueries:\n  b: SELECT 2 AS n\n  a: a.sql\n---\n\n" +
			"```table\nquery: a\n```\n\nText.\n\n```chart\ntype: hbar\nquery: b\nx: n\ny: [n]\n```\n")},
		"about.md":        {Data: []byte("---\ntitle: About\nnav: 1\n---\n")},
		"notes/x.md":      {Data: []byte("---\ntitle: X\n---\n")},
		"queries/a.sql":   {Data: []byte("SELECT 1 AS n\n")},
		"queries/skip.md": {Data: []byte("not a page")},
		".hidden/y.md":    {Data: []byte("not a page")},
		"readme.txt":      {Data: []byte("not a page")},
	}
	pages, err := loadPages(fsys, "content")
	if err != nil {
		t.Fatal(err)
	}
	type blockInfo struct {
		Kind, Query string
		Line        int
	}
	type pageInfo struct {
		File, URL, Out string
		Queries        []string
		Blocks         []blockInfo
	}
	var got []pageInfo
	for _, p := range pages {
		pi := pageInfo{File: p.file, URL: p.url, Out: p.out}
		for _, q := range p.queries {
			pi.Queries = append(pi.Queries, q.name+"="+q.sql+" @"+q.from)
		}
		for _, b := range p.blocks {
			bi := blockInfo{Kind: b.kind, Line: b.line}
			if b.chart != nil {
				bi.Query = b.chart.Query
			} else {
				bi.Query = b.table.Query
			}
			pi.Blocks = append(pi.Blocks, bi)
		}
		got = append(got, pi)
	}
	want := []pageInfo{
		{File: "content/about.md", URL: "/about/", Out: "about/index.html"},
		{File: "content/index.md", URL: "/", Out: "index.html",
			Queries: []string{"a=SELECT 1 AS n @content/queries/a.sql", "b=SELECT 2 AS n @inline"},
			Blocks:  []blockInfo{{Kind: "table", Query: "a", Line: 9}, {Kind: "chart", Query: "b", Line: 15}}},
		{File: "content/notes/x.md", URL: "/notes/x/", Out: "notes/x/index.html"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
	var nav []string
	for _, p := range navigation(pages) {
		nav = append(nav, p.meta.Title)
	}
	if diff := cmp.Diff([]string{"About", "Home"}, nav); diff != "" {
		t.Errorf("navigation (-want +got):\n%s", diff)
	}
}

func TestLoadPagesErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{name: "same URL", files: map[string]string{"index.md": "---\ntitle: T\n---\n", "a.md": "---\ntitle: A\n---\n",
			"a/index.md": "---\ntitle: B\n---\n"}, want: "site: content/a.md: same URL /a/ as content/a/index.md"},
		{name: "bad query name", files: map[string]string{"index.md": "---\ntitle: T\nqueries:\n  Top-Titles: SELECT 1\n---\n"},
			want: `site: content/index.md:4: query name "Top-Titles": use lower case letters, digits and _`},
		{name: "query file outside queries", files: map[string]string{"index.md": "---\ntitle: T\nqueries:\n  q: ../x.sql\n---\n"},
			want: `site: content/index.md:4: query q: bad file name "../x.sql"`},
		{name: "empty SQL", files: map[string]string{"index.md": "---\ntitle: T\nqueries:\n  q: \"  \"\n---\n"},
			want: "site: content/index.md:4: query q: empty SQL"},
		{name: "block without query", files: map[string]string{"index.md": "---\ntitle: T\n---\n```table\ncolumns: [a]\n```\n"},
			want: "site: content/index.md:4: table: query is missing"},
		{name: "chart without y", files: map[string]string{"index.md": "---\ntitle: T\n---\n```chart\ntype: bar\nx: a\n```\n"},
			want: "site: content/index.md:4: chart: y is missing"},
		{name: "chart without type", files: map[string]string{"index.md": "---\ntitle: T\n---\n```chart\nx: a\n```\n"},
			want: "site: content/index.md:4: chart: type is missing (one of area, bar, donut, hbar, heatmap, histogram, line, pie, scatter, stacked, treemap)"},
		{name: "bad YAML in a block", files: map[string]string{"index.md": "---\ntitle: T\n---\n\n```chart\ntype: bar\ny: {\n```\n"},
			want: "site: content/index.md:"},
		{name: "y of the wrong shape", files: map[string]string{"index.md": "---\ntitle: T\n---\n```chart\ntype: bar\nx: a\ny: {a: 1}\n```\n"},
			want: "site: content/index.md:7: chart: want a column name or a list of column names"},
		{name: "title of the wrong type", files: map[string]string{"index.md": "---\ntitle: [a, b]\n---\n"},
			want: "site: content/index.md:2: front matter: cannot unmarshal !!seq into string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, data := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			_, err := loadPages(fsys, "content")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v\nwant it to contain %q", err, tt.want)
			}
			var ce *ContentError
			if !errors.As(err, &ce) {
				t.Errorf("error %T is not a *ContentError", err)
			}
		})
	}
}

// FuzzLoadPage feeds arbitrary page files to the loader: it may reject them,
// always with a ContentError, and never panics.
func FuzzLoadPage(f *testing.F) {
	f.Add("---\ntitle: T\nqueries:\n  q: SELECT 1 AS a\n---\n```chart\ntype: bar\nquery: q\nx: a\ny: a\n```\n")
	f.Add("---\ntitle: T\n---\n```table\nquery: q\n```\n")
	f.Add("\ufeff---\r\ntitle: \"x\"\r\n---\r\n# Hi <b>there</b>\r\n")
	f.Add("---\n---\n")
	f.Add("---\ntitle: T\nqueries: [1, 2]\n---\n")
	f.Fuzz(func(t *testing.T, src string) {
		fsys := fstest.MapFS{"index.md": {Data: []byte(src)}}
		_, err := loadPages(fsys, "content")
		var ce *ContentError
		if err != nil && !errors.As(err, &ce) {
			t.Errorf("error %T %v is not a *ContentError", err, err)
		}
	})
}
