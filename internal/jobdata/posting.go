package jobdata

import (
	"fmt"
	"time"
)

// Posting is one job offer as a source published it, with the lake key of the
// raw page it was parsed from, and the normalized fields that ingest's
// Normalize derives from the raw ones. Fields a source does not provide are
// empty.
type Posting struct {
	// Raw fields, as the source published them.
	Source       string    // source name, e.g. "remotive"
	SourceID     string    // the source's own id of the posting
	URL          string    // the posting's page at the source
	Title        string    // job title as published
	Company      string    // hiring company
	CompanyLogo  string    // URL of the company's logo, if any
	Category     string    // the source's category, e.g. "Software Development"
	JobType      string    // e.g. "full_time", "contract"
	LocationText string    // free-text location, e.g. "USA, Canada"
	SalaryText   string    // free-text salary, e.g. "$18 - $22/hr"
	Tags         []string  // the source's tags, as published; only those of the skills table make Skills
	Description  string    // description as published (usually HTML)
	PublishedAt  time.Time // publication time in UTC; zero when unknown
	LakeKey      string    // key of the raw page in the lake

	// Hints a source may give beside its text; Normalize prefers them.
	RemoteHint *bool  // the source says the job is remote (or not); nil when it does not say
	SalaryHint Salary // a salary the source publishes as numbers
	// CountryHint is the country (ISO 3166-1 alpha-2) of a source that lists
	// the jobs of one country: a location text that names no place the
	// gazetteer knows (a village under 1,000 inhabitants) is read as in it.
	// "" when the source lists jobs of many countries.
	CountryHint string
	// OccupationCode is the publisher's own occupation label, as
	// "scheme:code" (France Travail's ROME code as "rome:D1507"); "" when the
	// source gives none. Its role is the role where the title names none
	// (see ingest's Normalize); the warehouse keeps it in
	// postings.occupation_code, NULL for "".
	OccupationCode string
	// OccupationName is the publisher's name of the occupation the offer
	// is filed under, finer than its code (France Travail's appellation:
	// one of some 11,000 under ROME's 600 codes, "Chef de projet de
	// développement local" under K1802). Where the title names no role, it
	// is read as a title before the code's role is taken. "" when the
	// source gives none.
	OccupationName string

	// Normalized fields, filled by Normalize.
	CompanyName     string   // Company without its legal form, e.g. "SumUp" for "SumUp GmbH"; "" when it names no company
	CompanyKey      string   // groups the spellings of one company, e.g. "sumup"; "" with CompanyName
	Role            string   // job family, e.g. "Backend Engineer"; "" when unknown
	Seniority       string   // e.g. "Senior", "Junior"; "" when the title says nothing
	Location        Location // scope, countries, regions, workplace
	Salary          Salary   // range, currency, period, annual figures
	Skills          []string // skills of the skills table named by the tags and title, sorted
	DescriptionText string   // the description as plain text
	Fingerprint     string   // identity across sources: see ingest/normalize.Fingerprint
}

// Reject is a record of a raw page that could not be parsed into a posting.
// It is counted and reported with its lake key; it never stops a run.
type Reject struct {
	LakeKey string // raw page the record came from
	Index   int    // position of the record in the page, -1 for the whole page
	Reason  string
}

// String formats the reject for logs and reports.
func (r Reject) String() string {
	if r.Index < 0 {
		return fmt.Sprintf("%s: %s", r.LakeKey, r.Reason)
	}
	return fmt.Sprintf("%s: record %d: %s", r.LakeKey, r.Index, r.Reason)
}
