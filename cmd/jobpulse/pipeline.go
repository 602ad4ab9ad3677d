package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/site"
	"github.com/jobpulse/jobpulse/warehouse"
)

// withWarehouse connects to the warehouse (starting the managed server when
// none is configured), applies pending migrations, calls fn, and closes the
// warehouse again (stopping a server it started).
func (a *app) withWarehouse(ctx context.Context, cfg warehouse.Config, fn func(*warehouse.Warehouse) error) (err error) {
	wh, err := warehouse.Open(ctx, cfg, a.logger)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := wh.Close(ctx); cerr != nil {
			if err == nil {
				err = cerr
			} else {
				err = fmt.Errorf("%w (and on close: %v)", err, cerr)
			}
		}
	}()
	if err := warehouse.Migrate(ctx, wh.Pool); err != nil {
		return err
	}
	return fn(wh)
}

// collect runs one ingest: every source into the lake, then the run is loaded
// from the lake in one transaction, exactly as a replay would load it. It
// fails only when nothing could be collected or loaded; a run in which some
// sources failed is "partial" and says so.
//
// now is the clock of the run's start and finish times, which also date its
// lake keys (see [ingest.RawKey]) and the sightings of its postings: the
// real clock, except in the demo, which simulates past nights.
func (a *app) collect(ctx context.Context, wh *warehouse.Warehouse, lakeURL string, sources []ingest.Source, sample bool, now func() time.Time) (warehouse.Run, warehouse.LoadStats, error) {
	if len(sources) == 0 {
		return warehouse.Run{}, warehouse.LoadStats{}, errors.New("ingest: no source is enabled")
	}
	lake, err := ingest.OpenLake(ctx, lakeURL)
	if err != nil {
		return warehouse.Run{}, warehouse.LoadStats{}, err
	}
	started := now().UTC()
	run := warehouse.Run{ID: warehouse.NewRunID(started), StartedAt: started, Sample: sample}
	logger := a.logger.With(slog.Group("ingest", "run", run.ID))
	logger.Info("run started", "lake", lake.String(), "sources", len(sources))
	prog := a.newProgress(len(sources))
	prog.list(sources)
	fetched := ingest.FetchWith(ctx, lake, sources, run.ID, started,
		ingest.FetchOptions{Concurrency: a.cfg.Fetch.Concurrency, Progress: prog.fetched, Done: prog.sourceDone}, logger)
	bySource := make(map[string]ingest.Source, len(sources))
	for i, r := range fetched {
		bySource[r.Source] = sources[i]
		run.Sources = append(run.Sources, sourceRun(r, sources[i]))
	}
	run.FinishedAt = now().UTC()
	// The manifest goes to the lake before the load, so that a replay can
	// restore the run (and its fetch errors) even if the load never happens.
	if err := ingest.WriteManifest(ctx, lake, run); err != nil {
		return run, warehouse.LoadStats{}, err
	}
	run, stats, err := warehouse.LoadStream(ctx, wh.Pool, ingest.ReadRun(lake, bySource, run, prog.loaded))
	prog.done()
	if err != nil {
		// The summary says the run failed: nothing of it was loaded.
		run.Status = warehouse.RunFailed
		return run, stats, fmt.Errorf("ingest: run %s: %w (its raw pages are in %s: rerun or replay)", run.ID, err, lake)
	}
	if run.Status == warehouse.RunFailed {
		return run, stats, fmt.Errorf("ingest: run %s: every source failed (first: %s)", run.ID, run.Sources[0].Error)
	}
	if err := warehouse.Analyze(ctx, wh.Pool); err != nil {
		// The run is loaded; only the report's query plans may suffer.
		logger.Warn("statistics not refreshed", "err", err)
	}
	return run, stats, nil
}

// ingestInto runs one ingest now (by [app.clock]) with [app.collect] and
// records its run in rep whenever the run began, loaded or not.
func (a *app) ingestInto(ctx context.Context, rep *report, wh *warehouse.Warehouse, lakeURL string, sources []ingest.Source, sample bool) error {
	return a.ingestAt(ctx, rep, wh, lakeURL, sources, sample, a.clock())
}

// ingestAt is [app.ingestInto] with the clock now for the run's times.
func (a *app) ingestAt(ctx context.Context, rep *report, wh *warehouse.Warehouse, lakeURL string, sources []ingest.Source, sample bool, now func() time.Time) error {
	run, stats, err := a.collect(ctx, wh, lakeURL, sources, sample, now)
	if run.ID != "" {
		rep.addRun(run, stats)
	}
	return err
}

// build builds the site from the warehouse.
func (a *app) build(ctx context.Context, wh *warehouse.Warehouse, cfg site.BuildConfig) (*site.BuildResult, error) {
	res, err := site.Build(ctx, wh.Pool, cfg, a.logger)
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// publish copies the built site in dir to target with the publish.*
// configuration, as a run: it names the run in the target's lock and waits
// up to wait for it. With no target it does nothing and says so.
func (a *app) publish(ctx context.Context, dir, target string, wait time.Duration) (*publishReport, error) {
	cfg := a.cfg.Publish
	cfg.Source, cfg.Target, cfg.Wait, cfg.Holder = dir, target, wait, runLockName("run")
	return a.publishWith(ctx, cfg)
}

// sourceRun returns what the fetch r of src did, as its run records it: ok,
// gone (a company board that answered 404: no failure) or failed, and the
// board it read, if any, so that a replay parses its pages when the board
// has left the list since.
func sourceRun(r ingest.FetchResult, src ingest.Source) warehouse.SourceRun {
	sr := warehouse.SourceRun{Source: r.Source, Status: warehouse.SourceOK, Pages: len(r.Keys), LakeKeys: r.Keys,
		Board: ingest.BoardRefOf(src)}
	switch {
	case errors.Is(r.Err, ingest.ErrGone):
		sr.Status, sr.Error = warehouse.SourceGone, oneLine(r.Err.Error())
	case r.Err != nil:
		sr.Status, sr.Error = warehouse.SourceFailed, oneLine(r.Err.Error())
	}
	return sr
}
