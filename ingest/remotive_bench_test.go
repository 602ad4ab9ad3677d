package ingest

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jobpulse/jobpulse/internal/testenv"
)

// benchLakePages is the glob of the Remotive pages of the warehouse
// package's replay benchmark lake (built by its BenchmarkReplay200k or
// BenchmarkParse200k on first use).
var benchLakePages = filepath.Join(os.TempDir(), "jobpulse-bench-lake-v1", "raw", "source=remotive", "*", "*", "page-*.json")

// readBenchLakePages reads the benchmark lake's Remotive pages, or skips
// when the lake has not been built.
func readBenchLakePages(b *testing.B) [][]byte {
	b.Helper()
	names, err := filepath.Glob(benchLakePages)
	if err != nil {
		b.Fatal(err)
	}
	if len(names) == 0 {
		b.Skipf("no benchmark lake pages at %s: run `go test -run XXX -bench BenchmarkParse200k -benchtime 1x ./warehouse` once to build them", benchLakePages)
	}
	sort.Strings(names)
	pages := make([][]byte, 0, len(names))
	for _, name := range names {
		if strings.HasSuffix(name, ".meta.json") {
			continue
		}
		body, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, body)
	}
	return pages
}

// benchParseRemotive runs parse over all pages per iteration and reports
// postings per second.
func benchParseRemotive(b *testing.B, pages [][]byte, parse func([]byte, string) ([]Posting, []Reject, error)) {
	b.Helper()
	var size int64
	for _, p := range pages {
		size += int64(len(p))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	rows := 0
	cpu0 := processCPU(b)
	for b.Loop() {
		rows = 0
		for _, body := range pages {
			postings, _, err := parse(body, testKey)
			if err != nil {
				b.Fatal(err)
			}
			rows += len(postings)
		}
	}
	cpu := processCPU(b) - cpu0
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	// CPU time of the whole process, the garbage collector's included: on
	// a busy machine it varies less than the elapsed time.
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// processCPU returns the user and system CPU time of the process so far.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkParseRemotivePages parses the 200 pages of 1,000 jobs of the
// replay benchmark lake (descriptions escaped by encoding/json, \u003c...).
func BenchmarkParseRemotivePages(b *testing.B) {
	benchParseRemotive(b, readBenchLakePages(b), ParseRemotive)
}

// BenchmarkParseRemotiveReal parses the real capture (31 jobs with real,
// unescaped HTML descriptions and pretty-printed JSON).
func BenchmarkParseRemotiveReal(b *testing.B) {
	benchParseRemotive(b, [][]byte{testenv.RealCapture(b, "remotive/remote-jobs.json")}, ParseRemotive)
}

// BenchmarkParseRemotiveOnePage parses one page of the benchmark lake
// again and again, mostly from the CPU's caches: the parser's own cost.
func BenchmarkParseRemotiveOnePage(b *testing.B) {
	benchParseRemotive(b, readBenchLakePages(b)[:1], ParseRemotive)
}
