package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"html"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/ingest/normalize"
	"github.com/jobpulse/jobpulse/internal/objstore/s3test"
	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

func TestMain(m *testing.M) { testenv.Main(m, pgtest.Stop, s3test.Stop) }

// jobpulse runs the CLI in-process with args and returns its output.
func jobpulse(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCommand()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(append(slices.Clone(offline), args...)) // the test's own flags win
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

// offline are the flags every test run of the CLI gets: only the sources a
// test points at 127.0.0.1 are enabled, with no pause between calls.
var offline = []string{
	"--log.level=warn",
	"--sources.arbeitnow.enabled=false",
	"--sources.remoteok.enabled=false",
	"--sources.remotive.min_interval=0s",
}

// realRemotive serves the captured Remotive response at /api/remote-jobs.
func realRemotive(t *testing.T) *httptest.Server {
	t.Helper()
	body := testenv.RealCapture(t, "remotive/remote-jobs.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/remote-jobs" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// echartsPath returns the ECharts that `npm ci --prefix templates` installs.
func echartsPath(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "templates", "node_modules", "echarts", "dist", "echarts.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		testenv.Missing(t, "ECharts is not installed (%v): run npm ci --prefix templates", err)
	}
	return p
}

// topRolesFromCapture returns the roles the home page must list, computed
// from the Remotive capture without the warehouse: the distinct jobs
// (fingerprint of company, title and places), counted per role read from the
// title, most first. Only roles whose count is above the eleventh's are
// returned, so that a tie at the end of the top ten cannot make the test
// depend on an order the report does not promise.
func topRolesFromCapture(t *testing.T) []string {
	t.Helper()
	var resp struct {
		Jobs []struct {
			Title    string `json:"title"`
			Company  string `json:"company_name"`
			Location string `json:"candidate_required_location"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal(testenv.RealCapture(t, "remotive/remote-jobs.json"), &resp); err != nil {
		t.Fatal(err)
	}
	seen, counts := map[string]bool{}, map[string]int{}
	for _, j := range resp.Jobs {
		fp := normalize.Fingerprint(j.Company, j.Title, normalize.ParseLocation(j.Location))
		role, _ := normalize.Title(j.Title)
		if seen[fp] || role == "" {
			continue
		}
		seen[fp] = true
		counts[role]++
	}
	// The report ranks only roles with at least 5 open postings (a share
	// of fewer says too little; see content/method.md).
	maps.DeleteFunc(counts, func(_ string, n int) bool { return n < 5 })
	roles := slices.Collect(maps.Keys(counts))
	slices.SortFunc(roles, func(a, b string) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), strings.Compare(a, b))
	})
	if len(roles) > 10 {
		cut := counts[roles[10]]
		roles = slices.DeleteFunc(roles[:10], func(r string) bool { return counts[r] <= cut })
	}
	if len(roles) == 0 {
		t.Fatal("the capture names no role")
	}
	return roles
}

func count(t *testing.T, conn *pgx.Conn, sql string) int {
	t.Helper()
	var n int
	if err := conn.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// TestIngestBuildPublish runs the flow through the CLI on the real Remotive
// capture, served on 127.0.0.1, into a real PostgreSQL.
func TestIngestBuildPublish(t *testing.T) {
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
	out, err := jobpulse(t, append([]string{"ingest"}, common...)...)
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	if !strings.Contains(out, "31 postings") {
		t.Errorf("ingest output lacks the posting count:\n%s", out)
	}
	if _, err := jobpulse(t, append([]string{"ingest"}, common...)...); err != nil {
		t.Fatalf("second ingest: %v", err)
	}

	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// One listing per Remotive job; postings are the distinct jobs among them
	// (a job offered in several cities is one posting), each seen by both runs.
	if n := count(t, conn, "SELECT count(*) FROM listings"); n != 31 {
		t.Errorf("listings = %d after two ingests of the same data, want 31", n)
	}
	postings := count(t, conn, "SELECT count(*) FROM postings")
	if n := count(t, conn, "SELECT count(DISTINCT posting_id) FROM listings"); postings == 0 || n != postings {
		t.Errorf("postings = %d, listed postings = %d: want the same, not 0", postings, n)
	}
	if n := count(t, conn, "SELECT count(*) FROM runs WHERE status = 'ok'"); n != 2 {
		t.Errorf("ok runs = %d, want 2", n)
	}
	if n := count(t, conn, "SELECT count(*) FROM sightings"); n != 2*postings {
		t.Errorf("sightings = %d, want %d (every posting, per run)", n, 2*postings)
	}

	// The raw response is in the lake, byte for byte, under the Hive layout.
	lake, err := ingest.NewFolderLake(filepath.Join(dir, "lake"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := lake.List(ctx, "raw/source=remotive/")
	if err != nil || len(keys) != 2 {
		t.Fatalf("lake keys = %v, %v; want 2 raw pages", keys, err)
	}
	body, meta, err := lake.Get(ctx, keys[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, testenv.RealCapture(t, "remotive/remote-jobs.json")) || meta.Status != 200 || meta.URL != srv.URL+"/api/remote-jobs" {
		t.Errorf("lake object %s differs from the response (meta %+v)", keys[0], meta)
	}

	out, err = jobpulse(t, append([]string{"build"}, common...)...)
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	index, err := os.ReadFile(filepath.Join(dir, "public", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	// The top roles on the home page, computed independently from the
	// capture (content/ checks every key figure of the report this way).
	for _, want := range topRolesFromCapture(t) {
		if !strings.Contains(string(index), html.EscapeString(want)) {
			t.Errorf("home page does not show %q, one of the top roles of the capture", want)
		}
	}

	target := filepath.Join(dir, "published")
	out, err = jobpulse(t, append([]string{"publish", "--target", target}, common...)...)
	if err != nil {
		t.Fatalf("publish: %v\n%s", err, out)
	}
	out, err = jobpulse(t, append([]string{"publish", "--publish.target", target}, common...)...)
	if err != nil || !strings.Contains(out, " 0 uploaded") {
		t.Errorf("second publish of the same build: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(target, "index.html")); err != nil {
		t.Errorf("published site: %v", err)
	}
}

// TestIngestFailingSource checks that a source answering 500 fails the run
// with a clear error, records it, and keeps what it received.
func TestIngestFailingSource(t *testing.T) {
	ctx := context.Background()
	dbURL := pgtest.URL(t)
	dir := t.TempDir()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "upstream down", http.StatusBadGateway)
	}))
	defer srv.Close()
	out, err := jobpulse(t, "ingest", "--warehouse.url="+dbURL, "--lake.url="+filepath.Join(dir, "lake"),
		"--sources.remotive.url="+srv.URL, "--fetch.retries=1", "--fetch.retry_delay=1ms")
	if err == nil || !strings.Contains(err.Error(), "502") {
		t.Fatalf("ingest of a failing source: err = %v, want one naming the 502\n%s", err, out)
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if n := count(t, conn, "SELECT count(*) FROM run_sources WHERE status = 'failed' AND error LIKE '%502%' AND cardinality(lake_keys) = 2"); n != 1 {
		t.Errorf("failed source runs recorded = %d, want 1 with both responses' lake keys", n)
	}
	if n := count(t, conn, "SELECT count(*) FROM runs WHERE status = 'failed'"); n != 1 {
		t.Errorf("failed runs = %d, want 1", n)
	}
}

// TestDemo runs the demo end to end without serving, on the managed
// PostgreSQL server started in a fresh folder.
func TestDemo(t *testing.T) {
	dir := t.TempDir()
	// As root, the server runs as an unprivileged user, who must be able to
	// reach its data folder: t.TempDir makes folders only root can enter.
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	out, err := jobpulse(t, "demo", "--no-serve", "--dir", filepath.Join(dir, "demo"),
		"--warehouse.data", filepath.Join(dir, "pg"), "--jobs", "120", "--site.echarts", echartsPath(t))
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	index, err := os.ReadFile(filepath.Join(dir, "demo", "public", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ToLower(string(index)), "sample data") {
		t.Errorf("demo site is not labelled as sample data")
	}
}

// TestBinaryExitCode builds the binary and checks that a failure exits
// non-zero with one line on standard error, and that --help works for every
// command.
func TestBinaryExitCode(t *testing.T) {
	bin := buildBinary(t)
	for _, sub := range []string{"ingest", "build", "publish", "run", "serve", "demo", "migrate", "replay", "explain"} {
		out, err := exec.Command(bin, sub, "--help").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "Usage:") {
			t.Errorf("jobpulse %s --help: %v\n%s", sub, err, out)
		}
	}
	cmd := exec.Command(bin, "ingest")
	cmd.Env = append(os.Environ(), "JOBPULSE_SOURCES_REMOTIVE_URL=ftp://example.invalid")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Fatalf("jobpulse ingest with a bad URL: err = %v, want a non-zero exit", err)
	}
	msg := stderr.String()
	if strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "jobpulse: ") || !strings.Contains(msg, "sources.remotive.url") {
		t.Errorf("stderr = %q, want one line naming sources.remotive.url", msg)
	}
}

// TestS3LakeAndWebsite runs ingest with the lake in a bucket and publishes to
// a website bucket of a real S3 server (versitygw on 127.0.0.1), configured
// only through the AWS SDK's standard environment, then reads the site back
// through the website endpoint.
func TestS3LakeAndWebsite(t *testing.T) {
	ctx := context.Background()
	s3srv := s3test.Start(t)
	s3srv.Setenv(t)
	lakeBucket, siteBucket := s3srv.NewBucket(t, "lake"), s3srv.NewBucket(t, "site")
	s3srv.EnableWebsite(t, siteBucket)
	dir := t.TempDir()
	common := []string{
		"--warehouse.url=" + pgtest.URL(t),
		"--lake.url=s3://" + lakeBucket + "/jobpulse",
		"--sources.remotive.url=" + realRemotive(t).URL,
		"--site.out=" + filepath.Join(dir, "public"),
		"--site.echarts=" + echartsPath(t),
		"--publish.target=s3://" + siteBucket,
	}
	out, err := jobpulse(t, append([]string{"run"}, common...)...)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	lake, err := ingest.OpenLake(ctx, "s3://"+lakeBucket+"/jobpulse")
	if err != nil {
		t.Fatal(err)
	}
	keys, err := lake.List(ctx, "raw/source=remotive/")
	if err != nil || len(keys) != 1 {
		t.Fatalf("lake keys = %v, %v; want one raw page", keys, err)
	}
	if body, _, err := lake.Get(ctx, keys[0]); err != nil || !bytes.Equal(body, testenv.RealCapture(t, "remotive/remote-jobs.json")) {
		t.Errorf("raw page in the bucket differs from the response (err %v)", err)
	}

	resp, err := s3srv.WebsiteClient().Get(s3srv.WebsiteURL(siteBucket))
	if err != nil {
		t.Fatalf("GET the website: %v", err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("website / = %d %q, want 200 text/html", resp.StatusCode, ct)
	}
	if top := topRolesFromCapture(t)[0]; !strings.Contains(string(page), html.EscapeString(top)) {
		t.Errorf("the website's home page does not show the top role %q", top)
	}

	// Publishing the same build again uploads nothing.
	out, err = jobpulse(t, append([]string{"publish"}, common...)...)
	if err != nil || !strings.Contains(out, " 0 uploaded") {
		t.Errorf("second publish: %v\n%s", err, out)
	}
}
