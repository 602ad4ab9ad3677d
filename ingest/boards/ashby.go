package boards

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// ashbyJob is a job of Ashby's posting API
// (GET /posting-api/job-board/<board>?includeCompensation=true).
type ashbyJob struct {
	ID                 string `json:"id"`
	Title              string `json:"title"`
	Department         string `json:"department"`
	Team               string `json:"team"`
	EmploymentType     string `json:"employmentType"` // "FullTime", "PartTime", "Intern", "Contract", "Temporary"
	Location           string `json:"location"`
	SecondaryLocations []struct {
		Location string `json:"location"`
	} `json:"secondaryLocations"`
	IsRemote        *bool  `json:"isRemote"`
	WorkplaceType   string `json:"workplaceType"` // "OnSite", "Remote", "Hybrid"
	IsListed        *bool  `json:"isListed"`
	PublishedAt     string `json:"publishedAt"`
	JobURL          string `json:"jobUrl"`
	DescriptionHTML string `json:"descriptionHtml"`
	Compensation    *struct {
		SummaryComponents []struct {
			CompensationType string `json:"compensationType"` // "Salary", "EquityPercentage", ...
			Interval         string `json:"interval"`         // "1 YEAR", "1 HOUR", ...
			CurrencyCode     string `json:"currencyCode"`
			MinValue         number `json:"minValue"`
			MaxValue         number `json:"maxValue"`
		} `json:"summaryComponents"`
	} `json:"compensation"`
}

// parseAshby reads {"apiVersion": ..., "jobs": [...]}. A job the board
// does not list (isListed false) is left out: it is not open to the public.
// The workplace type (else isRemote) joins the location text; the salary is
// the compensation's Salary component.
func parseAshby(b Board, body []byte, lakeKey string) ([]jobdata.Posting, []jobdata.Reject, error) {
	var page struct {
		Jobs []json.RawMessage `json:"jobs"`
	}
	if err := decodeDocument(body, &page); err != nil {
		return nil, nil, err
	}
	if page.Jobs == nil {
		return nil, nil, fmt.Errorf("%w: no \"jobs\" array", errNoJobs)
	}
	ps, rs := jobs(page.Jobs, lakeKey, func(j ashbyJob) (jobdata.Posting, error) {
		id, title, err := need(j.ID, j.Title)
		if err != nil {
			return jobdata.Posting{}, err
		}
		if j.IsListed != nil && !*j.IsListed {
			return jobdata.Posting{}, errSkip
		}
		locs := []string{j.Location}
		for _, s := range j.SecondaryLocations {
			locs = append(locs, s.Location)
		}
		workplace := j.WorkplaceType
		if workplace == "" && j.IsRemote != nil && *j.IsRemote {
			workplace = "remote"
		}
		p := jobdata.Posting{
			SourceID:     id,
			URL:          strings.TrimSpace(j.JobURL),
			Title:        title,
			Category:     strings.TrimSpace(j.Department),
			JobType:      strings.TrimSpace(j.EmploymentType),
			LocationText: place(joinPlaces(locs...), workplace),
			Description:  j.DescriptionHTML,
			PublishedAt:  timeOf(j.PublishedAt),
		}
		if p.Category == "" {
			p.Category = strings.TrimSpace(j.Team)
		}
		if p.URL == "" {
			p.URL = b.Page() + "/" + id
		}
		if c := j.Compensation; c != nil {
			for _, s := range c.SummaryComponents {
				if strings.EqualFold(s.CompensationType, "Salary") {
					if p.SalaryHint = salary(s.MinValue, s.MaxValue, s.CurrencyCode, s.Interval); p.SalaryHint.Known() {
						break
					}
				}
			}
		}
		return p, nil
	})
	return ps, rs, nil
}
