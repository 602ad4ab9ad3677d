package site

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

// searchFile is the search index at the site root, read by the search box
// of site.js: the site needs no search service.
const searchFile = "search.json"

// The search index holds one entry per page, and more entries, each of a
// thing a page shows, from a query the page names in its front matter
// (search: name; see README.md, "Search"):
//
//   - On a templated page, the query's row for the page gives the page's
//     aliases, other names a reader may type for it, and its weight, the
//     demand behind it (postings, openings): columns aliases (text, names
//     separated by "|") and weight (a number), either optional. A by:
//     query gives each page its row in one scan for all pages.
//   - On any other page, each row of the query with a column name is an
//     entry of its own that leads to the page: a company, on the companies
//     page. Its columns aliases and weight are as above. A row with a
//     column same (text, words separated by "|") names words readers type
//     for one another ("engineer|developer|entwickler"): typed, each finds
//     what the others find.
//
// The browser ranks what matches (site.js): the name itself, then an alias
// typed whole, then names whose words start with the words typed, then
// aliases whose words do, then names and aliases holding the text typed,
// and descriptions; within each, the greater weight first.

// searchIndexJSON is search.json: the groups of words readers type for one
// another, and the entries, sorted by URL.
type searchIndexJSON struct {
	Same  [][]string    `json:"same"`
	Pages []searchEntry `json:"pages"`
}

// searchEntry is one entry of the search index. URL is relative to the
// site root ("./" for the home page, "roles/backend-engineer/"), so the
// index works under any prefix; Section is the title of the page's first
// folder's page (see [sectionOf]), or of the page an entry of a search
// query leads to. The description of a page made by a templated page file
// is left out: it is the same sentence for every page of the file, and
// would make a word of it find them all.
type searchEntry struct {
	Title       string   `json:"title"`
	URL         string   `json:"url"`
	Description string   `json:"description,omitempty"`
	Section     string   `json:"section,omitempty"`
	Aliases     []string `json:"aliases,omitempty"`
	Weight      float64  `json:"weight,omitempty"`
	// Note is shown under the entry's title in the results and never
	// searched: what the entry leads to says of it ("12 openings, hiring
	// most for ..."), for an entry whose page lists it only among many.
	Note string `json:"note,omitempty"`
}

// pageSearch is what a page adds to the search index from its search
// query, taken from its results before the build lets them go.
type pageSearch struct {
	aliases []string
	weight  float64
	entries []searchEntry // title, aliases and weight set
	same    [][]string
}

// checkSearchQuery reports a search: naming no query of the page, or the
// pages query of a templated page (each page needs a row of its own: use a
// by: query).
func (p *page) checkSearchQuery() error {
	name := p.meta.Search
	if name == "" {
		return nil
	}
	if p.query(name) == nil {
		return &ContentError{File: p.file, Line: 1, Err: fmt.Errorf(
			"front matter: search: query %q is not declared (queries: %s)", name, p.queryNames())}
	}
	if p.tmpl != nil && name == p.meta.Pages {
		return &ContentError{File: p.file, Line: 1, Err: fmt.Errorf(
			"front matter: search: %q is the pages query; name a query with by: %s that gives each page its row",
			name, p.tmpl.param)}
	}
	return nil
}

// collectSearch takes what the page adds to the search index from the
// result of its search query (see the comment above [searchIndexJSON]).
func (p *page) collectSearch() error {
	if p.meta.Search == "" {
		return nil
	}
	res := p.results[p.meta.Search]
	if res == nil {
		return nil
	}
	fail := func(err error) error {
		return &ContentError{File: p.file, Line: 1, Err: fmt.Errorf("search: query %s: %w", p.meta.Search, err)}
	}
	ai, wi, ni, si, oi := res.column("aliases"), res.column("weight"), res.column("name"), res.column("same"), res.column("note")
	s := &pageSearch{}
	if p.family != nil {
		if ai < 0 && wi < 0 {
			return fail(fmt.Errorf("no column aliases or weight (columns: %s)", strings.Join(res.columns, ", ")))
		}
		if len(res.rows) > 0 {
			row := res.rows[0]
			s.aliases = searchAliases(row, ai)
			w, err := searchWeight(row, wi)
			if err != nil {
				return fail(err)
			}
			s.weight = w
		}
		p.search = s
		return nil
	}
	if ni < 0 && si < 0 {
		return fail(fmt.Errorf("no column name or same (columns: %s)", strings.Join(res.columns, ", ")))
	}
	for _, row := range res.rows {
		if si >= 0 {
			if words := searchAliases(row, si); len(words) > 1 {
				s.same = append(s.same, words)
			}
		}
		if ni < 0 {
			continue
		}
		name := cutName(strings.TrimSpace(formatValue(row[ni])))
		if name == "" {
			continue
		}
		w, err := searchWeight(row, wi)
		if err != nil {
			return fail(err)
		}
		e := searchEntry{Title: name, Aliases: searchAliases(row, ai), Weight: w}
		if oi >= 0 && row[oi] != nil {
			e.Note = cutName(strings.TrimSpace(formatValue(row[oi])))
		}
		s.entries = append(s.entries, e)
	}
	p.search = s
	return nil
}

// maxSearchName is the longest name, in bytes, the search index keeps
// whole: a longer entry name is cut (see [cutName]) and a longer alias
// left out, so that a company named with a megabyte of text does not make
// a megabyte of index.
const maxSearchName = 200

// cutName returns s cut to at most maxSearchName bytes, at a character
// boundary, with "…" when cut.
func cutName(s string) string {
	if len(s) <= maxSearchName {
		return s
	}
	cut := maxSearchName
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// searchAliases splits column c of row ("a|b|c") into its distinct names,
// lower case; nil when c is -1 or the value is NULL or empty.
func searchAliases(row []any, c int) []string {
	if c < 0 {
		return nil
	}
	s, _ := row[c].(string)
	var out []string
	seen := map[string]bool{}
	for a := range strings.SplitSeq(s, "|") {
		a = strings.ToLower(strings.Join(strings.Fields(a), " "))
		if a != "" && len(a) <= maxSearchName && !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

// searchWeight is column c of row as a number: 0 when c is -1 or the value
// is NULL.
func searchWeight(row []any, c int) (float64, error) {
	if c < 0 {
		return 0, nil
	}
	switch x := row[c].(type) {
	case nil:
		return 0, nil
	case int64:
		return float64(x), nil
	case float64:
		return math.Round(x*100) / 100, nil
	default:
		return 0, errors.New("column weight: want a number, got " + formatValue(x))
	}
}

// searchIndex returns search.json for the pages: a JSON object whose pages
// are one entry per page and per row of the pages' search queries, sorted
// by URL (the home page first), then title, one entry a line. encoding/json
// escapes <, > and &.
func searchIndex(pages []*page, byURL map[string]*page) ([]byte, error) {
	idx := searchIndexJSON{Same: [][]string{}, Pages: make([]searchEntry, 0, len(pages))}
	for _, p := range pages {
		u := strings.TrimPrefix(p.url, "/")
		if u == "" {
			u = "./"
		}
		e := searchEntry{Title: p.meta.Title, URL: u, Description: p.meta.Description, Section: sectionOf(p, byURL)}
		if p.family != nil {
			e.Description = ""
		}
		if s := p.search; s != nil {
			e.Aliases, e.Weight = dropTitle(s.aliases, e.Title), s.weight
			for _, x := range s.entries {
				x.URL, x.Section, x.Aliases = u, p.meta.Title, dropTitle(x.Aliases, x.Title)
				idx.Pages = append(idx.Pages, x)
			}
			idx.Same = append(idx.Same, s.same...)
		}
		idx.Pages = append(idx.Pages, e)
	}
	sort.SliceStable(idx.Pages, func(i, j int) bool {
		a, b := idx.Pages[i], idx.Pages[j]
		if a.URL != b.URL {
			return searchKey(a.URL) < searchKey(b.URL)
		}
		return a.Title < b.Title
	})
	var b bytes.Buffer
	same, err := json.Marshal(idx.Same)
	if err != nil {
		return nil, fmt.Errorf("site: %s: encode same: %w", searchFile, err)
	}
	b.WriteString(`{"same":`)
	b.Write(same)
	b.WriteString(`,"pages":[`)
	for i, e := range idx.Pages {
		line, err := json.Marshal(e)
		if err != nil {
			return nil, fmt.Errorf("site: %s: encode %s: %w", searchFile, e.URL, err)
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n")
		b.Write(line)
	}
	b.WriteString("\n]}\n")
	return b.Bytes(), nil
}

// dropTitle returns aliases without the title itself in lower case: the
// browser finds the title anyway.
func dropTitle(aliases []string, title string) []string {
	t := strings.ToLower(strings.Join(strings.Fields(title), " "))
	var out []string
	for _, a := range aliases {
		if a != t {
			out = append(out, a)
		}
	}
	return out
}

// searchKey orders index entries by URL, the home page first.
func searchKey(u string) string {
	if u == "./" {
		return ""
	}
	return u
}
