package normalize

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/jobpulse/jobpulse/internal/testenv"
)

// realPosting is the part of a captured real posting these tests read.
type realPosting struct {
	Source, Title, Location, Salary, Description string
	Tags                                         []string
}

// realPostings reads the postings of the three real captures: Remotive's API,
// RemoteOK's API and the fake-jobs board (titles and locations from its
// index page; descriptions from its detail pages, in file order, which is not
// the index order: they serve as HTML samples only).
func realPostings(t testing.TB) []realPosting {
	t.Helper()
	var out []realPosting

	var remotive struct {
		Jobs []struct {
			Title       string   `json:"title"`
			Location    string   `json:"candidate_required_location"`
			Salary      string   `json:"salary"`
			Tags        []string `json:"tags"`
			Description string   `json:"description"`
		} `json:"jobs"`
	}
	readJSON(t, "remotive/remote-jobs.json", &remotive)
	for _, j := range remotive.Jobs {
		out = append(out, realPosting{"remotive", j.Title, j.Location, j.Salary, j.Description, j.Tags})
	}

	var remoteok []struct {
		Position    string   `json:"position"`
		Location    string   `json:"location"`
		Tags        []string `json:"tags"`
		Description string   `json:"description"`
		Legal       string   `json:"legal"`
	}
	readJSON(t, "remoteok/api.json", &remoteok)
	for _, j := range remoteok {
		if j.Legal != "" {
			continue // element 0 is the legal notice
		}
		out = append(out, realPosting{Source: "remoteok", Title: j.Position, Location: j.Location, Description: j.Description, Tags: j.Tags})
	}

	doc, err := html.Parse(bytes.NewReader(testenv.RealCapture(t, "fake-jobs/index.html")))
	if err != nil {
		t.Fatal(err)
	}
	var titles, locations []string
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		class := attr(n, "class")
		switch {
		case n.Data == "h2" && strings.Contains(" "+class+" ", " title "):
			titles = append(titles, nodeText(n))
		case n.Data == "p" && class == "location":
			locations = append(locations, nodeText(n))
		}
	}
	if len(titles) != 100 || len(locations) != 100 {
		t.Fatalf("fake-jobs: %d titles and %d locations, want 100 each", len(titles), len(locations))
	}
	details, err := filepath.Glob(filepath.Join(testenv.RealCaptureDir(t, "fake-jobs"), "jobs", "*.html"))
	if err != nil || len(details) == 0 {
		t.Fatalf("fake-jobs details: %v (%d pages)", err, len(details))
	}
	for i := range titles {
		p := realPosting{Source: "fakejobs", Title: titles[i], Location: locations[i]}
		if i < len(details) {
			b, err := os.ReadFile(details[i])
			if err != nil {
				t.Fatal(err)
			}
			p.Description = string(b)
		}
		out = append(out, p)
	}
	return out
}

// readJSON decodes the real capture name into v.
func readJSON(t testing.TB, name string, v any) {
	t.Helper()
	if err := json.Unmarshal(testenv.RealCapture(t, name), v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return strings.TrimSpace(b.String())
}
