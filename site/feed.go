package site

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"
)

// The feed: changes.atom at the site root, an Atom feed (RFC 4287) with an
// entry for each of the latest runs (see feed_query.go for what an entry
// counts). Every page links to it with <link rel="alternate">.
//
// Ids are tag URIs (RFC 4151) made of the host and path of site.base_url
// (jobpulse.invalid and / without one) and, for an entry, the date and id of
// its run: tag:jobs.example.org,2026-11-29:/changes/20261129T012823Z-3f9a.
// They never change for a run, so a feed reader shows each night once.
// An entry is updated when its run finished. Links are absolute under
// site.base_url, else relative to the feed, which Atom allows (a reader
// resolves them against the feed's address). Text from the warehouse
// reaches the feed escaped twice over: html/template escapes it in the
// entry's HTML, which encoding/xml escapes as the text of <content
// type="html">; characters XML cannot hold become U+FFFD.

// feedFile is the feed's path from the site root.
const feedFile = "changes.atom"

// Atom's namespace and the feed's fixed parts.
const (
	atomNS       = "http://www.w3.org/2005/Atom"
	feedTitle    = "jobpulse: what changed each night"
	feedSubtitle = "New and gone job postings per role, and the roles that rose, at each of the latest runs."
	// feedIDDate is the date of the feed's own tag URI: the year the feed
	// began. It never changes, so neither does the feed's id.
	feedIDDate = "2026"
	// feedRoles is the number of roles an entry's table shows.
	feedRoles = 30
)

type atomFeed struct {
	XMLName   xml.Name    `xml:"feed"`
	NS        string      `xml:"xmlns,attr"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle"`
	Updated   string      `xml:"updated"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Links     []atomLink  `xml:"link"`
	Entries   []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Links     []atomLink `xml:"link,omitempty"`
	Summary   string     `xml:"summary"`
	Content   atomText   `xml:"content"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// feedSite is what the feed needs of the site: where it is and its pages.
type feedSite struct {
	base   string // site.base_url with a final /, or ""
	host   string // of the tag URIs
	path   string // the site root's path, with a final /
	urls   map[string]*page
	sample bool
}

func newFeedSite(cfg BuildConfig, urls map[string]*page, sample bool) (feedSite, error) {
	s := feedSite{host: "jobpulse.invalid", path: "/", urls: urls, sample: sample}
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil {
			return s, fmt.Errorf("site: site.base_url: %w", err)
		}
		s.base = strings.TrimSuffix(cfg.BaseURL, "/") + "/"
		s.host = strings.ToLower(u.Hostname())
		s.path = strings.TrimSuffix(u.EscapedPath(), "/") + "/"
	}
	return s, nil
}

// link returns the link to a URL from the site root (/changes/): absolute
// under the base URL, else relative to the feed at the site root.
func (s feedSite) link(u string) string {
	rel := strings.TrimPrefix(u, "/")
	if s.base != "" {
		return s.base + rel
	}
	if rel == "" {
		return "./"
	}
	return rel
}

// page returns the link to the page at u, or "" when the site has none.
func (s feedSite) page(u string) string {
	if s.urls[u] == nil {
		return ""
	}
	return s.link(u)
}

// rolePage returns the link to a role's page (/roles/<slug>/, see
// pageSlugs), or "" when the site has none.
func (s feedSite) rolePage(role string) string {
	if sl := slug(role); sl != "" && len(sl) <= maxSlug {
		if l := s.page("/roles/" + sl + "/"); l != "" {
			return l
		}
	}
	return s.page("/roles/" + hashedSlug(role) + "/")
}

// tag returns a tag URI of the site.
func (s feedSite) tag(date, specific string) string {
	return "tag:" + s.host + "," + date + ":" + s.path + specific
}

// atomTime formats a time as Atom's dates are: RFC 3339, in UTC.
func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// feedXML returns the feed of the runs, the latest first. updated is the
// feed's time when it has no entry.
func feedXML(runs []*feedRun, s feedSite, updated time.Time) ([]byte, error) {
	f := atomFeed{
		NS: atomNS, ID: s.tag(feedIDDate, feedFile), Title: feedTitle, Subtitle: feedSubtitle,
		Author: atomPerson{Name: "jobpulse", URI: s.base}, Generator: "jobpulse",
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: s.link("/" + feedFile)}},
	}
	if s.sample {
		f.Title += " (sample data)"
	}
	changes := s.page("/changes/")
	if changes == "" {
		changes = s.link("/")
	}
	f.Links = append(f.Links, atomLink{Rel: "alternate", Type: "text/html", Href: changes})
	if len(runs) > 0 {
		updated = runs[0].Finished
	}
	f.Updated = atomTime(updated)
	for _, r := range runs {
		e, err := s.entry(r)
		if err != nil {
			return nil, err
		}
		f.Entries = append(f.Entries, e)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", " ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("site: %s: %w", feedFile, err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// entry returns the feed's entry of one run. Its content says it all; it
// links to the Changes page as related, not as its alternate: that page
// shows the latest run only, and an entry stays the same once written.
func (s feedSite) entry(r *feedRun) (atomEntry, error) {
	v := s.entryView(r)
	var body bytes.Buffer
	if err := feedEntryTemplate.Execute(&body, v); err != nil {
		return atomEntry{}, fmt.Errorf("site: %s: entry of run %s: %w", feedFile, r.ID, err)
	}
	title := fmt.Sprintf("%s: %s, %s gone", r.Started.Format("2 Jan 2006, 15:04 UTC"),
		newPostings(r.NewTotal), formatValue(int64(r.GoneTotal)))
	if r.Sample || s.sample {
		title += " (sample data)"
	}
	e := atomEntry{
		ID:        s.tag(r.Started.Format(time.DateOnly), "changes/"+r.ID),
		Title:     title,
		Updated:   atomTime(r.Finished),
		Published: atomTime(r.Finished),
		Summary:   v.summary(),
		Content:   atomText{Type: "html", Body: body.String()},
	}
	if l := s.page("/changes/"); l != "" {
		e.Links = []atomLink{{Rel: "related", Type: "text/html", Href: l}}
	}
	return e, nil
}

// newPostings says "1 new posting" or "1,234 new postings".
func newPostings(n int) string {
	if n == 1 {
		return "1 new posting"
	}
	return formatValue(int64(n)) + " new postings"
}

// sourcesText names the sources a run compared: "remotive", or "each
// source (arbeitnow, remotive)".
func sourcesText(sources []string) string {
	if len(sources) == 1 {
		return sources[0]
	}
	return "each source (" + strings.Join(sources, ", ") + ")"
}

// feedEntryView is what feedEntryTemplate renders: plain text and links,
// which the template escapes.
type feedEntryView struct {
	Sources           string // the sources compared, see sourcesText
	NewText, GoneText string // "3 new postings", "2"
	Back              int    // postings back: gone for a while, listed again
	Rising            []feedRoleView
	RisingText        string
	Roles             []feedRoleView // at most feedRoles
	MoreRoles         int
	NewList, GoneList []feedPostingView
	MoreNew, MoreGone int    // new and gone postings not listed
	Changes, Trends   string // links to the pages, "" when the site has none
	NothingChanged    bool
	SampleData        bool
}

type feedRoleView struct {
	Role, Href                   string
	New, Gone, Back, Before, Now int
	Change                       string // +3, -2, 0
}

type feedPostingView struct {
	Role, RoleHref, Title, Href, Company string
}

// entryView prepares an entry's content.
func (s feedSite) entryView(r *feedRun) feedEntryView {
	v := feedEntryView{
		Sources: sourcesText(r.Sources),
		NewText: newPostings(r.NewTotal), GoneText: formatValue(int64(r.GoneTotal)), Back: r.BackTotal,
		Changes: s.page("/changes/"), Trends: s.page("/trends/"), SampleData: r.Sample || s.sample,
		MoreNew: r.NewTotal - len(r.New), MoreGone: r.GoneTotal - len(r.Gone),
	}
	for _, ro := range r.Roles {
		if ro.Role == "" || (ro.New == 0 && ro.Gone == 0 && ro.Back == 0 && ro.change() == 0) {
			continue
		}
		rv := feedRoleView{Role: ro.Role, Href: s.rolePage(ro.Role), New: ro.New, Gone: ro.Gone, Back: ro.Back,
			Before: ro.Before, Now: ro.Now, Change: signed(ro.change())}
		if len(v.Roles) < feedRoles {
			v.Roles = append(v.Roles, rv)
		} else {
			v.MoreRoles++
		}
		if ro.change() > 0 && len(v.Rising) < 5 {
			v.Rising = append(v.Rising, rv)
		}
	}
	// Roles come by the size of their move (see sortRoles): the rising
	// ones, by how much they rose.
	names := make([]string, len(v.Rising))
	for i, ro := range v.Rising {
		names[i] = ro.Role + " (" + ro.Change + ")"
	}
	v.RisingText = strings.Join(names, ", ")
	posting := func(p feedPosting) feedPostingView {
		pv := feedPostingView{Role: p.Role, Title: p.Title, Company: p.Company, Href: externalURL(p.URL)}
		if p.Role != "" {
			pv.RoleHref = s.rolePage(p.Role)
		}
		return pv
	}
	for _, p := range r.New {
		v.NewList = append(v.NewList, posting(p))
	}
	for _, p := range r.Gone {
		v.GoneList = append(v.GoneList, posting(p))
	}
	v.NothingChanged = r.NewTotal == 0 && r.GoneTotal == 0 && len(v.Roles) == 0
	return v
}

// summary is the entry's summary, as text.
func (v feedEntryView) summary() string {
	s := fmt.Sprintf("%s and %s gone since the previous run of %s", v.NewText, v.GoneText, v.Sources)
	if v.Back > 0 {
		s += fmt.Sprintf(", and %s back (listed again after a time gone)", formatValue(int64(v.Back)))
	}
	s += "."
	if v.RisingText != "" {
		s += " Rising roles: " + v.RisingText + "."
	}
	return s
}

// signed writes n with its sign: +3, -2, 0.
func signed(n int) string {
	if n > 0 {
		return "+" + formatValue(int64(n))
	}
	return formatValue(int64(n))
}

// feedEntryTemplate is the HTML of an entry's content.
var feedEntryTemplate = template.Must(template.New("entry").Parse(`
{{- if .SampleData}}<p><strong>Sample data:</strong> real postings captured once and replayed night by night; the dates and changes are simulated, not today&#39;s job market.</p>
{{end -}}
<p>{{.NewText}} and {{.GoneText}} gone since the previous run of {{.Sources}}
{{- if .Back}}, and {{.Back}} back (listed again after a time gone){{end}}.
{{- with .RisingText}} Rising roles: {{.}}.{{end}}</p>
{{- if .NothingChanged}}
<p>Nothing changed.</p>
{{- end}}
{{- with .Roles}}
<table>
<thead><tr><th>Role</th><th>Before</th><th>New</th><th>Back</th><th>Gone</th><th>Now</th><th>Change</th></tr></thead>
<tbody>
{{- range .}}
<tr><td>{{if .Href}}<a href="{{.Href}}">{{.Role}}</a>{{else}}{{.Role}}{{end}}</td><td>{{.Before}}</td><td>{{.New}}</td><td>{{.Back}}</td><td>{{.Gone}}</td><td>{{.Now}}</td><td>{{.Change}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- if .MoreRoles}}
<p>And {{.MoreRoles}} more roles.</p>
{{- end}}
<p>Before and Now count the postings the previous run and this run saw: Before + New + Back − Gone = Now, unless a run that failed between the two saw postings the previous run did not. Back counts postings listed again after a time gone. A title that names no known role counts in the totals only.</p>
{{- with .NewList}}
<h3>New postings</h3>
<ul>
{{- range .}}
<li>{{template "posting" .}}</li>
{{- end}}
</ul>
{{- end}}
{{- if gt .MoreNew 0}}
<p>And {{.MoreNew}} more new postings.</p>
{{- end}}
{{- with .GoneList}}
<h3>Gone</h3>
<ul>
{{- range .}}
<li>{{template "posting" .}}</li>
{{- end}}
</ul>
{{- end}}
{{- if gt .MoreGone 0}}
<p>And {{.MoreGone}} more gone postings.</p>
{{- end}}
{{- if or .Changes .Trends}}
<p>{{with .Changes}}<a href="{{.}}">What changed in the latest run</a>{{end}}{{if and .Changes .Trends}} · {{end}}{{with .Trends}}<a href="{{.}}">Trends</a>{{end}}</p>
{{- end}}
{{define "posting"}}{{if .Role}}{{if .RoleHref}}<a href="{{.RoleHref}}">{{.Role}}</a>{{else}}{{.Role}}{{end}}: {{end}}{{if .Href}}<a href="{{.Href}}" rel="nofollow noopener">{{.Title}}</a>{{else}}{{.Title}}{{end}}{{with .Company}}, {{.}}{{end}}{{end}}`))
