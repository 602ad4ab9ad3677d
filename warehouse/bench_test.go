package warehouse_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// benchPostings is the size of the benchmark's batch, as in the psql \copy
// reference of /work/shared/bench (gen_jobs_csv.py 200000).
const benchPostings = 200_000

// synthPostings returns n deterministic Remotive-shaped postings, drawn like
// the reference rows of gen_jobs_csv.py.
func synthPostings(n int) []ingest.Posting {
	rnd := rand.New(rand.NewPCG(42, 42))
	roles := []string{"Software Engineer", "Backend Engineer", "Frontend Developer", "Data Scientist",
		"Data Engineer", "Product Manager", "DevOps Engineer", "UX Designer", "Customer Success Manager",
		"Account Executive", "QA Engineer", "Technical Writer", "Machine Learning Engineer",
		"Sales Development Representative", "Marketing Manager", "Support Specialist"}
	levels := []string{"", "Senior ", "Junior ", "Lead ", "Staff ", "Principal "}
	locs := []string{"Worldwide", "USA", "Europe", "UK", "Germany", "France", "Canada", "Americas", "EMEA",
		"Spain", "Poland", "Brazil", "India"}
	cats := []string{"Software Development", "Data", "Product", "DevOps / Sysadmin", "Design",
		"Customer Service", "Sales", "Marketing", "QA", "Writing"}
	tags := []string{"python", "go", "react", "aws", "sql", "kubernetes", "java", "typescript", "docker",
		"excel", "figma", "salesforce"}
	types := []string{"full_time", "contract", "part_time"}
	pick := func(s []string) string { return s[rnd.IntN(len(s))] }
	out := make([]ingest.Posting, n)
	for i := range out {
		role := pick(roles)
		perm := rnd.Perm(len(tags))
		out[i] = ingest.Posting{
			Source:       "remotive",
			SourceID:     fmt.Sprint(1_000_000 + i),
			URL:          fmt.Sprintf("https://example.org/jobs/%d", i),
			Title:        pick(levels) + role,
			Company:      fmt.Sprintf("Company %d", 1+rnd.IntN(5000)),
			Category:     pick(cats),
			JobType:      pick(types),
			LocationText: pick(locs),
			SalaryText:   fmt.Sprintf("$%dk - $%dk", 40+rnd.IntN(81), 121+rnd.IntN(130)),
			Tags:         []string{tags[perm[0]], tags[perm[1]], tags[perm[2]]},
			Description:  strings.Repeat("We are hiring a "+role+". ", 5+rnd.IntN(36)),
			PublishedAt:  time.Date(2026, time.Month(1+rnd.IntN(11)), 1+rnd.IntN(28), rnd.IntN(24), 0, 0, 0, time.UTC),
			LakeKey:      fmt.Sprintf("raw/source=remotive/date=2026-11-29/run=bench/page-%04d.json", 1+i/100),
		}
	}
	return out
}

// BenchmarkLoad loads 200,000 postings: "new" into an empty warehouse (the
// case to hold against psql \copy, see /work/shared/bench/README.md), "seen"
// as the next run seeing all of them again (updates last_seen_* and adds
// sightings).
func BenchmarkLoad(b *testing.B) {
	postings := synthPostings(benchPostings)
	ctx := context.Background()
	b.Run("new", func(b *testing.B) {
		pool, pid := benchPool(b)
		var cpu cpuTimes
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			if _, err := pool.Exec(ctx, "TRUNCATE runs, run_sources, rejects, postings, listings, run_sightings, run_tallies, week_tallies"); err != nil {
				b.Fatal(err)
			}
			run := testRun(warehouse.NewRunID(t1), t1)
			c0 := readCPU(b, pid)
			b.StartTimer()
			stats, err := warehouse.Load(ctx, pool, run, postings)
			b.StopTimer()
			c1 := readCPU(b, pid)
			b.StartTimer()
			cpu.self, cpu.backend = cpu.self+c1.self-c0.self, cpu.backend+c1.backend-c0.backend
			if err != nil {
				b.Fatal(err)
			}
			if stats.Inserted != benchPostings {
				b.Fatalf("inserted %d, want %d", stats.Inserted, benchPostings)
			}
		}
		b.ReportMetric(float64(benchPostings*b.N)/b.Elapsed().Seconds(), "rows/s")
		b.ReportMetric(cpu.self.Seconds()/float64(b.N), "go-cpu-s/op")
		b.ReportMetric(cpu.backend.Seconds()/float64(b.N), "pg-cpu-s/op")
	})
	b.Run("seen", func(b *testing.B) {
		pool := pgtest.New(b)
		if _, err := warehouse.Load(ctx, pool, testRun(warehouse.NewRunID(t1), t1), postings); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			start := t2.Add(time.Duration(i) * time.Hour)
			stats, err := warehouse.Load(ctx, pool, testRun(warehouse.NewRunID(start), start), postings)
			if err != nil {
				b.Fatal(err)
			}
			if stats.Unchanged != benchPostings {
				b.Fatalf("unchanged %d, want %d", stats.Unchanged, benchPostings)
			}
		}
		b.ReportMetric(float64(benchPostings*b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}
