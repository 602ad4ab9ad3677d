package site

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// Every figure of the site must be reproducible from the warehouse with the
// SQL its page shows. A page whose blocks or prose use queries ends with a
// section, rendered by layouts/sql.html, that lists each of them: its name,
// its file when it comes from queries/, its SQL as written, and for a page
// made from a templated file how the page's share of the result is chosen.
// Each chart and table links to its query there (#sql-NAME). A templates
// folder without layouts/sql.html gets the embedded one: the section is
// part of every page's content, whatever its frame.

// layoutSQL is the layout of the SQL section.
const layoutSQL = "sql.html"

// sqlSectionID is the id of the SQL section's heading; query NAME is
// sqlID(NAME) inside it.
const sqlSectionID = "sql"

// sqlID returns the id of a query in the SQL section.
func sqlID(name string) string { return sqlSectionID + "-" + name }

// sqlLink is the link of a chart or table to its query in the page's SQL
// section.
type sqlLink struct {
	Href  string // #sql-NAME
	Query string // NAME
}

func newSQLLink(query string) *sqlLink {
	return &sqlLink{Href: "#" + sqlID(query), Query: query}
}

// sqlView is what layouts/sql.html renders.
type sqlView struct {
	// ID is the id of the section's heading.
	ID      string
	Queries []sqlQuery
}

// sqlQuery is one query of a page's SQL section. Texts are plain: the
// template escapes them.
type sqlQuery struct {
	Name string
	// ID is the id of the query's element, the target of the blocks' links.
	ID string
	// File is the query file in the content folder (queries/x.sql), ""
	// for SQL written in the page.
	File string
	SQL  string
	// Of a page made from a templated file, at most one of these is set.
	// Pages: the query makes the pages, one per row; Key is the page's row.
	Pages bool
	// By: the query runs once and is split by this column; Key is the
	// column and the page's value of it.
	By string
	// Params: the :name parameters the query takes, with the page's
	// values, as PostgreSQL text.
	Params []sqlParam
	Key    sqlParam
}

// sqlParam is a parameter of a page and its value on the page.
type sqlParam struct {
	Name, Value string
}

// usedQueries returns the queries the page's blocks and prose use, in the
// order the page first uses them; a page made from a templated file uses
// its pages query first (for its title). Prose counts every value and
// directive of the source, so a query whose :::if did not hold is listed.
func (p *page) usedQueries() []*pageQuery {
	type use struct {
		line int
		name string
	}
	var uses []use
	if p.family != nil {
		uses = append(uses, use{0, p.family.pages.name})
	}
	for _, b := range p.blocks {
		if b.chart != nil {
			uses = append(uses, use{b.line, b.chart.Query})
		} else if b.table != nil {
			uses = append(uses, use{b.line, b.table.Query})
		}
	}
	if p.prose {
		for i, line := range strings.Split(string(p.body), "\n") {
			for _, name := range proseQueries(line) {
				uses = append(uses, use{p.bodyLine + i, name})
			}
		}
	}
	sort.SliceStable(uses, func(i, j int) bool { return uses[i].line < uses[j].line })
	var out []*pageQuery
	seen := map[string]bool{}
	for _, u := range uses {
		if q := p.query(u.name); q != nil && !seen[u.name] {
			seen[u.name] = true
			out = append(out, q)
		}
	}
	return out
}

// proseQueries returns the names that one line of prose reads as queries:
// in ${query.column}, :::if query... and :::each query. Names that are not
// queries of the page (row, in :::each) are left to the caller.
func proseQueries(line string) []string {
	var names []string
	if m := directiveRE.FindStringSubmatch(strings.TrimRight(line, "\r")); m != nil {
		switch m[1] {
		case "if":
			if c := conditionRE.FindStringSubmatch(m[2]); c != nil {
				names = append(names, c[1])
			}
		case "each":
			names = append(names, m[2])
		}
	}
	for _, m := range valueRE.FindAllStringSubmatch(line, -1) {
		names = append(names, m[1])
	}
	return names
}

// sqlView returns the SQL section of the page, with nothing in it when the
// page uses no query.
func (p *page) sqlView() (sqlView, error) {
	v := sqlView{ID: sqlSectionID}
	var params *result
	if p.family != nil {
		params = p.results[p.family.pages.name]
	}
	value := func(col string) string {
		if i := params.column(col); i >= 0 && i < len(p.params) {
			return p.params[i]
		}
		return ""
	}
	for _, q := range p.usedQueries() {
		sq := sqlQuery{Name: q.name, ID: sqlID(q.name), File: q.file, SQL: q.sql}
		switch {
		case params == nil:
		case q == p.family.pages:
			sq.Pages, sq.Key = true, sqlParam{Name: p.family.param, Value: value(p.family.param)}
		case q.by != "":
			sq.By, sq.Key = q.by, sqlParam{Name: q.by, Value: value(q.by)}
		default:
			_, used, err := bindParams(q.sql, params.columns)
			if err != nil { // checked when the query ran
				return v, fmt.Errorf("query %s (%s): %w", q.name, q.from, err)
			}
			for _, name := range used {
				sq.Params = append(sq.Params, sqlParam{Name: name, Value: value(name)})
			}
		}
		v.Queries = append(v.Queries, sq)
	}
	return v, nil
}

// renderSQL renders the page's SQL section, or nothing when the page uses
// no query.
func (l *layout) renderSQL(p *page) ([]byte, error) {
	v, err := p.sqlView()
	if err != nil {
		return nil, &ContentError{File: p.file, Err: err}
	}
	if len(v.Queries) == 0 {
		return nil, nil
	}
	var buf bytes.Buffer
	if err := l.t.ExecuteTemplate(&buf, layoutSQL, v); err != nil {
		return nil, &ContentError{File: p.file, Err: fmt.Errorf("layouts/%s: %w", layoutSQL, err)}
	}
	return buf.Bytes(), nil
}

// reservedIDs are the ids the layouts and the SQL section use on a page:
// headings of the Markdown get others (see parseBody).
func (p *page) reservedIDs() []string {
	ids := []string{sqlSectionID, "site-search-q"}
	for _, q := range p.queries {
		ids = append(ids, sqlID(q.name))
	}
	return ids
}
