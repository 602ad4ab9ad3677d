package boards

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// workableJob is a job of Workable's widget API
// (GET /api/v1/widget/accounts/<account>?details=true): the description
// comes with details=true.
type workableJob struct {
	Shortcode      string `json:"shortcode"`
	Title          string `json:"title"`
	URL            string `json:"url"`
	ShortLink      string `json:"shortlink"`
	Department     string `json:"department"`
	EmploymentType string `json:"employment_type"` // "Full-time", ...
	Telecommuting  *bool  `json:"telecommuting"`
	Country        string `json:"country"`
	City           string `json:"city"`
	State          string `json:"state"`
	Locations      []struct {
		Country string `json:"country"`
		City    string `json:"city"`
		Region  string `json:"region"`
		Hidden  bool   `json:"hidden"`
	} `json:"locations"`
	PublishedOn string `json:"published_on"` // a date
	CreatedAt   string `json:"created_at"`
	Description string `json:"description"` // HTML
}

// parseWorkable reads {"name": <company>, "description": ..., "jobs":
// [...]}. Every location that is not hidden joins the location text, and
// telecommuting makes it remote.
func parseWorkable(b Board, body []byte, lakeKey string) ([]jobdata.Posting, []jobdata.Reject, error) {
	var page struct {
		Name string            `json:"name"`
		Jobs []json.RawMessage `json:"jobs"`
	}
	if err := decodeDocument(body, &page); err != nil {
		return nil, nil, err
	}
	if page.Jobs == nil {
		return nil, nil, fmt.Errorf("%w: no \"jobs\" array", errNoJobs)
	}
	ps, rs := jobs(page.Jobs, lakeKey, func(j workableJob) (jobdata.Posting, error) {
		id, title, err := need(j.Shortcode, j.Title)
		if err != nil {
			return jobdata.Posting{}, err
		}
		var locs []string
		for _, l := range j.Locations {
			if !l.Hidden {
				locs = append(locs, joinNonEmpty(", ", l.City, l.Region, l.Country))
			}
		}
		if len(locs) == 0 {
			locs = append(locs, joinNonEmpty(", ", j.City, j.State, j.Country))
		}
		workplace := ""
		if j.Telecommuting != nil && *j.Telecommuting {
			workplace = "remote"
		}
		published := timeOf(j.PublishedOn)
		if published.IsZero() {
			published = timeOf(j.CreatedAt)
		}
		p := jobdata.Posting{
			SourceID:     id,
			URL:          strings.TrimSpace(j.URL),
			Title:        title,
			Company:      strings.TrimSpace(page.Name),
			Category:     strings.TrimSpace(j.Department),
			JobType:      strings.TrimSpace(j.EmploymentType),
			LocationText: place(joinPlaces(locs...), workplace),
			Description:  j.Description,
			PublishedAt:  published,
		}
		if p.URL == "" {
			p.URL = strings.TrimSpace(j.ShortLink)
		}
		if p.URL == "" {
			p.URL = b.Page() + "j/" + id + "/"
		}
		return p, nil
	})
	return ps, rs, nil
}
