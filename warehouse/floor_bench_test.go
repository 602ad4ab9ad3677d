package warehouse_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// truncateAll empties every table a replay writes.
const truncateAll = "TRUNCATE runs, run_sources, rejects, postings, listings, run_sightings, run_tallies, week_tallies, search_names, posting_names"

// TestReplayFloorScript: the floor writes the rows a load wrote, every
// column of them (postings.occupation_code of migration 0011 included):
// each table the script copies holds, after make, truncate and copy, what
// it held before. The floor and the replay must write the same rows for
// their times to compare.
func TestReplayFloorScript(t *testing.T) {
	if _, err := exec.LookPath("psql"); err != nil {
		testenv.Missing(t, "psql is not installed (bash .ci/setup installs PostgreSQL's client)")
	}
	ctx := context.Background()
	pool := pgtest.New(t)
	run := testRun("20261128T012823Z-aaaa", t1)
	offer := posting("189JHKY", "Vendeur / Vendeuse en boulangerie (H/F)", 2)
	offer.Source, offer.OccupationCode = "francetravail", "rome:D1106"
	load(t, pool, run, posting("1", "Go Engineer", 1), offer)
	script, err := filepath.Abs(filepath.Join("testdata", "replay_floor.sh"))
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string // those the script copies: its line tables="..."
	for line := range strings.Lines(string(text)) {
		if list, ok := strings.CutPrefix(strings.TrimSpace(line), "tables="); ok {
			tables = strings.Fields(strings.Trim(list, `"`))
		}
	}
	if len(tables) == 0 {
		t.Fatal("replay_floor.sh names no tables (a line tables=\"...\")")
	}
	contents := func() map[string]string {
		m := map[string]string{}
		for _, table := range tables {
			var rows string
			q := "SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM " + pgx.Identifier{table}.Sanitize() + " t"
			if err := pool.QueryRow(ctx, q).Scan(&rows); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			m[table] = rows
		}
		return m
	}
	before := contents()
	if !strings.Contains(before["postings"], "rome:D1106") {
		t.Fatalf("the load did not store the occupation code: %s", before["postings"])
	}
	url, dir := pool.Config().ConnString(), t.TempDir()
	if out, err := exec.Command(script, "make", url, dir).CombinedOutput(); err != nil {
		t.Fatalf("replay_floor.sh make: %v\n%s", err, out)
	}
	if _, err := pool.Exec(ctx, truncateAll); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(script, "copy", url, dir).CombinedOutput(); err != nil {
		t.Fatalf("replay_floor.sh copy: %v\n%s", err, out)
	}
	after := contents()
	for _, table := range tables {
		if before[table] != after[table] {
			t.Errorf("%s after the floor's copy:\n%s\nwant, as the load wrote it:\n%s", table, after[table], before[table])
		}
	}
}

// BenchmarkReplayFloor holds the replay of the benchmark lake (200,000
// postings into an empty warehouse) against its floor (issue 16): the same
// cleaned rows, as the replay wrote them, written by psql \copy as CSV into
// jobpulse's own tables, with their keys, in one transaction
// (testdata/replay_floor.sh). The target: the replay at most 1.25 times
// the floor, at most 150 MB. With -count N, go test runs each
// sub-benchmark N times in a row (they do not alternate), on one server.
//
// With JOBPULSE_BENCH_ANCHORS set to the folder of the shared reference
// scripts (gen_jobs_csv.py, load_psql_copy.sh), "copy14" also runs the
// old reference: psql \copy of 200,000 rows of 14 columns into an
// unindexed table.
func BenchmarkReplayFloor(b *testing.B) {
	if _, err := exec.LookPath("psql"); err != nil {
		b.Skip("psql is not installed")
	}
	lake := benchLake(b)
	pool, pid := benchPool(b)
	ctx := context.Background()
	url := pool.Config().ConnString()
	script, err := filepath.Abs(filepath.Join("testdata", "replay_floor.sh"))
	if err != nil {
		b.Fatal(err)
	}
	rows := b.TempDir()
	// The floor's rows: those of a replay, written out once.
	if _, err := replayLake(ctx, pool, lake, benchSources, ingest.ReplayOptions{}); err != nil {
		b.Fatal(err)
	}
	if out, err := exec.Command(script, "make", url, rows).CombinedOutput(); err != nil {
		b.Fatalf("replay_floor.sh make: %v\n%s", err, out)
	}

	b.Run("replay", func(b *testing.B) {
		var goPeak, rssPeak float64
		var cpu cpuTimes
		for b.Loop() {
			b.StopTimer()
			if _, err := pool.Exec(ctx, truncateAll); err != nil {
				b.Fatal(err)
			}
			debug.FreeOSMemory()
			m := startMemoryPeak()
			c0 := readCPU(b, pid)
			b.StartTimer()
			res, err := replayLake(ctx, pool, lake, benchSources, ingest.ReplayOptions{})
			b.StopTimer()
			c1 := readCPU(b, pid)
			cpu.self, cpu.backend = cpu.self+c1.self-c0.self, cpu.backend+c1.backend-c0.backend
			goMB, rssMB := m.end()
			goPeak, rssPeak = max(goPeak, goMB), max(rssPeak, rssMB)
			if err != nil {
				b.Fatal(err)
			}
			if s := res.Stats; s.Inserted+s.Duplicates != benchJobs {
				b.Fatalf("replay: %+v, want %d postings", s, benchJobs)
			}
			b.StartTimer()
		}
		reportReplay(b, cpu, goPeak, rssPeak)
	})

	b.Run("copy", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			if _, err := pool.Exec(ctx, truncateAll); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if out, err := exec.Command(script, "copy", url, rows).CombinedOutput(); err != nil {
				b.Fatalf("replay_floor.sh copy: %v\n%s", err, out)
			}
		}
		b.ReportMetric(float64(benchJobs)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})

	anchors := os.Getenv("JOBPULSE_BENCH_ANCHORS")
	if anchors == "" {
		return
	}
	b.Run("copy14", func(b *testing.B) {
		csv := filepath.Join(os.TempDir(), "jobpulse-bench-jobs-200000.csv")
		if _, err := os.Stat(csv); err != nil {
			tmp := csv + ".tmp"
			out, err := exec.Command("python3", filepath.Join(anchors, "gen_jobs_csv.py"), fmt.Sprint(benchJobs), tmp).CombinedOutput()
			if err == nil {
				err = os.Rename(tmp, csv)
			}
			if err != nil {
				b.Fatalf("gen_jobs_csv.py: %v\n%s", err, out)
			}
		}
		// load_psql_copy.sh writes into the database "anchors", found
		// through psql's environment.
		cfg, err := pgx.ParseConfig(url)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := pool.Exec(ctx, "DROP DATABASE IF EXISTS anchors WITH (FORCE)"); err != nil {
			b.Fatal(err)
		}
		if _, err := pool.Exec(ctx, "CREATE DATABASE anchors"); err != nil {
			b.Fatal(err)
		}
		env := append(os.Environ(), "PGHOST="+cfg.Host, fmt.Sprintf("PGPORT=%d", cfg.Port), "PGUSER="+cfg.User,
			"PGPASSWORD="+cfg.Password)
		for b.Loop() {
			cmd := exec.Command(filepath.Join(anchors, "load_psql_copy.sh"), csv)
			cmd.Env = env
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("load_psql_copy.sh: %v\n%s", err, out)
			}
		}
		b.ReportMetric(float64(benchJobs)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}
