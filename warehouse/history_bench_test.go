package warehouse_test

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/site"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgserver"
)

// A night of history benchmarks (issue 16): the nightly load and the
// report's build on a warehouse that holds a week, a year or two years of
// nights.
//
// Every warehouse ends with the same week of nights, loaded by the loader:
// night n (0 to 6) sees postings n·5,000 to n·5,000+19,999 of the nights'
// sequence, each posting once, one listing each, so that each night sees
// 15,000 postings of the night before and 5,000 new ones. The benchmarked
// night (7) sees postings 35,000 to 54,999: 15,000 seen before, 5,000 new,
// and 500 of those seen before (every 30th) with a changed salary text.
//
// Before that week, a year's (or two years') warehouse holds older nights
// written in SQL: 358 (723) runs, each seeing the postings born in it and in
// the 3 nights before, which brings the warehouse to 2,000,000 (4,000,000)
// postings, 2,500,000 (5,000,000) listings and 365 (730) runs with their
// sightings, their tallies and the postings' names counted.
//
// The warehouses are built once, as template databases of a managed server
// whose data folder is kept under os.TempDir (jobpulse-bench-history-<v>,
// about 4 GB a year): change historyVersion when what is built changes.
// Every iteration of the load copies its template (outside the timer).
const (
	historyVersion = "v2"
	nightSize      = 20_000
	nightNew       = 5_000
	weekNights     = 7
	changedEvery   = 30 // of the postings a night saw before, every 30th changed: 500
)

// historySize describes a warehouse of the benchmark.
type historySize struct {
	name     string
	runs     int // runs in all, the week's included
	postings int
	listings int
}

var historySizes = []historySize{
	{"week", weekNights, weekNights*nightNew + nightSize - nightNew, weekNights*nightNew + nightSize - nightNew},
	{"year", 365, 2_000_000, 2_500_000},
	{"2years", 730, 4_000_000, 5_000_000},
}

// nightStart is the start of the week's first night; older nights are
// before it, a day apart.
var nightStart = time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)

// nightRun returns the run of night n of the week (7: the benchmarked one).
func nightRun(n int) warehouse.Run {
	start := nightStart.Add(time.Duration(n) * 24 * time.Hour)
	id := start.Format("20060102T150405Z") + "-0000"
	return warehouse.Run{
		ID: id, StartedAt: start, FinishedAt: start.Add(10 * time.Minute), Status: warehouse.RunOK,
		Sources: []warehouse.SourceRun{{Source: "remotive", Status: warehouse.SourceOK, Pages: nightSize / 100,
			Postings: nightSize}},
	}
}

// nightPostings returns the postings night n sees, normalized, in load order.
func nightPostings(n int) []ingest.Posting {
	run := nightRun(n)
	out := make([]ingest.Posting, nightSize)
	for i := range out {
		k := n*nightNew + i
		p := historyPosting(k, run)
		if n == weekNights && i < nightSize-nightNew && k%changedEvery == 0 {
			p.SalaryText += " (revised)"
		}
		ingest.Normalize(&p)
		// One posting per listing: a fingerprint of its own, not the one
		// of company, title and place, which synthetic postings share.
		var fp [16]byte
		binary.BigEndian.PutUint64(fp[:], 0x6e69676874)
		binary.BigEndian.PutUint64(fp[8:], uint64(k))
		p.Fingerprint = hex.EncodeToString(fp[:])
		out[i] = p
	}
	return out
}

// historyPosting returns posting k of the nights' sequence as run sees it,
// drawn like the rows of the psql \copy reference.
func historyPosting(k int, run warehouse.Run) ingest.Posting {
	rnd := rand.New(rand.NewPCG(uint64(k), 16))
	pick := func(s []string) string { return s[rnd.IntN(len(s))] }
	role := pick(benchRoles)
	title := pick(benchLevels) + role
	perm := rnd.Perm(len(benchTags))
	return ingest.Posting{
		Source:       "remotive",
		SourceID:     fmt.Sprint(5_000_000 + k),
		URL:          fmt.Sprintf("https://remotive.com/remote-jobs/%d", 5_000_000+k),
		Title:        title,
		Company:      fmt.Sprintf("Company %d", 1+rnd.IntN(5000)),
		Category:     pick(benchCats),
		JobType:      pick(benchTypes),
		LocationText: pick(benchLocs),
		SalaryText:   fmt.Sprintf("$%dk - $%dk", 40+rnd.IntN(81), 121+rnd.IntN(130)),
		Tags:         []string{benchTags[perm[0]], benchTags[perm[1]], benchTags[perm[2]]},
		Description:  strings.Repeat("We are hiring a "+role+". ", 5+rnd.IntN(36)),
		PublishedAt:  time.Date(2026, time.Month(1+rnd.IntN(10)), 1+rnd.IntN(28), rnd.IntN(24), 0, 0, 0, time.UTC),
		LakeKey:      ingest.RawKey("remotive", run.StartedAt, run.ID, fmt.Sprintf("page-%04d.json", 1+k%200)),
	}
}

// historyServer is the benchmark's managed server, started once per process.
var historyServer = sync.OnceValues(func() (*pgserver.Server, error) {
	root := filepath.Join(os.TempDir(), "jobpulse-bench-history-"+historyVersion)
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	if err := os.Chmod(root, 0o755); err != nil { // the server's user (as root) must enter it
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	return pgserver.Start(ctx, filepath.Join(root, "pg"), slog.New(slog.DiscardHandler))
})

// historyTemplate returns the admin connection string of the benchmark's
// server and the name of the template database of size h, building it when
// missing.
func historyTemplate(b *testing.B, h historySize) (admin, template string) {
	b.Helper()
	srv, err := historyServer()
	if err != nil {
		testenv.Missing(b, "PostgreSQL: %v", err)
	}
	admin = srv.ConnString("postgres")
	template = "history_" + h.name
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", template).Scan(&exists); err != nil {
		b.Fatal(err)
	}
	if exists {
		// Built before a migration was added: migrate the template once.
		pool, err := pgxpool.New(ctx, srv.ConnString(template))
		if err == nil {
			err = warehouse.Migrate(ctx, pool)
			pool.Close()
		}
		if err != nil {
			b.Fatalf("migrate %s: %v", template, err)
		}
		return admin, template
	}
	start := time.Now()
	building := template + "_building"
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)"); err != nil {
		b.Fatal(err)
	}
	if err := warehouse.CreateDatabase(ctx, admin, building); err != nil {
		b.Fatal(err)
	}
	u := srv.ConnString(building)
	if err := buildHistory(ctx, u, h); err != nil {
		b.Fatalf("build the %s of history: %v", h.name, err)
	}
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+building+" RENAME TO "+template); err != nil {
		b.Fatal(err)
	}
	b.Logf("built the %s of history in %s", h.name, time.Since(start).Round(time.Second))
	return admin, template
}

// buildHistory fills the database at u: older nights in SQL, then the week
// through the loader, then VACUUM ANALYZE as autovacuum would have left it.
func buildHistory(ctx context.Context, u string, h historySize) error {
	pool, err := pgxpool.New(ctx, u)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := warehouse.Migrate(ctx, pool); err != nil {
		return err
	}
	if older := h.runs - weekNights; older > 0 {
		if err := buildOlderNights(ctx, pool, older, h.postings-historySizes[0].postings,
			h.listings-historySizes[0].listings); err != nil {
			return fmt.Errorf("older nights: %w", err)
		}
	}
	for n := range weekNights {
		if _, err := warehouse.Load(ctx, pool, nightRun(n), nightPostings(n)); err != nil {
			return fmt.Errorf("night %d: %w", n, err)
		}
	}
	_, err = pool.Exec(ctx, "VACUUM ANALYZE")
	return err
}

// buildOlderNights writes runs older nights before the week, with postings
// postings born evenly over them, each seen by the run it is born in and
// the 3 after it, one listing each and a second one (of another source) for
// the first listings-postings of them.
func buildOlderNights(ctx context.Context, pool *pgxpool.Pool, runs, postings, listings int) error {
	// Content is drawn from the week's first night, normalized: 64 samples.
	sample := nightPostings(0)[:64]
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	_, err = tx.Exec(ctx, `CREATE TEMPORARY TABLE sample (i int, role text, seniority text, scope text,
		countries text[], regions text[], workplace text, skills text[], title text, category text, job_type text,
		location_text text, tags text[]) ON COMMIT DROP`)
	if err != nil {
		return err
	}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"sample"}, []string{"i", "role", "seniority", "scope", "countries",
		"regions", "workplace", "skills", "title", "category", "job_type", "location_text", "tags"},
		pgx.CopyFromSlice(len(sample), func(i int) ([]any, error) {
			p := &sample[i]
			return []any{i, p.Role, p.Seniority, p.Location.Scope, nonNil(p.Location.Countries), nonNil(p.Location.Regions),
				p.Location.Workplace, nonNil(p.Skills), p.Title, p.Category, p.JobType, p.LocationText, nonNil(p.Tags)}, nil
		}))
	if err != nil {
		return err
	}
	steps := []string{
		`CREATE TEMPORARY TABLE hist_runs ON COMMIT DROP AS
		 SELECT i, to_char(at AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MISS"Z"') || '-0000' AS id, at
		 FROM (SELECT i, $1::timestamptz - (($2 - i) || ' days')::interval AS at FROM generate_series(0, $2 - 1) i) s`,
		`INSERT INTO runs (id, started_at, finished_at, status) SELECT id, at, at + interval '10 minutes', 'ok' FROM hist_runs`,
		`INSERT INTO run_sources (run_id, source, status, pages, postings) SELECT id, 'remotive', 'ok', 200, 20000 FROM hist_runs`,
		`CREATE TEMPORARY TABLE hist_postings ON COMMIT DROP AS
		 SELECT g, md5('history ' || g)::uuid AS id, (g::bigint * $1 / $2)::int AS born FROM generate_series(0, $2 - 1) g`,
		`INSERT INTO postings (id, role, seniority, scope, countries, regions, workplace, salary_min, salary_max, currency,
			period, salary_annual_min, salary_annual_max, skills, description_text, source, source_id, url, title, company,
			company_name, company_key, company_logo, category, job_type, location_text, salary_text, tags, published_at,
			lake_key, content_hash, first_seen_run, last_seen_run, first_seen_at, last_seen_at)
		 SELECT h.id, s.role, s.seniority, s.scope, s.countries, s.regions, s.workplace, 40000 + g % 80 * 1000,
			121000 + g % 130 * 1000, 'USD', 'year', 40000 + g % 80 * 1000, 121000 + g % 130 * 1000, s.skills,
			repeat('We are hiring a ' || s.role || '. ', 5 + g % 36), 'remotive', 'h' || g,
			'https://remotive.com/remote-jobs/h' || g, s.title, 'Company ' || (1 + g % 5000), 'Company ' || (1 + g % 5000),
			'company ' || (1 + g % 5000), '', s.category, s.job_type, s.location_text,
			'$' || (40 + g % 80) || 'k - $' || (121 + g % 130) || 'k', s.tags, f.at - interval '3 days',
			'raw/source=remotive/date=' || to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD') || '/run=' || l.id || '/page-0001.json',
			hashtextextended(h.id::text, 0), f.id, l.id, f.at, l.at
		 FROM hist_postings h
		 JOIN sample s ON s.i = h.g % 64
		 JOIN hist_runs f ON f.i = h.born
		 JOIN hist_runs l ON l.i = least(h.born + 3, $1 - 1)`,
		`INSERT INTO listings (source, source_id, posting_id, url, lake_key, first_seen_run, last_seen_run, first_seen_at, last_seen_at)
		 SELECT source, source_id, id, url, lake_key, first_seen_run, last_seen_run, first_seen_at, last_seen_at
		 FROM postings WHERE source_id LIKE 'h%'`,
		`INSERT INTO listings (source, source_id, posting_id, url, lake_key, first_seen_run, last_seen_run, first_seen_at, last_seen_at)
		 SELECT 'weworkremotely', 'w' || substr(source_id, 2), id, '', lake_key, first_seen_run, last_seen_run, first_seen_at, last_seen_at
		 FROM postings WHERE source_id LIKE 'h%' AND substr(source_id, 2)::bigint < $1`,
		`INSERT INTO run_sightings (run_id, posting_ids)
		 SELECT r.id, array_agg(h.id ORDER BY h.id)
		 FROM hist_runs r JOIN hist_postings h ON h.born BETWEEN r.i - 3 AND r.i
		 GROUP BY r.id`,
		// What the loader keeps beside the rows it writes: each run's
		// tallies (migration 0010) and the postings' names (0012).
		`SELECT tally_run(id) FROM hist_runs ORDER BY i`,
		`SELECT recount_names()`,
	}
	start := nightStart
	args := [][]any{{start, runs}, nil, nil, {runs, postings}, {runs}, nil, {listings - postings}, nil, nil, nil}
	for i, sql := range steps {
		if _, err := tx.Exec(ctx, sql, args[i]...); err != nil {
			return fmt.Errorf("step %d: %w", i+1, err)
		}
	}
	return tx.Commit(ctx)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// historyCopy returns a pool of one connection on a fresh copy of template,
// dropped when the benchmark ends, and its backend's pid. Settings are
// given to the pool's sessions.
func historyCopy(b *testing.B, admin, template, name string, settings ...string) (*pgxpool.Pool, int, func()) {
	b.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, sql := range []string{"DROP DATABASE IF EXISTS " + name + " WITH (FORCE)",
		"CREATE DATABASE " + name + " TEMPLATE " + template + " STRATEGY FILE_COPY"} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			b.Fatal(err)
		}
	}
	u := strings.Replace(admin, "/postgres", "/"+name, 1)
	if u == admin {
		b.Fatalf("cannot name database %s in %s", name, admin)
	}
	cfg, err := pgxpool.ParseConfig(u)
	if err != nil {
		b.Fatal(err)
	}
	cfg.MaxConns, cfg.MinConns = 1, 1
	for i := 0; i+1 < len(settings); i += 2 {
		cfg.ConnConfig.RuntimeParams[settings[i]] = settings[i+1]
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	var pid int
	if err := pool.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		b.Fatal(err)
	}
	drop := func() {
		pool.Close()
		conn, err := pgx.Connect(ctx, admin)
		if err == nil {
			_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			conn.Close(ctx)
		}
		if err != nil {
			b.Errorf("drop %s: %v", name, err)
		}
	}
	return pool, pid, drop
}

// BenchmarkNight loads one night of 20,000 postings (15,000 seen the night
// before, 500 of them changed, and 5,000 new) into a warehouse that holds a
// week, a year or two years of nights. Issue 16: the year at most 1.2 times
// the week, at most 150 MB of peak RSS, and no growth from one year to two.
func BenchmarkNight(b *testing.B) {
	postings := nightPostings(weekNights)
	run := nightRun(weekNights)
	ctx := context.Background()
	for _, h := range historySizes {
		b.Run(h.name, func(b *testing.B) {
			admin, template := historyTemplate(b, h)
			var cpu cpuTimes
			var goPeak, rssPeak float64
			for b.Loop() {
				b.StopTimer()
				pool, pid, drop := historyCopy(b, admin, template, "night_"+h.name)
				debug.FreeOSMemory()
				m := startMemoryPeak()
				c0 := readCPU(b, pid)
				b.StartTimer()
				stats, err := warehouse.Load(ctx, pool, run, postings)
				b.StopTimer()
				c1 := readCPU(b, pid)
				goMB, rssMB := m.end()
				goPeak, rssPeak = max(goPeak, goMB), max(rssPeak, rssMB)
				cpu.self, cpu.backend = cpu.self+c1.self-c0.self, cpu.backend+c1.backend-c0.backend
				drop()
				if err != nil {
					b.Fatal(err)
				}
				want := warehouse.LoadStats{Inserted: nightNew, Updated: 500, Unchanged: nightSize - nightNew - 500, Sightings: nightSize}
				if stats != want {
					b.Fatalf("night: %+v, want %+v", stats, want)
				}
				b.StartTimer()
			}
			b.ReportMetric(cpu.self.Seconds()/float64(b.N), "go-cpu-s/op")
			b.ReportMetric(cpu.backend.Seconds()/float64(b.N), "pg-cpu-s/op")
			b.ReportMetric(goPeak, "go-peak-MB")
			b.ReportMetric(rssPeak, "peak-RSS-MB")
		})
	}
}

// BenchmarkHistoryBuild builds the report (the embedded content and
// templates) from a warehouse that holds a week, a year or two years of
// nights. Issue 16: the year at most 2 times the week. (The build turns
// PostgreSQL's JIT compilation off in its transaction: see
// warehouse.buildSessionSQL.)
func BenchmarkHistoryBuild(b *testing.B) {
	ctx := context.Background()
	for _, h := range historySizes {
		b.Run(h.name, func(b *testing.B) { benchmarkBuild(ctx, b, h) })
	}
}

func benchmarkBuild(ctx context.Context, b *testing.B, h historySize) {
	admin, template := historyTemplate(b, h)
	pool, _, drop := historyCopy(b, admin, template, "build_"+h.name)
	defer drop()
	cfg := site.DefaultBuildConfig()
	cfg.Out = filepath.Join(b.TempDir(), "public")
	testenv.ResetPeakRSS()
	var res site.BuildResult
	for b.Loop() {
		var err error
		if res, err = site.Build(ctx, pool, cfg, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Pages), "pages")
	b.ReportMetric(float64(testenv.PeakRSS())/1e6, "peak-RSS-MB")
	for _, s := range res.Stages {
		if s.Name == "query" {
			b.ReportMetric(s.Duration.Seconds(), "query-s")
		}
	}
}
