package site

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"go.yaml.in/yaml/v3"
)

// ContentError is a problem in one content file: a page or a query file. The
// build stops at the first one.
type ContentError struct {
	// File is the path of the file as the user knows it, e.g.
	// content/index.md for the embedded content or the folder's path joined
	// with the page's.
	File string
	// Line is the 1-based line at fault, 0 when not known.
	Line int
	// Err is the cause.
	Err error
}

// Error returns "site: FILE:LINE: cause".
func (e *ContentError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("site: %s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("site: %s: %v", e.File, e.Err)
}

// Unwrap returns the cause.
func (e *ContentError) Unwrap() error { return e.Err }

// queriesDir is the folder of shared query files inside the content folder.
const queriesDir = "queries"

// page is one Markdown page of the content folder, from parsing to rendering.
type page struct {
	file string // path shown in messages, e.g. content/index.md
	url  string // "/" or "/about/"
	out  string // output path: index.html or about/index.html

	meta    frontMatter
	queries []*pageQuery // sorted by name

	body     []byte   // Markdown after the front matter
	bodyLine int      // line of the file where body starts
	doc      ast.Node // parsed body, data blocks in place
	blocks   []*dataBlock
	results  map[string]*result // by query name, after runQueries
	extra    []byte             // HTML after the body, made by the build (the data page's tables)

	tmpl  *templated // for a templated page file: it makes the pages, is not one
	root  string     // the site root for links, when not relative (404.html)
	prose bool       // the body has ${...} values or ::: directives (see page_values.go)

	// Of a page made by a templated page file: the file's templated, and
	// the page's row of the pages query as PostgreSQL text ("NULL" for
	// NULL), for the SQL section (see page_sql.go).
	family *templated
	params []string

	search *pageSearch // what the page adds to the search index (see build_search.go)
}

// frontMatter is the YAML header of a page.
type frontMatter struct {
	Title       string                 `yaml:"title"`
	Description string                 `yaml:"description"`
	Nav         int                    `yaml:"nav"`
	Queries     map[string]querySource `yaml:"queries"`
	// Pages names the query whose rows make the pages of a templated page
	// file ([name].md); other pages must not set it.
	Pages string `yaml:"pages"`
	// Search names the query that gives the search index the page's aliases
	// and weight, or entries of its own (see build_search.go).
	Search string `yaml:"search"`
}

// pageQuery is a named query of a page.
type pageQuery struct {
	name string
	sql  string
	from string // where the SQL is: a query file's path, or "inline"
	file string // the query file's path in the content folder (queries/x.sql), "" for inline SQL
	line int    // line of the page where the query is declared
	by   string // of a templated page: the column that splits the result between its pages
}

// querySource is a query of the front matter: SQL or a query file name, or
// a mapping with sql: and, for a templated page, by: (see [templated]).
type querySource struct {
	SQL string `yaml:"sql"`
	By  string `yaml:"by"`
}

// UnmarshalYAML accepts a string (the SQL or file name) or a mapping.
func (q *querySource) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		return n.Decode(&q.SQL)
	}
	type plain querySource
	var v plain
	dec := n.Decode
	if err := dec(&v); err != nil {
		return err
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; k != "sql" && k != "by" {
			return fmt.Errorf("line %d: query: unknown key %q (sql, by)", n.Content[i].Line, k)
		}
	}
	*q = querySource(v)
	return nil
}

// queryName is the form of query names: they are used in blocks and URLs.
var queryName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// loadPages reads and parses every page of the content folder fsys, named
// root in messages. Pages are returned in output path order.
func loadPages(fsys fs.FS, root string) ([]*page, error) {
	var pages []*page
	byURL := map[string]string{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("site: read content %s: %w", root, err)
		}
		if d.IsDir() {
			if name == queriesDir || (name != "." && strings.HasPrefix(d.Name(), ".")) {
				return fs.SkipDir
			}
			return nil
		}
		if path.Ext(name) != ".md" || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		p, err := loadPage(fsys, root, name)
		if err != nil {
			return err
		}
		if other, ok := byURL[p.url]; ok {
			return &ContentError{File: p.file, Err: fmt.Errorf("same URL %s as %s", p.url, other)}
		}
		byURL[p.url] = p.file
		pages = append(pages, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if _, ok := byURL["/"]; !ok {
		return nil, fmt.Errorf("site: content %s: no index.md: the home page is missing", root)
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].out < pages[j].out })
	return pages, nil
}

// sortPages sorts pages by output path and checks that no two have the same
// URL: a templated page may make the URL of another page.
func sortPages(pages []*page) ([]*page, error) {
	sort.SliceStable(pages, func(i, j int) bool { return pages[i].out < pages[j].out })
	for i := 1; i < len(pages); i++ {
		if a, b := pages[i-1], pages[i]; a.url == b.url {
			if a.file == b.file {
				return nil, &ContentError{File: a.file, Err: fmt.Errorf("makes %s twice", a.url)}
			}
			return nil, &ContentError{File: b.file, Err: fmt.Errorf("makes %s, the URL of %s", b.url, a.file)}
		}
	}
	return pages, nil
}

// displayPath is the path of a content file as the user knows it.
func displayPath(root, name string) string {
	return filepath.Join(root, filepath.FromSlash(name))
}

// loadPage reads one page: front matter, queries and Markdown blocks.
func loadPage(fsys fs.FS, root, name string) (*page, error) {
	p := &page{file: displayPath(root, name)}
	param, err := parseTemplated(name)
	if err != nil {
		return nil, &ContentError{File: p.file, Err: err}
	}
	p.url, p.out = pageURL(name)
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, &ContentError{File: p.file, Err: unwrapPath(err)}
	}
	fm, body, bodyLine, err := splitFrontMatter(src)
	if err != nil {
		return nil, &ContentError{File: p.file, Line: 1, Err: err}
	}
	p.body, p.bodyLine = body, bodyLine
	p.prose = hasDynamicProse(body)
	if err := p.parseFrontMatter(fsys, root, fm); err != nil {
		return nil, err
	}
	if err := p.parseBody(); err != nil {
		return nil, err
	}
	switch {
	case param != "" && p.meta.Pages == "":
		return nil, &ContentError{File: p.file, Line: 1, Err: fmt.Errorf(
			"front matter: pages is missing: a templated page names the query whose rows make its pages (one per %s)", param)}
	case param == "" && p.meta.Pages != "":
		return nil, &ContentError{File: p.file, Line: 1, Err: errors.New(
			"front matter: pages is only for templated pages, named [name].md")}
	case param == "":
		for _, q := range p.queries {
			if q.by != "" {
				return nil, &ContentError{File: p.file, Line: q.line, Err: fmt.Errorf(
					"query %s: by is only for templated pages, named [name].md", q.name)}
			}
		}
	default:
		pq := p.query(p.meta.Pages)
		if pq == nil {
			return nil, &ContentError{File: p.file, Line: 1, Err: fmt.Errorf(
				"front matter: pages: query %q is not declared (queries: %s)", p.meta.Pages, p.queryNames())}
		}
		p.tmpl = &templated{param: param, pages: pq}
	}
	if err := p.checkSearchQuery(); err != nil {
		return nil, err
	}
	return p, nil
}

// pageURL maps a content path to its pretty URL and output file:
// index.md is /, about.md is /about/, jobs/index.md is /jobs/.
func pageURL(name string) (url, out string) {
	dir, base := path.Split(strings.TrimSuffix(name, ".md"))
	if base != "index" {
		dir += base + "/"
	}
	return "/" + dir, dir + "index.html"
}

// splitFrontMatter separates the YAML front matter between two "---" lines
// from the Markdown body, and returns the 1-based line where the body starts.
func splitFrontMatter(src []byte) (fm, body []byte, bodyLine int, err error) {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	first, rest, ok := bytes.Cut(src, []byte("\n"))
	if !ok || string(bytes.TrimRight(first, " \t\r")) != "---" {
		return nil, nil, 0, errors.New(`front matter missing: a page starts with a "---" line, YAML (title: ...), and another "---" line`)
	}
	line := 2
	for off := 0; off < len(rest); line++ {
		end := bytes.IndexByte(rest[off:], '\n')
		next := len(rest)
		if end >= 0 {
			next = off + end + 1
		}
		if l := bytes.TrimRight(rest[off:next], " \t\r\n"); string(l) == "---" {
			return rest[:off], rest[next:], line + 1, nil
		}
		off = next
	}
	return nil, nil, 0, errors.New(`front matter not closed: no "---" line after it`)
}

// parseFrontMatter decodes the YAML header strictly (unknown keys are errors)
// and resolves the page's queries.
func (p *page) parseFrontMatter(fsys fs.FS, root string, fm []byte) error {
	if err := decodeStrict(fm, &p.meta); err != nil {
		line, err := yamlProblem(err, 2)
		return &ContentError{File: p.file, Line: line, Err: fmt.Errorf("front matter: %w", err)}
	}
	if strings.TrimSpace(p.meta.Title) == "" {
		return &ContentError{File: p.file, Line: 1, Err: errors.New("front matter: title is missing")}
	}
	lines := queryLines(fm)
	for name, src := range p.meta.Queries {
		val := src.SQL
		q := &pageQuery{name: name, line: lines[name] + 1, from: "inline", by: src.By}
		if !queryName.MatchString(name) {
			return &ContentError{File: p.file, Line: q.line,
				Err: fmt.Errorf("query name %q: use lower case letters, digits and _", name)}
		}
		if v := strings.TrimSpace(val); strings.HasSuffix(v, ".sql") && !strings.ContainsAny(v, " \t\n") {
			file := path.Join(queriesDir, v)
			q.from, q.file = displayPath(root, file), file
			if !fs.ValidPath(file) || !strings.HasPrefix(file, queriesDir+"/") {
				return &ContentError{File: p.file, Line: q.line, Err: fmt.Errorf("query %s: bad file name %q", name, v)}
			}
			b, err := fs.ReadFile(fsys, file)
			if err != nil {
				var pe *fs.PathError
				if errors.As(err, &pe) {
					err = pe.Err
				}
				return &ContentError{File: p.file, Line: q.line, Err: fmt.Errorf("query %s: read %s: %w", name, q.from, err)}
			}
			val = string(b)
		}
		q.sql = strings.TrimSpace(val)
		if q.sql == "" {
			return &ContentError{File: p.file, Line: q.line, Err: fmt.Errorf("query %s: empty SQL", name)}
		}
		p.queries = append(p.queries, q)
	}
	sort.Slice(p.queries, func(i, j int) bool { return p.queries[i].name < p.queries[j].name })
	return nil
}

// queryLines finds the line (relative to the front matter) of each query
// name, for messages. Lines it cannot find are 0.
func queryLines(fm []byte) map[string]int {
	lines := map[string]int{}
	var doc yaml.Node
	if yaml.Unmarshal(fm, &doc) != nil || len(doc.Content) == 0 {
		return lines
	}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value != "queries" {
			continue
		}
		qs := top.Content[i+1]
		for j := 0; j+1 < len(qs.Content); j += 2 {
			lines[qs.Content[j].Value] = qs.Content[j].Line
		}
	}
	return lines
}

// yamlLine and yamlUnknown read YAML error messages.
var (
	yamlLine    = regexp.MustCompile(`^line (\d+): `)
	yamlUnknown = regexp.MustCompile(`^field (\S+) not found$`)
)

// yamlProblem turns a YAML decoding error into a message for the author and
// the line of the file at fault, given the file line of the YAML's first
// line. Of several problems it keeps the first; Go type names are dropped.
func yamlProblem(err error, firstLine int) (int, error) {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: unmarshal errors:\n")
	msg = strings.TrimPrefix(strings.TrimSpace(msg), "yaml: ")
	msg, _, _ = strings.Cut(msg, "\n")
	if i := strings.Index(msg, " in type "); i > 0 {
		msg = msg[:i]
	}
	line := firstLine
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		line = firstLine + n - 1
		msg = msg[len(m[0]):]
	}
	if m := yamlUnknown.FindStringSubmatch(msg); m != nil {
		msg = fmt.Sprintf("unknown key %q", m[1])
	}
	return line, errors.New(msg)
}

// query returns the page's query of that name, or nil.
func (p *page) query(name string) *pageQuery {
	for _, q := range p.queries {
		if q.name == name {
			return q
		}
	}
	return nil
}
