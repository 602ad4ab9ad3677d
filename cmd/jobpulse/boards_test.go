package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	companyboards "github.com/jobpulse/jobpulse/ingest/boards"
	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// TestRunBoards runs a whole night with company boards listed in a file:
// the real Greenhouse capture of SumUp served on 127.0.0.1, and a board
// that answers 404. The night is ok (the gone board is no failure), each
// board is a source of its own in run_sources and in the lake, and the
// published Sources and Companies pages show the boards, linked to the
// companies' own board pages.
func TestRunBoards(t *testing.T) {
	sumup := testenv.RealCapture(t, "greenhouse/sumup.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/boards/sumup/jobs" || r.URL.Query().Get("content") != "true" {
			http.Error(w, `{"status":404,"error":"Job not found"}`, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(sumup)
	}))
	t.Cleanup(srv.Close)
	dbURL, dir := pgtest.URL(t), t.TempDir()
	list := filepath.Join(dir, "boards.txt")
	if err := os.WriteFile(list, []byte("# company boards\ngreenhouse sumup\ngreenhouse leftus  Left Us Inc # moved to another system\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := jobpulse(t, append(runArgs(t, dbURL, dir, realRemotive(t)),
		"--boards.file="+list, "--boards.min_interval=0s", "--fetch.retries=0",
		"--boards.url.greenhouse="+srv.URL+"/v1/boards/{board}/jobs?content=true")...)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var status string
	if err := conn.QueryRow(context.Background(), "SELECT status FROM runs").Scan(&status); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Source, Status  string
		Pages, Postings int
		Gone            bool
	}
	rows, _ := conn.Query(context.Background(), `SELECT source, status, pages, postings, error LIKE '%404%' FROM run_sources ORDER BY source`)
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		return x, r.Scan(&x.Source, &x.Status, &x.Pages, &x.Postings, &x.Gone)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []row{
		{Source: "greenhouse-leftus", Status: "gone", Pages: 1, Gone: true},
		{Source: "greenhouse-sumup", Status: "ok", Pages: 1, Postings: 381},
		{Source: "remotive", Status: "ok", Pages: 1, Postings: 31},
	}
	if status != "ok" {
		t.Errorf("run status %q, want ok (a gone board is no failure)\n%s", status, out)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("run_sources (-want +got):\n%s", d)
	}
	for _, src := range []string{"greenhouse-sumup", "greenhouse-leftus"} {
		if _, err := os.Stat(filepath.Join(dir, "lake", "raw", "source="+src)); err != nil {
			t.Errorf("the lake has no partition of %s: %v", src, err)
		}
	}
	sumupPage := companyboards.Board{Kind: "greenhouse", Name: "sumup"}.Page()
	for page, wants := range map[string][]string{
		"sources/index.html":   {"greenhouse-sumup", "greenhouse-leftus", "gone", "Greenhouse boards", `href="` + sumupPage + `"`, "https://www.greenhouse.com"},
		"companies/index.html": {"Companies with their own boards", "SumUp", `href="` + sumupPage + `"`},
	} {
		b, err := os.ReadFile(filepath.Join(dir, "published", page))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range wants {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s does not hold %q", page, w)
			}
		}
	}
}

// TestBoardListErrors: a bad board list is refused when the configuration
// is read, naming the line.
func TestBoardListErrors(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "boards.txt")
	if err := os.WriteFile(list, []byte("greenhouse sumup\n\nworkday acme\nlever a/b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := jobpulse(t, "ingest", "--boards.file="+list, "--lake.url="+filepath.Join(dir, "lake"))
	for _, w := range []string{"boards.file " + list + " line 3: unknown kind \"workday\"", "line 4: board \"a/b\""} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v: want it to say %q", err, w)
		}
	}
	_, err = jobpulse(t, "ingest", "--boards.list=greenhouse sumup,greenhouse SumUp", "--lake.url="+filepath.Join(dir, "lake"))
	if err == nil || !strings.Contains(err.Error(), "boards.list entry 2: board greenhouse SumUp is listed already") {
		t.Errorf("error %v: want the duplicate named", err)
	}
}

// TestBoardPagesMatchWarehouse: the warehouse's view board_systems, from
// which the report links each company board, gives every kind of board
// and the same board page as ingest/boards.
func TestBoardPagesMatchWarehouse(t *testing.T) {
	pool := pgtest.New(t)
	ctx := context.Background()
	if err := warehouse.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	rows, _ := pool.Query(ctx, "SELECT kind, page_prefix || 'acme-1' || page_suffix FROM board_systems ORDER BY kind")
	got := map[string]string{}
	for rows.Next() {
		var kind, page string
		if err := rows.Scan(&kind, &page); err != nil {
			t.Fatal(err)
		}
		got[kind] = page
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, kind := range companyboards.Kinds() {
		want[kind] = companyboards.Board{Kind: kind, Name: "acme-1"}.Page()
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("board pages (-ingest/boards +board_systems):\n%s", d)
	}
}

// TestReplayUnlistedBoard ingests a Lever board listed as "lever Acme Acme
// Corp" (the written page of ingest/boards/testdata/written, whose jobs
// name no company), then removes it from the list and replays the lake: the
// board's pages are parsed as the run recorded the board (its kind, its
// name and the company's name the list gave), so the replayed warehouse is
// the ingested one; --source names the unlisted board too. From a manifest
// that recorded no board (written before it was recorded), the board is
// read from its source name: the same postings, the company then named by
// the board.
func TestReplayUnlistedBoard(t *testing.T) {
	page, err := os.ReadFile("../../ingest/boards/testdata/written/lever.json")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v0/postings/Acme" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(page)
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	lakeDir := filepath.Join(dir, "lake")
	original := pgtest.URL(t)
	out, err := jobpulse(t, "ingest", "--warehouse.url="+original, "--lake.url="+lakeDir,
		"--sources.remotive.url="+realRemotive(t).URL, "--boards.list=lever Acme Acme Corp",
		"--boards.min_interval=0s", "--boards.url.lever="+srv.URL+"/v0/postings/{board}?mode=json")
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	want := digest(t, original)
	companies := func(dbURL string) []string {
		return tableRows(t, dbURL, "(SELECT DISTINCT company AS j FROM postings WHERE source = 'lever-acme' ORDER BY 1) y")
	}
	if got := companies(original); !cmp.Equal(got, []string{"Acme Corp"}) {
		t.Fatalf("companies of lever-acme = %v, want the list's Acme Corp", got)
	}

	// The board is no longer listed (no --boards.list).
	for _, args := range [][]string{nil, {"--source=lever-acme", "--source=remotive"}} {
		replayed := pgtest.URL(t)
		out, err := jobpulse(t, append([]string{"replay", "--log.level=warn", "--warehouse.url=" + replayed, "--lake.url=" + lakeDir}, args...)...)
		if err != nil {
			t.Fatalf("replay %v: %v\n%s", args, err, out)
		}
		if strings.Contains(out, "no parser") {
			t.Errorf("replay %v of an unlisted board warns:\n%s", args, out)
		}
		if diff := cmp.Diff(want, digest(t, replayed)); diff != "" {
			t.Errorf("replay %v with the board unlisted differs from the ingest (-ingested +replayed):\n%s", args, diff)
		}
	}

	// A manifest that recorded no board.
	manifests, err := filepath.Glob(filepath.Join(lakeDir, "runs", "run=*.json"))
	manifests = slices.DeleteFunc(manifests, func(p string) bool { return strings.HasSuffix(p, ".meta.json") })
	if err != nil || len(manifests) != 1 {
		t.Fatalf("manifests %v, %v: want one", manifests, err)
	}
	body, err := os.ReadFile(manifests[0])
	if err != nil {
		t.Fatal(err)
	}
	var run map[string]any
	if err := json.Unmarshal(body, &run); err != nil {
		t.Fatal(err)
	}
	recorded := 0
	for _, s := range run["sources"].([]any) {
		s := s.(map[string]any)
		if b, ok := s["board"]; ok {
			if !cmp.Equal(b, map[string]any{"kind": "lever", "name": "Acme", "company": "Acme Corp"}) {
				t.Errorf("the manifest records the board as %v", b)
			}
			recorded++
			delete(s, "board")
		}
	}
	if recorded != 1 {
		t.Fatalf("the manifest records %d boards, want 1:\n%s", recorded, body)
	}
	if body, err = json.Marshal(run); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(manifests[0], body, 0o644); err != nil { // as a manifest of an older jobpulse
		t.Fatal(err)
	}
	older := pgtest.URL(t)
	if out, err := jobpulse(t, "replay", "--log.level=warn", "--warehouse.url="+older, "--lake.url="+lakeDir); err != nil ||
		strings.Contains(out, "no parser") {
		t.Fatalf("replay of a manifest without the board: %v\n%s", err, out)
	}
	count := "(SELECT count(*) AS j FROM postings WHERE source = 'lever-acme') y"
	if got, want := tableRows(t, older, count), tableRows(t, original, count); !cmp.Equal(got, want) || want[0] == "0" {
		t.Errorf("postings of lever-acme replayed from its name: %v, want %v", got, want)
	}
	if got := companies(older); !cmp.Equal(got, []string{"acme"}) {
		t.Errorf("companies of lever-acme replayed from its name = %v, want the board's name", got)
	}
}
