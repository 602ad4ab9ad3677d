package warehouse_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// The replay benchmark's lake: 200,000 Remotive-shaped postings in pages of
// 1,000, drawn like the rows of the psql \copy reference
// (/work/shared/bench/gen_jobs_csv.py): the same roles, levels, locations,
// categories, tags, salary ranges, and descriptions of "We are hiring a
// <role>. " 5 to 40 times (about 0.8 kB, here as HTML). It is built once and
// kept under os.TempDir, named by benchLakeVersion: change the version when
// the generator changes.
const (
	benchLakeVersion = "v1"
	benchJobs        = 200_000
	benchPageJobs    = 1_000
)

var benchStart = time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC)

const benchRunID = "20261129T010000Z-b200"

// benchLake returns the benchmark's lake, building it on first use.
func benchLake(b *testing.B) ingest.Lake {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "jobpulse-bench-lake-"+benchLakeVersion)
	if _, err := os.Stat(filepath.Join(dir, "complete")); err != nil {
		if err := buildBenchLake(dir); err != nil {
			b.Fatalf("build benchmark lake: %v", err)
		}
	}
	lake, err := ingest.NewFolderLake(dir)
	if err != nil {
		b.Fatal(err)
	}
	return lake
}

// buildBenchLake writes the lake into a temporary folder, then renames it
// to dir, so that an interrupted build is never mistaken for a lake.
func buildBenchLake(dir string) error {
	tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	lake, err := ingest.NewFolderLake(tmp)
	if err != nil {
		return err
	}
	ctx := context.Background()
	rnd := rand.New(rand.NewPCG(42, 42))
	run := warehouse.Run{ID: benchRunID, StartedAt: benchStart, FinishedAt: benchStart.Add(3 * time.Minute),
		Sources: []warehouse.SourceRun{{Source: "remotive", Status: warehouse.SourceOK}}}
	for page := range benchJobs / benchPageJobs {
		jobs := make([]benchJob, benchPageJobs)
		for i := range jobs {
			jobs[i] = newBenchJob(rnd, page*benchPageJobs+i)
		}
		body, err := json.Marshal(map[string]any{"job-count": len(jobs), "jobs": jobs})
		if err != nil {
			return err
		}
		name := fmt.Sprintf("page-%04d.json", page+1)
		key := ingest.RawKey("remotive", benchStart, benchRunID, name)
		meta := ingest.Meta{Source: "remotive", URL: "http://127.0.0.1/api/remote-jobs?page=" + strconv.Itoa(page+1),
			FetchedAt: benchStart.Add(time.Duration(page) * 100 * time.Millisecond), Status: 200, ContentType: "application/json"}
		if err := lake.Put(ctx, key, body, meta); err != nil {
			return err
		}
		run.Sources[0].Pages++
		run.Sources[0].LakeKeys = append(run.Sources[0].LakeKeys, key)
	}
	manifest, err := json.Marshal(run)
	if err == nil {
		err = lake.Put(ctx, ingest.ManifestKey(run.ID), manifest, ingest.Meta{Source: "jobpulse"})
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(tmp, "complete"), nil, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, dir)
	}
	return err
}

// benchJob is a job in the shape of Remotive's API.
type benchJob struct {
	ID                        int      `json:"id"`
	URL                       string   `json:"url"`
	Title                     string   `json:"title"`
	CompanyName               string   `json:"company_name"`
	CompanyLogo               string   `json:"company_logo"`
	Category                  string   `json:"category"`
	Tags                      []string `json:"tags"`
	JobType                   string   `json:"job_type"`
	PublicationDate           string   `json:"publication_date"`
	CandidateRequiredLocation string   `json:"candidate_required_location"`
	Salary                    string   `json:"salary"`
	Description               string   `json:"description"`
}

var (
	benchRoles = []string{"Software Engineer", "Backend Engineer", "Frontend Developer", "Data Scientist",
		"Data Engineer", "Product Manager", "DevOps Engineer", "UX Designer", "Customer Success Manager",
		"Account Executive", "QA Engineer", "Technical Writer", "Machine Learning Engineer",
		"Sales Development Representative", "Marketing Manager", "Support Specialist"}
	benchLevels = []string{"", "Senior ", "Junior ", "Lead ", "Staff ", "Principal "}
	benchLocs   = []string{"Worldwide", "USA", "Europe", "UK", "Germany", "France", "Canada", "Americas", "EMEA",
		"Spain", "Poland", "Brazil", "India"}
	benchCats = []string{"Software Development", "Data", "Product", "DevOps / Sysadmin", "Design",
		"Customer Service", "Sales", "Marketing", "QA", "Writing"}
	benchTags = []string{"python", "go", "react", "aws", "sql", "kubernetes", "java", "typescript", "docker",
		"excel", "figma", "salesforce"}
	benchTypes = []string{"full_time", "contract", "part_time"}
)

func newBenchJob(rnd *rand.Rand, i int) benchJob {
	pick := func(s []string) string { return s[rnd.IntN(len(s))] }
	role := pick(benchRoles)
	title := pick(benchLevels) + role
	perm := rnd.Perm(len(benchTags))
	company := fmt.Sprintf("Company %d", 1+rnd.IntN(5000))
	id := 1_000_000 + i
	return benchJob{
		ID:                        id,
		URL:                       fmt.Sprintf("https://remotive.com/remote-jobs/software-dev/%s-%d", strings.ToLower(strings.ReplaceAll(title, " ", "-")), id),
		Title:                     title,
		CompanyName:               company,
		CompanyLogo:               fmt.Sprintf("https://remotive.com/job/%d/logo", id),
		Category:                  pick(benchCats),
		Tags:                      []string{benchTags[perm[0]], benchTags[perm[1]], benchTags[perm[2]]},
		JobType:                   pick(benchTypes),
		PublicationDate:           fmt.Sprintf("2026-%02d-%02dT%02d:00:00", 1+rnd.IntN(11), 1+rnd.IntN(28), rnd.IntN(24)),
		CandidateRequiredLocation: pick(benchLocs),
		Salary:                    fmt.Sprintf("$%dk - $%dk", 40+rnd.IntN(81), 121+rnd.IntN(130)),
		Description:               "<p>" + strings.Repeat("We are hiring a "+role+". ", 5+rnd.IntN(36)) + "</p>",
	}
}

// memoryPeak samples the Go heap while a benchmark iteration runs, and reads
// the process's peak resident set size (VmHWM) after resetting it.
type memoryPeak struct {
	stop     chan struct{}
	done     sync.WaitGroup
	heapPeak atomic.Uint64
}

func startMemoryPeak() *memoryPeak {
	testenv.ResetPeakRSS()
	m := &memoryPeak{stop: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	m.done.Go(func() {
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64() - sample[1].Value.Uint64(); v > m.heapPeak.Load() {
				m.heapPeak.Store(v)
			}
			select {
			case <-m.stop:
				return
			case <-tick.C:
			}
		}
	})
	return m
}

// end stops sampling and returns the peak Go memory and the peak RSS, in MB.
func (m *memoryPeak) end() (goMB, rssMB float64) {
	close(m.stop)
	m.done.Wait()
	return float64(m.heapPeak.Load()) / 1e6, float64(testenv.PeakRSS()) / 1e6
}

// cpuTimes reads the CPU time used so far by this process and by the
// PostgreSQL backend serving pool (one connection): machines running other
// work make wall times noisy, CPU times much less so.
type cpuTimes struct{ self, backend time.Duration }

func readCPU(b *testing.B, backendPID int) cpuTimes {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	t := cpuTimes{self: time.Duration(ru.Utime.Nano() + ru.Stime.Nano())}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", backendPID))
	if err == nil {
		// Fields after the command name: state is field 3; utime and stime
		// are fields 14 and 15, in clock ticks (100 a second on Linux).
		f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+2:]))
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		t.backend = time.Duration(ut+st) * 10 * time.Millisecond
	}
	return t
}

// benchPool returns a pool of one connection on a fresh warehouse, and the
// pid of its backend (0 when the server is not on this machine's /proc).
func benchPool(b *testing.B) (*pgxpool.Pool, int) {
	b.Helper()
	cfg, err := pgxpool.ParseConfig(pgtest.URL(b))
	if err != nil {
		b.Fatal(err)
	}
	cfg.MaxConns, cfg.MinConns = 1, 1
	ctx := context.Background()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	var pid int
	if err := pool.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		b.Fatal(err)
	}
	return pool, pid
}

var benchSources = map[string]ingest.Source{"remotive": ingest.NewRemotive(ingest.DefaultRemotiveConfig(), nil)}

// BenchmarkReplay200k replays the benchmark lake (one run, 200,000 postings)
// into an empty warehouse: list, read, parse, normalize, load, commit.
// BenchmarkReplayFloor holds the same replay against its floor (issue 16:
// at most 1.25 times psql \copy of the same rows into the same tables, at
// most 150 MB).
func BenchmarkReplay200k(b *testing.B) {
	lake := benchLake(b)
	pool, pid := benchPool(b)
	ctx := context.Background()
	var goPeak, rssPeak float64
	var cpu cpuTimes
	for b.Loop() {
		b.StopTimer()
		if _, err := pool.Exec(ctx, "TRUNCATE runs, run_sources, rejects, postings, listings, run_sightings, run_tallies, week_tallies, posting_names"); err != nil {
			b.Fatal(err)
		}
		debug.FreeOSMemory() // what earlier benchmarks left must not count
		m := startMemoryPeak()
		c0 := readCPU(b, pid)
		b.StartTimer()
		res, err := replayLake(ctx, pool, lake, benchSources, ingest.ReplayOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		c1 := readCPU(b, pid)
		cpu.self, cpu.backend = cpu.self+c1.self-c0.self, cpu.backend+c1.backend-c0.backend
		goMB, rssMB := m.end()
		goPeak, rssPeak = max(goPeak, goMB), max(rssPeak, rssMB)
		if s := res.Stats; s.Inserted+s.Duplicates != benchJobs || s.Rejected != 0 {
			b.Fatalf("replay: %+v, want %d postings", s, benchJobs)
		}
		b.StartTimer()
	}
	reportReplay(b, cpu, goPeak, rssPeak)
}

// reportReplay reports a replay benchmark's rows per second, CPU per run (Go
// and the PostgreSQL backend) and peak memory.
func reportReplay(b *testing.B, cpu cpuTimes, goPeak, rssPeak float64) {
	b.ReportMetric(float64(benchJobs)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(cpu.self.Seconds()/float64(b.N), "go-cpu-s/op")
	b.ReportMetric(cpu.backend.Seconds()/float64(b.N), "pg-cpu-s/op")
	b.ReportMetric(goPeak, "go-peak-MB")
	b.ReportMetric(rssPeak, "peak-RSS-MB")
}

// BenchmarkReplayAgain replays the benchmark lake into the warehouse it was
// already replayed into: nothing changes, and it must not be slower than the
// first replay.
func BenchmarkReplayAgain(b *testing.B) {
	lake := benchLake(b)
	pool, pid := benchPool(b)
	ctx := context.Background()
	if _, err := replayLake(ctx, pool, lake, benchSources, ingest.ReplayOptions{}); err != nil {
		b.Fatal(err)
	}
	var goPeak, rssPeak float64
	var cpu cpuTimes
	for b.Loop() {
		b.StopTimer()
		debug.FreeOSMemory() // what earlier benchmarks left must not count
		m := startMemoryPeak()
		c0 := readCPU(b, pid)
		b.StartTimer()
		res, err := replayLake(ctx, pool, lake, benchSources, ingest.ReplayOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		c1 := readCPU(b, pid)
		cpu.self, cpu.backend = cpu.self+c1.self-c0.self, cpu.backend+c1.backend-c0.backend
		goMB, rssMB := m.end()
		goPeak, rssPeak = max(goPeak, goMB), max(rssPeak, rssMB)
		if s := res.Stats; s.Inserted+s.Updated+s.Sightings != 0 {
			b.Fatalf("second replay changed rows: %+v", s)
		}
		b.StartTimer()
	}
	reportReplay(b, cpu, goPeak, rssPeak)
}

// BenchmarkParse200k parses the benchmark lake's pages without loading them:
// the part of a replay that is the sources' parsers and the normalizer.
func BenchmarkParse200k(b *testing.B) {
	lake := benchLake(b)
	ctx := context.Background()
	keys, err := lake.List(ctx, "raw/")
	if err != nil {
		b.Fatal(err)
	}
	src := benchSources["remotive"]
	for b.Loop() {
		n := 0
		for _, key := range keys {
			body, meta, err := lake.Get(ctx, key)
			if err != nil {
				b.Fatal(err)
			}
			postings, _, err := src.Parse(ctx, ingest.StoredPage{Key: key, Name: filepath.Base(key), Body: body, Meta: meta}, nil)
			if err != nil {
				b.Fatal(err)
			}
			for i := range postings {
				ingest.Normalize(&postings[i])
			}
			n += len(postings)
		}
		if n != benchJobs {
			b.Fatalf("parsed %d postings, want %d", n, benchJobs)
		}
	}
	b.ReportMetric(float64(benchJobs)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
