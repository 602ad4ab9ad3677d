package content_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/site/publish"
)

// The least Lighthouse scores (0 to 1) a page may have: performance on a
// mid-range phone (Lighthouse's default), and every other category.
const (
	minPerformance = 0.95
	minOther       = 1.0
)

// minScore is the least score of category id.
func minScore(id string) float64 {
	if id == "performance" {
		return minPerformance
	}
	return minOther
}

// performanceRuns is how many times a page is measured at most. Only the
// performance score varies from run to run, and it errs low: a machine busy
// with other work (such as the other packages' tests), or Chromium running a
// page's scripts before its first paint, makes the page measure slower than
// it loads, never faster. So a page whose performance is below [minPerformance] is
// measured again, and the best run counts.
const performanceRuns = 3

// Lighthouse simulates a mid-range phone by slowing the host's CPU down 4
// times, which assumes a host whose BenchmarkIndex is about hostIndex
// (Lighthouse warns below half of it: "The tested device appears to have a
// slower CPU than Lighthouse expects"). On a slower or busy host (CI runs
// other packages' tests beside this one) the same page measures slower than
// a phone would load it. After a run below [minPerformance] on such a host, the
// next run uses the multiplier Lighthouse's documentation prescribes for it
// (docs/throttling.md, "Calibrating multipliers"): 4 × index / hostIndex, at
// least 1. The log says which multiplier each run used.
const (
	hostIndex       = 2000
	defaultSlowdown = 4.0
	minimumSlowdown = 1.0
)

// calibratedSlowdown is the CPU slowdown that makes a host of BenchmarkIndex
// index stand for Lighthouse's mid-range phone.
func calibratedSlowdown(index float64) float64 {
	if index <= 0 || index >= hostIndex {
		return defaultSlowdown
	}
	return max(minimumSlowdown, math.Round(10*defaultSlowdown*index/hostIndex)/10)
}

// lighthouseCategories are the categories measured, as Lighthouse names them.
var lighthouseCategories = []string{"performance", "accessibility", "best-practices", "seo"}

// Environment variables of the test. JOBPULSE_LIGHTHOUSE_PRESET=desktop
// measures as a desktop instead of Lighthouse's default (a mid-range phone on
// a slow 4G link); JOBPULSE_LIGHTHOUSE_OUT=folder keeps the JSON report of
// each measure there (home.report.json, home-dark.report.json, ...; the last
// run of each) for a closer look, in Lighthouse's viewer or with jq.
// CHROME_PATH picks the browser (default Debian's /usr/bin/chromium).
const (
	envPreset = "JOBPULSE_LIGHTHOUSE_PRESET"
	envOut    = "JOBPULSE_LIGHTHOUSE_OUT"
)

// TestLighthouse builds the embedded report from sample data, serves it on
// 127.0.0.1 as jobpulse serve does (the headers of a publish, text
// compressed) and measures one page of every kind (see [pageKinds]) with
// Lighthouse (the npm package pinned in .ci/lighthouse, installed by
// .ci/setup) driving headless Chromium: every category in the light theme,
// and accessibility again in the dark theme, whose colours must read as
// well. It fails when a page scores below [minPerformance] in performance
// or below [minOther] in another category, listing the audits of that
// category that lost points.
func TestLighthouse(t *testing.T) {
	lh := findLighthouse(t)
	dir := buildReport(t)
	srv := httptest.NewServer(publish.Handler(dir, nil))
	defer srv.Close()

	type measure struct {
		name       string
		path       string
		dark       bool     // prefers-color-scheme: dark
		categories []string // what is measured
	}
	var measures []measure
	for _, p := range pageKinds(t, dir) {
		measures = append(measures,
			measure{name: p.name, path: p.path, categories: lighthouseCategories},
			measure{name: p.name + "-dark", path: p.path, dark: true, categories: []string{"accessibility"}})
	}
	for _, m := range measures {
		t.Run(m.name, func(t *testing.T) {
			var (
				best *lighthouseReport
				runs int
			)
			slowdown := defaultSlowdown
			for run := 1; run <= performanceRuns; run++ {
				runs = run
				start := time.Now()
				rep := lh.measure(t, srv.URL+m.path, m.name, m.categories, m.dark, slowdown)
				t.Logf("%s run %d: %s in %s (Lighthouse %s, %s, CPU benchmark index %.0f, CPU slowdown %gx)", m.path, run,
					rep.scores(m.categories), time.Since(start).Round(100*time.Millisecond), rep.LighthouseVersion,
					rep.ConfigSettings.FormFactor, rep.Environment.BenchmarkIndex, slowdown)
				slowdown = calibratedSlowdown(rep.Environment.BenchmarkIndex)
				if _, ok := rep.Categories["performance"]; ok {
					t.Logf("%s run %d: %s", m.path, run, rep.metrics())
				}
				if best == nil || rep.score("performance") > best.score("performance") {
					best = rep
				}
				if _, ok := best.Categories["performance"]; !ok || best.score("performance") >= minPerformance {
					break
				}
			}
			for _, w := range best.RunWarnings {
				t.Logf("warning: %s", w)
			}
			for _, id := range m.categories {
				cat, ok := best.Categories[id]
				switch {
				case !ok || cat.Score == nil:
					t.Errorf("%s: no %s score in the report", m.path, id)
				case *cat.Score < minScore(id):
					t.Errorf("%s (%s): %s %.0f (best of %d runs), below %.0f; audits that lost points:\n%s",
						m.path, m.name, cat.Title, 100**cat.Score, runs, 100*minScore(id), best.imperfect(cat))
				case *cat.Score < 1:
					t.Logf("%s %.0f; audits that lost points:\n%s", cat.Title, 100**cat.Score, best.imperfect(cat))
				}
			}
		})
	}
}

// pageKind is one page that stands for the pages of its kind.
type pageKind struct {
	name string // home, the section (roles), or the section's page (role)
	path string // its address, such as /roles/backend-engineer/
}

// pageKinds returns one page of every kind of the built site in dir: the
// home page, each section (a folder of the site's root with an index.html,
// such as /roles/), and of each section's own pages (its folders with an
// index.html, made from a templated page such as roles/[role].md) the
// first by name. Every kind of page the report has is measured, and a new
// section or kind of entity page is measured without a change here.
func pageKinds(t *testing.T, dir string) []pageKind {
	t.Helper()
	kinds := []pageKind{{name: "home", path: "/"}}
	sections, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, sec := range sections {
		if !sec.IsDir() || !exists(filepath.Join(dir, sec.Name(), "index.html")) {
			continue
		}
		kinds = append(kinds, pageKind{name: sec.Name(), path: "/" + sec.Name() + "/"})
		pages, err := os.ReadDir(filepath.Join(dir, sec.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pages { // in order of name
			if p.IsDir() && exists(filepath.Join(dir, sec.Name(), p.Name(), "index.html")) {
				kinds = append(kinds, pageKind{name: sec.Name() + "-page", path: "/" + sec.Name() + "/" + p.Name() + "/"})
				break
			}
		}
	}
	if len(kinds) < 3 {
		t.Fatalf("the built site %s has %d kinds of page (%v): want the home page, sections and their pages", dir, len(kinds), kinds)
	}
	return kinds
}

// exists reports whether the file exists.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// lighthouse is how to run the Lighthouse CLI.
type lighthouse struct {
	node   string // the node binary
	cli    string // lighthouse/cli/index.js
	chrome string // the browser Lighthouse drives
}

// findLighthouse finds node, the pinned Lighthouse and Chromium, or ends the
// test with [testenv.Missing].
func findLighthouse(t *testing.T) lighthouse {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		testenv.Missing(t, "Node.js, to run Lighthouse: %v (bash .ci/setup installs it)", err)
	}
	cli := filepath.Join(moduleRoot(t), ".ci", "lighthouse", "node_modules", "lighthouse", "cli", "index.js")
	if _, err := os.Stat(cli); err != nil {
		testenv.Missing(t, "Lighthouse: %v: run `npm ci --prefix .ci/lighthouse` (or bash .ci/setup)", err)
	}
	chrome := cmp.Or(os.Getenv("CHROME_PATH"), "/usr/bin/chromium")
	if chrome, err = exec.LookPath(chrome); err != nil {
		testenv.Missing(t, "Chromium, for Lighthouse: %v (set CHROME_PATH, or bash .ci/setup installs Debian's)", err)
	}
	return lighthouse{node: node, cli: cli, chrome: chrome}
}

// measure runs Lighthouse on url for categories, in the dark theme if dark,
// with the CPU slowed down slowdown times, and returns its report.
func (lh lighthouse) measure(t *testing.T, url, name string, categories []string, dark bool, slowdown float64) *lighthouseReport {
	t.Helper()
	out := filepath.Join(t.TempDir(), name+".report.json")
	if dir := os.Getenv(envOut); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatalf("%s: %v", envOut, err)
		}
		out = filepath.Join(dir, name+".report.json")
		if err := os.Remove(out); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err) // the report of an earlier test run must not pass for this one
		}
	}
	args := []string{lh.cli, url,
		"--only-categories=" + strings.Join(categories, ","),
		"--output=json", "--output-path=" + out,
		"--quiet", "--no-enable-error-reporting", "--disable-full-page-screenshot",
		// Headless, and without the sandbox, which cannot start as root (CI).
		// Chromium may reach 127.0.0.1 only: any other host fails to resolve,
		// so nothing leaves the machine and a page that needs the network
		// shows as broken.
		"--chrome-flags=--headless=new",
		"--chrome-flags=--no-sandbox",
		`--chrome-flags=--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"`,
	}
	if dark {
		args = append(args, "--chrome-flags=--force-dark-mode") // prefers-color-scheme: dark
	}
	if slowdown != defaultSlowdown {
		args = append(args, fmt.Sprintf("--throttling.cpuSlowdownMultiplier=%g", slowdown))
	}
	if preset := os.Getenv(envPreset); preset != "" {
		args = append(args, "--preset="+preset)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, lh.node, args...)
	cmd.Env = append(os.Environ(), "CHROME_PATH="+lh.chrome)
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	runErr := cmd.Run()
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("lighthouse %s: %v; no report: %v\n%s", url, runErr, err, output.Bytes())
	}
	var rep lighthouseReport
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("lighthouse %s: report %s: %v", url, out, err)
	}
	if rep.RuntimeError != nil {
		t.Fatalf("lighthouse %s: %s: %s\n%s", url, rep.RuntimeError.Code, rep.RuntimeError.Message, output.Bytes())
	}
	if runErr != nil {
		t.Fatalf("lighthouse %s: %v\n%s", url, runErr, output.Bytes())
	}
	return &rep
}

// lighthouseReport is the part of Lighthouse's JSON report (its "LHR") that
// the test reads.
type lighthouseReport struct {
	LighthouseVersion string   `json:"lighthouseVersion"`
	RunWarnings       []string `json:"runWarnings"`
	RuntimeError      *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"runtimeError"`
	ConfigSettings struct {
		FormFactor string `json:"formFactor"`
	} `json:"configSettings"`
	Environment struct {
		// BenchmarkIndex measures the machine's CPU: Lighthouse warns below
		// 1000, where its phone emulation reads slower than a real phone.
		BenchmarkIndex float64 `json:"benchmarkIndex"`
	} `json:"environment"`
	Categories map[string]lighthouseCategory `json:"categories"`
	Audits     map[string]lighthouseAudit    `json:"audits"`
}

// lighthouseCategory is one category of a report and the audits it weighs.
type lighthouseCategory struct {
	Title     string   `json:"title"`
	Score     *float64 `json:"score"` // 0 to 1; null when it could not be scored
	AuditRefs []struct {
		ID     string  `json:"id"`
		Weight float64 `json:"weight"`
	} `json:"auditRefs"`
}

// lighthouseAudit is one audit of a report.
type lighthouseAudit struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Score        *float64 `json:"score"` // null for informative audits
	DisplayValue string   `json:"displayValue"`
}

// score returns the score of the category id, -1 when it has none.
func (r *lighthouseReport) score(id string) float64 {
	if c, ok := r.Categories[id]; ok && c.Score != nil {
		return *c.Score
	}
	return -1
}

// scores lists the score of each category, out of 100.
func (r *lighthouseReport) scores(categories []string) string {
	var parts []string
	for _, id := range categories {
		s := "none"
		if v := r.score(id); v >= 0 {
			s = fmt.Sprintf("%.0f", 100*v)
		}
		parts = append(parts, id+" "+s)
	}
	return strings.Join(parts, ", ")
}

// metrics lists the performance metrics as Lighthouse shows them.
func (r *lighthouseReport) metrics() string {
	var parts []string
	for _, m := range []struct{ name, id string }{
		{"FCP", "first-contentful-paint"}, {"LCP", "largest-contentful-paint"}, {"TBT", "total-blocking-time"},
		{"CLS", "cumulative-layout-shift"}, {"SI", "speed-index"},
	} {
		parts = append(parts, m.name+" "+cmp.Or(r.Audits[m.id].DisplayValue, "?"))
	}
	return strings.Join(parts, ", ")
}

// imperfect lists the audits of cat that scored below 1, the heaviest in
// the category's score first, one a line: weight, score, id, title and what
// Lighthouse measured.
func (r *lighthouseReport) imperfect(cat lighthouseCategory) string {
	type row struct {
		weight float64
		audit  lighthouseAudit
	}
	var rows []row
	for _, ref := range cat.AuditRefs {
		a := r.Audits[ref.ID]
		if a.Score != nil && *a.Score < 1 {
			rows = append(rows, row{ref.Weight, a})
		}
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(b.weight, a.weight), cmp.Compare(*a.audit.Score, *b.audit.Score))
	})
	var b strings.Builder
	for _, x := range rows {
		fmt.Fprintf(&b, "\tweight %2.0f  score %3.0f  %s: %s", x.weight, 100**x.audit.Score, x.audit.ID, x.audit.Title)
		if x.audit.DisplayValue != "" {
			fmt.Fprintf(&b, " (%s)", x.audit.DisplayValue)
		}
		b.WriteByte('\n')
	}
	if b.Len() == 0 {
		return "\t(none scored below 100: the score comes from metrics or audits without a score)\n"
	}
	return b.String()
}

func TestCalibratedSlowdown(t *testing.T) {
	for _, tt := range []struct{ index, want float64 }{
		{0, 4}, {2558, 4}, {2000, 4}, {1464, 2.9}, {1000, 2}, {637, 1.3}, {300, 1},
	} {
		if got := calibratedSlowdown(tt.index); got != tt.want {
			t.Errorf("calibratedSlowdown(%v) = %v, want %v", tt.index, got, tt.want)
		}
	}
}
