package site

import (
	"encoding/json"
	"fmt"
	"strings"
)

// linkPages makes the chart's categories links to the pages of its link
// pattern: v.Links maps each category, as the chart labels it, to its page
// (site.js opens it when the category's mark is clicked), and the chart's
// data table links the category's cells, for keyboards and screen readers.
// As for tables, a link to a page the build does not make fails the build;
// a category whose value makes no slug links nowhere.
func (s *chartSpec) linkPages(v *chartView, res *result, root string, urls map[string]*page) error {
	if s.Link == "" || v.Empty {
		return nil
	}
	xi, ti := res.column(s.X), -1
	for i, c := range v.Table.Columns {
		if c.Name == s.X {
			ti = i
		}
	}
	links := make(map[string]string, len(res.rows))
	for r, row := range res.rows {
		u := href(s.Link, res, row, urls)
		if u == "" {
			continue
		}
		if urls[u] == nil {
			return fmt.Errorf("link: row %d links to %s, which is not a page of the site", r+1, u)
		}
		rel := root + strings.TrimPrefix(u, "/")
		name := formatValue(row[xi])
		if prev, ok := links[name]; ok && prev != rel {
			return fmt.Errorf("link: %s %q links to two pages, %s and %s: link by the column x", s.X, name, prev, rel)
		}
		links[name] = rel
		if ti >= 0 {
			v.Table.Rows[r][ti].Href, v.Table.Rows[r][ti].Hint = rel, strings.ToLower(s.X)
		}
	}
	if len(links) == 0 {
		return nil
	}
	if v.Static != nil {
		for i, b := range v.Static.Bars {
			v.Static.Bars[i].Href, v.Static.Bars[i].Hint = links[b.Label], strings.ToLower(s.X)
		}
		return nil
	}
	js, err := json.Marshal(links)
	if err != nil {
		return fmt.Errorf("link: %w", err)
	}
	v.Links = string(js)
	return nil
}
