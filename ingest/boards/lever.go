package boards

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// leverPosting is a posting of Lever's postings API
// (GET /v0/postings/<company>?mode=json).
type leverPosting struct {
	ID         string          `json:"id"`
	Text       string          `json:"text"` // the title
	HostedURL  string          `json:"hostedUrl"`
	CreatedAt  json.RawMessage `json:"createdAt"` // Unix milliseconds
	Categories struct {
		Commitment   string   `json:"commitment"` // "Full-time"
		Department   string   `json:"department"`
		Team         string   `json:"team"`
		Location     string   `json:"location"`
		AllLocations []string `json:"allLocations"`
	} `json:"categories"`
	Country       string `json:"country"`
	WorkplaceType string `json:"workplaceType"` // "remote", "hybrid", "onsite", "unspecified"
	Description   string `json:"description"`   // HTML, the opening
	Lists         []struct {
		Text    string `json:"text"`
		Content string `json:"content"` // HTML list items
	} `json:"lists"`
	Additional  string `json:"additional"` // HTML, the closing
	SalaryRange *struct {
		Min      number `json:"min"`
		Max      number `json:"max"`
		Currency string `json:"currency"`
		Interval string `json:"interval"` // "per-year-salary", "per-hour-wage", ...
	} `json:"salaryRange"`
}

// parseLever reads the JSON array of postings. The description is the
// opening, each list (its heading and items) and the closing, as HTML; the
// department (else the team) is the category, the commitment the job type,
// every location the location text, with the workplace type added.
func parseLever(b Board, body []byte, lakeKey string) ([]jobdata.Posting, []jobdata.Reject, error) {
	var list []json.RawMessage
	if err := decodeDocument(body, &list); err != nil {
		return nil, nil, err
	}
	if list == nil {
		return nil, nil, errors.Join(errNoJobs, errors.New("null instead of an array"))
	}
	ps, rs := jobs(list, lakeKey, func(j leverPosting) (jobdata.Posting, error) {
		id, title, err := need(j.ID, j.Text)
		if err != nil {
			return jobdata.Posting{}, err
		}
		var desc strings.Builder
		desc.WriteString(j.Description)
		for _, l := range j.Lists {
			desc.WriteString("<h3>" + l.Text + "</h3><ul>" + l.Content + "</ul>")
		}
		desc.WriteString(j.Additional)
		c := j.Categories
		locs := append([]string{c.Location}, c.AllLocations...)
		p := jobdata.Posting{
			SourceID:     id,
			URL:          strings.TrimSpace(j.HostedURL),
			Title:        title,
			Category:     strings.TrimSpace(c.Department),
			JobType:      strings.TrimSpace(c.Commitment),
			LocationText: place(joinPlaces(locs...), j.WorkplaceType),
			Description:  desc.String(),
			PublishedAt:  millis(j.CreatedAt),
		}
		if p.Category == "" {
			p.Category = strings.TrimSpace(c.Team)
		}
		if p.URL == "" {
			p.URL = b.Page() + "/" + id
		}
		if r := j.SalaryRange; r != nil {
			p.SalaryHint = salary(r.Min, r.Max, r.Currency, r.Interval)
		}
		return p, nil
	})
	return ps, rs, nil
}
