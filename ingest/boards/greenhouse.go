package boards

import (
	"encoding/json"
	"fmt"
	"html"
	"strings"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// greenhouseJob is a job of Greenhouse's job board API
// (GET /v1/boards/<board>/jobs?content=true): content, departments and
// offices come with content=true only.
type greenhouseJob struct {
	ID             id     `json:"id"`
	Title          string `json:"title"`
	AbsoluteURL    string `json:"absolute_url"`
	CompanyName    string `json:"company_name"`
	FirstPublished string `json:"first_published"`
	UpdatedAt      string `json:"updated_at"`
	Location       struct {
		Name string `json:"name"`
	} `json:"location"`
	Content     string `json:"content"` // HTML, itself escaped as HTML entities
	Departments []struct {
		Name string `json:"name"`
	} `json:"departments"`
	Offices []struct {
		Name     string `json:"name"`
		Location string `json:"location"`
	} `json:"offices"`
	// Metadata are the board's custom fields: a name and a value of any
	// JSON type; "Employment Type" is a common one.
	Metadata []struct {
		Name  string          `json:"name"`
		Value json.RawMessage `json:"value"`
	} `json:"metadata"`
	// PayInputRanges come with pay_transparency=true, where the company
	// publishes a range.
	PayInputRanges []struct {
		MinCents     number `json:"min_cents"`
		MaxCents     number `json:"max_cents"`
		CurrencyType string `json:"currency_type"`
		Title        string `json:"title"`
	} `json:"pay_input_ranges"`
}

// parseGreenhouse reads {"jobs": [...], "meta": {...}}. The job's
// absolute_url is its page (often on the company's own site), content its
// description (unescaped once: the API escapes the HTML), the first
// department its category, and a custom field named like "employment type"
// its job type. first_published dates it (updated_at when absent).
func parseGreenhouse(b Board, body []byte, lakeKey string) ([]jobdata.Posting, []jobdata.Reject, error) {
	var page struct {
		Jobs []json.RawMessage `json:"jobs"`
	}
	if err := decodeDocument(body, &page); err != nil {
		return nil, nil, err
	}
	if page.Jobs == nil {
		return nil, nil, fmt.Errorf("%w: no \"jobs\" array", errNoJobs)
	}
	ps, rs := jobs(page.Jobs, lakeKey, func(j greenhouseJob) (jobdata.Posting, error) {
		id, title, err := need(string(j.ID), j.Title)
		if err != nil {
			return jobdata.Posting{}, err
		}
		var depts []string
		for _, d := range j.Departments {
			depts = append(depts, d.Name)
		}
		loc := j.Location.Name
		if strings.TrimSpace(loc) == "" {
			for _, o := range j.Offices {
				loc = joinPlaces(loc, joinNonEmpty(", ", o.Name, o.Location))
			}
		}
		published := timeOf(j.FirstPublished)
		if published.IsZero() {
			published = timeOf(j.UpdatedAt)
		}
		p := jobdata.Posting{
			SourceID:     id,
			URL:          strings.TrimSpace(j.AbsoluteURL),
			Title:        title,
			Company:      strings.TrimSpace(j.CompanyName),
			Category:     joinNonEmpty(", ", depts...),
			JobType:      greenhouseMeta(j, "employment type", "employment_type", "job type"),
			LocationText: strings.TrimSpace(loc),
			Description:  html.UnescapeString(j.Content),
			PublishedAt:  published,
		}
		if p.URL == "" {
			p.URL = b.Page() + "/jobs/" + id
		}
		for _, r := range j.PayInputRanges {
			if s := salary(r.MinCents/100, r.MaxCents/100, r.CurrencyType, "year"); s.Known() {
				p.SalaryHint = s // Greenhouse's ranges are annual unless the title says otherwise
				if per := period(r.Title); per != "" {
					p.SalaryHint.Period = per
				}
				break
			}
		}
		return p, nil
	})
	return ps, rs, nil
}

// greenhouseMeta returns the value of the first custom field whose name
// (lower case) is one of names, as text; "" when there is none.
func greenhouseMeta(j greenhouseJob, names ...string) string {
	for _, m := range j.Metadata {
		name := strings.ToLower(strings.TrimSpace(m.Name))
		for _, want := range names {
			if name != want {
				continue
			}
			var s string
			if json.Unmarshal(m.Value, &s) == nil {
				return strings.TrimSpace(s)
			}
			var list []string
			if json.Unmarshal(m.Value, &list) == nil {
				return joinNonEmpty(", ", list...)
			}
		}
	}
	return ""
}
