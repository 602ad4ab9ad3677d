// Package sample generates Remotive-shaped job data for the demo and for
// tests: deterministic (the same day gives the same bytes), plausible, and
// clearly fake (every company name ends in "(sample)").
package sample

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
)

var (
	seniorities = []string{"", "", "Senior ", "Junior ", "Lead ", "Staff ", "Principal "}
	roles       = []struct{ title, category string }{
		{"Backend Engineer", "Software Development"},
		{"Frontend Developer", "Software Development"},
		{"Full Stack Developer", "Software Development"},
		{"Data Engineer", "Data"},
		{"Data Analyst", "Data"},
		{"Machine Learning Engineer", "Data"},
		{"DevOps Engineer", "DevOps / Sysadmin"},
		{"Site Reliability Engineer", "DevOps / Sysadmin"},
		{"Product Designer", "Design"},
		{"Product Manager", "Product"},
		{"QA Engineer", "QA"},
		{"Customer Success Manager", "Customer Service"},
		{"Technical Writer", "Writing"},
		{"Sales Development Representative", "Sales / Business"},
		{"Mobile Developer", "Software Development"},
	}
	// roleWeights makes some roles much more common than others, as on a
	// real board.
	roleWeights = []int{14, 10, 9, 7, 5, 5, 6, 3, 4, 4, 2, 3, 1, 2, 3}
	locations   = []string{
		"Worldwide", "Worldwide", "Worldwide", "USA", "USA", "USA, Canada", "Europe", "Europe",
		"UK", "Germany", "Americas, Europe, Israel", "USA timezones", "LATAM", "Canada", "France",
	}
	companies = []string{
		"Acme Analytics", "Blue Harbor", "Cobalt Labs", "Delta Freight", "Evergreen Health",
		"Foxglove", "Granite Cloud", "Helio Energy", "Ivy Learning", "Juniper Pay",
		"Kestrel Security", "Lumen Media", "Maple Robotics", "Nimbus Data", "Orbit Travel",
	}
	skills = []string{
		"go", "python", "sql", "postgresql", "aws", "kubernetes", "react", "typescript", "java",
		"terraform", "figma", "spark", "airflow", "docker", "rust", "swift", "kotlin", "excel",
	}
	salaries = []string{"", "", "", "$80k - $100k", "$120k - $150k", "$45 - $60/hr", "€60.000 - €75.000", "$150k - $230k", "£50k"}
	jobTypes = []string{"full_time", "full_time", "full_time", "contract", "part_time"}
)

// Job is one generated job in Remotive's shape.
type Job struct {
	ID                        int      `json:"id"`
	URL                       string   `json:"url"`
	Title                     string   `json:"title"`
	CompanyName               string   `json:"company_name"`
	CompanyLogo               string   `json:"company_logo"`
	Category                  string   `json:"category"`
	Tags                      []string `json:"tags"`
	JobType                   string   `json:"job_type"`
	PublicationDate           string   `json:"publication_date"`
	CandidateRequiredLocation string   `json:"candidate_required_location"`
	Salary                    string   `json:"salary"`
	Description               string   `json:"description"`
}

// Jobs returns the n jobs open on day. Jobs have stable ids: a job open on
// two days is the same job, and about one job in eight changes each day.
func Jobs(day time.Time, n int) []Job {
	day = day.UTC().Truncate(24 * time.Hour)
	// Each job's life is drawn from its id: ids are numbered from an epoch
	// so that consecutive days share most of their jobs.
	offset := int(day.Unix()/86400) * (n / 8)
	jobs := make([]Job, 0, n)
	for i := range n {
		id := 1_000_000 + offset + i
		jobs = append(jobs, job(id, day))
	}
	return jobs
}

func job(id int, day time.Time) Job {
	r := rand.New(rand.NewPCG(uint64(id), 0x6a6f6270756c7365))
	role := roles[weighted(r, roleWeights)]
	title := seniorities[r.IntN(len(seniorities))] + role.title
	tags := make([]string, 0, 4)
	for _, k := range r.Perm(len(skills))[:2+r.IntN(3)] {
		tags = append(tags, skills[k])
	}
	company := companies[r.IntN(len(companies))] + " (sample)"
	published := day.Add(-time.Duration(r.IntN(14*24)) * time.Hour)
	slug := strings.ToLower(strings.NewReplacer(" ", "-", "/", "-").Replace(strings.TrimSpace(title)))
	return Job{
		ID:                        id,
		URL:                       fmt.Sprintf("https://remotive.com/remote-jobs/sample/%s-%d", slug, id),
		Title:                     title,
		CompanyName:               company,
		CompanyLogo:               "",
		Category:                  role.category,
		Tags:                      tags,
		JobType:                   jobTypes[r.IntN(len(jobTypes))],
		PublicationDate:           published.Format("2006-01-02T15:04:05"),
		CandidateRequiredLocation: locations[r.IntN(len(locations))],
		Salary:                    salaries[r.IntN(len(salaries))],
		Description:               fmt.Sprintf("<p>%s at %s. This is generated sample data, not a real job offer.</p>", title, company),
	}
}

func weighted(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

// RemotiveResponse returns the body of a Remotive /api/remote-jobs response
// with the n jobs open on day.
func RemotiveResponse(day time.Time, n int) []byte {
	jobs := Jobs(day, n)
	body, err := json.MarshalIndent(map[string]any{
		"0-legal-notice":  "Sample data generated by jobpulse; not real job offers.",
		"job-count":       len(jobs),
		"total-job-count": len(jobs),
		"jobs":            jobs,
	}, "", "  ")
	if err != nil {
		panic(fmt.Sprintf("sample: marshal: %v", err)) // cannot happen: plain values
	}
	return body
}

// Handler serves [RemotiveResponse] for day at /api/remote-jobs, as the
// Remotive API would.
func Handler(day time.Time, n int) http.Handler {
	body := RemotiveResponse(day, n)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/remote-jobs", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	return mux
}
