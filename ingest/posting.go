package ingest

import "time"

// Posting is one job offer as a source published it, with the lake key of the
// raw page it was parsed from. Fields a source does not provide are empty.
type Posting struct {
	Source      string    // source name, e.g. "remotive"
	SourceID    string    // the source's own id of the posting
	URL         string    // the posting's page at the source
	Title       string    // job title as published
	Company     string    // hiring company
	CompanyLogo string    // URL of the company's logo, if any
	Category    string    // the source's category, e.g. "Software Development"
	JobType     string    // e.g. "full_time", "contract"
	Location    string    // free-text location, e.g. "USA, Canada"
	Salary      string    // free-text salary, e.g. "$18 - $22/hr"
	Tags        []string  // skills or tags
	Description string    // HTML description as published
	PublishedAt time.Time // publication time in UTC; zero when unknown
	LakeKey     string    // key of the raw page in the lake
}
