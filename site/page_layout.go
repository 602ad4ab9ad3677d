package site

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"sort"
	"strings"
	"time"
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
// for the hashed path of an asset.
func parseLayouts(fsys fs.FS, assets *assetSet) (*layout, error) {
	t, err := template.New("").Funcs(template.FuncMap{"asset": assets.path}).ParseFS(fsys, "layouts/*.html")
	if err != nil {
		return nil, fmt.Errorf("site: parse templates layouts: %w", err)
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
	urls  map[string]bool // of every page, for links
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
	Content   template.HTML
	HasCharts bool
	Sample    bool
	Fresh     *freshView
}

// navLink is one entry of the navigation.
type navLink struct {
	Title   string
	Href    string
	Current bool
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
	var values []string
	if p.prose {
		q := *p // the expanded body and its blocks belong to this rendering only
		md, vals, err := p.expandProse()
		if err != nil {
			return nil, err
		}
		q.body, q.blocks, q.hasChart, values = md, nil, false, vals
		if err := q.parseBody(); err != nil {
			return nil, err
		}
		p = &q
	}
	if err := l.renderBlocks(p, root, pc.urls); err != nil {
		return nil, err
	}
	body, err := p.renderBody()
	if err != nil {
		return nil, err
	}
	if p.prose {
		if body, err = putValues(body, values); err != nil {
			return nil, &ContentError{File: p.file, Err: err}
		}
	}
	d := layoutData{
		Title:       p.meta.Title,
		Description: p.meta.Description,
		Root:        root,
		URL:         p.url,
		Content:     template.HTML(body), // goldmark output: raw HTML disabled, blocks from html/template
		HasCharts:   p.hasChart,
		Sample:      pc.cfg.Sample || (pc.fresh != nil && pc.fresh.Sample),
	}
	if d.Description == "" {
		d.Description = d.Title
	}
	if pc.cfg.BaseURL != "" {
		d.Canonical = strings.TrimSuffix(pc.cfg.BaseURL, "/") + p.url
	}
	for _, n := range pc.nav {
		href := root + strings.TrimPrefix(n.url, "/")
		if href == "" {
			href = "./"
		}
		d.Nav = append(d.Nav, navLink{Title: n.meta.Title, Href: href, Current: n == p})
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
// path from the page to the site root; urls are the site's pages.
func (l *layout) renderBlocks(p *page, root string, urls map[string]bool) error {
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
			data, err = b.chart.view(fmt.Sprintf("chart-%d", charts), p.results[b.chart.Query])
		case b.table != nil:
			name = layoutTable
			data, err = tableWithLinks(b.table, p.results[b.table.Query], root, urls)
		}
		if err == nil {
			err = l.t.ExecuteTemplate(&buf, name, data)
		}
		if err != nil {
			return &ContentError{File: p.file, Line: b.line, Err: fmt.Errorf("%s: %w", b.kind, err)}
		}
		if !bytes.HasSuffix(buf.Bytes(), []byte("\n")) {
			buf.WriteByte('\n')
		}
		b.html = buf.Bytes()
	}
	return nil
}

// tableWithLinks makes the view of a table block, with its links: each must
// lead to a page of the site.
func tableWithLinks(spec *tableSpec, res *result, root string, urls map[string]bool) (tableView, error) {
	v, err := newTableView(spec.Title, res, spec.Columns).withData(spec.Query, res)
	if err != nil {
		return v, err
	}
	v.Interactive = true
	for i, c := range v.Columns {
		pattern, ok := spec.Link[c.Name]
		if !ok {
			continue
		}
		for r, row := range res.rows {
			u := href(pattern, res, row)
			if u == "" {
				continue
			}
			if !urls[u] {
				return v, fmt.Errorf("link %s: row %d links to %s, which is not a page of the site", c.Name, r+1, u)
			}
			v.Rows[r][i].Href = root + strings.TrimPrefix(u, "/")
		}
	}
	return v, nil
}
