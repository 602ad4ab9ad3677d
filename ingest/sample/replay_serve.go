package sample

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The paths a [Replay] serves, one per source, as the real APIs do.
const (
	RemotivePath  = "/api/remote-jobs"
	RemoteOKPath  = "/api"
	ArbeitnowPath = "/api/job-board-api"
)

// arbeitnowPerPage is the number of jobs on a page of Arbeitnow's API.
const arbeitnowPerPage = 100

// replayNotice is the notice each response of a [Replay] carries where the
// real API carries its terms.
const replayNotice = "Sample data served by jobpulse demo: real postings captured from public job boards, " +
	"replayed night by night with simulated dates and ids; not today's job offers."

// RemotiveResponse returns the body of a Remotive /api/remote-jobs response
// with the listings of Remotive's shape open on day.
func (r Replay) RemotiveResponse(day time.Time) []byte {
	return remotiveBody(r.shape(day, "remotive"))
}

// RemoteOKResponse returns the body of a RemoteOK /api response with the
// listings of RemoteOK's shape open on day.
func (r Replay) RemoteOKResponse(day time.Time) []byte {
	return remoteOKBody(day, r.shape(day, "remoteok"))
}

// ArbeitnowResponse returns the body of page (from 1) of Arbeitnow's
// /api/job-board-api with the listings of Arbeitnow's shape open on day,
// 100 a page, with links.next to the next page on Arbeitnow's public host
// as the real API gives it (the source moves it onto its configured URL).
func (r Replay) ArbeitnowResponse(day time.Time, page int) []byte {
	return arbeitnowBody(r.shape(day, "arbeitnow"), page)
}

// Handler serves the listings open on the day that day returns at each
// request, at [RemotivePath], [RemoteOKPath] and [ArbeitnowPath] (with
// ?page=N), each in its API's shape. It keeps the last day's listings.
// day must be safe for concurrent use.
func (r Replay) Handler(day func() time.Time) http.Handler {
	var (
		mu      sync.Mutex
		lastDay int64 = math.MinInt64
		open    []listing
	)
	listings := func() (time.Time, []listing) {
		t := day()
		d := dayNumber(t)
		mu.Lock()
		defer mu.Unlock()
		if d != lastDay {
			open, lastDay = r.open(d), d
		}
		return t, open
	}
	write := func(w http.ResponseWriter, body []byte) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+RemotivePath, func(w http.ResponseWriter, _ *http.Request) {
		_, ls := listings()
		write(w, remotiveBody(ofShape(ls, "remotive")))
	})
	mux.HandleFunc("GET "+RemoteOKPath, func(w http.ResponseWriter, _ *http.Request) {
		t, ls := listings()
		write(w, remoteOKBody(t, ofShape(ls, "remoteok")))
	})
	mux.HandleFunc("GET "+ArbeitnowPath, func(w http.ResponseWriter, req *http.Request) {
		page, err := strconv.Atoi(req.URL.Query().Get("page"))
		if err != nil || page < 1 {
			page = 1
		}
		_, ls := listings()
		write(w, arbeitnowBody(ofShape(ls, "arbeitnow"), page))
	})
	return mux
}

// shape returns the listings of shape open on day.
func (r Replay) shape(day time.Time, shape string) []listing {
	return ofShape(r.open(dayNumber(day)), shape)
}

// ofShape returns the listings of ls served in shape.
func ofShape(ls []listing, shape string) []listing {
	var out []listing
	for _, l := range ls {
		if l.Shape == shape {
			out = append(out, l)
		}
	}
	return out
}

func remotiveBody(ls []listing) []byte {
	jobs := make([]Job, 0, len(ls))
	for _, l := range ls {
		jobType := ""
		if len(l.JobTypes) > 0 {
			jobType = l.JobTypes[0]
		}
		jobs = append(jobs, Job{
			ID: int(replayIDBase + l.n), URL: l.URL, Title: l.Title, CompanyName: sampleCompany(l.Company),
			Category: l.Category, Tags: orEmpty(l.Tags), JobType: jobType,
			PublicationDate:           l.published().Format("2006-01-02T15:04:05"),
			CandidateRequiredLocation: l.Location, Salary: l.Salary, Description: descriptionHTML(l.Description),
		})
	}
	return marshal(map[string]any{
		"0-legal-notice":  replayNotice,
		"job-count":       len(jobs),
		"total-job-count": len(jobs),
		"jobs":            jobs,
	})
}

// remoteOKJob is a job of RemoteOK's /api.
type remoteOKJob struct {
	ID          string   `json:"id"`
	Epoch       int64    `json:"epoch"`
	Date        string   `json:"date"`
	Company     string   `json:"company"`
	CompanyLogo string   `json:"company_logo"`
	Position    string   `json:"position"`
	Tags        []string `json:"tags"`
	Description string   `json:"description"`
	Location    string   `json:"location"`
	ApplyURL    string   `json:"apply_url"`
	SalaryMin   float64  `json:"salary_min"`
	SalaryMax   float64  `json:"salary_max"`
	URL         string   `json:"url"`
}

func remoteOKBody(day time.Time, ls []listing) []byte {
	elems := []any{map[string]any{"last_updated": day.Unix(), "legal": replayNotice}}
	for _, l := range ls {
		id := strconv.FormatInt(replayIDBase+l.n, 10)
		pub := l.published()
		elems = append(elems, remoteOKJob{
			ID: id, Epoch: pub.Unix(), Date: pub.Format(time.RFC3339),
			Company: sampleCompany(l.Company), Position: l.Title, Tags: orEmpty(l.Tags),
			Description: descriptionHTML(l.Description), Location: l.Location,
			SalaryMin: l.SalaryMin, SalaryMax: l.SalaryMax, URL: l.URL,
		})
	}
	return marshal(elems)
}

// arbeitnowJob is a job of Arbeitnow's /api/job-board-api.
type arbeitnowJob struct {
	Slug        string   `json:"slug"`
	CompanyName string   `json:"company_name"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Remote      *bool    `json:"remote,omitempty"`
	URL         string   `json:"url"`
	Tags        []string `json:"tags"`
	JobTypes    []string `json:"job_types"`
	Location    string   `json:"location"`
	CreatedAt   int64    `json:"created_at"`
}

func arbeitnowBody(ls []listing, page int) []byte {
	const api = "https://www.arbeitnow.com" + ArbeitnowPath
	from := min((page-1)*arbeitnowPerPage, len(ls))
	to := min(from+arbeitnowPerPage, len(ls))
	jobs := make([]arbeitnowJob, 0, to-from)
	for _, l := range ls[from:to] {
		source, _, _ := strings.Cut(l.Capture, "/")
		id := l.ID
		if source != "arbeitnow" {
			id = source + "-" + strings.ToLower(l.ID) // Greenhouse's digits, France Travail's letters and digits
		}
		jobs = append(jobs, arbeitnowJob{
			Slug: fmt.Sprintf("%s-%d", id, replayIDBase+l.n), CompanyName: sampleCompany(l.Company), Title: l.Title,
			Description: descriptionHTML(l.Description), Remote: l.Remote, URL: l.URL, Tags: orEmpty(l.Tags),
			JobTypes: orEmpty(l.JobTypes), Location: l.Location, CreatedAt: l.published().Unix(),
		})
	}
	var next any
	if to < len(ls) {
		next = fmt.Sprintf("%s?page=%d", api, page+1)
	}
	return marshal(map[string]any{
		"data":  jobs,
		"links": map[string]any{"first": api + "?page=1", "last": nil, "prev": nil, "next": next},
		"meta": map[string]any{"current_page": page, "from": from + 1, "to": to, "per_page": arbeitnowPerPage,
			"path": api, "terms": replayNotice},
	})
}

// descriptionHTML returns a plain-text description as HTML paragraphs,
// escaped, as boards publish descriptions.
func descriptionHTML(text string) string {
	var b strings.Builder
	for _, para := range strings.Split(text, "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			b.WriteString("<p>")
			b.WriteString(strings.ReplaceAll(html.EscapeString(para), "\n", "<br>"))
			b.WriteString("</p>")
		}
	}
	return b.String()
}

// orEmpty returns ss, or an empty list for nil, as the APIs write lists.
func orEmpty(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

func marshal(v any) []byte {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(fmt.Sprintf("sample: marshal: %v", err)) // cannot happen: plain values
	}
	return body
}
