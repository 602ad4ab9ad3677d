package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// RemotiveConfig configures the Remotive source.
type RemotiveConfig struct {
	Enabled bool   `mapstructure:"enabled"`
	URL     string `mapstructure:"url"` // base URL; the API is <URL>/api/remote-jobs
}

// DefaultRemotiveConfig returns the configuration for the public Remotive API.
func DefaultRemotiveConfig() RemotiveConfig {
	return RemotiveConfig{Enabled: true, URL: "https://remotive.com"}
}

// Validate checks the configuration, naming the key of a bad value.
func (c RemotiveConfig) Validate() error {
	if !c.Enabled {
		return nil
	}
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("config: sources.remotive.url: %q is not an http(s) URL", c.URL)
	}
	return nil
}

// Remotive is the source for the public Remotive API (GET /api/remote-jobs).
// Remotive's terms ask that each job links back to its Remotive URL and that
// Remotive is named as the source.
type Remotive struct {
	cfg     RemotiveConfig
	fetcher *Fetcher
}

var _ Source = (*Remotive)(nil)

// NewRemotive returns the Remotive source fetching with f.
func NewRemotive(cfg RemotiveConfig, f *Fetcher) *Remotive {
	return &Remotive{cfg: cfg, fetcher: f}
}

// Name returns "remotive".
func (r *Remotive) Name() string { return "remotive" }

// Fetch gets all remote jobs in one response and keeps it.
func (r *Remotive) Fetch(ctx context.Context, keep func(context.Context, RawPage) error) error {
	u := strings.TrimRight(r.cfg.URL, "/") + "/api/remote-jobs"
	return r.fetcher.Get(ctx, r.Name(), u, "page-0001.json", keep)
}

// Parse parses a Remotive response.
func (r *Remotive) Parse(body []byte, meta Meta, lakeKey string) ([]Posting, []Reject, error) {
	return ParseRemotive(body, lakeKey)
}

// remotiveResponse is the response of /api/remote-jobs. Older responses lack
// "00-warning" and "total-job-count"; only "jobs" is required.
type remotiveResponse struct {
	JobCount *int              `json:"job-count"`
	Jobs     []json.RawMessage `json:"jobs"`
}

type remotiveJob struct {
	ID                        json.Number `json:"id"`
	URL                       string      `json:"url"`
	Title                     string      `json:"title"`
	CompanyName               string      `json:"company_name"`
	CompanyLogo               string      `json:"company_logo"`
	CompanyLogoURL            string      `json:"company_logo_url"`
	Category                  string      `json:"category"`
	Tags                      []string    `json:"tags"`
	JobType                   string      `json:"job_type"`
	PublicationDate           string      `json:"publication_date"`
	CandidateRequiredLocation string      `json:"candidate_required_location"`
	Salary                    string      `json:"salary"`
	Description               string      `json:"description"`
}

// ErrMalformed is wrapped by parse errors of a page that is not what its
// source should answer (not JSON, or JSON of another shape).
var ErrMalformed = errors.New("malformed page")

// ParseRemotive parses a response of Remotive's /api/remote-jobs. lakeKey
// names the raw page in errors and rejects. A response that is not the
// expected JSON is an error wrapping [ErrMalformed]; a job that lacks an id or
// a title is returned as a [Reject] and the others are kept.
func ParseRemotive(body []byte, lakeKey string) ([]Posting, []Reject, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")) // UTF-8 byte-order mark
	var resp remotiveResponse
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&resp); err != nil {
		return nil, nil, fmt.Errorf("remotive: parse %s: %w: %w", lakeKey, ErrMalformed, err)
	}
	if resp.Jobs == nil {
		return nil, nil, fmt.Errorf("remotive: parse %s: %w: no \"jobs\" array", lakeKey, ErrMalformed)
	}
	postings := make([]Posting, 0, len(resp.Jobs))
	var rejects []Reject
	for i, raw := range resp.Jobs {
		p, err := parseRemotiveJob(raw)
		if err != nil {
			rejects = append(rejects, Reject{LakeKey: lakeKey, Index: i, Reason: err.Error()})
			continue
		}
		p.LakeKey = lakeKey
		postings = append(postings, p)
	}
	return postings, rejects, nil
}

func parseRemotiveJob(raw json.RawMessage) (Posting, error) {
	var j remotiveJob
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&j); err != nil {
		return Posting{}, fmt.Errorf("job is not a Remotive job object: %w", err)
	}
	id := strings.TrimSpace(j.ID.String())
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
		Source:      "remotive",
		SourceID:    id,
		URL:         strings.TrimSpace(j.URL),
		Title:       title,
		Company:     strings.TrimSpace(j.CompanyName),
		CompanyLogo: strings.TrimSpace(logo),
		Category:    strings.TrimSpace(j.Category),
		JobType:     strings.TrimSpace(j.JobType),
		Location:    strings.TrimSpace(j.CandidateRequiredLocation),
		Salary:      strings.TrimSpace(j.Salary),
		Tags:        tags,
		Description: j.Description,
		PublishedAt: parseRemotiveTime(j.PublicationDate),
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
