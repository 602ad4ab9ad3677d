package site

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// page builds a page file from front matter lines and a body.
func testPage(front, body string) string {
	return "---\n" + front + "---\n" + body
}

// TestBuildStrict checks that each kind of mistake in content fails the build
// with a message naming the file (and line), and that a failed build leaves
// the previous site as it was.
func TestBuildStrict(t *testing.T) {
	pool := pgtest.New(t)
	seedRun(t, pool, false, []testPosting{{Title: "Backend Engineer", Location: "Europe"}})

	const titles = "  titles: SELECT title, count(*) AS postings FROM postings GROUP BY title\n"
	chart := func(spec string) string { return "Intro.\n\n```chart\n" + spec + "```\n" }
	tests := []struct {
		name  string
		files map[string]string
		want  []string // substrings of the error; {dir} is the content folder
	}{
		{
			name:  "bad inline SQL",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n  broken: SELEC 1\n", "")},
			want:  []string{"{dir}/index.md:4: query broken (inline): ", `syntax error at or near "SELEC"`},
		},
		{
			name: "bad SQL in a query file",
			files: map[string]string{
				"index.md":      testPage("title: T\nqueries:\n  q: q.sql\n", ""),
				"queries/q.sql": "SELECT nope FROM postings",
			},
			want: []string{"{dir}/index.md:4: query q ({dir}/queries/q.sql): ", `column "nope" does not exist`},
		},
		{
			name:  "query file missing",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n  q: missing.sql\n", "")},
			want:  []string{"{dir}/index.md:4: query q: read {dir}/queries/missing.sql: "},
		},
		{
			name:  "report SQL cannot write",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n  w: DELETE FROM postings RETURNING title\n", "")},
			want:  []string{"{dir}/index.md:4: query w", "read-only transaction"},
		},
		{
			name:  "search query not declared",
			files: map[string]string{"index.md": testPage("title: T\nsearch: found\nqueries:\n"+titles, "")},
			want:  []string{"{dir}/index.md:1: front matter: search: query \"found\" is not declared (queries: titles)"},
		},
		{
			name:  "search by the pages query",
			files: map[string]string{"roles/[title].md": testPage("title: \"{title}\"\npages: titles\nsearch: titles\nqueries:\n"+titles, "")},
			want:  []string{"{dir}/roles/[title].md:1: front matter: search: \"titles\" is the pages query; name a query with by: title"},
		},
		{
			name:  "search column missing",
			files: map[string]string{"index.md": testPage("title: T\nsearch: titles\nqueries:\n"+titles, "")},
			want:  []string{"{dir}/index.md:1: search: query titles: no column name or same (columns: title, postings)"},
		},
		{
			name:  "search weight not a number",
			files: map[string]string{"index.md": testPage("title: T\nsearch: q\nqueries:\n  q: SELECT 'Acme' AS name, 'many' AS weight\n", "")},
			want:  []string{"{dir}/index.md:1: search: query q: column weight: want a number, got many"},
		},
		{
			name:  "chart x column missing",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n"+titles, chart("type: bar\nquery: titles\nx: nope\ny: postings\n"))},
			want:  []string{"{dir}/index.md:8: chart: ", `column "nope" is not in the result of query titles (columns: title, postings)`},
		},
		{
			name:  "chart y column missing",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n"+titles, chart("type: hbar\nquery: titles\nx: title\ny: [postings, nope]\n"))},
			want:  []string{"{dir}/index.md:8: chart: ", `column "nope"`},
		},
		{
			name:  "chart y not numeric",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n"+titles, chart("type: bar\nquery: titles\nx: postings\ny: title\n"))},
			want:  []string{"{dir}/index.md:8: chart: ", `column "title" of query titles is not numeric: row 1 holds "Backend Engineer"`},
		},
		{
			name:  "table column missing",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n"+titles, "```table\nquery: titles\ncolumns: [title, nope]\n```\n")},
			want:  []string{"{dir}/index.md:6: table: ", `column "nope" is not in the result of query titles`},
		},
		{
			name:  "query not declared",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n"+titles, chart("type: bar\nquery: other\nx: title\ny: postings\n"))},
			want:  []string{"{dir}/index.md:8: chart: ", `query "other" is not declared in the front matter (queries: titles)`},
		},
		{
			name:  "unknown chart type",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n"+titles, chart("type: doughnut\nquery: titles\nx: title\ny: postings\n"))},
			want:  []string{"{dir}/index.md:8: chart: ", `unknown type "doughnut" (one of area, bar, donut, hbar, heatmap, histogram, line, pie, scatter, stacked, treemap)`},
		},
		{
			name:  "unknown key in a chart",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n"+titles, chart("type: bar\nquery: titles\nx: title\ny: postings\ncolour: red\n"))},
			want:  []string{`{dir}/index.md:13: chart: unknown key "colour"`},
		},
		{
			name:  "unknown front matter key",
			files: map[string]string{"index.md": testPage("title: T\nlayout: wide\n", "")},
			want:  []string{`{dir}/index.md:3: front matter: unknown key "layout"`},
		},
		{
			name:  "no front matter",
			files: map[string]string{"index.md": "# Hello\n"},
			want:  []string{"{dir}/index.md:1: front matter missing"},
		},
		{
			name:  "no title",
			files: map[string]string{"index.md": testPage("description: D\n", "")},
			want:  []string{"{dir}/index.md:1: front matter: title is missing"},
		},
		{
			name: "error in another page",
			files: map[string]string{
				"index.md":     testPage("title: T\n", ""),
				"jobs/[id].md": testPage("title: T\n", ""),
			},
			want: []string{"{dir}/jobs/[id].md:1: front matter: pages is missing"},
		},
		{
			name: "templated page: the same value twice",
			files: map[string]string{
				"index.md": testPage("title: T\n", ""),
				"jobs/[title].md": testPage("title: T\npages: titles\nqueries:\n"+
					"  titles: SELECT * FROM (VALUES ('Go Dev'), ('go-dev'), ('Go Dev')) AS t (title)\n", ""),
			},
			want: []string{`{dir}/jobs/[title].md:5: pages query titles: rows 1 and 3 both have title "Go Dev"`},
		},
		{
			name: "templated page: no column for the parameter",
			files: map[string]string{
				"index.md":       testPage("title: T\n", ""),
				"jobs/[role].md": testPage("title: T\npages: titles\nqueries:\n"+titles, ""),
			},
			want: []string{`{dir}/jobs/[role].md:5: pages query titles has no column "role", the [role] of the file name (columns: title, postings)`},
		},
		{
			name: "templated page: unknown parameter",
			files: map[string]string{
				"index.md": testPage("title: T\n", ""),
				"jobs/[title].md": testPage("title: T\npages: titles\nqueries:\n"+titles+
					"  one: SELECT count(*) AS n FROM postings WHERE title = :titel AND title::text <> ':x'\n", ""),
			},
			want: []string{"{dir}/jobs/[title].md:6: query one (inline): :titel is not a parameter: the pages query's columns are title, postings"},
		},
		{
			name: "templated page: the URL of another page",
			files: map[string]string{
				"index.md":        testPage("title: T\n", ""),
				"jobs/about.md":   testPage("title: T\n", ""),
				"jobs/[title].md": testPage("title: T\npages: titles\nqueries:\n  titles: SELECT 'About' AS title\n", ""),
			},
			want: []string{"{dir}/jobs/about.md: makes /jobs/about/, the URL of {dir}/jobs/[title].md"},
		},
		{
			name: "link to a page the site does not have",
			files: map[string]string{
				"index.md": testPage("title: T\nqueries:\n"+titles, "```table\nquery: titles\nlink:\n  title: /jobs/[title]/\n```\n"),
			},
			want: []string{"{dir}/index.md:6: table: link title: row 1 links to /jobs/backend-engineer/, which is not a page of the site"},
		},
		{
			name: "link to a column the result lacks",
			files: map[string]string{
				"index.md": testPage("title: T\nqueries:\n"+titles, "```table\nquery: titles\nlink:\n  title: /jobs/[role]/\n```\n"),
			},
			want: []string{`{dir}/index.md:6: table: link title: column "role" is not in the result of query titles`},
		},
		{
			name: "link to a column of URLs the result lacks",
			files: map[string]string{
				"index.md": testPage("title: T\nqueries:\n"+titles, "```table\nquery: titles\nlink:\n  title: \"[url]\"\n```\n"),
			},
			want: []string{`{dir}/index.md:6: table: link title: column "url" is not in the result of query titles (columns: title, postings)`},
		},
		{
			name: "link outside from a column the result lacks",
			files: map[string]string{
				"index.md": testPage("title: T\nqueries:\n"+titles, "Intro.\n\n```table\nquery: titles\nlink:\n  Title: \"[title]\"\n```\n"),
			},
			want: []string{`{dir}/index.md:8: table: link: column "Title" is not in the result of query titles`},
		},
		{
			name: "link to an address that is neither a page nor a column",
			files: map[string]string{
				"index.md": testPage("title: T\nqueries:\n"+titles, "```table\nquery: titles\nlink:\n  title: \"https://example.com/[title]\"\n```\n"),
			},
			want: []string{`{dir}/index.md:6: table: link title: "https://example.com/[title]": want a page's URL from the site root, such as /roles/[role]/, or [column] for the web addresses in a column`},
		},
		{
			name: "chart link to a page the site does not have",
			files: map[string]string{
				"index.md": testPage("title: T\nqueries:\n"+titles, chart("type: bar\nquery: titles\nx: title\ny: postings\nlink: /jobs/[title]/\n")),
			},
			want: []string{"{dir}/index.md:8: chart: link: row 1 links to /jobs/backend-engineer/, which is not a page of the site"},
		},
		{
			name: "chart link to a column the result lacks",
			files: map[string]string{
				"index.md": testPage("title: T\nqueries:\n"+titles, chart("type: bar\nquery: titles\nx: title\ny: postings\nlink: /jobs/[role]/\n")),
			},
			want: []string{`{dir}/index.md:8: chart: link: column "role" is not in the result of query titles`},
		},
		{
			name: "chart link on a heatmap",
			files: map[string]string{
				"index.md": testPage("title: T\nqueries:\n"+titles, chart("type: heatmap\nquery: titles\nx: title\ny: title\nvalue: postings\nlink: /jobs/[title]/\n")),
			},
			want: []string{"{dir}/index.md:8: chart: heatmap: link is not for this type"},
		},
		{
			name: "chart link outside",
			files: map[string]string{
				"index.md": testPage("title: T\nqueries:\n"+titles, chart("type: pie\nquery: titles\nx: title\ny: postings\nlink: \"[title]\"\n")),
			},
			want: []string{"{dir}/index.md:8: chart: link: \"[title]\": want a page's URL from the site root"},
		},
		{
			name: "series on a pie",
			files: map[string]string{
				"index.md": testPage("title: T\nqueries:\n"+titles, chart("type: pie\nquery: titles\nx: title\ny: postings\nseries: title\n")),
			},
			want: []string{"{dir}/index.md:8: chart: pie: series is for bar, hbar, stacked, line and area charts"},
		},
		{
			name: "series with two value columns",
			files: map[string]string{
				"index.md": testPage("title: T\nqueries:\n"+titles, chart("type: line\nquery: titles\nx: title\ny: [postings, postings]\nseries: title\n")),
			},
			want: []string{"{dir}/index.md:8: chart: series: y names the one column of values"},
		},
		{
			name: "series column the result lacks",
			files: map[string]string{
				"index.md": testPage("title: T\nqueries:\n"+titles, chart("type: line\nquery: titles\nx: title\ny: postings\nseries: role\n")),
			},
			want: []string{`{dir}/index.md:8: chart: column "role" is not in the result of query titles`},
		},
		{
			name: "templated page: by a column the result lacks",
			files: map[string]string{
				"index.md": testPage("title: T\n", ""),
				"jobs/[title].md": testPage("title: T\npages: titles\nqueries:\n"+titles+
					"  split:\n    by: title\n    sql: SELECT 1 AS n\n", ""),
			},
			want: []string{`{dir}/jobs/[title].md:6: query split (inline): by: "title" is not a column of its result (columns: n)`},
		},
		{
			name: "by in an ordinary page",
			files: map[string]string{
				"index.md": testPage("title: T\nqueries:\n  split:\n    by: title\n    sql: SELECT 1 AS n\n", ""),
			},
			want: []string{`{dir}/index.md:4: query split: by is only for templated pages`},
		},
		{
			name:  "heatmap without value",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n"+titles, chart("type: heatmap\nquery: titles\nx: title\ny: postings\n"))},
			want:  []string{"{dir}/index.md:8: chart: heatmap: value is missing"},
		},
		{
			name:  "histogram with y",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n"+titles, chart("type: histogram\nquery: titles\nx: postings\ny: postings\n"))},
			want:  []string{"{dir}/index.md:8: chart: histogram: y is not used"},
		},
		{
			name:  "scatter over a column of text",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n"+titles, chart("type: scatter\nquery: titles\nx: title\ny: postings\n"))},
			want:  []string{`{dir}/index.md:8: chart: column "title" of query titles is not numeric: row 1 holds "Backend Engineer"`},
		},
		{
			name:  "value of an unknown query",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n"+titles, "Intro.\n\nWe have ${title.postings}.\n")},
			want:  []string{`{dir}/index.md:8: ${title.postings}: query "title" is not declared in the front matter (queries: titles)`},
		},
		{
			name:  "value of a missing column",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n"+titles, "We have ${titles.count}.\n")},
			want:  []string{`{dir}/index.md:6: ${titles.count}: column "count" is not in the result of query titles`},
		},
		{
			name:  "if without end",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n"+titles, "Intro.\n\n:::if titles\nYes.\n")},
			want:  []string{"{dir}/index.md:8: :::if without :::end"},
		},
		{
			name:  "end without if",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n"+titles, "Intro.\n:::end\n")},
			want:  []string{"{dir}/index.md:7: :::end without :::if or :::each"},
		},
		{
			name:  "bad condition",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n"+titles, ":::if titles.postings ~ 3\n:::end\n")},
			want:  []string{"{dir}/index.md:6: :::if titles.postings ~ 3: want query, or query.column OP value"},
		},
		{
			name:  "value in a link's address",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n"+titles, "[go](/x/${titles.title}/)\n")},
			want:  []string{"{dir}/index.md: a ${...} value is used in a link's address"},
		},
		{
			name: "each over too many rows",
			files: map[string]string{"index.md": testPage("title: T\nqueries:\n  many: SELECT i FROM generate_series(1, 101) AS i\n",
				":::each many\n${row.i}\n:::end\n")},
			want: []string{"{dir}/index.md:6: :::each many: 101 rows, at most 100: limit the query"},
		},
		{
			name: "templated page: bad file name",
			files: map[string]string{
				"index.md":        testPage("title: T\n", ""),
				"jobs/[Title].md": testPage("title: T\n", ""),
			},
			want: []string{"{dir}/jobs/[Title].md: a templated page is named [name].md"},
		},
		{
			name:  "no home page",
			files: map[string]string{"about.md": testPage("title: T\n", "")},
			want:  []string{"content {dir}: no index.md"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			content := filepath.Join(dir, "content")
			writeTree(t, content, tt.files)
			if len(tt.files) > 0 {
				os.MkdirAll(content, 0o755)
			}
			cfg := testConfig(t)
			cfg.Content = content
			previous := map[string]string{"index.html": "previous site", buildMarker: buildMarkerNote}
			writeTree(t, cfg.Out, previous)

			_, err := Build(context.Background(), pool, cfg, nil)
			if err == nil {
				t.Fatal("build succeeded, want an error")
			}
			for _, w := range tt.want {
				w = strings.ReplaceAll(w, "{dir}", content)
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
			if strings.Contains(tt.name, "SQL") || strings.Contains(tt.name, "column") {
				var ce *ContentError
				if !errors.As(err, &ce) {
					t.Errorf("error %T is not a *ContentError", err)
				}
			}
			// The previous site is untouched and nothing is left beside it.
			if diff := cmp.Diff(map[string]string{"public/index.html": "previous site", "public/" + buildMarker: buildMarkerNote}, readTree(t, filepath.Dir(cfg.Out))); diff != "" {
				t.Errorf("output folder after a failed build (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBuildSnapshot checks the transaction the queries run in: read only,
// repeatable read, with a statement timeout.
func TestBuildSnapshot(t *testing.T) {
	pool := pgtest.New(t)
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"index.md": testPage(`title: T
queries:
  settings: |
    SELECT current_setting('transaction_read_only') AS read_only,
           current_setting('transaction_isolation') AS isolation,
           current_setting('statement_timeout') AS timeout,
           current_setting('TimeZone') AS tz,
           (timestamptz '2026-11-29 01:00:00+00')::date::text AS day
`, "```table\nquery: settings\n```\n")})
	// A warehouse west of UTC must still date 01:00 UTC on the 29th.
	var db string
	if err := pool.QueryRow(context.Background(), "SELECT current_database()").Scan(&db); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(context.Background(), "ALTER DATABASE "+db+" SET TimeZone = 'America/Los_Angeles'"); err != nil {
		t.Fatal(err)
	}
	pool.Reset() // new connections take the database's setting
	cfg := testConfig(t)
	cfg.Content = dir
	if _, err := Build(context.Background(), pool, cfg, nil); err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(filepath.Join(cfg.Out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<tr><td>on</td><td>repeatable read</td><td>1min</td><td>UTC</td><td>2026-11-29</td></tr>",
		"No data collected yet", // no run in the warehouse
	} {
		if !strings.Contains(string(html), want) {
			t.Errorf("page does not contain %q:\n%s", want, html)
		}
	}
}
