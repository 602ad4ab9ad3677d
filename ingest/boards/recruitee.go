package boards

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// recruiteeOffer is an offer of Recruitee's careers site API
// (GET https://<company>.recruitee.com/api/offers/).
type recruiteeOffer struct {
	ID                 id     `json:"id"`
	Title              string `json:"title"`
	CareersURL         string `json:"careers_url"`
	CompanyName        string `json:"company_name"`
	Description        string `json:"description"`  // HTML
	Requirements       string `json:"requirements"` // HTML
	Location           string `json:"location"`
	City               string `json:"city"`
	Country            string `json:"country"`
	Remote             *bool  `json:"remote"`
	Hybrid             *bool  `json:"hybrid"`
	OnSite             *bool  `json:"on_site"`
	Department         string `json:"department"`
	EmploymentTypeCode string `json:"employment_type_code"` // "fulltime_permanent", ...
	PublishedAt        string `json:"published_at"`         // "2026-08-01 09:12:44 UTC"
	CreatedAt          string `json:"created_at"`
	Salary             *struct {
		Min      number `json:"min"`
		Max      number `json:"max"`
		Currency string `json:"currency"`
		Period   string `json:"period"` // "year", "month", "hour", ...
	} `json:"salary"`
}

// parseRecruitee reads {"offers": [...]}. The description is the offer's
// description and requirements; the remote, hybrid and on-site flags join
// the location text.
func parseRecruitee(b Board, body []byte, lakeKey string) ([]jobdata.Posting, []jobdata.Reject, error) {
	var page struct {
		Offers []json.RawMessage `json:"offers"`
	}
	if err := decodeDocument(body, &page); err != nil {
		return nil, nil, err
	}
	if page.Offers == nil {
		return nil, nil, fmt.Errorf("%w: no \"offers\" array", errNoJobs)
	}
	ps, rs := jobs(page.Offers, lakeKey, func(j recruiteeOffer) (jobdata.Posting, error) {
		id, title, err := need(string(j.ID), j.Title)
		if err != nil {
			return jobdata.Posting{}, err
		}
		loc := strings.TrimSpace(j.Location)
		if loc == "" {
			loc = joinNonEmpty(", ", j.City, j.Country)
		}
		workplace := ""
		switch {
		case j.Remote != nil && *j.Remote:
			workplace = "remote"
		case j.Hybrid != nil && *j.Hybrid:
			workplace = "hybrid"
		case j.OnSite != nil && *j.OnSite:
			workplace = "onsite"
		}
		published := timeOf(j.PublishedAt)
		if published.IsZero() {
			published = timeOf(j.CreatedAt)
		}
		p := jobdata.Posting{
			SourceID:     id,
			URL:          strings.TrimSpace(j.CareersURL),
			Title:        title,
			Company:      strings.TrimSpace(j.CompanyName),
			Category:     strings.TrimSpace(j.Department),
			JobType:      strings.TrimSpace(j.EmploymentTypeCode),
			LocationText: place(loc, workplace),
			Description:  j.Description + j.Requirements,
			PublishedAt:  published,
		}
		if p.URL == "" {
			p.URL = b.Page() + "o/" + id
		}
		if s := j.Salary; s != nil {
			p.SalaryHint = salary(s.Min, s.Max, s.Currency, s.Period)
		}
		return p, nil
	})
	return ps, rs, nil
}
