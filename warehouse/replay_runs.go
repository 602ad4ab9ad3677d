package warehouse

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/ingest"
)

// ReplayOptions selects what [Replay] loads.
type ReplayOptions struct {
	Since   time.Time // only runs started at or after Since; zero: every run
	Sources []string  // only these sources; empty: every source a run has
	// Progress, if not nil, is told of each page parsed (see [LoadFromLake]).
	Progress func(runID, source string, pages, postings int)
}

// ReplayedRun is one run a replay loaded.
type ReplayedRun struct {
	Run      Run       `json:"run"`
	Stats    LoadStats `json:"stats"`
	Manifest bool      `json:"manifest"` // false when the run was derived from its raw pages' keys
}

// ReplayResult is what a replay did, run by run.
type ReplayResult struct {
	Runs  []ReplayedRun `json:"runs"`
	Stats LoadStats     `json:"stats"` // summed over the runs
}

// Replay rebuilds the warehouse from the lake alone: it finds the runs the
// lake holds, and loads each with [LoadFromLake], in run-id order, each in its
// own transaction. A run is restored from its manifest (runs/run=<id>.json:
// the JSON of the [Run] its ingest recorded after fetching); a run with raw
// pages and no manifest is derived from the pages' keys (its start from its
// id, its sources from the partitions). Such a run is incomplete (its ingest
// never reached the end, where the manifest is written), so each of its
// sources is failed, saying so: its postings are loaded, but it never
// decides what is open or gone.
// Replaying into an empty warehouse gives the tables the original ingests
// gave; replaying again changes nothing.
//
// With opts.Sources, only those sources are parsed: runs without any of them
// are skipped, and a run's other sources keep what its manifest says. A
// source that sources lacks (no parser configured) is not loaded, and a
// warning says so. Replay stops at the first run that fails to load (the
// lake or the database failing), returning the runs loaded before it.
func Replay(ctx context.Context, pool *pgxpool.Pool, lake ingest.Lake, sources map[string]ingest.Source,
	opts ReplayOptions, logger *slog.Logger) (ReplayResult, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger = logger.WithGroup("replay")
	runs, err := findRuns(ctx, lake, opts.Sources, logger)
	if err != nil {
		return ReplayResult{}, err
	}
	selected := sources
	if len(opts.Sources) > 0 {
		selected = map[string]ingest.Source{}
		for _, name := range opts.Sources {
			if src, ok := sources[name]; ok {
				selected[name] = src
			}
		}
	}
	var res ReplayResult
	warned := map[string]bool{}
	for _, lr := range runs {
		if lr.run.StartedAt.Before(opts.Since) {
			continue
		}
		if len(opts.Sources) > 0 && !slices.ContainsFunc(lr.run.Sources, func(s SourceRun) bool {
			return slices.Contains(opts.Sources, s.Source)
		}) {
			continue
		}
		for _, s := range lr.run.Sources {
			_, ok := sources[s.Source]
			if !ok && !warned[s.Source] && (len(opts.Sources) == 0 || slices.Contains(opts.Sources, s.Source)) {
				warned[s.Source] = true
				logger.Warn("no parser for source: its pages are not loaded", "source", s.Source, "run", lr.run.ID)
			}
		}
		var progress func(string, int, int)
		if opts.Progress != nil {
			id := lr.run.ID
			progress = func(source string, pages, postings int) { opts.Progress(id, source, pages, postings) }
		}
		start := time.Now()
		run, stats, err := LoadFromLake(ctx, pool, lake, selected, lr.run, progress)
		if err != nil {
			return res, fmt.Errorf("warehouse: replay run %s: %w", lr.run.ID, err)
		}
		res.Runs = append(res.Runs, ReplayedRun{Run: run, Stats: stats, Manifest: lr.manifest})
		res.Stats = res.Stats.Add(stats)
		logger.Info("run replayed", "run", run.ID, "status", run.Status, "manifest", lr.manifest,
			"inserted", stats.Inserted, "updated", stats.Updated, "unchanged", stats.Unchanged,
			"rejected", stats.Rejected, "took", time.Since(start).Round(time.Millisecond))
	}
	return res, nil
}

// lakeRun is a run found in the lake.
type lakeRun struct {
	run      Run
	manifest bool
}

// findRuns returns the runs of the lake in run-id order: those with a
// manifest, and those with raw pages of the given sources (all when empty).
func findRuns(ctx context.Context, lake ingest.Lake, only []string, logger *slog.Logger) ([]lakeRun, error) {
	runs := map[string]*lakeRun{}
	manifests, err := lake.List(ctx, "runs/")
	if err != nil {
		return nil, fmt.Errorf("warehouse: replay: list runs/ of %s: %w", lake, err)
	}
	for _, key := range manifests {
		id, ok := strings.CutPrefix(key, "runs/run=")
		if id, ok = strings.CutSuffix(id, ".json"); !ok || strings.Contains(id, "/") {
			continue
		}
		run, err := readManifest(ctx, lake, key, id)
		if err != nil {
			// The raw pages are what matter: derive the run from them.
			logger.Error("unreadable run manifest: deriving the run from its raw pages", "key", key, "err", err)
			continue
		}
		runs[id] = &lakeRun{run: run, manifest: true}
	}
	prefixes := []string{"raw/"}
	if len(only) > 0 {
		prefixes = nil
		for _, s := range only {
			prefixes = append(prefixes, "raw/source="+s+"/")
		}
	}
	for _, prefix := range prefixes {
		keys, err := lake.List(ctx, prefix)
		if err != nil {
			return nil, fmt.Errorf("warehouse: replay: list %s of %s: %w", prefix, lake, err)
		}
		for _, key := range keys {
			source, date, id, ok := parseRawKey(key)
			if !ok {
				continue
			}
			lr := runs[id]
			if lr == nil {
				lr = &lakeRun{run: Run{ID: id, StartedAt: derivedStart(id, date), Status: RunRunning}}
				runs[id] = lr
			}
			if !slices.ContainsFunc(lr.run.Sources, func(s SourceRun) bool { return s.Source == source }) {
				s := SourceRun{Source: source, Status: SourceOK}
				if !lr.manifest {
					s.Status, s.Error = SourceFailed, incompleteLine(id)
				}
				lr.run.Sources = append(lr.run.Sources, s)
			}
		}
	}
	out := make([]lakeRun, 0, len(runs))
	for _, id := range slices.Sorted(maps.Keys(runs)) {
		out = append(out, *runs[id])
	}
	return out, nil
}

// incompleteLine is the error of each source of a run that has no manifest:
// its ingest never finished (the process died, or the lake refused the
// manifest), so its pages may be a part of what the source lists. Such a
// source is failed: its postings are loaded as received, but the run never
// decides what is open or gone (see the view source_latest_runs).
func incompleteLine(runID string) string {
	return "incomplete: run " + runID + " has no manifest in the lake (its ingest did not finish): " +
		"its pages are loaded, but it decides nothing about what is open or gone"
}

// readManifest reads the run recorded at key, whose id must be id.
func readManifest(ctx context.Context, lake ingest.Lake, key, id string) (Run, error) {
	body, _, err := lake.Get(ctx, key)
	if err != nil {
		return Run{}, err
	}
	var run Run
	if err := json.Unmarshal(body, &run); err != nil {
		return Run{}, fmt.Errorf("decode %s: %w", key, err)
	}
	switch {
	case run.ID != id:
		return Run{}, fmt.Errorf("%s: manifest of run %q", key, run.ID)
	case run.StartedAt.IsZero():
		return Run{}, errors.New("no started_at")
	}
	return run, nil
}

// parseRawKey splits raw/source=<s>/date=<d>/run=<id>/<name>: a key that
// [ingest.RawKey] makes, and no other (no empty, "." or ".." segment).
func parseRawKey(key string) (source string, date time.Time, runID string, ok bool) {
	parts := strings.Split(key, "/")
	if len(parts) != 5 || parts[0] != "raw" || ingest.ValidateKey(key) != nil {
		return "", time.Time{}, "", false
	}
	source, ok1 := strings.CutPrefix(parts[1], "source=")
	d, ok2 := strings.CutPrefix(parts[2], "date=")
	runID, ok3 := strings.CutPrefix(parts[3], "run=")
	date, err := time.Parse(time.DateOnly, d)
	if !ok1 || !ok2 || !ok3 || err != nil || source == "" || runID == "" {
		return "", time.Time{}, "", false
	}
	return source, date, runID, true
}

// derivedStart returns the start of a run that has no manifest: the time in
// its id (see [NewRunID]) when it falls on date, else the start of date.
func derivedStart(id string, date time.Time) time.Time {
	stamp, _, _ := strings.Cut(id, "-")
	t, err := time.Parse("20060102T150405Z", stamp)
	if err == nil && t.UTC().Format(time.DateOnly) == date.Format(time.DateOnly) {
		return t.UTC()
	}
	return date.UTC()
}
