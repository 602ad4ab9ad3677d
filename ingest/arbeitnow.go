package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// ArbeitnowConfig configures the Arbeitnow source: the keys
// sources.arbeitnow.*, each named and explained by its tags.
type ArbeitnowConfig struct {
	Enabled     bool          `mapstructure:"enabled" doc:"collect from the Arbeitnow API"`
	URL         string        `mapstructure:"url" doc:"base URL of the Arbeitnow API"`                         // base URL; the API is <URL>/api/job-board-api
	MaxPages    int           `mapstructure:"max_pages" doc:"pages fetched from Arbeitnow at most in one run"` // pages fetched at most in one run
	MinInterval time.Duration `mapstructure:"min_interval" doc:"least time between two calls to Arbeitnow"`    // least time between two calls to the host
}

// Limits of [ArbeitnowConfig.MaxPages]. Page names have four digits
// (page-0001.json), so that they sort in fetch order.
const (
	DefaultArbeitnowMaxPages = 50
	maxArbeitnowPages        = 9999
)

// DefaultArbeitnowConfig returns the configuration for the public Arbeitnow API.
func DefaultArbeitnowConfig() ArbeitnowConfig {
	return ArbeitnowConfig{
		Enabled:     true,
		URL:         "https://www.arbeitnow.com",
		MaxPages:    DefaultArbeitnowMaxPages,
		MinInterval: time.Second,
	}
}

// Validate checks the configuration, naming the key of a bad value.
func (c ArbeitnowConfig) Validate() error {
	if !c.Enabled {
		return nil
	}
	if err := validateBaseURL("sources.arbeitnow.url", c.URL); err != nil {
		return err
	}
	if c.MaxPages < 1 || c.MaxPages > maxArbeitnowPages {
		return fmt.Errorf("config: sources.arbeitnow.max_pages: %d is not between 1 and %d", c.MaxPages, maxArbeitnowPages)
	}
	if c.MinInterval < 0 {
		return fmt.Errorf("config: sources.arbeitnow.min_interval: %s must not be negative", c.MinInterval)
	}
	return nil
}

// arbeitnowPublicHosts are the hosts Arbeitnow's next links point at.
var arbeitnowPublicHosts = []string{"www.arbeitnow.com", "arbeitnow.com"}

// ErrPaging is wrapped by the errors of a source whose pages link in a way
// that cannot be followed: a next link to a foreign host, or back to a page
// already fetched.
var ErrPaging = errors.New("bad next-page link")

// Arbeitnow is the source for the public Arbeitnow job board API
// (GET /api/job-board-api?page=N), which pages with links.next until it is
// null. Arbeitnow offers it free and asks not to be abused and to be linked
// back: calls are spaced by a [HostLimiter], [Posting.URL] is the job's
// Arbeitnow page, and the report must credit and link Arbeitnow.
type Arbeitnow struct {
	cfg     ArbeitnowConfig
	fetcher *Fetcher
	opts    sourceOptions
}

var _ Source = (*Arbeitnow)(nil)

// NewArbeitnow returns the Arbeitnow source fetching with f.
func NewArbeitnow(cfg ArbeitnowConfig, f *Fetcher, opts ...SourceOption) *Arbeitnow {
	return &Arbeitnow{cfg: cfg, fetcher: f, opts: newSourceOptions("arbeitnow", opts)}
}

// Name returns "arbeitnow".
func (a *Arbeitnow) Name() string { return "arbeitnow" }

// Fetch gets page 1, then follows links.next until it is null (or a page
// has no jobs), keeping each page as page-0001.json, page-0002.json, ... It
// stops after MaxPages pages with a log line, not an error. Next links on
// Arbeitnow's public host are moved onto the configured base URL (a mirror, a
// test server), so a run never leaves the configured host; a next link to
// any other host, or to a page already fetched, stops the source with an
// error wrapping [ErrPaging]. Pages received before a failure are kept.
func (a *Arbeitnow) Fetch(ctx context.Context, keep func(context.Context, RawPage) error) error {
	base, err := url.Parse(strings.TrimRight(a.cfg.URL, "/"))
	if err != nil {
		return fmt.Errorf("arbeitnow: base url %q: %w", a.cfg.URL, err)
	}
	maxPages := a.cfg.MaxPages
	if maxPages <= 0 {
		maxPages = DefaultArbeitnowMaxPages
	}
	next := base.String() + "/api/job-board-api?page=1"
	seen := map[string]bool{}
	for n := 1; next != ""; n++ {
		if n > maxPages {
			a.opts.logger.WarnContext(ctx, "page cap reached, later pages left out",
				"max_pages", maxPages, "next", next)
			return nil
		}
		seen[next] = true
		name := fmt.Sprintf("page-%04d.json", n)
		var body []byte
		err := a.fetcher.Get(ctx, a.Name(), next, name, func(ctx context.Context, p RawPage) error {
			if p.Name == name {
				body = p.Body
			}
			return keep(ctx, p)
		}, Pace{a.opts.limiter, a.cfg.MinInterval})
		if err != nil {
			return fmt.Errorf("arbeitnow: page %d: %w", n, err)
		}
		link, err := arbeitnowNextLink(body)
		if err != nil {
			return fmt.Errorf("arbeitnow: page %d (%s): %w", n, next, err)
		}
		if link == "" {
			return nil
		}
		u, err := arbeitnowNextURL(base, next, link)
		if err != nil {
			return fmt.Errorf("arbeitnow: page %d (%s): %w", n, next, err)
		}
		if seen[u] {
			return fmt.Errorf("arbeitnow: page %d (%s): %w: next link %s leads back to a page already fetched", n, next, ErrPaging, link)
		}
		next = u
	}
	return nil
}

// arbeitnowNextLink returns links.next of a page, "" when it is null or
// absent, or when the page has no jobs (an empty page is the end, whatever
// its link says).
func arbeitnowNextLink(body []byte) (string, error) {
	var page struct {
		Data  []json.RawMessage `json:"data"`
		Links struct {
			Next *string `json:"next"`
		} `json:"links"`
	}
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if err := json.Unmarshal(body, &page); err != nil {
		return "", fmt.Errorf("read next link: %w: %w", ErrMalformed, err)
	}
	if page.Data == nil {
		return "", fmt.Errorf("read next link: %w: no \"data\" array", ErrMalformed)
	}
	if page.Links.Next == nil || len(page.Data) == 0 {
		return "", nil
	}
	return strings.TrimSpace(*page.Links.Next), nil
}

// arbeitnowNextURL resolves a next link against the current page's URL and
// returns the URL to fetch: on the base URL's host as it is, on Arbeitnow's
// public host moved onto the base URL (scheme, host and path prefix of base,
// then the link's path and query); on any other host, an error.
func arbeitnowNextURL(base *url.URL, current, link string) (string, error) {
	cur, err := url.Parse(current)
	if err != nil {
		return "", fmt.Errorf("%w: current page %q: %w", ErrPaging, current, err)
	}
	ref, err := url.Parse(link)
	if err != nil {
		return "", fmt.Errorf("%w: next link %q: %w", ErrPaging, link, err)
	}
	u := cur.ResolveReference(ref)
	u.Fragment = ""
	host := strings.ToLower(u.Host)
	switch {
	case host == strings.ToLower(base.Host):
		u.Scheme = base.Scheme
		return u.String(), nil
	case isArbeitnowPublicHost(u.Hostname()) && (u.Scheme == "https" || u.Scheme == "http"):
		moved := *base
		moved.Path = strings.TrimRight(base.Path, "/") + u.Path
		moved.RawPath = ""
		moved.RawQuery = u.RawQuery
		return moved.String(), nil
	default:
		return "", fmt.Errorf("%w: next link %q points away from %s", ErrPaging, link, base.Host)
	}
}

func isArbeitnowPublicHost(h string) bool {
	h = strings.ToLower(h)
	for _, p := range arbeitnowPublicHosts {
		if h == p {
			return true
		}
	}
	return false
}

// Parse parses an Arbeitnow page.
func (a *Arbeitnow) Parse(_ context.Context, page StoredPage, _ Lookup) ([]Posting, []Reject, error) {
	return ParseArbeitnow(page.Body, page.Key)
}

type arbeitnowJob struct {
	Slug        string          `json:"slug"`
	CompanyName string          `json:"company_name"`
	Title       string          `json:"title"`
	Description string          `json:"description"`
	Remote      *bool           `json:"remote"`
	URL         string          `json:"url"`
	Tags        []string        `json:"tags"`
	JobTypes    []string        `json:"job_types"`
	Location    string          `json:"location"`
	CreatedAt   json.RawMessage `json:"created_at"` // Unix seconds
}

// ParseArbeitnow parses one page of Arbeitnow's /api/job-board-api:
// {"data": [...], "links": {...}, "meta": {...}}. lakeKey names the raw page
// in errors and rejects. A page that is not the expected JSON (or has no
// "data" array) is an error wrapping [ErrMalformed]; a job that lacks a slug
// or a title is returned as a [Reject] and the others are kept.
//
// The slug is the posting's id, "remote" its RemoteHint, job_types are joined
// with ", " into JobType, and created_at (Unix seconds) is PublishedAt.
// Arbeitnow is a board of jobs in Germany: its CountryHint is DE, so that a
// village the gazetteer lacks ("Lietzow", "Wörnitz") is read as German.
func ParseArbeitnow(body []byte, lakeKey string) ([]Posting, []Reject, error) {
	var page struct {
		Data []json.RawMessage `json:"data"`
	}
	if err := decodeDocument(body, &page); err != nil {
		return nil, nil, fmt.Errorf("arbeitnow: parse %s: %w: %w", lakeKey, ErrMalformed, err)
	}
	if page.Data == nil {
		return nil, nil, fmt.Errorf("arbeitnow: parse %s: %w: no \"data\" array", lakeKey, ErrMalformed)
	}
	postings, rejects := parseRecords(page.Data, lakeKey, parseArbeitnowJob)
	return postings, rejects, nil
}

func parseArbeitnowJob(raw json.RawMessage) (Posting, error) {
	var j arbeitnowJob
	if err := json.Unmarshal(raw, &j); err != nil {
		return Posting{}, fmt.Errorf("job is not an Arbeitnow job object: %w", err)
	}
	slug := strings.TrimSpace(j.Slug)
	if slug == "" {
		return Posting{}, errors.New("job has no slug")
	}
	title := strings.TrimSpace(j.Title)
	if title == "" {
		return Posting{}, fmt.Errorf("job %s has no title", slug)
	}
	var published time.Time
	if secs, ok := jsonNumber(j.CreatedAt); ok && secs > 0 && secs < 1e11 {
		published = time.Unix(int64(secs), 0).UTC()
	}
	return Posting{
		Source:       "arbeitnow",
		SourceID:     slug,
		URL:          strings.TrimSpace(j.URL),
		Title:        title,
		Company:      strings.TrimSpace(j.CompanyName),
		JobType:      strings.Join(trimAll(j.JobTypes), ", "),
		LocationText: strings.TrimSpace(j.Location),
		Tags:         trimAll(j.Tags),
		Description:  j.Description,
		PublishedAt:  published,
		RemoteHint:   j.Remote,
		CountryHint:  "DE",
	}, nil
}

// trimAll returns ss trimmed, without the blank ones; never nil.
func trimAll(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
