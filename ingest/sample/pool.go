package sample

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/jobpulse/jobpulse/ingest/normalize"
)

//go:generate go run ./mkpool

// PoolFile is the pool's file in this package's folder, made by `go
// generate` (see [DerivePool]) and embedded in the binary.
const PoolFile = "pool.jsonl"

// PoolPosting is one real posting of the pool the demo replays ([Replay]):
// the fields of a posting as a real source published it, copied from a real
// capture of ingest/testdata/real (see its README for where each was
// captured), with the description as plain text, trimmed.
type PoolPosting struct {
	// Shape is the API whose shape the demo serves the posting in:
	// "remotive", "remoteok" or "arbeitnow", the sources jobpulse has.
	// Postings of Greenhouse boards and of France Travail, which jobpulse
	// does not fetch yet, are served as Arbeitnow's, a board of the same
	// market (Europe, on-site and remote, company boards).
	Shape string `json:"shape"`
	// Capture is the capture the posting comes from, under
	// ingest/testdata/real, and ID its id there.
	Capture string `json:"capture"`
	ID      string `json:"id"`
	// URL is the posting's page at its source, as published.
	URL      string `json:"url"`
	Title    string `json:"title"`
	Company  string `json:"company"`
	Location string `json:"location"`
	// Salary is Remotive's free text; SalaryMin and SalaryMax are
	// RemoteOK's figures (0 for unknown).
	Salary    string  `json:"salary,omitempty"`
	SalaryMin float64 `json:"salary_min,omitempty"`
	SalaryMax float64 `json:"salary_max,omitempty"`
	// Remote is Arbeitnow's flag: France Travail's offers are on site
	// (false), Greenhouse's boards do not say (nil).
	Remote   *bool    `json:"remote,omitempty"`
	Category string   `json:"category,omitempty"`
	JobTypes []string `json:"job_types,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	// Description is the published description as plain text
	// ([normalize.PlainText]), cut after about descriptionRunes characters.
	Description string `json:"description,omitempty"`
}

// descriptionRunes is about how much of a description the pool keeps: the
// beginning, where boards say what the job is and where it is done. Whole
// descriptions would make the pool (and the binary) about 2 MB larger.
const descriptionRunes = 500

// poolCaptures are the captures the pool is drawn from, in the pool's
// order, with the source each came from. A posting that two captures of
// one source hold is taken from the first.
var poolCaptures = []struct{ source, capture string }{
	{"remotive", "remotive/remote-jobs.json"},
	{"remotive", "remotive/2026-04.json"},
	{"remoteok", "remoteok/2026-06.json"},
	{"remoteok", "remoteok/api.json"},
	{"arbeitnow", "arbeitnow/2026-06.json"},
	{"arbeitnow", "arbeitnow/2026-04.json"},
	{"greenhouse", "greenhouse/sumup.json"},
	{"greenhouse", "greenhouse/doctolib.json"},
	{"francetravail", "francetravail/2025-03.json"},
}

// DerivePool reads the real captures under dir (ingest/testdata/real) and
// returns the pool: one [PoolPosting] a line, as JSON. `go generate` writes
// it to [PoolFile].
func DerivePool(dir string) ([]byte, error) {
	var buf bytes.Buffer
	seen := map[string]bool{}
	for _, c := range poolCaptures {
		body, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(c.capture)))
		if err != nil {
			return nil, fmt.Errorf("sample: pool: %w", err)
		}
		postings, err := readCapture(c.source, body)
		if err != nil {
			return nil, fmt.Errorf("sample: pool: %s: %w", c.capture, err)
		}
		for _, p := range postings {
			if p.ID == "" || p.Title == "" || seen[c.source+"/"+p.ID] {
				continue
			}
			seen[c.source+"/"+p.ID] = true
			p.Capture = c.capture
			p.Description = trimText(normalize.PlainText(p.Description), descriptionRunes)
			line, err := json.Marshal(p)
			if err != nil {
				return nil, fmt.Errorf("sample: pool: %s %s: %w", c.capture, p.ID, err)
			}
			buf.Write(line)
			buf.WriteByte('\n')
		}
	}
	return buf.Bytes(), nil
}

// readCapture returns the postings of one capture of source, with their
// description still as published.
func readCapture(source string, body []byte) ([]PoolPosting, error) {
	var out []PoolPosting
	switch source {
	case "remotive":
		var page struct {
			Jobs []struct {
				ID       json.Number `json:"id"`
				URL      string      `json:"url"`
				Title    string      `json:"title"`
				Company  string      `json:"company_name"`
				Category string      `json:"category"`
				Tags     []string    `json:"tags"`
				JobType  string      `json:"job_type"`
				Location string      `json:"candidate_required_location"`
				Salary   string      `json:"salary"`
				Desc     string      `json:"description"`
			} `json:"jobs"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return nil, err
		}
		for _, j := range page.Jobs {
			out = append(out, PoolPosting{Shape: "remotive", ID: j.ID.String(), URL: j.URL, Title: j.Title, Company: j.Company,
				Location: j.Location, Salary: j.Salary, Category: j.Category, JobTypes: nonEmpty(j.JobType), Tags: j.Tags, Description: j.Desc})
		}
	case "remoteok":
		var jobs []struct {
			ID        json.RawMessage `json:"id"`
			Company   string          `json:"company"`
			Position  string          `json:"position"`
			Tags      []string        `json:"tags"`
			Desc      string          `json:"description"`
			Location  string          `json:"location"`
			SalaryMin float64         `json:"salary_min"`
			SalaryMax float64         `json:"salary_max"`
			URL       string          `json:"url"`
		}
		if err := json.Unmarshal(body, &jobs); err != nil {
			return nil, err
		}
		for _, j := range jobs {
			id := strings.Trim(string(j.ID), `"`)
			if id == "" {
				continue // the legal notice
			}
			out = append(out, PoolPosting{Shape: "remoteok", ID: id, URL: j.URL, Title: j.Position, Company: j.Company,
				Location: j.Location, SalaryMin: j.SalaryMin, SalaryMax: j.SalaryMax, Tags: j.Tags, Description: j.Desc})
		}
	case "arbeitnow":
		var page struct {
			Data []struct {
				Slug     string   `json:"slug"`
				Company  string   `json:"company_name"`
				Title    string   `json:"title"`
				Desc     string   `json:"description"`
				Remote   *bool    `json:"remote"`
				URL      string   `json:"url"`
				Tags     []string `json:"tags"`
				JobTypes []string `json:"job_types"`
				Location string   `json:"location"`
			} `json:"data"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return nil, err
		}
		for _, j := range page.Data {
			out = append(out, PoolPosting{Shape: "arbeitnow", ID: j.Slug, URL: j.URL, Title: j.Title, Company: j.Company,
				Location: j.Location, Remote: j.Remote, JobTypes: j.JobTypes, Tags: j.Tags, Description: j.Desc})
		}
	case "greenhouse":
		var page struct {
			Jobs []struct {
				ID       int64  `json:"id"`
				URL      string `json:"absolute_url"`
				Title    string `json:"title"`
				Company  string `json:"company_name"`
				Location struct {
					Name string `json:"name"`
				} `json:"location"`
			} `json:"jobs"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return nil, err
		}
		for _, j := range page.Jobs {
			out = append(out, PoolPosting{Shape: "arbeitnow", ID: strconv.FormatInt(j.ID, 10), URL: j.URL, Title: j.Title,
				Company: j.Company, Location: j.Location.Name})
		}
	case "francetravail":
		var page struct {
			Offers []struct {
				ID          string `json:"id"`
				Title       string `json:"intitule"`
				Desc        string `json:"description"`
				LieuTravail struct {
					Libelle string `json:"libelle"`
				} `json:"lieuTravail"`
				Entreprise struct {
					Nom string `json:"nom"`
				} `json:"entreprise"`
				Contract string `json:"typeContratLibelle"`
				Origin   struct {
					URL string `json:"urlOrigine"`
				} `json:"origineOffre"`
			} `json:"resultats"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return nil, err
		}
		onsite := false
		for _, o := range page.Offers {
			out = append(out, PoolPosting{Shape: "arbeitnow", ID: o.ID, URL: o.Origin.URL, Title: o.Title, Company: o.Entreprise.Nom,
				Location: o.LieuTravail.Libelle, Remote: &onsite, JobTypes: nonEmpty(o.Contract), Description: o.Desc})
		}
	default:
		return nil, fmt.Errorf("no reader for source %q", source)
	}
	for i := range out {
		out[i].ID = strings.TrimSpace(out[i].ID)
		out[i].Title = strings.TrimSpace(out[i].Title)
	}
	return out, nil
}

// nonEmpty returns s as a list of one, or nil when s is blank.
func nonEmpty(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return []string{s}
}

// trimText returns s cut after at most n runes, at a space when there is
// one in its last fifth, with "…" where it was cut.
func trimText(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	cut := n
	for i := n; i > n*4/5; i-- {
		if unicode.IsSpace(r[i]) {
			cut = i
			break
		}
	}
	return strings.TrimRightFunc(string(r[:cut]), unicode.IsSpace) + " …"
}
