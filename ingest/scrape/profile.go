package scrape

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"

	"github.com/jobpulse/jobpulse/ingest"
)

// Field says where one value of a posting is on a page: the elements that
// Selector matches (relative to the item on a list page, to the document on a
// detail page), read as text, as the attribute Attr, or as HTML.
type Field struct {
	// Selector is a CSS selector; empty means the item element itself.
	Selector string `mapstructure:"selector"`
	// Attr is the attribute to read (e.g. "href", "datetime"); empty means
	// the element's text, with white space trimmed and collapsed.
	Attr string `mapstructure:"attr"`
	// HTML reads the elements' outer HTML instead of their text (for a
	// description).
	HTML bool `mapstructure:"html"`
	// All reads every matching element instead of the first: each one is a
	// tag for "tags"; other fields join them (", " for text, a newline for
	// HTML).
	All bool `mapstructure:"all"`
	// Required rejects a posting whose value is empty. On a detail field it
	// also rejects a posting whose detail page could not be fetched; without
	// it such a posting is kept without the detail values.
	Required bool `mapstructure:"required"`
}

// Profile describes one job board: where its list starts, where a posting is
// on a list page, where each field is, and how to reach the next list page
// and a posting's detail page. It is decoded from sources.<name> (see
// [DecodeProfile]); the zero values of Robots, Delay and MaxPages are not
// defaults, so start from [NewProfile].
type Profile struct {
	// Name is the source's name (the key under sources), used in lake keys.
	Name    string `mapstructure:"-"`
	Enabled bool   `mapstructure:"enabled"`
	// URL is the start page; every request stays on its scheme, host and port.
	URL string `mapstructure:"url"`
	// Origin is the URL prefix that the board's absolute links use when it is
	// served elsewhere (a mirror, a test server): a link starting with it is
	// mapped onto the start URL's base (URL up to its last "/"). Optional.
	Origin string `mapstructure:"origin"`
	// Item is the CSS selector of one posting on a list page.
	Item string `mapstructure:"item"`
	// Fields are read in each item, keyed by posting field: see [FieldNames].
	// "title" is required.
	Fields map[string]Field `mapstructure:"fields"`
	// Next is the CSS selector of the next list page's link (its href).
	// Optional: without it the crawl reads one list page.
	Next string `mapstructure:"next"`
	// Detail is the link, in each item, to the posting's detail page; its
	// Attr defaults to "href". Optional.
	Detail Field `mapstructure:"detail"`
	// DetailFields are read on the detail page; a non-empty value there
	// replaces the list page's.
	DetailFields map[string]Field `mapstructure:"detail_fields"`
	// Robots honours the host's robots.txt (default true).
	Robots bool `mapstructure:"robots"`
	// Delay spaces requests to the host (default 1s).
	Delay time.Duration `mapstructure:"delay"`
	// MaxPages caps the pages (list and detail) of one crawl (default 500).
	MaxPages int `mapstructure:"max_pages"`
	// UserAgent replaces fetch.user_agent for this board; it must name
	// jobpulse. Optional.
	UserAgent string `mapstructure:"user_agent"`
	// Contact is a URL (http, https or mailto) where the board's owner can
	// reach us; it is added to the User-Agent. Optional.
	Contact string `mapstructure:"contact"`
	// Deadline is how long one crawl may take, retries included (default
	// [ingest.DefaultDeadline]): past it the crawl fails, keeping what it
	// fetched (see [ingest.WithDeadline]).
	Deadline time.Duration `mapstructure:"deadline"`
}

// FieldNames are the keys allowed in [Profile.Fields] and
// [Profile.DetailFields], each filling the [ingest.Posting] field of that name:
// id (SourceID), title, company, company_logo, location (LocationText),
// salary (SalaryText), url, published (PublishedAt, from a date such as
// 2021-04-08 or RFC 3339), tags, category, job_type, description.
var FieldNames = []string{
	"id", "title", "company", "company_logo", "location", "salary", "url",
	"published", "tags", "category", "job_type", "description",
}

// Defaults of a new profile.
const (
	DefaultDelay    = time.Second
	DefaultMaxPages = 500
)

// NewProfile returns a profile named name with the defaults: enabled,
// robots.txt honoured, [DefaultDelay], [DefaultMaxPages] and
// [ingest.DefaultDeadline].
func NewProfile(name string) Profile {
	return Profile{Name: name, Enabled: true, Robots: true, Delay: DefaultDelay, MaxPages: DefaultMaxPages, Deadline: ingest.DefaultDeadline}
}

// FakeJobs returns the built-in profile "fakejobs" for Real Python's static
// practice board (https://realpython.github.io/fake-jobs/, captured in
// ingest/testdata/real/fake-jobs): 100 cards on one page, each with a
// detail page holding the description. It is disabled by default, as its
// jobs are not real; point its url at a copy to crawl it.
func FakeJobs() Profile {
	p := NewProfile("fakejobs")
	p.Enabled = false
	p.URL = "https://realpython.github.io/fake-jobs/"
	p.Origin = "https://realpython.github.io/fake-jobs/"
	p.Item = "div.card-content"
	p.Fields = map[string]Field{
		"title":     {Selector: "h2.title"},
		"company":   {Selector: "h3.company"},
		"location":  {Selector: "p.location"},
		"published": {Selector: "time", Attr: "datetime"},
		"url":       {Selector: "footer a:nth-of-type(2)", Attr: "href"},
	}
	p.Detail = Field{Selector: "footer a:nth-of-type(2)", Attr: "href"}
	p.DetailFields = map[string]Field{
		"description": {Selector: ".box .content > p:not([id])", HTML: true, All: true},
	}
	return p
}

var sourceName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// Validate checks the profile; an error names the key, e.g.
// "config: sources.board.item: must not be empty". A disabled profile is only
// checked for its name.
func (p Profile) Validate() error {
	if !sourceName.MatchString(p.Name) {
		return fmt.Errorf("config: sources: %q is not a source name (lower-case letters, digits, - and _)", p.Name)
	}
	if !p.Enabled {
		return nil
	}
	key := func(k string) string { return "sources." + p.Name + "." + k }
	if err := checkHTTPURL(p.URL); err != nil {
		return fmt.Errorf("config: %s: %w", key("url"), err)
	}
	if p.Origin != "" {
		if err := checkHTTPURL(p.Origin); err != nil {
			return fmt.Errorf("config: %s: %w", key("origin"), err)
		}
	}
	if p.Item == "" {
		return fmt.Errorf("config: %s: must not be empty", key("item"))
	}
	if err := checkSelector(p.Item); err != nil {
		return fmt.Errorf("config: %s: %w", key("item"), err)
	}
	if _, ok := p.Fields["title"]; !ok {
		return fmt.Errorf("config: %s: is required", key("fields.title"))
	}
	if err := checkFields(key("fields"), p.Fields); err != nil {
		return err
	}
	if err := checkSelector(p.Next); err != nil {
		return fmt.Errorf("config: %s: %w", key("next"), err)
	}
	hasDetail := p.Detail != Field{}
	if hasDetail {
		if err := checkField(p.Detail); err != nil {
			return fmt.Errorf("config: %s: %w", key("detail"), err)
		}
		if p.Detail.HTML || p.Detail.All {
			return fmt.Errorf("config: %s: a link is one attribute: html and all are not allowed", key("detail"))
		}
	}
	if len(p.DetailFields) > 0 && !hasDetail {
		return fmt.Errorf("config: %s: detail fields need %s", key("detail_fields"), key("detail"))
	}
	if err := checkFields(key("detail_fields"), p.DetailFields); err != nil {
		return err
	}
	switch {
	case p.Delay < 0:
		return fmt.Errorf("config: %s: %s must not be negative", key("delay"), p.Delay)
	case p.MaxPages <= 0:
		return fmt.Errorf("config: %s: %d must be positive", key("max_pages"), p.MaxPages)
	case p.Deadline <= 0:
		return ingest.ValidateDeadline(p.Name, p.Deadline)
	case p.UserAgent != "" && !strings.Contains(strings.ToLower(p.UserAgent), "jobpulse"):
		return fmt.Errorf("config: %s: %q must name jobpulse", key("user_agent"), p.UserAgent)
	}
	if p.Contact != "" {
		u, err := url.Parse(p.Contact)
		if err != nil || !slices.Contains([]string{"http", "https", "mailto"}, u.Scheme) || (u.Host == "" && u.Opaque == "") {
			return fmt.Errorf("config: %s: %q is not an http(s) or mailto URL", key("contact"), p.Contact)
		}
	}
	return nil
}

func checkFields(key string, fields map[string]Field) error {
	for _, name := range sortedKeys(fields) {
		if !slices.Contains(FieldNames, name) {
			return fmt.Errorf("config: %s.%s: unknown field (known: %s)", key, name, strings.Join(FieldNames, ", "))
		}
		if err := checkField(fields[name]); err != nil {
			return fmt.Errorf("config: %s.%s: %w", key, name, err)
		}
	}
	return nil
}

func checkField(f Field) error {
	if f.Selector == "" && f.Attr == "" {
		return fmt.Errorf("needs a selector or an attr")
	}
	if f.HTML && f.Attr != "" {
		return fmt.Errorf("html and attr %q exclude each other", f.Attr)
	}
	return checkSelector(f.Selector)
}

func checkSelector(s string) error {
	if s == "" {
		return nil
	}
	if _, err := cascadia.Compile(s); err != nil {
		return fmt.Errorf("%q is not a CSS selector: %w", s, err)
	}
	return nil
}

func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", s)
	}
	return nil
}

// userAgent returns the User-Agent of a crawl: the profile's or the fetch
// configuration's, with the contact URL added.
func (p Profile) userAgent(fallback string) string {
	ua := p.UserAgent
	if ua == "" {
		ua = fallback
	}
	if p.Contact != "" && !strings.Contains(ua, p.Contact) {
		ua += " (+" + p.Contact + ")"
	}
	return ua
}

// detailAttr is the attribute holding the detail link.
func (p Profile) detailAttr() string {
	if p.Detail.Attr == "" {
		return "href"
	}
	return p.Detail.Attr
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
