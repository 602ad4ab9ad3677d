package boards

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// smartRecruitersPageSize is how many postings one page asks for: the
// API's largest limit.
const smartRecruitersPageSize = 100

// smartRecruitersPosting is a posting of SmartRecruiters' posting API
// (GET /v1/companies/<company>/postings?limit=..&offset=..).
type smartRecruitersPosting struct {
	ID           string `json:"id"`
	Name         string `json:"name"` // the title
	ReleasedDate string `json:"releasedDate"`
	Company      struct {
		Identifier string `json:"identifier"`
		Name       string `json:"name"`
	} `json:"company"`
	Location struct {
		City         string `json:"city"`
		Region       string `json:"region"`
		Country      string `json:"country"` // ISO code, lower case
		Remote       *bool  `json:"remote"`
		Hybrid       *bool  `json:"hybrid"`
		FullLocation string `json:"fullLocation"`
	} `json:"location"`
	Department       struct{ Label string } `json:"department"`
	Function         struct{ Label string } `json:"function"`
	TypeOfEmployment struct{ Label string } `json:"typeOfEmployment"`
	PostingURL       string                 `json:"postingUrl"`
}

// smartRecruitersList is one page of the list.
type smartRecruitersList struct {
	Offset     *int              `json:"offset"`
	Limit      int               `json:"limit"`
	TotalFound int               `json:"totalFound"`
	Content    []json.RawMessage `json:"content"`
}

// smartRecruitersPage returns the URL of page n of the list whose first URL
// is first: limit 100, offset (n-1)*100; and whether there is such a page,
// given page n-1 (prev): while the postings seen are fewer than totalFound
// and prev had some.
func smartRecruitersPage(first string, n int, prev []byte) (string, bool, error) {
	u, err := url.Parse(first)
	if err != nil {
		return "", false, fmt.Errorf("smartrecruiters url %q: %w", first, err)
	}
	q := u.Query()
	q.Set("limit", strconv.Itoa(smartRecruitersPageSize))
	q.Set("offset", strconv.Itoa((n-1)*smartRecruitersPageSize))
	u.RawQuery = q.Encode()
	if n == 1 {
		return u.String(), true, nil
	}
	var page smartRecruitersList
	if err := decodeDocument(prev, &page); err != nil {
		return "", false, fmt.Errorf("read totalFound: %w", err)
	}
	return u.String(), len(page.Content) > 0 && (n-1)*smartRecruitersPageSize < page.TotalFound, nil
}

// parseSmartRecruiters reads one page of the list: {"offset": ..,
// "limit": .., "totalFound": .., "content": [...]}. The list gives no
// description: the posting's title, place, department (else function),
// employment type and release date. Its page is
// jobs.smartrecruiters.com/<company>/<id>.
func parseSmartRecruiters(b Board, body []byte, lakeKey string) ([]jobdata.Posting, []jobdata.Reject, error) {
	var page smartRecruitersList
	if err := decodeDocument(body, &page); err != nil {
		return nil, nil, err
	}
	if page.Content == nil {
		return nil, nil, fmt.Errorf("%w: no \"content\" array", errNoJobs)
	}
	ps, rs := jobs(page.Content, lakeKey, func(j smartRecruitersPosting) (jobdata.Posting, error) {
		id, title, err := need(j.ID, j.Name)
		if err != nil {
			return jobdata.Posting{}, err
		}
		l := j.Location
		loc := strings.TrimSpace(l.FullLocation)
		if loc == "" {
			loc = joinNonEmpty(", ", l.City, l.Region, strings.ToUpper(l.Country))
		}
		workplace := ""
		switch {
		case l.Remote != nil && *l.Remote:
			workplace = "remote"
		case l.Hybrid != nil && *l.Hybrid:
			workplace = "hybrid"
		}
		p := jobdata.Posting{
			SourceID:     id,
			URL:          strings.TrimSpace(j.PostingURL),
			Title:        title,
			Company:      strings.TrimSpace(j.Company.Name),
			Category:     strings.TrimSpace(j.Department.Label),
			JobType:      strings.TrimSpace(j.TypeOfEmployment.Label),
			LocationText: place(loc, workplace),
			PublishedAt:  timeOf(j.ReleasedDate),
		}
		if p.Category == "" {
			p.Category = strings.TrimSpace(j.Function.Label)
		}
		if p.URL == "" {
			p.URL = b.Page() + "/" + url.PathEscape(id)
		}
		return p, nil
	})
	return ps, rs, nil
}
