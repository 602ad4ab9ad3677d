package site

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/jobpulse/jobpulse/templates"
)

// Layout files every templates folder must have under layouts/.
const (
	layoutBase  = "base.html"  // the page frame
	layoutChart = "chart.html" // one chart block
	layoutTable = "table.html" // one table block
)

// layout holds the parsed html/template layouts of the templates folder.
type layout struct {
	t *template.Template
}

// parseLayouts parses layouts/*.html; templates call {{asset "style.css"}}
// for the hashed path of an asset. A templates folder without
// layouts/sql.html gets the embedded one (see page_sql.go).
func parseLayouts(fsys fs.FS, assets *assetSet) (*layout, error) {
	t, err := template.New("").Funcs(template.FuncMap{"asset": assets.path}).ParseFS(fsys, "layouts/*.html")
	if err != nil {
		return nil, fmt.Errorf("site: parse templates layouts: %w", err)
	}
	if t.Lookup(layoutSQL) == nil {
		if t, err = t.ParseFS(templates.FS, "layouts/"+layoutSQL); err != nil {
			return nil, fmt.Errorf("site: parse embedded layouts/%s: %w", layoutSQL, err)
		}
	}
	for _, name := range []string{layoutBase, layoutChart, layoutTable} {
		if t.Lookup(name) == nil {
			return nil, fmt.Errorf("site: templates: layouts/%s is missing", name)
		}
	}
	return &layout{t: t}, nil
}

// pageContext is what every page shares in a build.
type pageContext struct {
	cfg   BuildConfig
	nav   []*page
	fresh *freshness
	urls  map[string]*page // every page by URL, for links
}

// layoutData is what layouts/base.html renders.
type layoutData struct {
	Title       string
	Description string
	// Root is the relative path from the page to the site root ("" or
	// "../"...), so the site works under any prefix; asset paths follow it.
	Root string
	// URL is the page's path from the site root, e.g. /about/.
	URL string
	// Canonical is the page's absolute URL when site.base_url is set.
	Canonical string
	Nav       []navLink
	// Breadcrumb leads from the home page to a page two or more folders
	// down; nil for others.
	Breadcrumb []crumb
	Content    template.HTML
	// Feed links to the Atom feed of each night's changes (changes.atom),
	// Data to the page of the data files (data/); both from the page.
	Feed      string
	Data      string
	HasCharts bool
	Sample    bool
	Fresh     *freshView
}

// freshView is the data-freshness stamp of the footer.
type freshView struct {
	Finished string // for people: 29 Nov 2026, 01:28 UTC
	ISO      string // for <time datetime>
	RunID    string
	Partial  bool
	Sources  []runSource
}

// navigation returns the pages that have a nav position, in its order.
func navigation(pages []*page) []*page {
	var nav []*page
	for _, p := range pages {
		if p.meta.Nav > 0 {
			nav = append(nav, p)
		}
	}
	sort.SliceStable(nav, func(i, j int) bool {
		if nav[i].meta.Nav != nav[j].meta.Nav {
			return nav[i].meta.Nav < nav[j].meta.Nav
		}
		return nav[i].url < nav[j].url
	})
	return nav
}

// renderPage renders the page's blocks, its Markdown body and the base
// layout around them.
func (l *layout) renderPage(p *page, pc pageContext) ([]byte, error) {
	root := strings.Repeat("../", strings.Count(p.out, "/"))
	if p.root != "" {
		root = p.root
	}
	sql, err := l.renderSQL(p)
	if err != nil {
		return nil, err
	}
	var values []string
	if p.prose {
		q := *p // the expanded body and its blocks belong to this rendering only
		md, vals, err := p.expandProse()
		if err != nil {
			return nil, err
		}
		q.body, q.blocks, values = md, nil, vals
		if err := q.parseBody(); err != nil {
			return nil, err
		}
		p = &q
	}
	echarts, err := l.renderBlocks(p, root, pc.urls)
	if err != nil {
		return nil, err
	}
	var blocks [][]byte
	if p.prose {
		// The blocks show data from outside, which can hold the
		// characters of a value's token: they go in with the values.
		for i, b := range p.blocks {
			blocks = append(blocks, b.html)
			b.html = []byte(blockToken(i))
		}
	}
	body, err := p.renderBody()
	if err != nil {
		return nil, err
	}
	if p.prose {
		if body, err = putValues(body, values, blocks); err != nil {
			return nil, &ContentError{File: p.file, Err: err}
		}
	}
	body = append(body, p.extra...)
	body = append(body, sql...)
	d := layoutData{
		Title:       p.meta.Title,
		Description: p.meta.Description,
		Root:        root,
		URL:         p.url,
		Content:     template.HTML(body), // goldmark output: raw HTML disabled, blocks from html/template
		HasCharts:   echarts,
		Nav:         navLinks(p, pc.nav, root),
		Breadcrumb:  breadcrumb(p, pc.urls, root),
		Sample:      pc.cfg.Sample || (pc.fresh != nil && pc.fresh.Sample),
		Feed:        root + feedFile,
		Data:        relHref(root, dataPageURL),
	}
	if d.Description == "" {
		d.Description = d.Title
	}
	if pc.cfg.BaseURL != "" {
		d.Canonical = strings.TrimSuffix(pc.cfg.BaseURL, "/") + p.url
	}
	if f := pc.fresh; f != nil {
		d.Fresh = &freshView{
			Finished: f.Finished.Format("2 Jan 2006, 15:04 UTC"),
			ISO:      f.Finished.Format(time.RFC3339),
			RunID:    f.RunID,
			Partial:  f.Status == "partial",
			Sources:  f.Sources,
		}
	}
	var buf bytes.Buffer
	if err := l.t.ExecuteTemplate(&buf, layoutBase, d); err != nil {
		return nil, &ContentError{File: p.file, Err: fmt.Errorf("layouts/%s: %w", layoutBase, err)}
	}
	return buf.Bytes(), nil
}

// renderBlocks renders each chart and table block of the page with its
// layout; charts are numbered chart-1, chart-2... in page order. root is the
// path from the page to the site root; urls are the site's pages. Each
// block links to its query in the page's SQL section.
func (l *layout) renderBlocks(p *page, root string, urls map[string]*page) (echarts bool, err error) {
	charts := 0
	for _, b := range p.blocks {
		var (
			buf  bytes.Buffer
			err  error
			name string
			data any
		)
		switch {
		case b.chart != nil:
			charts++
			name = layoutChart
			var v chartView
			v, err = b.chart.view(fmt.Sprintf("chart-%d", charts), p.results[b.chart.Query])
			if err == nil {
				err = b.chart.linkPages(&v, p.results[b.chart.Query], root, urls)
			}
			echarts = echarts || (v.Static == nil && !v.Empty)
			v.SQL = newSQLLink(b.chart.Query)
			if !v.Empty {
				v.Files = newDataLink(p, b.chart.Query)
			}
			data = v
		case b.table != nil:
			name = layoutTable
			var v tableView
			v, err = tableWithLinks(b.table, p.results[b.table.Query], root, urls)
			v.SQL = newSQLLink(b.table.Query)
			if !v.Empty {
				v.Files = newDataLink(p, b.table.Query)
			}
			data = v
		}
		if err == nil {
			err = l.t.ExecuteTemplate(&buf, name, data)
		}
		if err != nil {
			return false, &ContentError{File: p.file, Line: b.line, Err: fmt.Errorf("%s: %w", b.kind, err)}
		}
		if !bytes.HasSuffix(buf.Bytes(), []byte("\n")) {
			buf.WriteByte('\n')
		}
		b.html = buf.Bytes()
	}
	return echarts, nil
}

// tableWithLinks makes the view of a table block, with its links: a link
// to a page must lead to a page of the site; a link to a column of URLs
// is made only of the values that are http or https URLs (see
// [externalURL]).
func tableWithLinks(spec *tableSpec, res *result, root string, urls map[string]*page) (tableView, error) {
	v := newTableView(spec.Title, res, spec.Columns)
	v.Interactive = true
	for i, c := range v.Columns {
		pattern, ok := spec.Link[c.Name]
		if !ok {
			continue
		}
		if col, ok := externalColumn(pattern); ok {
			ci := res.column(col)
			for r, row := range res.rows {
				if u := externalURL(row[ci]); u != "" {
					v.Rows[r][i].Href, v.Rows[r][i].External = u, true
				}
			}
			continue
		}
		for r, row := range res.rows {
			u := href(pattern, res, row, urls)
			if u == "" {
				continue
			}
			if urls[u] == nil {
				return v, fmt.Errorf("link %s: row %d links to %s, which is not a page of the site", c.Name, r+1, u)
			}
			v.Rows[r][i].Href = root + strings.TrimPrefix(u, "/")
			v.Rows[r][i].Hint = strings.ToLower(c.Name)
		}
	}
	return v, nil
}
