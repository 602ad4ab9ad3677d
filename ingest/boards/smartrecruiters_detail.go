package boards

import (
	"errors"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// detailKind is how a system's list of postings is completed by one detail
// page per posting (SmartRecruiters' list gives no description).
type detailKind struct {
	// pages returns the detail pages of the postings of a list page, whose
	// first page's URL is list (the configured one: a detail page is asked
	// of the same host, never of a URL the page gives).
	pages func(list string, body []byte) ([]detailPage, error)
	// name returns the name of posting id's detail page, and false for an
	// id that cannot name a page.
	name func(id string) (string, bool)
	// read completes p from its detail page.
	read func(p *jobdata.Posting, body []byte) error
}

// detailPage is one detail page to fetch.
type detailPage struct{ name, url string }

// smartRecruitersID is what a posting id may be to name its detail page
// (posting-<id>.json) and its URL: SmartRecruiters' ids are digits.
var smartRecruitersID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// smartRecruitersDetailName returns the name of posting id's detail page:
// posting-<id>.json.
func smartRecruitersDetailName(id string) (string, bool) {
	if !smartRecruitersID.MatchString(id) {
		return "", false
	}
	return "posting-" + id + ".json", true
}

// smartRecruitersDetails returns the detail pages of the postings of a list
// page: GET <list path>/<id> (/v1/companies/<company>/postings/<id>), each
// posting once.
func smartRecruitersDetails(list string, body []byte) ([]detailPage, error) {
	u, err := url.Parse(list)
	if err != nil {
		return nil, fmt.Errorf("smartrecruiters url %q: %w", list, err)
	}
	u.RawQuery, u.Fragment = "", ""
	var page smartRecruitersList
	if err := decodeDocument(body, &page); err != nil {
		return nil, fmt.Errorf("read the postings' ids: %w", err)
	}
	var out []detailPage
	seen := map[string]bool{}
	for _, raw := range page.Content {
		var j struct {
			ID string `json:"id"`
		}
		if decodeDocument(raw, &j) != nil {
			continue // a reject of the list page
		}
		id := strings.TrimSpace(j.ID)
		name, ok := smartRecruitersDetailName(id)
		if !ok || seen[id] {
			continue
		}
		seen[id] = true
		d := *u
		d.Path = strings.TrimSuffix(u.Path, "/") + "/" + id
		d.RawPath = ""
		out = append(out, detailPage{name: name, url: d.String()})
	}
	return out, nil
}

// smartRecruitersSection is one section of a posting's job ad.
type smartRecruitersSection struct {
	Title string `json:"title"`
	Text  string `json:"text"` // HTML
}

// smartRecruitersDetail is a posting of SmartRecruiters' posting API as
// its detail endpoint gives it (GET
// /v1/companies/<company>/postings/<id>): the list's fields, and the job ad.
type smartRecruitersDetail struct {
	ID    string `json:"id"`
	JobAd *struct {
		Sections map[string]smartRecruitersSection `json:"sections"`
	} `json:"jobAd"`
}

// smartRecruitersSections are the sections of a job ad that make the
// description, in the order the posting's page shows them. (The ad's other
// sections, such as videos, hold no text.)
var smartRecruitersSections = []string{"companyDescription", "jobDescription", "qualifications", "additionalInformation"}

// errNoJobAd is the error of a detail page without the text of a job ad.
var errNoJobAd = errors.New("no jobAd.sections with text")

// readSmartRecruitersDetail sets p's description from its detail page: the
// job ad's sections with text, each headed by its title (escaped: a title is
// text, the section's text is HTML as published). A page that is not the
// detail of p (another id), or has no job ad text, is an error and p is
// left as it is.
func readSmartRecruitersDetail(p *jobdata.Posting, body []byte) error {
	var d smartRecruitersDetail
	if err := decodeDocument(body, &d); err != nil {
		return err
	}
	if id := strings.TrimSpace(d.ID); id != p.SourceID {
		return fmt.Errorf("the detail of posting %q, not %q", id, p.SourceID)
	}
	if d.JobAd == nil {
		return errNoJobAd
	}
	var b strings.Builder
	for _, key := range smartRecruitersSections {
		s, ok := d.JobAd.Sections[key]
		text := strings.TrimSpace(s.Text)
		if !ok || text == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		if title := strings.TrimSpace(s.Title); title != "" {
			b.WriteString("<h3>" + html.EscapeString(title) + "</h3>\n")
		}
		b.WriteString(text)
	}
	if b.Len() == 0 {
		return errNoJobAd
	}
	p.Description = b.String()
	return nil
}
