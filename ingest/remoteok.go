package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jobpulse/jobpulse/ingest/normalize"
)

// RemoteOKConfig configures the RemoteOK source: the keys
// sources.remoteok.*, each named and explained by its tags.
type RemoteOKConfig struct {
	Enabled     bool          `mapstructure:"enabled" doc:"collect from the RemoteOK API"`
	URL         string        `mapstructure:"url" doc:"base URL of the RemoteOK API"`                      // base URL; the API is <URL>/api
	MinInterval time.Duration `mapstructure:"min_interval" doc:"least time between two calls to RemoteOK"` // least time between two calls to the host
}

// DefaultRemoteOKConfig returns the configuration for the public RemoteOK API.
func DefaultRemoteOKConfig() RemoteOKConfig {
	return RemoteOKConfig{Enabled: true, URL: "https://remoteok.com", MinInterval: time.Second}
}

// Validate checks the configuration, naming the key of a bad value.
func (c RemoteOKConfig) Validate() error {
	if !c.Enabled {
		return nil
	}
	if err := validateBaseURL("sources.remoteok.url", c.URL); err != nil {
		return err
	}
	if c.MinInterval < 0 {
		return fmt.Errorf("config: sources.remoteok.min_interval: %s must not be negative", c.MinInterval)
	}
	return nil
}

// RemoteOK is the source for the public RemoteOK API (GET /api), which
// answers the whole board in one JSON array.
//
// RemoteOK's API terms (element 0 of every response) ask that whoever shows
// its jobs links back, with a followed link, to each job's URL on Remote OK
// and mentions Remote OK as the source, and that the Remote OK logo is not
// used without permission (the name may be). [Posting.URL] is that Remote OK
// URL; the report must credit and link Remote OK.
type RemoteOK struct {
	cfg     RemoteOKConfig
	fetcher *Fetcher
	opts    sourceOptions
}

var _ Source = (*RemoteOK)(nil)

// NewRemoteOK returns the RemoteOK source fetching with f.
func NewRemoteOK(cfg RemoteOKConfig, f *Fetcher, opts ...SourceOption) *RemoteOK {
	return &RemoteOK{cfg: cfg, fetcher: f, opts: newSourceOptions("remoteok", opts)}
}

// Name returns "remoteok".
func (r *RemoteOK) Name() string { return "remoteok" }

// Fetch gets the whole board in one response, named page-0001.json, and keeps it.
func (r *RemoteOK) Fetch(ctx context.Context, keep func(context.Context, RawPage) error) error {
	u := strings.TrimRight(r.cfg.URL, "/") + "/api"
	if err := r.fetcher.Get(ctx, r.Name(), u, "page-0001.json", keep, Pace{r.opts.limiter, r.cfg.MinInterval}); err != nil {
		return fmt.Errorf("remoteok: %w", err)
	}
	return nil
}

// Parse parses a RemoteOK response.
func (r *RemoteOK) Parse(_ context.Context, page StoredPage, _ Lookup) ([]Posting, []Reject, error) {
	return ParseRemoteOK(page.Body, page.Key)
}

// remoteOKJob is one element of the /api array. The legal notice (element 0)
// has "legal" and "last_updated" and no "id".
type remoteOKJob struct {
	ID          json.RawMessage `json:"id"` // a string, but a number is accepted
	Legal       *string         `json:"legal"`
	Epoch       json.RawMessage `json:"epoch"`
	Date        string          `json:"date"`
	Company     string          `json:"company"`
	CompanyLogo string          `json:"company_logo"`
	Logo        string          `json:"logo"`
	Position    string          `json:"position"`
	Tags        []string        `json:"tags"`
	Description string          `json:"description"`
	Location    string          `json:"location"`
	SalaryMin   json.RawMessage `json:"salary_min"` // a number; 0 means unknown
	SalaryMax   json.RawMessage `json:"salary_max"`
	URL         string          `json:"url"`
	ApplyURL    string          `json:"apply_url"`
}

// ParseRemoteOK parses a response of RemoteOK's /api: a JSON array whose
// elements are jobs, except the legal notice (an object with "legal" and no
// "id", element 0 in practice), which is skipped. lakeKey names the raw page
// in errors and rejects; a reject's Index is the element's index in the array.
//
// A response that is not a JSON array is an error wrapping [ErrMalformed]; a
// job that lacks an id or a title is returned as a [Reject] and the others are
// kept. Every posting has RemoteHint true: RemoteOK lists remote jobs only.
//
// salary_min and salary_max (0 = unknown) become SalaryHint.Min and Max as
// published, in US dollars (Remote OK's pages show these figures with "$",
// "$60k - $90k") and with no period: real responses mix yearly figures
// (150000-200000) with what can only be hourly ones (25-27, 80-140), so the
// period is left to [normalize.CompleteSalary], which infers a year only for
// figures that are clearly yearly. Text that RemoteOK double-encoded
// (UTF-8 read as Latin-1, "ZÃ³calo") is repaired ("Zócalo").
func ParseRemoteOK(body []byte, lakeKey string) ([]Posting, []Reject, error) {
	var elems []json.RawMessage
	if err := decodeDocument(body, &elems); err != nil {
		return nil, nil, fmt.Errorf("remoteok: parse %s: %w: %w", lakeKey, ErrMalformed, err)
	}
	if elems == nil {
		return nil, nil, fmt.Errorf("remoteok: parse %s: %w: not a JSON array", lakeKey, ErrMalformed)
	}
	postings := make([]Posting, 0, len(elems))
	var rejects []Reject
	for i, raw := range elems {
		p, notice, err := parseRemoteOKJob(raw)
		switch {
		case notice:
			continue
		case err != nil:
			rejects = append(rejects, Reject{LakeKey: lakeKey, Index: i, Reason: err.Error()})
			continue
		}
		p.LakeKey = lakeKey
		postings = append(postings, p)
	}
	return postings, rejects, nil
}

// parseRemoteOKJob parses one element; notice is true for the legal notice.
func parseRemoteOKJob(raw json.RawMessage) (p Posting, notice bool, err error) {
	var j remoteOKJob
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&j); err != nil {
		return Posting{}, false, fmt.Errorf("element is not a RemoteOK job object: %w", err)
	}
	id, err := remoteOKID(j.ID)
	if err != nil {
		return Posting{}, false, err
	}
	if id == "" {
		if j.Legal != nil {
			return Posting{}, true, nil
		}
		return Posting{}, false, errors.New("job has no id")
	}
	title := strings.TrimSpace(repairMojibake(j.Position))
	if title == "" {
		return Posting{}, false, fmt.Errorf("job %s has no position (title)", id)
	}
	tags := make([]string, 0, len(j.Tags))
	for _, t := range j.Tags {
		if t = strings.TrimSpace(repairMojibake(t)); t != "" {
			tags = append(tags, t)
		}
	}
	remote := true
	return Posting{
		Source:       "remoteok",
		SourceID:     id,
		URL:          firstNonBlank(j.URL, j.ApplyURL),
		Title:        title,
		Company:      strings.TrimSpace(repairMojibake(j.Company)),
		CompanyLogo:  firstNonBlank(j.CompanyLogo, j.Logo),
		LocationText: strings.TrimSpace(repairMojibake(j.Location)),
		Tags:         tags,
		Description:  repairMojibake(j.Description),
		PublishedAt:  remoteOKTime(j.Date, j.Epoch),
		RemoteHint:   &remote,
		SalaryHint:   remoteOKSalaryHint(remoteOKSalary(j.SalaryMin), remoteOKSalary(j.SalaryMax)),
	}, false, nil
}

// remoteOKID returns the id, a JSON string or number, as a string; "" when
// absent, null or blank.
func remoteOKID(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return strings.TrimSpace(s), nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String(), nil
	}
	return "", fmt.Errorf("job id %s is neither a string nor a number", clipText(string(raw), 40))
}

// remoteOKTime returns the publication time in UTC from date (RFC 3339), or
// else from epoch (Unix seconds); the zero time when neither is readable.
func remoteOKTime(date string, epoch json.RawMessage) time.Time {
	if t, err := time.Parse(time.RFC3339, strings.TrimSpace(date)); err == nil {
		return t.UTC()
	}
	if secs, ok := jsonNumber(epoch); ok && secs > 0 && secs < 1e11 {
		return time.Unix(int64(secs), 0).UTC()
	}
	return time.Time{}
}

// remoteOKSalaryHint is the salary of figures min and max (0 = unknown):
// in US dollars when one is known.
func remoteOKSalaryHint(min, max float64) normalize.Salary {
	s := normalize.Salary{Min: min, Max: max}
	if s.Known() {
		s.Currency = "USD"
	}
	return s
}

// remoteOKSalary returns a salary figure; 0 (unknown) for 0, a negative, or
// anything that is not a plausible number.
func remoteOKSalary(raw json.RawMessage) float64 {
	f, ok := jsonNumber(raw)
	if !ok || f <= 0 || f > 1e12 {
		return 0
	}
	return f
}

// jsonNumber reads a JSON number, or a string holding one; ok is false for
// anything else (absent, null, "", text).
func jsonNumber(raw json.RawMessage) (float64, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, false
		}
		raw = []byte(strings.TrimSpace(s))
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// repairMojibake undoes one round of UTF-8 text decoded as Latin-1 and
// encoded again ("GdaÅ\u0084sk" for "Gdańsk"), as RemoteOK serves many of its
// strings. A string is repaired only when every rune fits in one Latin-1 byte,
// some are not ASCII, and those bytes are valid UTF-8; correct text (with "ó"
// alone, or any rune beyond Latin-1) is never valid that way, so it is kept.
func repairMojibake(s string) string {
	high := false
	for _, r := range s {
		if r > 0xff {
			return s
		}
		if r >= 0x80 {
			high = true
		}
	}
	if !high {
		return s
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		b = append(b, byte(r))
	}
	if !utf8.Valid(b) {
		return s
	}
	return string(b)
}

func firstNonBlank(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// clipText shortens s to at most n bytes for an error message.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "..."
}
