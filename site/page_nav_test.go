package site

import (
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// navSite is a small site for navigation tests: pages by URL.
func navSite() (map[string]*page, []*page) {
	pages := map[string]*page{}
	for url, title := range map[string]string{
		"/": "Home page", "/roles/": "Roles", "/roles/backend/": "Backend", "/roles/backend/senior/": "Senior",
		"/about/": "About", "/guide/deep/page/": "Deep", "/skills/go/": "Go",
	} {
		pages[url] = &page{url: url, meta: frontMatter{Title: title}}
	}
	pages["/"].meta.Nav, pages["/roles/"].meta.Nav, pages["/about/"].meta.Nav = 1, 2, 3
	var all []*page
	for _, p := range pages {
		all = append(all, p)
	}
	return pages, navigation(all)
}

func TestNavLinks(t *testing.T) {
	pages, nav := navSite()
	tests := []struct {
		name, url, root string
		want            []navLink
	}{
		{name: "home", url: "/", root: "", want: []navLink{
			{Title: "Home page", Href: "./", Current: true}, {Title: "Roles", Href: "roles/"}, {Title: "About", Href: "about/"}}},
		{name: "a nav page", url: "/roles/", root: "../", want: []navLink{
			{Title: "Home page", Href: "../"}, {Title: "Roles", Href: "../roles/", Current: true}, {Title: "About", Href: "../about/"}}},
		{name: "a page of a section", url: "/roles/backend/", root: "../../", want: []navLink{
			{Title: "Home page", Href: "../../"}, {Title: "Roles", Href: "../../roles/", Section: true}, {Title: "About", Href: "../../about/"}}},
		{name: "deeper in a section", url: "/roles/backend/senior/", root: "../../../", want: []navLink{
			{Title: "Home page", Href: "../../../"}, {Title: "Roles", Href: "../../../roles/", Section: true}, {Title: "About", Href: "../../../about/"}}},
		{name: "outside every section", url: "/skills/go/", root: "../../", want: []navLink{
			{Title: "Home page", Href: "../../"}, {Title: "Roles", Href: "../../roles/"}, {Title: "About", Href: "../../about/"}}},
		{name: "404 page, from the root", url: "/404.html", root: "/reports/", want: []navLink{
			{Title: "Home page", Href: "/reports/"}, {Title: "Roles", Href: "/reports/roles/"}, {Title: "About", Href: "/reports/about/"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pages[tt.url]
			if p == nil {
				p = &page{url: tt.url}
			}
			if diff := cmp.Diff(tt.want, navLinks(p, nav, tt.root)); diff != "" {
				t.Errorf("navLinks (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBreadcrumb(t *testing.T) {
	pages, _ := navSite()
	tests := []struct {
		name, url, root string
		want            []crumb
	}{
		{name: "home", url: "/"},
		{name: "first level", url: "/roles/", root: "../"},
		{name: "second level", url: "/roles/backend/", root: "../../",
			want: []crumb{{Title: "Home", Href: "../../"}, {Title: "Roles", Href: "../../roles/"}, {Title: "Backend"}}},
		{name: "third level", url: "/roles/backend/senior/", root: "../../../",
			want: []crumb{{Title: "Home", Href: "../../../"}, {Title: "Roles", Href: "../../../roles/"},
				{Title: "Backend", Href: "../../../roles/backend/"}, {Title: "Senior"}}},
		{name: "folders that are no pages", url: "/guide/deep/page/", root: "../../../",
			want: []crumb{{Title: "Home", Href: "../../../"}, {Title: "Deep"}}},
		{name: "404 page", url: "/404.html", root: "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pages[tt.url]
			if p == nil {
				p = &page{url: tt.url, meta: frontMatter{Title: "Not found"}}
			}
			if diff := cmp.Diff(tt.want, breadcrumb(p, pages, tt.root)); diff != "" {
				t.Errorf("breadcrumb (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSearchIndex(t *testing.T) {
	pages, _ := navSite()
	pages["/roles/backend/"].meta.Description = `Backend <roles> & "more"`
	var all []*page
	for _, p := range pages {
		all = append(all, p)
	}
	got, err := searchIndex(all, pages)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"same":[],"pages":[
{"title":"Home page","url":"./"},
{"title":"About","url":"about/"},
{"title":"Deep","url":"guide/deep/page/"},
{"title":"Roles","url":"roles/"},
{"title":"Backend","url":"roles/backend/","description":"Backend \u003croles\u003e \u0026 \"more\"","section":"Roles"},
{"title":"Senior","url":"roles/backend/senior/","section":"Roles"},
{"title":"Go","url":"skills/go/"}
]}
`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("search.json (-want +got):\n%s", diff)
	}
}

// TestUsedQueries checks which queries a page's SQL section lists, and in
// which order: as the page first uses them, in blocks and in prose, and
// never a query nothing uses.
func TestUsedQueries(t *testing.T) {
	const front = "---\ntitle: T\nqueries:\n  a: SELECT 1 AS n\n  b: SELECT 2 AS n\n  c: SELECT 3 AS n\n  d: SELECT 4 AS n\n  row: SELECT 5 AS n\n---\n"
	tests := []struct {
		name, body string
		want       []string
	}{
		{name: "none", body: "Just prose.\n"},
		{name: "blocks", body: "```table\nquery: c\n```\n\n```chart\ntype: bar\nquery: a\nx: n\ny: n\n```\n\n```table\nquery: c\n```\n",
			want: []string{"c", "a"}},
		{name: "prose and blocks", body: "We have ${b.n}.\n\n```table\nquery: a\n```\n\n:::if d.n > 1\nYes ${c.n[2]}.\n:::end\n",
			want: []string{"b", "a", "d", "c"}},
		{name: "each and row", body: ":::each d\n- ${row.n}\n:::end\n", want: []string{"d", "row"}},
		{name: "if without column", body: ":::if c\nYes.\n:::else\nNo.\n:::end\n", want: []string{"c"}},
		{name: "unknown names are not queries", body: "${zz.n} and ${a.n}\n", want: []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pages, err := loadPages(fstest.MapFS{"index.md": {Data: []byte(front + tt.body)}}, "content")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, q := range pages[0].usedQueries() {
				got = append(got, q.name)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("used queries (-want +got):\n%s", diff)
			}
		})
	}
}
