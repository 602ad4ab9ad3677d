package boards

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// personioPosition is a position of Personio's XML feed
// (GET https://<company>.jobs.personio.de/xml).
type personioPosition struct {
	ID                 string   `xml:"id"`
	Subcompany         string   `xml:"subcompany"`
	Office             string   `xml:"office"`
	AdditionalOffices  []string `xml:"additionalOffices>office"`
	Department         string   `xml:"department"`
	RecruitingCategory string   `xml:"recruitingCategory"`
	Name               string   `xml:"name"`
	JobDescriptions    []struct {
		Name  string `xml:"name"`
		Value string `xml:"value"` // HTML, in CDATA
	} `xml:"jobDescriptions>jobDescription"`
	EmploymentType string `xml:"employmentType"` // "permanent", "intern", ...
	Schedule       string `xml:"schedule"`       // "full-time", "part-time", ...
	CreatedAt      string `xml:"createdAt"`
}

// maxPersonioDepth bounds the nesting of elements a feed may have: a
// position is three deep; a deeper document is no feed, and is refused
// before it costs much.
const maxPersonioDepth = 64

// parsePersonio reads <workzag-jobs><position>...</position>...</workzag-jobs>.
// The description is every jobDescription, its name as a heading; the
// offices are the location text; the employment type and schedule the job
// type; the subcompany, where given, the company. A position's page is
// <company>.jobs.personio.de/job/<id>.
func parsePersonio(b Board, body []byte, lakeKey string) ([]jobdata.Posting, []jobdata.Reject, error) {
	dec := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
	dec.Strict = true
	var postings []jobdata.Posting
	var rejects []jobdata.Reject
	root, depth, index := "", 0, 0
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) && root != "" && depth == 0 {
				break
			}
			return nil, nil, fmt.Errorf("xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > maxPersonioDepth {
				return nil, nil, fmt.Errorf("xml: elements nested deeper than %d", maxPersonioDepth)
			}
			if depth == 1 {
				root = t.Name.Local
				if root != "workzag-jobs" {
					return nil, nil, fmt.Errorf("%w: root element <%s>, want <workzag-jobs>", errNoJobs, root)
				}
				continue
			}
			if depth != 2 || t.Name.Local != "position" {
				continue
			}
			var pos personioPosition
			if err := dec.DecodeElement(&pos, &t); err != nil {
				return nil, nil, fmt.Errorf("xml: position %d: %w", index, err)
			}
			depth--
			p, err := personioPosting(b, pos)
			if err != nil {
				rejects = append(rejects, jobdata.Reject{LakeKey: lakeKey, Index: index, Reason: err.Error()})
			} else {
				postings = append(postings, p)
			}
			index++
		case xml.EndElement:
			depth--
		}
	}
	return postings, rejects, nil
}

// personioPosting makes the posting of a position.
func personioPosting(b Board, pos personioPosition) (jobdata.Posting, error) {
	id, title, err := need(pos.ID, pos.Name)
	if err != nil {
		return jobdata.Posting{}, err
	}
	var desc strings.Builder
	for _, d := range pos.JobDescriptions {
		if name := strings.TrimSpace(d.Name); name != "" {
			desc.WriteString("<h3>" + escapeText(name) + "</h3>")
		}
		desc.WriteString(d.Value)
	}
	category := strings.TrimSpace(pos.Department)
	if category == "" {
		category = strings.TrimSpace(pos.RecruitingCategory)
	}
	return jobdata.Posting{
		SourceID:     id,
		URL:          b.Page() + "job/" + id,
		Title:        title,
		Company:      strings.TrimSpace(pos.Subcompany),
		Category:     category,
		JobType:      joinNonEmpty(", ", pos.EmploymentType, pos.Schedule),
		LocationText: joinPlaces(append([]string{pos.Office}, pos.AdditionalOffices...)...),
		Description:  desc.String(),
		PublishedAt:  timeOf(pos.CreatedAt),
	}, nil
}

// escapeText escapes a text for HTML: a heading made of a feed's field.
func escapeText(s string) string {
	var buf bytes.Buffer
	_ = xml.EscapeText(&buf, []byte(s))
	return buf.String()
}
