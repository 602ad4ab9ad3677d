package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/warehouse"
)

// shardFlags are ingest's flags for fetching one shard of a night.
type shardFlags struct {
	shard string // "i/n"; empty: not sharded
	night string // YYYY-MM-DD; empty: today (UTC) by the app's clock
}

// parse returns the shard and its night; ok is false when not sharded.
func (f shardFlags) parse(now time.Time) (s ingest.Shard, night time.Time, ok bool, err error) {
	if f.shard == "" {
		if f.night != "" {
			return s, night, false, fmt.Errorf("ingest: --night %s: only with --shard (load --night loads a night)", f.night)
		}
		return s, night, false, nil
	}
	if s, err = ingest.ParseShard(f.shard); err != nil {
		return s, night, false, fmt.Errorf("ingest: --shard: %w", err)
	}
	night = now.UTC().Truncate(24 * time.Hour)
	if f.night != "" {
		if night, err = parseNight(f.night); err != nil {
			return s, night, false, fmt.Errorf("ingest: %w", err)
		}
	}
	return s, night, true, nil
}

// parseNight parses the --night flag's date.
func parseNight(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--night %q: want a date as YYYY-MM-DD", s)
	}
	return t, nil
}

// shardReport is what ingest --shard did: its run is in the lake, not in
// the warehouse, until the night is loaded.
type shardReport struct {
	Night   string `json:"night"`
	Shard   string `json:"shard"`   // i/n
	Attempt int    `json:"attempt"` // 1, or more when the shard is fetched again
	Key     string `json:"key"`     // the attempt's manifest in the lake
}

// ingestShard fetches the sources of list in shard s into the lake, for
// night, and records the shard there (see [ingest.WriteShard]). It needs no
// warehouse: shards run on machines that share the lake only, and the
// night is loaded once all are in (load --night). A shard already recorded
// is refused before anything is fetched, unless every source of its newest
// attempt failed: it is then fetched again as the next attempt (see
// [ingest.NextAttempt]), which the night loads instead. It fails when the
// shard had sources and every one failed, after recording it: the night
// then loads without them, saying why, until the job is run again.
func (a *app) ingestShard(ctx context.Context, rep *report, list []ingest.Source, s ingest.Shard, night time.Time) error {
	lake, err := ingest.OpenLake(ctx, a.cfg.Lake.URL)
	if err != nil {
		return err
	}
	attempt, err := ingest.NextAttempt(ctx, lake, night, s)
	if err != nil {
		return err
	}
	date := night.Format(time.DateOnly)
	mine := s.Select(list)
	now := a.clock()
	started := now().UTC()
	run := warehouse.Run{ID: ingest.ShardRunID(started, s), StartedAt: started}
	logger := a.logger.With(slog.Group("ingest", "run", run.ID, "shard", s.String(), "night", date, "attempt", attempt))
	if attempt > 1 {
		logger.Warn("shard fetched again: every source of its previous attempt failed", "previous", attempt-1)
	}
	logger.Info("shard started", "lake", lake.String(), "sources", len(mine), "of", len(list))
	prog := a.newProgress(len(mine))
	prog.list(mine)
	fetched := ingest.FetchWith(ctx, lake, mine, run.ID, started,
		ingest.FetchOptions{Concurrency: a.cfg.Fetch.Concurrency, Progress: prog.fetched, Done: prog.sourceDone}, logger)
	prog.done()
	failed := 0
	for i, r := range fetched {
		sr := sourceRun(r, mine[i])
		if sr.Status == warehouse.SourceFailed {
			failed++
		}
		run.Sources = append(run.Sources, sr)
	}
	run.FinishedAt = now().UTC()
	run.Status = warehouse.RunOK
	switch {
	case failed > 0 && failed == len(mine):
		run.Status = warehouse.RunFailed
	case failed > 0:
		run.Status = warehouse.RunPartial
	}
	rec := ingest.ShardRecord{Night: date, Shard: s.I, Of: s.N, Attempt: attempt, List: ingest.ListOf(list), Run: run}
	rep.addRun(run, warehouse.LoadStats{})
	if err := ingest.WriteShard(ctx, lake, rec); err != nil {
		return err
	}
	rep.Shard = &shardReport{Night: date, Shard: s.String(), Attempt: attempt, Key: ingest.ShardKey(night, s, attempt)}
	if run.Status == warehouse.RunFailed {
		return fmt.Errorf("ingest: shard %s of night %s, attempt %d: every source failed (first: %s); the shard is recorded, "+
			"and the night loads without it until this shard is fetched again (the same command: attempt %d)",
			s, date, attempt, run.Sources[0].Error, attempt+1)
	}
	return nil
}

// loadNight loads the night fetched in shards into the warehouse, in one
// transaction, once every shard is in the lake (see [ingest.MergeNight]),
// and records the night's run in rep. Before the load it writes the
// night's run manifest (runs/run=<id>.json, or, once a shard was fetched
// again, runs/run=<id>/retries=<k>.json: see [ingest.NightRun.ManifestKey]),
// so that a replay restores the night as one run, loaded as often as it
// was; loading a night again finds it written and loads the same run
// again, which changes nothing. Loaded again after a shard whose every
// source failed was fetched again, the night is the same run (the same id)
// with that shard's newest attempt: the load updates it.
func (a *app) loadNight(ctx context.Context, rep *report, wh *warehouse.Warehouse, night time.Time) error {
	lake, err := ingest.OpenLake(ctx, a.cfg.Lake.URL)
	if err != nil {
		return err
	}
	merged, err := ingest.MergeNight(ctx, lake, night)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	run := merged.Run
	logger := a.logger.With(slog.Group("load", "run", run.ID, "night", night.Format(time.DateOnly), "retries", merged.Retries))
	if err := ingest.WriteNightManifest(ctx, lake, merged); errors.Is(err, ingest.ErrExist) {
		logger.Info("night already recorded: loading it again changes nothing")
	} else if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	all := a.allSources()
	parsers := make(map[string]ingest.Source, len(all))
	for name, cs := range all {
		parsers[name] = cs.source
	}
	prog := a.newProgress(len(run.Sources))
	parsers = a.parsersOf(run, parsers) // a board unlisted since its shard fetched it
	run, stats, err := warehouse.LoadStream(ctx, wh.Pool, ingest.ReadRun(lake, parsers, run, prog.loaded))
	prog.done()
	if err != nil {
		run.Status = warehouse.RunFailed
		rep.addRun(run, stats)
		return fmt.Errorf("load: night run %s: %w (its shards are in %s: load again)", run.ID, err, lake)
	}
	rep.addRun(run, stats)
	if run.Status == warehouse.RunFailed {
		return fmt.Errorf("load: night run %s: every source failed", run.ID)
	}
	if err := warehouse.Analyze(ctx, wh.Pool); err != nil {
		logger.Warn("statistics not refreshed", "err", err)
	}
	return nil
}
