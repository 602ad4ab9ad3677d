package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The data page (/data/) lists the data files of the site (see data.go):
// every file of an ordinary page with its page, columns and rows, and for
// the pages made from a templated file (one per role, place...) each query
// once: a by: query's one file of every page's rows, or the pattern of the
// files of a query run for each page, with how many there are. The
// catalogue beside it (data/index.json) lists every file, for scripts.
// Every page links to the data page from its footer.
const (
	dataPageURL   = "/data/"
	dataPageOut   = "data/index.html"
	dataCatalogue = "data/index.json"
)

// dataEntry is one data file pair of a page: the CSV and JSON files of one
// query, with paths from the site root.
type dataEntry struct {
	page      *page
	query     string
	columns   []dataColumn
	rows      int
	by        string // of the one file of a family's by: query: its by column
	csv, json string
}

// pattern returns the URL of the entry's page, or for a page made from a
// templated file the pattern of its family's URLs: /roles/[role]/.
func (e dataEntry) pattern() string {
	if e.page.family == nil {
		return e.page.url
	}
	dir := path.Dir(strings.TrimSuffix(e.page.url, "/"))
	return strings.TrimSuffix(dir, "/") + "/[" + e.page.family.param + "]/"
}

// dataTable is a query of a page, or of a family of pages, and its files.
type dataTable struct {
	pattern string // the page's URL, or its family's: /roles/[role]/
	family  bool
	by      string // of a family's by: query, published once: its by column
	query   string
	columns []dataColumn
	files   []dataEntry
}

// dataTables groups the entries by page (or family) and query, by URL (the
// home page first) and then in the order the page shows them.
func dataTables(entries []dataEntry) []*dataTable {
	var tables []*dataTable
	byKey := map[string]*dataTable{}
	for _, e := range entries {
		key := e.pattern() + "\x00" + e.query
		t := byKey[key]
		if t == nil {
			t = &dataTable{pattern: e.pattern(), family: e.page.family != nil, by: e.by, query: e.query, columns: e.columns}
			byKey[key] = t
			tables = append(tables, t)
		}
		t.files = append(t.files, e)
	}
	sort.SliceStable(tables, func(i, j int) bool { return tables[i].pattern < tables[j].pattern })
	return tables
}

// rootPath returns a URL from the site root (/roles/) as a path relative
// to the root ("roles/", "./" for the root), as search.json has them.
func rootPath(u string) string {
	if u = strings.TrimPrefix(u, "/"); u == "" {
		return "./"
	}
	return u
}

// catalogue is data/index.json.
type catalogue struct {
	// Run and Collected name the run whose data the files hold and when it
	// finished (RFC 3339); null before the first run.
	Run       *string          `json:"run"`
	Collected *string          `json:"collected"`
	Tables    []catalogueTable `json:"tables"`
}

// catalogueTable is a query of a page or of a family of pages: Pages is the
// page's path, or the pattern of its family's (roles/[role]/). By is set
// for a family's by: query: its one file holds every page's rows, which
// the column By tells apart.
type catalogueTable struct {
	Pages   string          `json:"pages"`
	Query   string          `json:"query"`
	By      string          `json:"by,omitempty"`
	Columns []dataColumn    `json:"columns"`
	Files   []catalogueFile `json:"files"`
}

// catalogueFile is one page's CSV and JSON file of a query, by their paths
// from the site root, and its number of rows. The one file of a family's
// by: query has the family's pattern as its page (roles/[role]/).
type catalogueFile struct {
	Page string `json:"page"`
	CSV  string `json:"csv"`
	JSON string `json:"json"`
	Rows int    `json:"rows"`
}

// catalogueJSON returns data/index.json.
func catalogueJSON(tables []*dataTable, fresh *freshness) ([]byte, error) {
	c := catalogue{Tables: make([]catalogueTable, 0, len(tables))}
	if fresh != nil {
		run, at := fresh.RunID, fresh.Finished.UTC().Format(time.RFC3339)
		c.Run, c.Collected = &run, &at
	}
	for _, t := range tables {
		ct := catalogueTable{Pages: rootPath(t.pattern), Query: t.query, By: t.by, Columns: t.columns,
			Files: make([]catalogueFile, 0, len(t.files))}
		for _, f := range t.files {
			page := rootPath(f.page.url)
			if t.by != "" {
				page = ct.Pages
			}
			ct.Files = append(ct.Files, catalogueFile{Page: page, CSV: f.csv, JSON: f.json, Rows: f.rows})
		}
		c.Tables = append(c.Tables, ct)
	}
	b, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("site: encode %s: %w", dataCatalogue, err)
	}
	return append(b, '\n'), nil
}

// dataPageIntro, dataPageFamilies and dataPageFormats are the text of the
// data page, around its two tables. Links are relative to the page.
const (
	dataPageIntro = `# Data

Every chart and table of this report is also a file of its own, with the whole result of its query: a CSV file
and a JSON file beside its page, at an address that stays the same from night to night. A spreadsheet, ` + "`curl`" + `
or ` + "`pandas.read_csv`" + ` opens them by their address, and the Download links of each chart and table lead to them.
They are rebuilt with the report after every run (the date of the data is at the foot of every page) and keep
their columns, in the same order and of the same type, also on a night when a query finds nothing.
`
	dataPageFiles = `## The files of each page
`
	dataPageFamilies = `## The files of the pages of each role, place or skill

The pages made for each row of a list (each role, each place...) share one file per query that runs once for all
of them: it holds every page's rows, which its column named under "Filter by" tells apart (filter the
` + "`role`" + ` column for one role's rows). It lies beside the pages' folders, as
*roles/by-role.seniority.csv*, and each page's Download links lead to it. A query that runs for each page has a
file per page instead, at the same place in the page's folder: *[role]* stands for the page's name, as in its
address. [index.json](index.json) lists every file.
`
	dataPageFormats = `## Formats

**CSV** files follow RFC 4180: UTF-8 (without a byte order mark), a first row with the column names, a field in
double quotes where it holds a comma, a quote or a line break, lines ending in CR LF. Numbers have no thousands
separators, dates read 2026-11-29, times are in UTC as 2026-11-29T01:28:23Z, and an empty field is a missing value.
Text that a spreadsheet would take for a formula, because it starts with ` + "`=`, `+`, `-`, `@`" + `, a tab or a
carriage return, starts with an apostrophe (` + "`'=SUM(A1)`" + `): spreadsheets then show it as text and hide the
apostrophe. The JSON file has the text as it was published.

**JSON** files hold an array with one object per row, whose keys are the column names, in the order of the CSV
file's columns; every object has every key. Numbers are numbers, a missing value is ` + "`null`" + `, and dates and
times are text as in the CSV file.

The types of the columns (string, integer, number, boolean, date and datetime, as in the Table Schema of
Frictionless Data) come from the queries, not from the values of one night. They are listed above and in
[index.json](index.json), the catalogue of every file: for each query of a page, or of a kind of page, its columns,
and for each of its files the page, the paths of the CSV and the JSON file from the site root and the number of
rows. Every page shows the SQL of its queries under "How these figures were computed".

## What changed each night

The Atom feed [changes.atom](../changes.atom) has an entry for each of the latest runs: the postings that are new
and gone since the previous run of their source, per role, and the roles that rose. A feed reader finds it from
any page of the report.
`
)

// dataPage makes the data page from the data files' tables. Its tables are
// rendered with layouts/table.html, sortable and filterable as any.
func (l *layout) dataPage(tables []*dataTable) (*page, error) {
	root := "../"
	var own, families []*dataTable
	for _, t := range tables {
		if t.family {
			families = append(families, t)
		} else {
			own = append(own, t)
		}
	}
	var extra bytes.Buffer
	add := func(md string) error {
		return markdown.Convert([]byte(md), &extra)
	}
	table := func(v tableView) error {
		if err := l.t.ExecuteTemplate(&extra, layoutTable, v); err != nil {
			return fmt.Errorf("site: data page: layouts/%s: %w", layoutTable, err)
		}
		extra.WriteByte('\n')
		return nil
	}
	num := func(n int) tableCell {
		return tableCell{Text: formatValue(int64(n)), Numeric: true, Value: strconv.Itoa(n)}
	}
	text := func(s string) tableCell {
		t, long := cellText(s)
		return tableCell{Text: t, Long: long}
	}
	// A file's link says CSV or JSON, and names the file for screen
	// readers and link lists: the path would take the table's width.
	link := func(p string) tableCell {
		return tableCell{Text: strings.ToUpper(strings.TrimPrefix(path.Ext(p), ".")), Href: root + p, Hint: p}
	}
	example := func(p string) tableCell {
		c := text(p)
		c.Href = root + p
		return c
	}

	v := tableView{Caption: "Data files of the pages", Interactive: true, Empty: len(own) == 0}
	for _, name := range []string{"Page", "Query", "Columns", "Rows", "CSV", "JSON"} {
		v.Columns = append(v.Columns, tableColumn{Name: name, Numeric: name == "Rows"})
	}
	for _, t := range own {
		f := t.files[0]
		v.Rows = append(v.Rows, []tableCell{
			{Text: f.page.meta.Title, Href: relHref(root, f.page.url), Hint: "page"},
			text(t.query), text(describeColumns(t.columns)), num(f.rows), link(f.csv), link(f.json),
		})
	}
	if err := add(dataPageFiles); err != nil {
		return nil, err
	}
	if err := table(v); err != nil {
		return nil, err
	}
	if len(families) > 0 {
		if err := add(dataPageFamilies); err != nil {
			return nil, err
		}
		v = tableView{Caption: "Data files of the pages of each role, place or skill", Interactive: true}
		for _, name := range []string{"Pages", "Query", "Filter by", "Columns", "Files", "Rows", "CSV", "JSON"} {
			v.Columns = append(v.Columns, tableColumn{Name: name, Numeric: name == "Files" || name == "Rows"})
		}
		for _, t := range families {
			rows := 0
			for _, f := range t.files {
				rows += f.rows
			}
			// A by: query's one file, or an example of the files of a
			// query run for each page.
			by, csvFile, jsonFile := text(t.by), example(t.files[0].csv), example(t.files[0].json)
			if t.by == "" {
				by = text("(a file per page)")
				csvFile.Hint, jsonFile.Hint = "example", "example"
			}
			v.Rows = append(v.Rows, []tableCell{
				text(t.pattern), text(t.query), by, text(describeColumns(t.columns)),
				num(len(t.files)), num(rows), csvFile, jsonFile,
			})
		}
		if err := table(v); err != nil {
			return nil, err
		}
	}
	if err := add(dataPageFormats); err != nil {
		return nil, err
	}
	p := &page{
		file: "data page", url: dataPageURL, out: dataPageOut,
		meta: frontMatter{Title: "Data", Description: "Every chart and table of the report as CSV and JSON files, " +
			"and a feed of what changed each night."},
		body:  []byte(dataPageIntro),
		extra: extra.Bytes(),
	}
	if err := p.parseBody(); err != nil {
		return nil, err
	}
	p.results = map[string]*result{}
	return p, nil
}

// describeColumns names columns and their types for people: Role (string),
// Postings (integer).
func describeColumns(cols []dataColumn) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c.Name + " (" + c.Type + ")"
	}
	return strings.Join(parts, ", ")
}
