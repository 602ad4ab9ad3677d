package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// ReplayOptions selects what [Replay] reads back.
type ReplayOptions struct {
	Since   time.Time // only runs started at or after Since; zero: every run
	Sources []string  // only these sources; empty: every source a run has
	// Progress, if not nil, is told of each page parsed (see [ReadRun]).
	Progress func(runID, source string, pages, postings int)
	// Parser, if not nil, gives the parser of a run's source that the
	// sources given to [Replay] lack (a company board no longer listed),
	// from what the run recorded of it; nil when it has none.
	Parser func(run string, source jobdata.SourceRun) Source
}

// Replay finds the runs the lake holds and returns a [RunReader] for each, in
// run-id order: loading each in turn into an empty warehouse gives the tables
// the original ingests gave, and loading them again changes nothing. Nothing
// is read from a run before its postings are ranged over.
//
// A run is restored from its manifest (runs/run=<id>.json: the JSON of the
// [jobdata.Run] its ingest recorded after fetching, see [WriteManifest]); a
// run with raw pages and no manifest is derived from the pages' keys (its
// start from its id, its sources from the partitions). Such a run is
// incomplete (its ingest never reached the end, where the manifest is
// written), so each of its sources is failed, saying so: its postings are
// loaded, but it never decides what is open or gone.
//
// A night fetched in shards is one run, restored from the manifest that
// loading it wrote (see [MergeNight]); a night loaded again after a shard
// was fetched again is that run once per load (see
// [NightRun.ManifestKey]), the earlier loads first, as the warehouse loaded
// them. The pages of a shard whose night was never loaded are left out,
// with a warning, as the warehouse never had them, and so are those of an
// attempt fetched again before any load took it.
//
// With opts.Sources, only those sources are parsed: runs without any of them
// are left out, and a run's other sources keep what its manifest says. A
// source that sources lacks (no parser configured) is parsed by what
// opts.Parser gives for it, from what the run recorded (a company board
// removed from the list since, say); when it gives none, the source is not
// read, and a warning says so.
func Replay(ctx context.Context, lake Lake, sources map[string]Source, opts ReplayOptions,
	logger *slog.Logger) ([]*RunReader, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger = logger.WithGroup("replay")
	runs, err := findRuns(ctx, lake, opts.Sources, logger)
	if err != nil {
		return nil, err
	}
	selected := sources
	if len(opts.Sources) > 0 {
		selected = map[string]Source{}
		for _, name := range opts.Sources {
			if src, ok := sources[name]; ok {
				selected[name] = src
			}
		}
	}
	var out []*RunReader
	warned := map[string]bool{}
	for _, lr := range runs {
		if lr.run.StartedAt.Before(opts.Since) {
			continue
		}
		if len(opts.Sources) > 0 && !slices.ContainsFunc(lr.run.Sources, func(s jobdata.SourceRun) bool {
			return slices.Contains(opts.Sources, s.Source)
		}) {
			continue
		}
		parsers, cloned := selected, false
		for _, s := range lr.run.Sources {
			if _, ok := sources[s.Source]; ok || (len(opts.Sources) > 0 && !slices.Contains(opts.Sources, s.Source)) {
				continue
			}
			if opts.Parser != nil {
				if src := opts.Parser(lr.run.ID, s); src != nil && src.Name() == s.Source {
					if !cloned {
						parsers, cloned = make(map[string]Source, len(selected)+1), true
						maps.Copy(parsers, selected)
					}
					parsers[s.Source] = src
					continue
				}
			}
			if !warned[s.Source] {
				warned[s.Source] = true
				logger.Warn("no parser for source: its pages are not loaded", "source", s.Source, "run", lr.run.ID)
			}
		}
		var progress func(string, int, int)
		if opts.Progress != nil {
			id := lr.run.ID
			progress = func(source string, pages, postings int) { opts.Progress(id, source, pages, postings) }
		}
		r := ReadRun(lake, parsers, lr.run, progress)
		r.manifest = lr.manifest
		out = append(out, r)
	}
	return out, nil
}

// WriteManifest writes the run's record to the lake as JSON, at
// [ManifestKey]: what [Replay] restores the run from. An ingest writes it
// after fetching and before loading, so that a replay can restore the run
// (and its fetch errors) even if the load never happens.
func WriteManifest(ctx context.Context, lake Lake, run jobdata.Run) error {
	body, err := json.MarshalIndent(run, "", "  ")
	if err != nil {
		return fmt.Errorf("ingest: manifest of run %s: %w", run.ID, err)
	}
	key := ManifestKey(run.ID)
	meta := Meta{Source: "jobpulse", FetchedAt: run.FinishedAt, Status: 200, ContentType: "application/json"}
	if err := lake.Put(ctx, key, body, meta); err != nil {
		return fmt.Errorf("ingest: manifest of run %s: %w", run.ID, err)
	}
	return nil
}

// lakeRun is a run found in the lake.
type lakeRun struct {
	run      jobdata.Run
	manifest bool
	// earlier are the manifests of the loads of a night fetched in shards
	// before the newest one (see [NightRun.ManifestKey]), in the order they
	// were written: a replay loads them first, as the warehouse did.
	earlier []jobdata.Run
}

// manifestID returns the run id of a manifest key (see [ManifestKey] and
// [NightRun.ManifestKey]) and the retries of a night's load it names.
func manifestID(key string) (id string, retries int, ok bool) {
	id, ok = strings.CutPrefix(key, "runs/run=")
	if id, ok = strings.CutSuffix(id, ".json"); !ok {
		return "", 0, false
	}
	id, k, night := strings.Cut(id, "/retries=")
	if night {
		n, err := strconv.Atoi(k)
		if err != nil || n < 1 || key != (NightRun{Run: jobdata.Run{ID: id}, Retries: n}).ManifestKey() {
			return "", 0, false
		}
		retries = n
	}
	if id == "" || strings.Contains(id, "/") {
		return "", 0, false
	}
	return id, retries, true
}

// findRuns returns the runs of the lake in run-id order: those with a
// manifest, and those with raw pages of the given sources (all when empty).
// A night loaded again after a shard was fetched again is returned once per
// load, the earlier loads first.
func findRuns(ctx context.Context, lake Lake, only []string, logger *slog.Logger) ([]lakeRun, error) {
	runs := map[string]*lakeRun{}
	manifests, err := lake.List(ctx, "runs/")
	if err != nil {
		return nil, fmt.Errorf("ingest: replay: list runs/ of %s: %w", lake, err)
	}
	shards := map[string]ShardRecord{} // by the run id of the attempt
	newestAttempt := map[string]int{}  // by "night i/n"
	type revision struct {
		retries int
		run     jobdata.Run
	}
	revisions := map[string][]revision{} // of nights' loads, by run id
	for _, key := range manifests {
		if strings.HasPrefix(key, "runs/night=") && path.Ext(key) == ".json" {
			if rec, err := readShard(ctx, lake, key); err == nil {
				shards[rec.Run.ID] = rec
				at := fmt.Sprintf("%s %d/%d", rec.Night, rec.Shard, rec.Of)
				newestAttempt[at] = max(newestAttempt[at], rec.Attempt)
			} else {
				logger.Error("unreadable shard manifest", "key", key, "err", err)
			}
			continue
		}
		id, retries, ok := manifestID(key)
		if !ok {
			continue
		}
		run, err := readManifest(ctx, lake, key, id)
		if err != nil {
			// The raw pages are what matter: derive the run from them.
			logger.Error("unreadable run manifest: deriving the run from its raw pages", "key", key, "err", err)
			continue
		}
		revisions[id] = append(revisions[id], revision{retries, run})
	}
	for id, revs := range revisions {
		slices.SortFunc(revs, func(a, b revision) int { return a.retries - b.retries })
		lr := &lakeRun{run: revs[len(revs)-1].run, manifest: true}
		for _, r := range revs[:len(revs)-1] {
			lr.earlier = append(lr.earlier, r.run)
		}
		runs[id] = lr
	}
	// The pages of a night fetched in shards are in the shards' partitions,
	// which the night's run names: they are that run's, not runs of their own.
	claimed := map[string]bool{}
	for _, lr := range runs {
		for _, run := range append([]jobdata.Run{lr.run}, lr.earlier...) {
			for _, s := range run.Sources {
				if s.Partition != "" {
					claimed[s.Partition] = true
				}
			}
		}
	}
	unloaded := map[string]bool{}
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
			return nil, fmt.Errorf("ingest: replay: list %s of %s: %w", prefix, lake, err)
		}
		for _, key := range keys {
			source, date, id, ok := parseRawKey(key)
			if !ok || claimed[path.Dir(key)+"/"] {
				continue
			}
			if rec, ok := shards[id]; ok {
				// Loaded only with the whole night (jobpulse load --night),
				// which did not load this attempt: the warehouse never had
				// it either.
				if !unloaded[id] {
					unloaded[id] = true
					shard := fmt.Sprintf("shard %d/%d of night %s, attempt %d", rec.Shard, rec.Of, rec.Night, rec.Attempt)
					if rec.Attempt < newestAttempt[fmt.Sprintf("%s %d/%d", rec.Night, rec.Shard, rec.Of)] {
						logger.Info("pages of a shard attempt fetched again before its night was loaded: not replayed",
							"shard", shard, "run", id)
					} else {
						logger.Warn("pages of a shard whose night was not loaded: not replayed (jobpulse load --night loads them)",
							"shard", shard, "run", id)
					}
				}
				continue
			}
			lr := runs[id]
			if lr == nil {
				lr = &lakeRun{run: jobdata.Run{ID: id, StartedAt: derivedStart(id, date), Status: jobdata.RunRunning}}
				runs[id] = lr
			}
			if !slices.ContainsFunc(lr.run.Sources, func(s jobdata.SourceRun) bool { return s.Source == source }) {
				s := jobdata.SourceRun{Source: source, Status: jobdata.SourceOK}
				if !lr.manifest {
					s.Status, s.Error = jobdata.SourceFailed, incompleteLine(id)
				}
				lr.run.Sources = append(lr.run.Sources, s)
			}
		}
	}
	out := make([]lakeRun, 0, len(runs))
	for _, id := range slices.Sorted(maps.Keys(runs)) {
		for _, run := range runs[id].earlier {
			out = append(out, lakeRun{run: run, manifest: true})
		}
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
func readManifest(ctx context.Context, lake Lake, key, id string) (jobdata.Run, error) {
	body, _, err := lake.Get(ctx, key)
	if err != nil {
		return jobdata.Run{}, err
	}
	var run jobdata.Run
	if err := json.Unmarshal(body, &run); err != nil {
		return jobdata.Run{}, fmt.Errorf("decode %s: %w", key, err)
	}
	switch {
	case run.ID != id:
		return jobdata.Run{}, fmt.Errorf("%s: manifest of run %q", key, run.ID)
	case run.StartedAt.IsZero():
		return jobdata.Run{}, errors.New("no started_at")
	}
	return run, nil
}

// parseRawKey splits raw/source=<s>/date=<d>/run=<id>/<name>: a key that
// [RawKey] makes, and no other (no empty, "." or ".." segment).
func parseRawKey(key string) (source string, date time.Time, runID string, ok bool) {
	parts := strings.Split(key, "/")
	if len(parts) != 5 || parts[0] != "raw" || ValidateKey(key) != nil {
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
// its id (see [jobdata.NewRunID]) when it falls on date, else the start of date.
func derivedStart(id string, date time.Time) time.Time {
	stamp, _, _ := strings.Cut(id, "-")
	t, err := time.Parse("20060102T150405Z", stamp)
	if err == nil && t.UTC().Format(time.DateOnly) == date.Format(time.DateOnly) {
		return t.UTC()
	}
	return date.UTC()
}
