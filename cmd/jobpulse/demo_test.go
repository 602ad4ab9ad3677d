package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgserver"
)

func TestDemoNights(t *testing.T) {
	day := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC) }
	tests := []struct {
		name string
		now  time.Time
		days int
		want []time.Time
	}{
		{name: "after the night's start", now: day(29, 14, 30), days: 3, want: []time.Time{day(27, 2, 0), day(28, 2, 0), day(29, 2, 0)}},
		{name: "at the night's start", now: day(29, 2, 0), days: 2, want: []time.Time{day(28, 2, 0), day(29, 2, 0)}},
		{name: "before the night's start", now: day(29, 1, 59), days: 2, want: []time.Time{day(27, 2, 0), day(28, 2, 0)}},
		{name: "in another zone", now: time.Date(2026, 11, 29, 1, 0, 0, 0, time.FixedZone("CET", 3600)), days: 1, want: []time.Time{day(28, 2, 0)}},
		{name: "across a month", now: time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC), days: 2, want: []time.Time{day(30, 2, 0), time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, demoNights(tt.now, tt.days)); diff != "" {
				t.Errorf("demoNights (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDemoHistory runs the demo for three simulated nights, then again for
// four: the second adds only the new night. The warehouse then holds one run
// per night at 02:00 UTC, postings that appeared after the first night and
// postings gone before the last, and the lake one date partition per night.
func TestDemoHistory(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	// As root, the server runs as an unprivileged user, who must be able to
	// reach its data folder: t.TempDir makes folders only root can enter.
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	pgData := filepath.Join(dir, "pg")
	demo := func(days int, wantMade, wantSkipped int) {
		t.Helper()
		out, err := jobpulse(t, "demo", "--no-serve", "--dir", filepath.Join(dir, "demo"), "--warehouse.data", pgData,
			"--jobs", "200", "--days", fmt.Sprint(days), "--site.echarts", echartsPath(t))
		if errors.Is(err, pgserver.ErrNoPostgres) {
			testenv.Missing(t, "PostgreSQL: %v", err)
		}
		if err != nil {
			t.Fatalf("demo --days %d: %v\n%s", days, err, out)
		}
		want := fmt.Sprintf("runs made %d, already in the warehouse %d\n", wantMade, wantSkipped)
		if !strings.Contains(out, want) {
			t.Errorf("demo --days %d: output lacks %q:\n%s", days, want, out)
		}
	}
	demo(3, 3, 0)
	demo(4, 1, 3) // fails if the two demos straddle 02:00 UTC: run again

	wh, err := warehouse.Open(ctx, warehouse.Config{DataDir: pgData, Database: "jobpulse_demo"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close(ctx)

	rows, _ := wh.Pool.Query(ctx, "SELECT id, started_at, status, sample FROM runs ORDER BY started_at, id")
	type run struct {
		ID        string
		StartedAt time.Time
		Status    string
		Sample    bool
	}
	runs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[run])
	if err != nil {
		t.Fatal(err)
	}
	var got, want []run
	nights := demoNights(time.Now(), 4)
	for i, r := range runs {
		got = append(got, run{r.ID[:len("20060102T150405Z")], r.StartedAt.UTC().Truncate(time.Second), r.Status, r.Sample})
		want = append(want, run{nights[i].Format("20060102T150405Z"), nights[i], warehouse.RunOK, true})
	}
	if diff := cmp.Diff(want, got); len(runs) != 4 || diff != "" {
		t.Fatalf("runs (-want +got), want one per night:\n%s", diff)
	}
	first, last := runs[0].ID, runs[3].ID

	var p struct{ all, appeared, gone, firstRuns, lastRuns int }
	err = wh.Pool.QueryRow(ctx, `SELECT count(*),
			count(*) FILTER (WHERE first_seen_run <> $1), count(*) FILTER (WHERE last_seen_run <> $2),
			count(DISTINCT first_seen_run), count(DISTINCT last_seen_run)
		FROM postings`, first, last).Scan(&p.all, &p.appeared, &p.gone, &p.firstRuns, &p.lastRuns)
	if err != nil {
		t.Fatal(err)
	}
	if p.appeared == 0 || p.gone == 0 || p.firstRuns != 4 || p.lastRuns < 2 {
		t.Errorf("of %d postings, %d appeared after the first night and %d were gone by the last; "+
			"first seen in %d runs, last seen in %d: want some appeared, some gone, first seen in every run",
			p.all, p.appeared, p.gone, p.firstRuns, p.lastRuns)
	}
	rows, _ = wh.Pool.Query(ctx, "SELECT count(*) FROM sightings GROUP BY run_id ORDER BY run_id")
	seen, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 4 || slices.Min(seen) < 150 || slices.Max(seen) > 250 {
		t.Errorf("postings seen per run = %v, want four counts around 200", seen)
	}

	// Each run's raw page is in the lake under the date of its night.
	lake, err := ingest.NewFolderLake(filepath.Join(dir, "demo", "lake"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := lake.List(ctx, "raw/source=remotive/")
	if err != nil {
		t.Fatal(err)
	}
	var wantKeys []string
	for i, r := range runs {
		wantKeys = append(wantKeys, ingest.RawKey("remotive", nights[i], r.ID, "page-0001.json"))
	}
	if diff := cmp.Diff(wantKeys, keys); diff != "" {
		t.Errorf("lake keys (-want +got):\n%s", diff)
	}
}

// TestDemoAnswers runs the demo as a user does (its default number of
// postings, two nights) and reads the built roles page: the report has 50
// roles or more, each with its page, and the lists of the most demanded,
// the middle and the least demanded roles share no role.
func TestDemoAnswers(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	out, err := jobpulse(t, "demo", "--no-serve", "--dir", filepath.Join(dir, "demo"),
		"--warehouse.data", filepath.Join(dir, "pg"), "--days", "2", "--site.echarts", echartsPath(t))
	if errors.Is(err, pgserver.ErrNoPostgres) {
		testenv.Missing(t, "PostgreSQL: %v", err)
	}
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	public := filepath.Join(dir, "demo", "public")
	pages, err := filepath.Glob(filepath.Join(public, "roles", "*", "index.html"))
	if err != nil || len(pages) < 50 {
		t.Errorf("the demo report has %d role pages (%v), want 50 or more", len(pages), err)
	}
	sections := []string{"the-most-demanded", "the-middle-of-the-distribution", "the-least-demanded"}
	lists := roleLists(t, filepath.Join(public, "roles", "index.html"), sections...)
	in := map[string]string{}
	for _, section := range sections {
		if len(lists[section]) < 10 {
			t.Errorf("%s lists %d roles %q, want 10 or more", section, len(lists[section]), lists[section])
		}
		for _, role := range lists[section] {
			if other, ok := in[role]; ok && other != section {
				t.Errorf("%s is listed under %s and under %s", role, other, section)
			}
			in[role] = section
		}
	}
	t.Logf("%d role pages; most %q, middle %q, least %q", len(pages), lists[sections[0]], lists[sections[1]], lists[sections[2]])
}

// roleLists returns, for each section of the page at path named by the id
// of its h2 heading, the roles its tables link to (by their page's slug),
// once each, in order.
func roleLists(t *testing.T, path string, sections ...string) map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	lists := map[string][]string{}
	section, inTable := "", 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attr := func(key string) string {
				for _, a := range n.Attr {
					if a.Key == key {
						return a.Val
					}
				}
				return ""
			}
			switch n.DataAtom {
			case atom.H2:
				section = attr("id")
			case atom.Table:
				inTable++
				defer func() { inTable-- }()
			case atom.A:
				_, role, ok := strings.Cut(attr("href"), "roles/")
				role = strings.TrimSuffix(role, "/")
				if ok && inTable > 0 && role != "" && slices.Contains(sections, section) && !slices.Contains(lists[section], role) {
					lists[section] = append(lists[section], role)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return lists
}
