package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// TestIngestOverlap starts an ingest beside another ingest, or beside a run,
// on one warehouse and lake: ingest takes the run lock as run does, so the
// second refuses at once naming the first and changes nothing, or with
// --wait fetches after the first has finished. The source never sees two
// requests at once.
func TestIngestOverlap(t *testing.T) {
	tests := []struct {
		name          string
		first, second string // commands
		wait          string
		loaded        int // commands that got the lock
	}{
		{name: "two ingests, the second refuses", first: "ingest", second: "ingest", wait: "0s", loaded: 1},
		{name: "two ingests, the second waits", first: "ingest", second: "ingest", wait: "10m", loaded: 2},
		{name: "an ingest beside a run refuses", first: "run", second: "ingest", wait: "0s", loaded: 1},
		{name: "a run beside an ingest refuses", first: "ingest", second: "run", wait: "0s", loaded: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dbURL, dir := pgtest.URL(t), t.TempDir()
			src := newGatedRemotive(t)
			run := append(runArgs(t, dbURL, dir, src.Server), "--wait="+tt.wait) // here: it may skip the test
			args := func(command string) []string {
				if command == "ingest" { // the run's flags, without the site's
					return []string{"ingest", "--json", run[2], run[3], run[4], run[len(run)-1]}
				}
				return run
			}
			results := make(chan runResult, 2)
			start := func(command string) {
				go func() {
					out, err := jobpulse(t, args(command)...)
					results <- runResult{out: out, err: err}
				}()
			}
			start(tt.first)
			src.arrival(t) // the first holds the lock and is fetching
			start(tt.second)
			done := src.settle(t, dbURL, results, tt.loaded == 1)
			var ok int
			for _, r := range done {
				r = decodeRun(t, r.out, r.err)
				if r.err == nil {
					ok++
					continue
				}
				msg := r.err.Error()
				if !strings.Contains(msg, "refused, nothing done") || !strings.Contains(msg, `"jobpulse `+tt.first+` `) ||
					!strings.Contains(msg, "connected since") || len(r.rep.Runs) != 0 {
					t.Errorf("refused %s: err %q, summary %+v; want a refusal naming the %s, nothing run", tt.second, msg, r.rep, tt.first)
				}
			}
			if ok != tt.loaded {
				t.Fatalf("%d commands succeeded, want %d: %+v", ok, tt.loaded, done)
			}
			if got := stateOf(t, dbURL, filepath.Join(dir, "lake")); len(got.Runs) != tt.loaded || len(got.Manifests) != tt.loaded {
				t.Errorf("runs %v, manifests %v: want %d of each", got.Runs, got.Manifests, tt.loaded)
			}
			if n := src.mostInFlight(); n != 1 {
				t.Errorf("the source served %d requests at once, want 1: the commands overlapped", n)
			}
		})
	}
}
