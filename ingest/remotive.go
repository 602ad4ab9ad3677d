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

// RemotiveConfig configures the Remotive source.
type RemotiveConfig struct {
	Enabled bool   `mapstructure:"enabled"`
	URL     string `mapstructure:"url"` // base URL; the API is <URL>/api/remote-jobs
	// Categories are category slugs (e.g. "software-dev"): one call per
	// category, with ?category=<slug>. Empty means all jobs in one call.
	Categories []string `mapstructure:"categories"`
	// MinInterval is the least time between two calls to the host. On
	// Remotive's own host it is never less than [RemotiveMinInterval].
	MinInterval time.Duration `mapstructure:"min_interval"`
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
	// Fast path: the whole page in one typed decode, as a well-formed
	// response allows.
	var typed struct {
		Jobs []remotiveJob `json:"jobs"`
	}
	if err := decodeFast(body, &typed); err == nil && typed.Jobs != nil {
		postings := make([]Posting, 0, len(typed.Jobs))
		var rejects []Reject
		for i := range typed.Jobs {
			postings, rejects = addRemotiveJob(postings, rejects, &typed.Jobs[i], nil, lakeKey, i)
		}
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
	var p Posting
	err := decodeErr
	if err == nil {
		p, err = remotivePosting(j)
	}
	if err != nil {
		return postings, append(rejects, Reject{LakeKey: lakeKey, Index: i, Reason: err.Error()})
	}
	p.LakeKey = lakeKey
	return append(postings, p), rejects
}

// remotivePosting turns a decoded job into a posting.
func remotivePosting(j *remotiveJob) (Posting, error) {
	id := strings.TrimSpace(string(j.ID))
	if id == "" {
		return Posting{}, errors.New("job has no id")
	}
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return Posting{}, fmt.Errorf("job id %q is not an integer", id)
	}
	title := strings.TrimSpace(j.Title)
	if title == "" {
		return Posting{}, fmt.Errorf("job %s has no title", id)
	}
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
	return Posting{
		Source:       "remotive",
		SourceID:     id,
		URL:          strings.TrimSpace(j.URL),
		Title:        title,
		Company:      strings.TrimSpace(j.CompanyName),
		CompanyLogo:  strings.TrimSpace(logo),
		Category:     strings.TrimSpace(j.Category),
		JobType:      strings.TrimSpace(j.JobType),
		LocationText: strings.TrimSpace(j.CandidateRequiredLocation),
		SalaryText:   strings.TrimSpace(j.Salary),
		Tags:         tags,
		Description:  j.Description,
		PublishedAt:  parseRemotiveTime(j.PublicationDate),
	}, nil
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
	for _, layout := range remotiveTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
