package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// RemotiveConfig configures the Remotive source: the keys
// sources.remotive.*, each named and explained by its tags.
type RemotiveConfig struct {
	Enabled bool   `mapstructure:"enabled" doc:"collect from the Remotive API"`
	URL     string `mapstructure:"url" doc:"base URL of the Remotive API"` // base URL; the API is <URL>/api/remote-jobs
	// Categories are category slugs (e.g. "software-dev"): one call per
	// category, with ?category=<slug>. Empty means all jobs in one call.
	Categories []string `mapstructure:"categories" doc:"Remotive categories to fetch, one call each (default: all jobs in one call)"`
	// MinInterval is the least time between two calls to the host. On
	// Remotive's own host it is never less than [RemotiveMinInterval].
	MinInterval time.Duration `mapstructure:"min_interval" doc:"least time between two calls to Remotive (never under 30s on remotive.com)"`
}

// RemotiveMinInterval is the least time between two calls to Remotive's
// public host: its terms allow no more than 2 calls a minute (and ask for no
// more than a few a day, which the nightly schedule and a short category list
// keep to).
const RemotiveMinInterval = 30 * time.Second

// DefaultRemotiveConfig returns the configuration for the public Remotive API.
func DefaultRemotiveConfig() RemotiveConfig {
	return RemotiveConfig{Enabled: true, URL: "https://remotive.com", MinInterval: RemotiveMinInterval}
}

// remotiveCategory is the shape of a category slug: it becomes part of a page
// name, page-<slug>.json.
var remotiveCategory = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate checks the configuration, naming the key of a bad value.
func (c RemotiveConfig) Validate() error {
	if !c.Enabled {
		return nil
	}
	if err := validateBaseURL("sources.remotive.url", c.URL); err != nil {
		return err
	}
	if c.MinInterval < 0 {
		return fmt.Errorf("config: sources.remotive.min_interval: %s must not be negative", c.MinInterval)
	}
	seen := map[string]bool{}
	for _, cat := range c.Categories {
		if !remotiveCategory.MatchString(cat) {
			return fmt.Errorf("config: sources.remotive.categories: %q is not a category slug (lower-case letters, digits and hyphens, e.g. \"software-dev\")", cat)
		}
		if seen[cat] {
			return fmt.Errorf("config: sources.remotive.categories: %q is listed twice", cat)
		}
		seen[cat] = true
	}
	return nil
}

// Remotive is the source for the public Remotive API (GET /api/remote-jobs).
// Remotive's terms ask that each job links back to its Remotive URL and that
// Remotive is named as the source, and allow at most 2 calls a minute: calls
// are spaced by a [HostLimiter], never less than [RemotiveMinInterval] apart
// on remotive.com whatever the configuration says.
type Remotive struct {
	cfg     RemotiveConfig
	fetcher *Fetcher
	opts    sourceOptions
}

var _ Source = (*Remotive)(nil)

// NewRemotive returns the Remotive source fetching with f.
func NewRemotive(cfg RemotiveConfig, f *Fetcher, opts ...SourceOption) *Remotive {
	return &Remotive{cfg: cfg, fetcher: f, opts: newSourceOptions("remotive", opts)}
}

// Name returns "remotive".
func (r *Remotive) Name() string { return "remotive" }

// Fetch gets all remote jobs in one response named page-0001.json, or, with
// categories, one response per category named page-<category>.json, and
// keeps each. It stops at the first category that fails: the pages received
// until then are kept.
func (r *Remotive) Fetch(ctx context.Context, keep func(context.Context, RawPage) error) error {
	base := strings.TrimRight(r.cfg.URL, "/") + "/api/remote-jobs"
	interval := r.interval()
	if len(r.cfg.Categories) == 0 {
		return r.fetcher.Get(ctx, r.Name(), base, "page-0001.json", keep, Pace{r.opts.limiter, interval})
	}
	for _, cat := range r.cfg.Categories {
		u := base + "?" + url.Values{"category": {cat}}.Encode()
		if err := r.fetcher.Get(ctx, r.Name(), u, "page-"+cat+".json", keep, Pace{r.opts.limiter, interval}); err != nil {
			return fmt.Errorf("remotive: category %s: %w", cat, err)
		}
	}
	return nil
}

// interval is the configured spacing, raised to [RemotiveMinInterval] on
// Remotive's own host.
func (r *Remotive) interval() time.Duration {
	d := r.cfg.MinInterval
	if u, err := url.Parse(r.cfg.URL); err == nil {
		h := strings.ToLower(u.Hostname())
		if h == "remotive.com" || strings.HasSuffix(h, ".remotive.com") {
			d = max(d, RemotiveMinInterval)
		}
	}
	return d
}

// Parse parses a Remotive response.
func (r *Remotive) Parse(_ context.Context, page StoredPage, _ Lookup) ([]Posting, []Reject, error) {
	return ParseRemotive(page.Body, page.Key)
}

// remotiveResponse is the response of /api/remote-jobs. Older responses lack
// "00-warning" and "total-job-count"; only "jobs" is required.
type remotiveResponse struct {
	JobCount *int              `json:"job-count"`
	Jobs     []json.RawMessage `json:"jobs"`
}

type remotiveJob struct {
	ID                        remotiveID `json:"id"`
	URL                       string     `json:"url"`
	Title                     string     `json:"title"`
	CompanyName               string     `json:"company_name"`
	CompanyLogo               string     `json:"company_logo"`
	CompanyLogoURL            string     `json:"company_logo_url"`
	Category                  string     `json:"category"`
	Tags                      []string   `json:"tags"`
	JobType                   string     `json:"job_type"`
	PublicationDate           string     `json:"publication_date"`
	CandidateRequiredLocation string     `json:"candidate_required_location"`
	Salary                    string     `json:"salary"`
	Description               string     `json:"description"`
}

// remotiveID is a job's id: a JSON number, or a string holding one.
type remotiveID string

// UnmarshalJSON reads a number or a string (both encoding/json and its v2
// call it).
func (id *remotiveID) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = remotiveID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("id %s is neither a number nor a string", b)
	}
	*id = remotiveID(n)
	return nil
}

// ErrMalformed is wrapped by parse errors of a page that is not what its
// source should answer (not JSON, or JSON of another shape).
var ErrMalformed = errors.New("malformed page")

// ParseRemotive parses a response of Remotive's /api/remote-jobs. lakeKey
// names the raw page in errors and rejects. A response that is not the
// expected JSON is an error wrapping [ErrMalformed]; a job that lacks an id or
// a title is returned as a [Reject] and the others are kept.
func ParseRemotive(body []byte, lakeKey string) ([]Posting, []Reject, error) {
	// Fast path: one pass of a small JSON scanner, for a page that is
	// plainly well formed (see parseRemotiveFast); anything else is parsed
	// again with encoding/json, job by job, which decides.
	//
	// The scanner earns its place: with encoding/json alone the end-to-end
	// replay took 56% longer (BenchmarkReplay200k in warehouse, median of
	// three alternating runs: 22.9 s with the scanner, 35.6 s without; Go
	// CPU 3.3 s against 6.8 s), well over the 15% a hand-written
	// replacement of a library must earn.
	if postings, rejects, ok := parseRemotiveFast(body, lakeKey); ok {
		return postings, rejects, nil
	}
	return parseRemotiveSlow(body, lakeKey)
}

// parseRemotiveSlow is ParseRemotive with encoding/json, job by job: a job
// of the wrong shape fails the typed decode, and is rejected alone here.
func parseRemotiveSlow(body []byte, lakeKey string) ([]Posting, []Reject, error) {
	var resp remotiveResponse
	if err := decodeDocument(body, &resp); err != nil {
		return nil, nil, fmt.Errorf("remotive: parse %s: %w: %w", lakeKey, ErrMalformed, err)
	}
	if resp.Jobs == nil {
		return nil, nil, fmt.Errorf("remotive: parse %s: %w: no \"jobs\" array", lakeKey, ErrMalformed)
	}
	postings := make([]Posting, 0, len(resp.Jobs))
	var rejects []Reject
	for i, raw := range resp.Jobs {
		var j remotiveJob
		err := json.Unmarshal(raw, &j)
		if err != nil {
			err = fmt.Errorf("job is not a Remotive job object: %w", err)
		}
		postings, rejects = addRemotiveJob(postings, rejects, &j, err, lakeKey, i)
	}
	return postings, rejects, nil
}

// addRemotiveJob appends job i of the page as a posting, or as a reject
// when decodeErr is set or the job lacks what a posting needs.
func addRemotiveJob(postings []Posting, rejects []Reject, j *remotiveJob, decodeErr error, lakeKey string, i int) ([]Posting, []Reject) {
	err := decodeErr
	var id, title string
	if err == nil {
		id, title, err = remotiveIDTitle(j)
	}
	if err != nil {
		return postings, append(rejects, Reject{LakeKey: lakeKey, Index: i, Reason: err.Error()})
	}
	// Filled in place: a Posting is large.
	postings = append(postings, Posting{})
	remotivePosting(&postings[len(postings)-1], j, id, title, lakeKey)
	return postings, rejects
}

// remotiveIDTitle returns a decoded job's id and title, or why it cannot be
// a posting.
func remotiveIDTitle(j *remotiveJob) (id, title string, err error) {
	id = strings.TrimSpace(string(j.ID))
	if id == "" {
		return "", "", errors.New("job has no id")
	}
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return "", "", fmt.Errorf("job id %q is not an integer", id)
	}
	title = strings.TrimSpace(j.Title)
	if title == "" {
		return "", "", fmt.Errorf("job %s has no title", id)
	}
	return id, title, nil
}

// remotivePosting fills p, a zero posting, from a decoded job and its id
// and title.
func remotivePosting(p *Posting, j *remotiveJob, id, title, lakeKey string) {
	logo := j.CompanyLogoURL
	if logo == "" {
		logo = j.CompanyLogo
	}
	tags := make([]string, 0, len(j.Tags))
	for _, t := range j.Tags {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	p.Source = "remotive"
	p.SourceID = id
	p.URL = strings.TrimSpace(j.URL)
	p.Title = title
	p.Company = strings.TrimSpace(j.CompanyName)
	p.CompanyLogo = strings.TrimSpace(logo)
	p.Category = strings.TrimSpace(j.Category)
	p.JobType = strings.TrimSpace(j.JobType)
	p.LocationText = strings.TrimSpace(j.CandidateRequiredLocation)
	p.SalaryText = strings.TrimSpace(j.Salary)
	p.Tags = tags
	p.Description = j.Description
	p.PublishedAt = parseRemotiveTime(j.PublicationDate)
	p.LakeKey = lakeKey
	remote := true // Remotive lists remote jobs only
	p.RemoteHint = &remote
}

// remotiveTimeLayouts are the layouts seen in publication_date: without a time
// zone (taken as UTC), and with one.
var remotiveTimeLayouts = []string{
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	time.RFC3339Nano,
	"2006-01-02 15:04:05",
	time.DateOnly,
}

// parseRemotiveTime returns the time in UTC, or the zero time when s matches
// no known layout.
func parseRemotiveTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if t, ok := parseRemotiveTimeUTC(s); ok {
		return t
	}
	for _, layout := range remotiveTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// parseRemotiveTimeUTC parses s when it is exactly of the first layout,
// "2006-01-02T15:04:05", as time.Parse does but faster, and reports false
// when it is not: the caller then tries every layout with time.Parse.
func parseRemotiveTimeUTC(s string) (time.Time, bool) {
	if len(s) != len("2006-01-02T15:04:05") || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	var n [6]int
	for k, at := range [6]int{0, 5, 8, 11, 14, 17} {
		end := at + 2
		if k == 0 {
			end = at + 4
		}
		for _, c := range []byte(s[at:end]) {
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
			n[k] = n[k]*10 + int(c-'0')
		}
	}
	year, month, day, hour, minute, sec := n[0], time.Month(n[1]), n[2], n[3], n[4], n[5]
	if month < time.January || month > time.December || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, month, day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day { // past the month's last day
		return time.Time{}, false
	}
	return t, true
}
