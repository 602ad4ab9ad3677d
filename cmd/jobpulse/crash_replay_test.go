package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// pagedArbeitnow serves pages 1..pages of an Arbeitnow-shaped board, perPage
// jobs each, linked by links.next. The pages are written here, in the API's
// documented shape, not captured. Once hold is set to n, a request for page
// n is held until its client goes away, and held tells of its arrival.
type pagedArbeitnow struct {
	*httptest.Server
	pages, perPage int
	hold           atomic.Int32
	held           chan struct{}
}

func newPagedArbeitnow(t *testing.T, pages, perPage int) *pagedArbeitnow {
	t.Helper()
	a := &pagedArbeitnow{pages: pages, perPage: perPage, held: make(chan struct{}, 1)}
	a.Server = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.Close)
	return a
}

func (a *pagedArbeitnow) serve(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if r.URL.Path != "/api/job-board-api" || err != nil || n < 1 || n > a.pages {
		http.NotFound(w, r)
		return
	}
	if n == int(a.hold.Load()) {
		a.held <- struct{}{}
		<-r.Context().Done()
		return
	}
	type job struct {
		Slug        string   `json:"slug"`
		Company     string   `json:"company_name"`
		Title       string   `json:"title"`
		Description string   `json:"description"`
		Remote      bool     `json:"remote"`
		URL         string   `json:"url"`
		Tags        []string `json:"tags"`
		JobTypes    []string `json:"job_types"`
		Location    string   `json:"location"`
		CreatedAt   int64    `json:"created_at"`
	}
	var page struct {
		Data  []job `json:"data"`
		Links struct {
			Next *string `json:"next"`
		} `json:"links"`
	}
	titles := []string{"Backend Engineer (Go)", "Data Analyst", "Product Designer", "DevOps Engineer", "Sales Manager"}
	for i := range a.perPage {
		id := (n-1)*a.perPage + i + 1
		slug := fmt.Sprintf("job-%04d-berlin-%d", id, 400000+id)
		page.Data = append(page.Data, job{
			Slug: slug, Company: fmt.Sprintf("Firma %d GmbH", id), Title: titles[id%len(titles)],
			Description: "<p>Job number " + strconv.Itoa(id) + ".</p>", URL: "https://www.arbeitnow.com/jobs/companies/firma/" + slug,
			Tags: []string{"Go"}, JobTypes: []string{"full time"}, Location: "Berlin",
			CreatedAt: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC).Unix() - int64(id),
		})
	}
	if n < a.pages {
		next := fmt.Sprintf("https://www.arbeitnow.com/api/job-board-api?page=%d", n+1)
		page.Links.Next = &next
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(page)
}

// TestReplayCrashedIngest kills `jobpulse ingest` (the built binary, SIGKILL)
// after 4 of an Arbeitnow board's 10 pages reached the lake, so the lake
// holds no manifest for that run. `jobpulse replay` loads what the run
// received, says that the run is incomplete, and records it failed: it
// decides nothing about what is open or gone, so the report still counts the
// 500 postings the last complete run saw as open, and none as gone.
func TestReplayCrashedIngest(t *testing.T) {
	dbURL, dir := pgtest.URL(t), t.TempDir()
	board := newPagedArbeitnow(t, 10, 50)
	args := []string{
		"--warehouse.url=" + dbURL,
		"--lake.url=" + filepath.Join(dir, "lake"),
		"--sources.remotive.enabled=false",
		"--sources.arbeitnow.enabled=true",
		"--sources.arbeitnow.url=" + board.URL,
		"--sources.arbeitnow.min_interval=0s",
	}
	if out, err := jobpulse(t, append([]string{"ingest"}, args...)...); err != nil {
		t.Fatalf("first ingest: %v\n%s", err, out)
	}

	bin := filepath.Join(t.TempDir(), "jobpulse")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	board.hold.Store(5)
	crashed := exec.Command(bin, append(append([]string{"ingest"}, offline...), args...)...)
	if err := crashed.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-board.held: // pages 1-4 are in the lake: each is kept before the next is asked for
	case <-time.After(2 * time.Minute):
		crashed.Process.Kill()
		t.Fatal("the second ingest never asked for page 5")
	}
	if err := crashed.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	crashed.Wait()
	board.hold.Store(0)

	st := stateOf(t, dbURL, filepath.Join(dir, "lake"))
	if len(st.Runs) != 1 || len(st.Manifests) != 1 {
		t.Fatalf("after the crash: runs %v, manifests %v; want the first run's only", st.Runs, st.Manifests)
	}

	out, err := jobpulse(t, "replay", "--json", "--warehouse.url="+dbURL, "--lake.url="+filepath.Join(dir, "lake"))
	if err != nil {
		t.Fatalf("replay: %v\n%s", err, out)
	}
	rep := decodeRun(t, out, err).rep
	if len(rep.Runs) != 2 {
		t.Fatalf("replay loaded %d runs, want 2:\n%s", len(rep.Runs), out)
	}
	first, crash := rep.Runs[0], rep.Runs[1]
	if first.Status != "ok" {
		t.Errorf("the complete run replayed as %q, want ok", first.Status)
	}
	if crash.Status == "ok" || len(crash.Sources) != 1 {
		t.Fatalf("the crashed run replayed as %q with %d sources, want it not ok:\n%s", crash.Status, len(crash.Sources), out)
	}
	src := crash.Sources[0]
	if src.Status != "failed" || src.Pages != 4 || src.Postings != 200 ||
		!strings.Contains(src.Error, "no manifest") || !strings.Contains(src.Error, "decides nothing about what is open or gone") {
		t.Errorf("the crashed run's source = %s %d pages %d postings %q; want failed, 4 pages, 200 postings, named incomplete",
			src.Status, src.Pages, src.Postings, src.Error)
	}
	text, err := jobpulse(t, "replay", "--warehouse.url="+dbURL, "--lake.url="+filepath.Join(dir, "lake"))
	if err != nil || !strings.Contains(text, "has no manifest in the lake (its ingest did not finish)") {
		t.Errorf("replay's summary does not say the run is incomplete (err %v):\n%s", err, text)
	}

	conn := dbConn(t, dbURL)
	for q, want := range map[string]int{
		"SELECT count(*) FROM open_postings":                                                         500,
		"SELECT count(*) FROM gone_postings":                                                         0,
		"SELECT count(*) FROM postings":                                                              500,
		"SELECT count(*) FROM runs WHERE status = 'ok'":                                              1,
		"SELECT count(*) FROM run_sources WHERE status = 'ok'":                                       1,
		"SELECT count(*) FROM postings p JOIN runs r ON r.id = p.last_seen_run AND r.status <> 'ok'": 200,
	} {
		if got := count(t, conn, q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}

	// The next complete run sees all 500 again: still nothing gone.
	if out, err := jobpulse(t, append([]string{"ingest"}, args...)...); err != nil {
		t.Fatalf("ingest after the crash: %v\n%s", err, out)
	}
	for q, want := range map[string]int{
		"SELECT count(*) FROM open_postings": 500,
		"SELECT count(*) FROM gone_postings": 0,
		"SELECT count(*) FROM new_postings":  0,
	} {
		if got := count(t, conn, q); got != want {
			t.Errorf("after the next run: %s = %d, want %d", q, got, want)
		}
	}
}
