package site

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// Data to take away. Each query a page shows as a chart or a table is also
// published whole, beside the page, as two files named after the query:
// /roles/top_roles.csv and /roles/top_roles.json next to /roles/index.html.
// The names come from the page's front matter, never from the order of
// the blocks, so an address stays the same from night to night, and so
// does a file's shape: its columns, in the query's order, with a type
// each, even when the query returns no rows.
//
//   - CSV: RFC 4180, UTF-8 without a byte order mark, CRLF line ends, a
//     header row of the column names. Numbers are written without
//     thousands separators, dates as 2026-11-29, times in RFC 3339 (UTC),
//     NULL as an empty field. A text value that a spreadsheet would read as
//     a formula (it starts with =, +, -, @, a tab or a carriage return)
//     starts with an apostrophe, which spreadsheets show as text and hide
//     (see [defuseFormula]); the JSON keeps the value as it is.
//   - JSON: an array with one object per row, whose keys are the column
//     names in the query's order; numbers are numbers, NULL is null, dates
//     and times are text as in the CSV. pandas reads it with read_json,
//     and every key is in every object.
//
// The columns and their types are listed on the data page (/data/) and in
// the catalogue beside it (data/index.json, see data_page.go).
//
// The pages made from a templated file (one per role, place or skill) are
// the exception for their by: queries: such a query runs once for all the
// pages, and its whole result, every page's rows, is published once, in
// the folder of the pages, named after the file's parameter and the query:
// /roles/by-role.seniority.csv for the pages /roles/[role]/. Each page's
// chart or table links to that file, whose by column (role) tells the
// pages' rows apart. A file per page and query would be most of the files
// of a large site: 40,000 of the 50,012 of 10,000 role pages with two such
// queries, and more than half its build time. The name cannot be another
// file's: a query name has no "-" or ".", so the section's own index page
// (/roles/index.html) never has a file of that name, nor has a page's
// folder, whose slug has no ".", and two templated files of one folder
// have two parameters. The pages' other queries (with a :name parameter,
// run for each page) keep a file pair per page, beside it.

// Column types of a data file: the names of Frictionless Data's Table
// Schema, decided by the column's SQL type, never by its values, so that a
// column keeps its type on a night its values are all whole or all NULL.
const (
	typeString   = "string"
	typeInteger  = "integer"
	typeNumber   = "number"
	typeBoolean  = "boolean"
	typeDate     = "date"
	typeDatetime = "datetime"
)

// columnType returns the data file type of a column of SQL type oid.
// Types the build does not read as numbers, booleans or times (text, uuid,
// arrays, which results hold as text) are strings.
func columnType(oid uint32) string {
	switch oid {
	case pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID, pgtype.OIDOID:
		return typeInteger
	case pgtype.Float4OID, pgtype.Float8OID, pgtype.NumericOID:
		return typeNumber
	case pgtype.BoolOID:
		return typeBoolean
	case pgtype.DateOID:
		return typeDate
	case pgtype.TimestampOID, pgtype.TimestamptzOID:
		return typeDatetime
	}
	return typeString
}

// dataColumn is a column of a data file, as the catalogue lists it.
type dataColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// dataColumns returns the columns of a result with their types.
func dataColumns(res *result) []dataColumn {
	cols := make([]dataColumn, len(res.columns))
	for i, c := range res.columns {
		var oid uint32
		if i < len(res.oids) {
			oid = res.oids[i]
		}
		cols[i] = dataColumn{Name: c, Type: columnType(oid)}
	}
	return cols
}

// dataQueries returns the names of the queries a page shows as a chart or a
// table, in the order the page first shows them. Every block of the page's
// source counts, also one that an :::if leaves out tonight: its files are
// there every night.
func dataQueries(p *page) []string {
	var names []string
	seen := map[string]bool{}
	for _, b := range p.blocks {
		q := ""
		switch {
		case b.chart != nil:
			q = b.chart.Query
		case b.table != nil:
			q = b.table.Query
		}
		if q != "" && !seen[q] {
			seen[q] = true
			names = append(names, q)
		}
	}
	return names
}

// dataPath returns the path, from the site root, of the data file of the
// page's query name with the extension ext (".csv" or ".json"): in the
// folder of the page's index.html.
func dataPath(p *page, name, ext string) string {
	dir := path.Dir(p.out)
	if dir == "." {
		return name + ext
	}
	return dir + "/" + name + ext
}

// splitData returns the whole result of the query name of a page made from
// a templated file, when it is a by: query published once for all its
// pages, else nil.
func splitData(p *page, name string) *splitResult {
	if p.family == nil {
		return nil
	}
	return p.family.split[name]
}

// familyDataPath returns the path, from the site root, of the data file of
// the by: query name of a family of pages, with the extension ext: in the
// pages' folder, as by-role.name.csv (see the top of this file).
func familyDataPath(f *templated, name, ext string) string {
	return f.dir + familyDataName(f, name, ext)
}

// familyDataName is the base name of [familyDataPath].
func familyDataName(f *templated, name, ext string) string {
	return "by-" + f.param + "." + name + ext
}

// checkDataNames refuses pages whose data files or URL would be a file the
// build writes for itself: the data page's URL, and at the site root
// search.json (a query named search on the home page).
func checkDataNames(pages []*page) error {
	for _, p := range pages {
		if p.url == dataPageURL {
			return &ContentError{File: p.file, Err: fmt.Errorf("makes %s, the URL of the data page the build makes: rename it", p.url)}
		}
		for _, name := range dataQueries(p) {
			for _, ext := range []string{".csv", ".json"} {
				if f := dataPath(p, name, ext); f == searchFile {
					q := p.query(name)
					return &ContentError{File: p.file, Line: q.line, Err: fmt.Errorf(
						"query %s: its data file %s would replace the site's search index: rename the query", name, f)}
				}
			}
		}
	}
	return nil
}

// dataLink is a chart's or table's links to its data files, relative to
// its page, for layouts/table.html.
type dataLink struct {
	Query string
	CSV   string
	JSON  string
	// Of a by: query of a page made from a templated file: the files hold
	// every page's rows, told apart by the column By; Every names the
	// pages ("every role's rows").
	By    string
	Every string
}

// newDataLink returns the links of a block of page p to the files of query
// name, which lie beside the page, or for a by: query of a page made from
// a templated file, in the folder of its pages (one up).
func newDataLink(p *page, name string) *dataLink {
	if s := splitData(p, name); s != nil {
		return &dataLink{Query: name, CSV: "../" + familyDataName(p.family, name, ".csv"),
			JSON: "../" + familyDataName(p.family, name, ".json"), By: s.by, Every: p.family.param}
	}
	return &dataLink{Query: name, CSV: name + ".csv", JSON: name + ".json"}
}

// checkDataColumns refuses a result whose columns a data file cannot hold
// apart: two columns of one name would be one key of the JSON objects.
func checkDataColumns(query string, res *result) error {
	seen := make(map[string]bool, len(res.columns))
	for _, c := range res.columns {
		if seen[c] {
			return fmt.Errorf("query %s has two columns named %q: its data files need distinct names (rename one with AS)", query, c)
		}
		seen[c] = true
	}
	return nil
}

// dataEncoder encodes the data files of a build. One encoder serves every
// file, into one buffer, and each file gets a copy of its exact size: the
// many small files of a large site, whose encoders and grown buffers were
// most of the build's garbage.
type dataEncoder struct {
	buf bytes.Buffer
	csv *csv.Writer
}

func newDataEncoder() *dataEncoder {
	e := &dataEncoder{}
	e.csv = csv.NewWriter(&e.buf)
	e.csv.UseCRLF = true
	return e
}

// encodeCSV returns a result as CSV (see the top of this file).
func (e *dataEncoder) encodeCSV(res *result, types []dataColumn) ([]byte, error) {
	e.buf.Reset()
	if err := e.csv.Write(res.columns); err != nil {
		return nil, err
	}
	rec := make([]string, len(res.columns))
	for _, row := range res.rows {
		for i, v := range row {
			s, text := dataText(v, types[i].Type)
			if text {
				s = defuseFormula(s)
			}
			rec[i] = s
		}
		if err := e.csv.Write(rec); err != nil {
			return nil, err
		}
	}
	e.csv.Flush()
	if err := e.csv.Error(); err != nil {
		return nil, err
	}
	return bytes.Clone(e.buf.Bytes()), nil
}

// defuseFormula returns a text value that spreadsheets would take for a
// formula (it starts with =, +, -, @, a tab or a carriage return, as
// OWASP's advice on CSV injection lists them) with an apostrophe before
// it: Excel, LibreOffice and Google Sheets then show it as text and hide
// the apostrophe. Other values are returned as they are. Only text is
// defused: -3 in a number column stays a number.
func defuseFormula(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// dataText returns a value as data file text for a column of type typ, and
// whether it is text (as opposed to a number, boolean, date or time).
func dataText(v any, typ string) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, typ == typeString
	case int64:
		return strconv.FormatInt(x, 10), typ == typeString
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), typ == typeString
	case bool:
		return strconv.FormatBool(x), typ == typeString
	case time.Time:
		x = x.UTC()
		if typ == typeDate {
			return x.Format(time.DateOnly), false
		}
		return x.Format(time.RFC3339Nano), typ == typeString
	}
	return fmt.Sprint(v), true
}

// jsonValue returns a value as the JSON file holds it in a column of type
// typ: numbers and booleans as themselves, NULL as nil, anything else as
// the text of the CSV (before defusing). A value whose column is text is
// text, so a column never holds two kinds of values.
func jsonValue(v any, typ string) any {
	switch x := v.(type) {
	case nil:
		return nil
	case int64, float64:
		if typ == typeInteger || typ == typeNumber {
			return x
		}
	case bool:
		if typ == typeBoolean {
			return x
		}
	}
	s, _ := dataText(v, typ)
	return s
}

// encodeJSON returns a result as a JSON array of objects, one a line, each
// with every column as a key in the query's order (see the top of this
// file). encoding/json escapes <, > and &: the file is safe to embed.
func (e *dataEncoder) encodeJSON(res *result, types []dataColumn) ([]byte, error) {
	keys := make([][]byte, len(res.columns))
	for i, c := range res.columns {
		k, err := json.Marshal(c)
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	b := &e.buf
	b.Reset()
	b.WriteByte('[')
	var num []byte
	for r, row := range res.rows {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n{")
		for i, v := range row {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(keys[i])
			b.WriteByte(':')
			switch x := jsonValue(v, types[i].Type).(type) {
			case int64: // the most common values, without an allocation
				num = strconv.AppendInt(num[:0], x, 10)
				b.Write(num)
			default:
				val, err := json.Marshal(x)
				if err != nil {
					return nil, err
				}
				b.Write(val)
			}
		}
		b.WriteByte('}')
	}
	if len(res.rows) > 0 {
		b.WriteByte('\n')
	}
	b.WriteString("]\n")
	return bytes.Clone(b.Bytes()), nil
}

// pageData returns the data files of a page's charts and tables and their
// entries for the catalogue.
func (e *dataEncoder) pageData(p *page) ([]outFile, []dataEntry, error) {
	var (
		files   []outFile
		entries []dataEntry
	)
	for _, name := range dataQueries(p) {
		res := p.results[name]
		csvPath, jsonPath := dataPath(p, name, ".csv"), dataPath(p, name, ".json")
		var by string
		if s := splitData(p, name); s != nil {
			if s.written {
				continue // made with the family's first page
			}
			res, by = s.res, s.by
			csvPath, jsonPath = familyDataPath(p.family, name, ".csv"), familyDataPath(p.family, name, ".json")
			s.res, s.written = nil, true
		}
		if res == nil {
			continue // checked when the page's queries ran
		}
		if err := checkDataColumns(name, res); err != nil {
			return nil, nil, &ContentError{File: p.file, Line: p.query(name).line, Err: err}
		}
		cols := dataColumns(res)
		c, err := e.encodeCSV(res, cols)
		if err != nil {
			return nil, nil, &ContentError{File: p.file, Err: fmt.Errorf("query %s: encode CSV: %w", name, err)}
		}
		j, err := e.encodeJSON(res, cols)
		if err != nil {
			return nil, nil, &ContentError{File: p.file, Err: fmt.Errorf("query %s: encode JSON: %w", name, err)}
		}
		d := dataEntry{page: p, query: name, columns: cols, rows: len(res.rows), by: by, csv: csvPath, json: jsonPath}
		files = append(files, outFile{Path: d.csv, Data: c}, outFile{Path: d.json, Data: j})
		entries = append(entries, d)
	}
	return files, entries, nil
}
