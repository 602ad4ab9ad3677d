package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
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

// sources returns the enabled sources.
func (a *app) sources() []ingest.Source {
	fetcher := ingest.NewFetcher(a.cfg.Fetch, &http.Client{}, a.logger)
	var srcs []ingest.Source
	if a.cfg.Remotive.Enabled {
		srcs = append(srcs, ingest.NewRemotive(a.cfg.Remotive, fetcher))
	}
	return srcs
}

// collect runs one ingest: every source into the lake, then one load into
// the warehouse. It fails only when nothing could be collected or loaded; a
// run in which some sources failed is "partial" and says so.
func (a *app) collect(ctx context.Context, out io.Writer, wh *warehouse.Warehouse, lakeURL string, sources []ingest.Source, sample bool) (warehouse.Run, error) {
	if len(sources) == 0 {
		return warehouse.Run{}, errors.New("ingest: no source is enabled (sources.remotive.enabled)")
	}
	lake, err := ingest.OpenLake(ctx, lakeURL)
	if err != nil {
		return warehouse.Run{}, err
	}
	started := time.Now().UTC()
	run := warehouse.Run{ID: warehouse.NewRunID(started), StartedAt: started, Sample: sample}
	logger := a.logger.With(slog.Group("ingest", "run", run.ID))
	logger.Info("run started", "lake", lake.String(), "sources", len(sources))
	results := ingest.Collect(ctx, lake, sources, run.ID, started, logger)

	var postings []ingest.Posting
	failed := 0
	for _, r := range results {
		sr := warehouse.SourceRun{
			Source:   r.Source,
			Status:   "ok",
			Pages:    len(r.Keys),
			Postings: len(r.Postings),
			Rejected: len(r.Rejects),
			LakeKeys: r.Keys,
		}
		if r.Err != nil {
			sr.Status, sr.Error = "failed", oneLine(r.Err.Error())
			failed++
		}
		for i, rej := range r.Rejects {
			if i == 20 {
				logger.Warn("more records rejected", "source", r.Source, "count", len(r.Rejects)-i)
				break
			}
			logger.Warn("record rejected", "source", r.Source, "reject", rej.String())
		}
		run.Sources = append(run.Sources, sr)
		postings = append(postings, r.Postings...)
	}
	switch failed {
	case 0:
		run.Status = "ok"
	case len(results):
		run.Status = "failed"
	default:
		run.Status = "partial"
	}
	run.FinishedAt = time.Now().UTC()
	stats, err := warehouse.Load(ctx, wh.Pool, run, postings)
	if err != nil {
		return run, fmt.Errorf("ingest: run %s: %w (its raw pages are in %s: rerun or replay)", run.ID, err, lake)
	}
	fmt.Fprintf(out, "run %s: %s\n", run.ID, run.Status)
	for _, s := range run.Sources {
		fmt.Fprintf(out, "  %-10s %-6s %3d pages %6d postings %4d rejected", s.Source, s.Status, s.Pages, s.Postings, s.Rejected)
		if s.Error != "" {
			fmt.Fprintf(out, "  %s", s.Error)
		}
		fmt.Fprintln(out)
	}
	fmt.Fprintf(out, "  loaded: %d new, %d updated, %d unchanged, %d sightings\n", stats.Inserted, stats.Updated, stats.Unchanged, stats.Sightings)
	if run.Status == "failed" {
		return run, fmt.Errorf("ingest: run %s: every source failed (first: %s)", run.ID, run.Sources[0].Error)
	}
	return run, nil
}

// build builds the site from the warehouse.
func (a *app) build(ctx context.Context, out io.Writer, wh *warehouse.Warehouse, cfg site.BuildConfig) error {
	res, err := site.Build(ctx, wh.Pool, cfg, a.logger)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "built %d pages from %d queries into %s in %s\n", res.Pages, res.Queries, cfg.Out, res.Duration.Round(time.Millisecond))
	return nil
}

// publish copies the built site in dir to target.
func (a *app) publish(ctx context.Context, out io.Writer, dir, target string) error {
	if target == "" {
		fmt.Fprintf(out, "publish: no publish.target set; the site stays in %s\n", dir)
		return nil
	}
	cfg := site.PublishConfig{Source: dir, Target: target}
	if err := cfg.Validate(); err != nil {
		return err
	}
	res, err := site.Publish(ctx, cfg, a.logger)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "published %s to %s: %d uploaded (%d bytes), %d unchanged, %d deleted\n",
		dir, target, res.Uploaded, res.Bytes, res.Unchanged, res.Deleted)
	return nil
}
