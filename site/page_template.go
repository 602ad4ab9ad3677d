package site

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
	"unicode"

	"github.com/jackc/pgx/v5"
	"golang.org/x/text/unicode/norm"
)

// A templated page is a content file named after a parameter, such as
// roles/[role].md. Its front matter names, with pages:, one of its queries
// whose rows make the pages: one page per row, at a URL made from the
// parameter column's value (/roles/backend-engineer/). Every column of that
// row is a parameter of the page's other queries, written :name in their
// SQL, and may appear as {name} in its title and description:
//
//	---
//	title: "{role}"
//	pages: roles
//	queries:
//	  roles: SELECT role, count(*) AS postings FROM postings GROUP BY role
//	  seniority: |
//	    SELECT seniority, count(*) AS postings FROM postings
//	    WHERE role = :role GROUP BY 1 ORDER BY 2 DESC
//	---
//
// The pages of one file share one round trip per query: each query runs once
// for all of them, joined laterally to the parameter rows (see
// [familySQL]), and its result is split by page. The server still runs a
// :name query once per page; a query declared with by: runs once in all,
// and its rows go to the page whose parameter of that name they match:
//
//	queries:
//	  seniority:
//	    by: role
//	    sql: SELECT role, seniority, count(*) AS postings FROM postings GROUP BY 1, 2
type templated struct {
	param string     // the bracket name, e.g. role
	pages *pageQuery // the query with one row per page

	// Of the pages made by one build of the file: the folder of their
	// pages ("roles/", "" at the root) and the whole result of each by:
	// query, which is published once for all of them (see [familyDataPath]).
	dir   string
	split map[string]*splitResult
}

// splitResult is the whole result of a by: query of a templated page, the
// rows of every page, and the column that tells them apart.
type splitResult struct {
	res     *result
	by      string
	written bool // its data files are made: res is let go
}

// templatedName matches the base name of a templated page file.
var templatedName = regexp.MustCompile(`^\[([a-z][a-z0-9_]*)\]\.md$`)

// parseTemplated recognises a templated page file name; it returns the
// parameter's name, or "" for an ordinary page.
func parseTemplated(name string) (string, error) {
	dir, base := path.Split(name)
	if !strings.ContainsAny(name, "[]") {
		return "", nil
	}
	m := templatedName.FindStringSubmatch(base)
	if m == nil || strings.ContainsAny(dir, "[]") {
		return "", errors.New("a templated page is named [name].md, name in lower case letters, digits and _, " +
			"in a folder without brackets, e.g. roles/[role].md")
	}
	return m[1], nil
}

// maxSlug is the longest slug a page's URL takes as it is: a longer one is
// cut and made unique with a hash (see [pageSlugs]).
const maxSlug = 80

// pageSlugs returns the URL path segment of each page of a templated page,
// from the values of its parameter: the value's [slug] when that is not
// empty, at most [maxSlug] bytes and no other value's slug; else the slug
// (cut at maxSlug) followed by "_" and a hash of the value ([hashedSlug]).
// Values from outside, such as a posting's tags or company, can have no
// letter of the Latin alphabet ("日本語"), differ only by a character that
// slug drops ("go" and "\u202ego") or be long: each still gets a page, and
// the same value always the same URL. The same value twice gets one URL
// twice, which the caller reports.
func pageSlugs(values []string) []string {
	plain := make([]string, len(values))
	count := make(map[string]int, len(values))
	for i, v := range values {
		if s := slug(v); len(s) <= maxSlug {
			plain[i] = s
			count[s]++
		}
	}
	out := make([]string, len(values))
	for i, v := range values {
		if plain[i] != "" && count[plain[i]] == 1 {
			out[i] = plain[i]
		} else {
			out[i] = hashedSlug(v)
		}
	}
	return out
}

// hashedSlug is the URL path segment of a value whose slug is empty, too
// long or shared: its slug, cut at a dash before [maxSlug] bytes, or
// "page" for an empty one, then "_" and 16 characters of base32 of the
// value's SHA-256. A slug never holds "_", so no value's hashed slug is
// another value's slug.
func hashedSlug(value string) string {
	s := slug(value)
	if len(s) > maxSlug {
		s = s[:maxSlug]
		if i := strings.LastIndexByte(s, '-'); i > 0 {
			s = s[:i]
		}
		s = strings.TrimSuffix(s, "-")
	}
	if s == "" {
		s = "page"
	}
	sum := sha256.Sum256([]byte(value))
	return s + "_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:10]))
}

// slug turns a value into a URL path segment: lower case ASCII letters and
// digits, accents dropped, "+" and "#" spelled out as words (C, C++ and C#
// are three skills: c, c-plus-plus, c-sharp), anything else a single "-".
// Values from the warehouse never reach a path otherwise, so no slug can
// leave its folder.
func slug(s string) string {
	var b strings.Builder
	dash := false
	sep := func() {
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
	}
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			sep()
			b.WriteRune(unicode.ToLower(r))
		case r == '+' || r == '#':
			dash = true
			sep()
			if r == '+' {
				b.WriteString("plus")
			} else {
				b.WriteString("sharp")
			}
			dash = true
		default:
			dash = true
		}
	}
	return b.String()
}

// expand runs the pages query of the templated page m and the rest of its
// queries, and returns one page per row, with its results.
func (m *page) expand(ctx context.Context, tx pgx.Tx, q *queryRunner) ([]*page, error) {
	tq := m.tmpl.pages
	fail := func(line int, err error) error { return &ContentError{File: m.file, Line: line, Err: err} }
	rows, texts, err := runText(ctx, tx, tq.sql)
	if err != nil {
		return nil, fail(tq.line, fmt.Errorf("pages query %s (%s): %w", tq.name, tq.from, err))
	}
	q.count++
	ci := rows.column(m.tmpl.param)
	if ci < 0 {
		return nil, fail(tq.line, fmt.Errorf("pages query %s has no column %q, the [%s] of the file name (columns: %s)",
			tq.name, m.tmpl.param, m.tmpl.param, strings.Join(rows.columns, ", ")))
	}
	for _, field := range []string{m.meta.Title, m.meta.Description} {
		for _, name := range placeholders(field) {
			if rows.column(name) < 0 {
				return nil, fail(1, fmt.Errorf("front matter: {%s}: pages query %s has no such column (columns: %s)",
					name, tq.name, strings.Join(rows.columns, ", ")))
			}
		}
	}
	dir := path.Dir(strings.Trim(m.url, "/")) // m.url is /dir/[param]/
	if dir == "." {
		dir = ""
	} else {
		dir += "/"
	}
	values := make([]string, len(rows.rows))
	for i, row := range rows.rows {
		values[i] = formatValue(row[ci])
	}
	slugs := pageSlugs(values)
	bySlug := map[string]int{}
	out := make([]*page, 0, len(rows.rows))
	// The pages of this build share a family of their own, which holds
	// their by: queries' whole results until their data files are made.
	fam := &templated{param: m.tmpl.param, pages: m.tmpl.pages, dir: dir, split: map[string]*splitResult{}}
	for i, row := range rows.rows {
		value, s := values[i], slugs[i]
		if j, ok := bySlug[s]; ok {
			if values[j] == value {
				return nil, fail(tq.line, fmt.Errorf("pages query %s: rows %d and %d both have %s %q: "+
					"the query must return each page once", tq.name, j+1, i+1, m.tmpl.param, value))
			}
			// Only two values whose hashes agree get here.
			return nil, fail(tq.line, fmt.Errorf("pages query %s: rows %d and %d both make /%s%s/ (%s %q and %q): "+
				"the query must return each page once", tq.name, j+1, i+1, dir, s, m.tmpl.param,
				formatValue(rows.rows[j][ci]), value))
		}
		bySlug[s] = i
		p := *m
		p.tmpl, p.family = nil, fam
		if i < len(texts) {
			p.params = make([]string, len(texts[i]))
			for c, t := range texts[i] {
				if t == "\x00null" {
					t = "NULL"
				}
				p.params[c] = t
			}
		}
		p.url, p.out = "/"+dir+s+"/", dir+s+"/index.html"
		p.meta.Nav = 0
		p.meta.Title = fill(m.meta.Title, rows, row)
		p.meta.Description = fill(m.meta.Description, rows, row)
		p.results = map[string]*result{tq.name: rows}
		out = append(out, &p)
	}
	for _, pq := range m.queries {
		var err error
		switch {
		case pq == tq:
			continue
		case pq.by != "":
			err = m.runSplit(ctx, q, pq, rows, out)
		default:
			err = m.runFamily(ctx, q, pq, rows, texts, out)
		}
		if err != nil {
			return nil, err
		}
	}
	if len(out) > 0 {
		if err := out[0].checkBlocks(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// runFamily runs one query of a templated page for all its pages at once
// and gives each page its share of the result.
func (m *page) runFamily(ctx context.Context, q *queryRunner, pq *pageQuery, params *result, texts [][]string, pages []*page) error {
	sql, used, err := bindParams(pq.sql, params.columns)
	if err != nil {
		return &ContentError{File: m.file, Line: pq.line, Err: fmt.Errorf("query %s (%s): %w", pq.name, pq.from, err)}
	}
	if len(used) == 0 || len(pages) == 0 { // the same for every page
		res, err := q.run(ctx, m.file+" "+pq.name, pq.sql)
		if err != nil {
			return &ContentError{File: m.file, Line: pq.line, Err: fmt.Errorf("query %s (%s): %w", pq.name, pq.from, err)}
		}
		for _, p := range pages {
			p.results[pq.name] = res
		}
		return nil
	}
	args := make([]any, len(params.columns))
	for c := range params.columns {
		col := make([]*string, len(texts))
		for r := range texts {
			if texts[r][c] != "\x00null" {
				col[r] = &texts[r][c]
			}
		}
		args[c] = col
	}
	types, err := q.typeNames(ctx, params.oids)
	if err != nil {
		return err
	}
	res, err := q.run(ctx, m.file+" "+pq.name, familySQL(sql, params.columns, types), args...)
	if err != nil {
		return &ContentError{File: m.file, Line: pq.line, Err: fmt.Errorf("query %s (%s): %w", pq.name, pq.from, err)}
	}
	cols, oids := res.columns[1:], res.oids[1:]
	for _, p := range pages {
		p.results[pq.name] = &result{columns: cols, oids: oids}
	}
	for _, row := range res.rows {
		n, ok := row[0].(int64)
		if !ok || n < 1 || int(n) > len(pages) {
			return fmt.Errorf("site: %s: query %s: bad page number %v", m.file, pq.name, row[0])
		}
		r := pages[n-1].results[pq.name]
		r.rows = append(r.rows, row[1:])
	}
	return nil
}

// runSplit runs a query of a templated page declared with by: once, and
// gives each page the rows whose by column has the page's value in the
// pages query's column of the same name. It costs one scan for all pages,
// where a :name parameter costs a run of the query per page.
func (m *page) runSplit(ctx context.Context, q *queryRunner, pq *pageQuery, params *result, pages []*page) error {
	fail := func(err error) error {
		return &ContentError{File: m.file, Line: pq.line, Err: fmt.Errorf("query %s (%s): %w", pq.name, pq.from, err)}
	}
	pi := params.column(pq.by)
	if pi < 0 {
		return fail(fmt.Errorf("by: %q is not a column of the pages query %s (columns: %s)",
			pq.by, m.tmpl.pages.name, strings.Join(params.columns, ", ")))
	}
	res, err := q.run(ctx, m.file+" "+pq.name, pq.sql)
	if err != nil {
		return fail(err)
	}
	ri := res.column(pq.by)
	if ri < 0 {
		return fail(fmt.Errorf("by: %q is not a column of its result (columns: %s)", pq.by, strings.Join(res.columns, ", ")))
	}
	groups := map[string][][]any{}
	for _, row := range res.rows {
		k := formatValue(row[ri])
		groups[k] = append(groups[k], row)
	}
	for i, p := range pages {
		p.results[pq.name] = &result{columns: res.columns, oids: res.oids, rows: groups[formatValue(params.rows[i][pi])]}
	}
	if len(pages) > 0 {
		pages[0].family.split[pq.name] = &splitResult{res: res, by: pq.by}
	}
	return nil
}

// familySQL wraps a query whose parameters bindParams turned into
// references to jobpulse_p: it runs once per parameter row ($1, $2... are
// text arrays, one per column, cast back to the columns' types), and each
// result row starts with the 1-based number of its parameter row. The
// lateral join keeps each run's rows in the query's own order.
func familySQL(sql string, columns, types []string) string {
	var arrays, names []string
	for i, c := range columns {
		arrays = append(arrays, fmt.Sprintf("$%d::text[]::%s[]", i+1, types[i]))
		names = append(names, pgx.Identifier{c}.Sanitize())
	}
	return "SELECT jobpulse_p.jobpulse_n, jobpulse_q.* FROM unnest(" + strings.Join(arrays, ", ") +
		") WITH ORDINALITY AS jobpulse_p (" + strings.Join(names, ", ") + ", jobpulse_n)" +
		" CROSS JOIN LATERAL (\n" + sql + "\n) AS jobpulse_q"
}

// placeholders returns the names of the {name} placeholders of s.
func placeholders(s string) []string {
	var names []string
	for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
		names = append(names, m[1])
	}
	return names
}

var placeholderRE = regexp.MustCompile(`\{([a-z_][a-z0-9_]*)\}`)

// fill replaces the {name} placeholders of s by the row's values.
func fill(s string, res *result, row []any) string {
	return placeholderRE.ReplaceAllStringFunc(s, func(m string) string {
		if c := res.column(m[1 : len(m)-1]); c >= 0 {
			return formatValue(row[c])
		}
		return m
	})
}
