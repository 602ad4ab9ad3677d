package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// TestExplainRaw checks explain on raw fields: each field as read, with the
// table line that decided it.
func TestExplainRaw(t *testing.T) {
	out, err := jobpulse(t, "explain", "--title", "Finanzbuchhalter (m/w/d)", "--location", "Osnabrück",
		"--description", "<p>Wir bieten 2 Tage Homeoffice pro Woche.</p>", "--salary", "3.500 € brutto im Monat", "--tag", "golang")
	if err != nil {
		t.Fatalf("explain: %v\n%s", err, out)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`"finanzbuchhalter" read as its head "buchhalter" \(rules/words.tsv: head\)`),
		regexp.MustCompile(`role\s+Accountant\s+rules/roles.tsv:\d+ \(Accountant `),
		regexp.MustCompile(`"osnabruck" in the gazetteer \(country:population of each place of the name\): DE \d+`),
		regexp.MustCompile(`place\s+DE\s+read from the location text "Osnabrück"`),
		regexp.MustCompile(`workplace\s+hybrid\s+phrase "tage homeoffice" of rules/workplace_text.tsv:\d+`),
		regexp.MustCompile(`salary\s+3500-3500 EUR/month\s+salary text`),
		regexp.MustCompile(`skills\s+Go\s+tags`),
	} {
		if !want.MatchString(out) {
			t.Errorf("explain output lacks %s:\n%s", want, out)
		}
	}
	if _, err := jobpulse(t, "explain"); err == nil || !strings.Contains(err.Error(), "give a posting") {
		t.Errorf("explain with nothing: err = %v, want one naming what to give", err)
	}
}

// TestExplainAfterRuleChange changes a rule the way a maintainer does (a
// line of rules/roles.tsv removed, in a binary built with the changed table),
// and checks that replay reads the history again with it: the posting moves
// to its new role in the warehouse and in the built report, and explain,
// given the posting's URL, shows the line that now decides it.
func TestExplainAfterRuleChange(t *testing.T) {
	ctx := context.Background()
	dbURL := pgtest.URL(t)
	dir := t.TempDir()
	srv := realRemotive(t)
	common := []string{
		"--warehouse.url=" + dbURL,
		"--lake.url=" + filepath.Join(dir, "lake"),
		"--sources.remotive.url=" + srv.URL,
		"--site.out=" + filepath.Join(dir, "public"),
		"--site.echarts=" + echartsPath(t),
	}
	if out, err := jobpulse(t, append([]string{"ingest"}, common...)...); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	const title = "Online Data Analyst Canada (French Language) (C)"
	var url, role, id, sourceID string
	if err := conn.QueryRow(ctx, "SELECT p.url, p.role, p.id::text, l.source_id FROM postings p JOIN listings l ON l.posting_id = p.id WHERE p.title = $1",
		title).Scan(&url, &role, &id, &sourceID); err != nil {
		t.Fatalf("the posting %q: %v", title, err)
	}
	if role != "AI Trainer" || url == "" {
		t.Fatalf("before the change: role %q, url %q; want AI Trainer and a URL", role, url)
	}
	roles := func() map[string]int {
		m := map[string]int{}
		rows, err := conn.Query(ctx, "SELECT role, count(*) FROM postings GROUP BY role")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var r string
			var n int
			if err := rows.Scan(&r, &n); err != nil {
				t.Fatal(err)
			}
			m[r] = n
		}
		return m
	}
	before := roles()
	if out, err := jobpulse(t, append([]string{"build"}, common...)...); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	rolePage := func(slug string) string {
		b, err := os.ReadFile(filepath.Join(dir, "public", "roles", slug, "index.html"))
		if err != nil {
			return ""
		}
		return string(b)
	}
	if !strings.Contains(rolePage("ai-trainer"), "Online Data Analyst Canada") || strings.Contains(rolePage("data-analyst"), "Online Data Analyst Canada") {
		t.Fatalf("before the change, the AI Trainer page should list the posting and the Data Analyst page not")
	}

	// The rule change: the line that reads "Online Data Analyst" as a rater
	// goes, so such titles fall to the Data Analyst line.
	table, err := os.ReadFile(filepath.Join("..", "..", "ingest", "normalize", "rules", "roles.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	line := "AI Trainer\tonline data analyst|analysts\n"
	if !strings.Contains(string(table), line) {
		t.Fatalf("roles.tsv lacks the line %q this test removes", line)
	}
	changed := filepath.Join(dir, "roles.tsv")
	if err := os.WriteFile(changed, []byte(strings.Replace(string(table), line, "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	rules, err := filepath.Abs(filepath.Join("..", "..", "ingest", "normalize", "rules", "roles.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	overlay, _ := json.Marshal(map[string]any{"Replace": map[string]string{rules: changed}})
	if err := os.WriteFile(filepath.Join(dir, "overlay.json"), overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "jobpulse")
	if out, err := exec.Command("go", "build", "-overlay", filepath.Join(dir, "overlay.json"), "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build with the changed table: %v\n%s", err, out)
	}
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, append(append(args, offline...), common...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("jobpulse %s: %v\n%s", args[0], err, out)
		}
		return string(out)
	}

	// Before the replay, explain already reads the posting with the new
	// rule, from its raw page in the lake.
	// The posting by its URL, its id (in capitals too) and source:source_id.
	for _, ref := range []string{url, id, strings.ToUpper(id), "remotive:" + sourceID} {
		out := run("explain", ref)
		if !regexp.MustCompile(`role\s+Data Analyst\s+rules/roles.tsv:\d+ \(Data Analyst `).MatchString(out) ||
			!strings.Contains(out, "remotive:"+sourceID) || !strings.Contains(out, "raw/source=remotive/") {
			t.Errorf("explain %s after the change does not show the Data Analyst line and the raw page:\n%s", ref, out)
		}
	}
	if out, err := exec.Command(bin, append(append([]string{"explain", "remotive:no-such-job"}, offline...), common...)...).CombinedOutput(); err == nil ||
		!strings.Contains(string(out), "no such posting or listing") {
		t.Errorf("explain of no listing: %v\n%s; want an error saying there is none", err, out)
	}

	run("replay")
	if err := conn.QueryRow(ctx, "SELECT role FROM postings WHERE title = $1", title).Scan(&role); err != nil || role != "Data Analyst" {
		t.Errorf("after replay: role %q, %v; want Data Analyst", role, err)
	}
	after := roles()
	if after["AI Trainer"] != before["AI Trainer"]-1 || after["Data Analyst"] != before["Data Analyst"]+1 {
		t.Errorf("postings per role before %v, after %v: want one moved from AI Trainer to Data Analyst", before, after)
	}
	run("build")
	if strings.Contains(rolePage("ai-trainer"), "Online Data Analyst Canada") {
		t.Errorf("the AI Trainer page still lists the posting that moved")
	}
	if !strings.Contains(rolePage("data-analyst"), "Online Data Analyst Canada") {
		t.Errorf("the Data Analyst page does not list the posting that moved to it")
	}
}
