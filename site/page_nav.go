package site

import (
	"strings"
)

// Where a page is in the site. Its section is the page of its URL's first
// folder (/roles/ for /roles/backend-engineer/): the navigation marks the
// section's entry, search.json names it, and a page two or more folders
// down gets a breadcrumb of its ancestors that are pages: Home › Roles ›
// Backend Engineer.

// navLink is one entry of the navigation.
type navLink struct {
	Title string
	Href  string
	// Current marks the page itself (aria-current="page"), Section a page
	// of the entry's folder (aria-current="true").
	Current bool
	Section bool
}

// crumb is one step of a breadcrumb; the last, the page itself, has no
// Href.
type crumb struct {
	Title string
	Href  string
}

// relHref returns the link from a page whose root is root to the page at
// url (/ or /a/b/).
func relHref(root, url string) string {
	href := root + strings.TrimPrefix(url, "/")
	if href == "" {
		return "./"
	}
	return href
}

// navLinks returns the navigation as seen from p: the entry of p itself is
// current, and the entry whose folder holds p, the deepest when several do,
// is its section.
func navLinks(p *page, nav []*page, root string) []navLink {
	section := -1
	for i, n := range nav {
		if n != p && n.url != "/" && strings.HasPrefix(p.url, n.url) &&
			(section < 0 || len(n.url) > len(nav[section].url)) {
			section = i
		}
	}
	links := make([]navLink, 0, len(nav))
	for i, n := range nav {
		links = append(links, navLink{Title: n.meta.Title, Href: relHref(root, n.url), Current: n == p, Section: i == section})
	}
	return links
}

// breadcrumb returns the breadcrumb of a page two or more folders down
// (nil for others): the home page, each ancestor folder that is a page,
// and the page.
func breadcrumb(p *page, pages map[string]*page, root string) []crumb {
	segs := strings.Split(strings.Trim(p.url, "/"), "/")
	if p.url == "/" || len(segs) < 2 || !strings.HasSuffix(p.url, "/") {
		return nil
	}
	crumbs := []crumb{{Title: "Home", Href: relHref(root, "/")}}
	for i := 1; i < len(segs); i++ {
		u := "/" + strings.Join(segs[:i], "/") + "/"
		if a := pages[u]; a != nil {
			crumbs = append(crumbs, crumb{Title: a.meta.Title, Href: relHref(root, u)})
		}
	}
	return append(crumbs, crumb{Title: p.meta.Title})
}

// sectionOf returns the title of the page of p's first folder: "" for the
// home page, for that page itself, and when that folder is no page.
func sectionOf(p *page, pages map[string]*page) string {
	first, _, _ := strings.Cut(strings.Trim(p.url, "/"), "/")
	if first == "" {
		return ""
	}
	if s := pages["/"+first+"/"]; s != nil && s != p {
		return s.meta.Title
	}
	return ""
}
