package site

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// notFoundFile is the page a server answers for a missing path.
const notFoundFile = "404.html"

// notFoundPage is 404.html, which the server answers for any missing path:
// its links are absolute from the site root (the path of site.base_url, or
// /), since it is served at any depth.
func notFoundPage(cfg BuildConfig) (*page, error) {
	root := "/"
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil {
			return nil, fmt.Errorf("site: site.base_url: %w", err)
		}
		root = strings.TrimSuffix(u.Path, "/") + "/"
	}
	p := &page{
		file: notFoundFile, url: "/" + notFoundFile, out: notFoundFile, root: root,
		meta: frontMatter{Title: "Page not found", Description: "There is no page at this address."},
		body: []byte("# Page not found\n\nThere is no page at this address. The [home page](" + root +
			") leads to every part of the report.\n"),
	}
	if err := p.parseBody(); err != nil {
		return nil, err
	}
	p.results = map[string]*result{}
	return p, nil
}

// sitemap returns sitemap.xml for the pages, with absolute URLs under
// baseURL (the sitemap protocol wants them absolute).
func sitemap(baseURL string, pages []*page) []byte {
	base := strings.TrimSuffix(baseURL, "/")
	locs := make([]string, 0, len(pages))
	for _, p := range pages {
		locs = append(locs, base+p.url)
	}
	sort.Strings(locs)
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, l := range locs {
		b.WriteString("<url><loc>")
		xml.EscapeText(&b, []byte(l)) //nolint:errcheck // a bytes.Buffer does not fail
		b.WriteString("</loc></url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// PageSize is the size of one written page.
type PageSize struct {
	URL   string `json:"url"`
	Bytes int    `json:"bytes"`
}

// heaviest returns the n largest pages, largest first (by URL on ties).
func heaviest(sizes []PageSize, n int) []PageSize {
	sort.Slice(sizes, func(i, j int) bool {
		if sizes[i].Bytes != sizes[j].Bytes {
			return sizes[i].Bytes > sizes[j].Bytes
		}
		return sizes[i].URL < sizes[j].URL
	})
	return sizes[:min(n, len(sizes))]
}
