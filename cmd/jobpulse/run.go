package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/warehouse"
)

func newRunCommand(a *app) *cobra.Command {
	var (
		out     outputFlags
		sources []string
		wait    time.Duration
		night   string
	)
	cmd := &cobra.Command{
		Annotations: reads("lake.", "warehouse.", "sources.", "fetch.", "site.", "publish.", "log."),
		Use:         "run",
		Short:       "The nightly job: ingest, build and publish in turn",
		Long: `run does ingest, build and publish in turn, holding the run lock in the warehouse (an
advisory lock) from before the ingest until after the publish, so two runs never overlap.

When another run holds the lock, run refuses at once, naming the holder (its
application_name "jobpulse run <host> pid <pid>" and when it connected), and changes
nothing: no lake write, no load, no build, no publish. --wait DURATION waits up to that long
for the lock instead. A run whose process dies frees the lock with its database session.
Its publish takes the target's own lock as publish does, and --wait bounds that wait too.

A source that fails does not stop the run (the run is then "partial" and the summary says
which source failed and why); a run fails only when every source failed. A failed build
stops it before anything is published, and the run exits non-zero.

run --night DATE loads the night fetched in shards (ingest --shard i/n --night DATE) instead
of ingesting, as load --night does, then builds and publishes: the last job of a night
fetched on several machines.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			var rep report
			srcs, err := a.selectSources(sources)
			if err == nil && wait < 0 {
				err = fmt.Errorf("run: --wait %s: must not be negative", wait)
			}
			var day time.Time
			if err == nil && night != "" && len(sources) > 0 {
				err = fmt.Errorf("run: --night loads every source the night's shards fetched: --source does not apply")
			}
			if err == nil && night != "" {
				if day, err = parseNight(night); err != nil {
					err = fmt.Errorf("run: %w", err)
				}
			}
			if err == nil {
				err = a.withRunLock(ctx, "run", a.cfg.Warehouse, wait, func(wh *warehouse.Warehouse, lock *warehouse.RunLock) error {
					if !day.IsZero() {
						return a.runLockedNight(ctx, &rep, wh, lock, day, wait)
					}
					return a.runLocked(ctx, &rep, wh, lock, srcs, wait)
				})
			}
			return rep.write(cmd.OutOrStdout(), out.json, err)
		},
	}
	out.register(cmd)
	cmd.Flags().StringArrayVar(&sources, "source", nil, "collect only this source (repeatable; default: every enabled source)")
	cmd.Flags().DurationVar(&wait, "wait", 0, "wait up to this long for another run to end (default: refuse at once)")
	cmd.Flags().StringVar(&night, "night", "", "load this night's shards (YYYY-MM-DD, see ingest --shard) instead of ingesting")
	return cmd
}

// runLocked is the run itself, under the run lock: ingest, build, publish.
// wait bounds the wait for the publish target's lock, which a publish run
// on its own may hold.
func (a *app) runLocked(ctx context.Context, rep *report, wh *warehouse.Warehouse, lock *warehouse.RunLock, srcs []ingest.Source, wait time.Duration) error {
	if err := a.ingestInto(ctx, rep, wh, a.cfg.Lake.URL, srcs, false); err != nil {
		return err
	}
	return a.buildAndPublish(ctx, rep, wh, lock, wait)
}

// runLockedNight is run --night: the night's shards loaded (see
// [app.loadNight]), then built and published, under the run lock.
func (a *app) runLockedNight(ctx context.Context, rep *report, wh *warehouse.Warehouse, lock *warehouse.RunLock, night time.Time, wait time.Duration) error {
	if err := a.loadNight(ctx, rep, wh, night); err != nil {
		return err
	}
	return a.buildAndPublish(ctx, rep, wh, lock, wait)
}

// buildAndPublish is the end of a run, once its night is loaded.
func (a *app) buildAndPublish(ctx context.Context, rep *report, wh *warehouse.Warehouse, lock *warehouse.RunLock, wait time.Duration) error {
	var err error
	if rep.Build, err = a.build(ctx, wh, a.cfg.Site); err != nil {
		return fmt.Errorf("run: build failed, nothing published: %w", err)
	}
	// A lock whose session was lost (a cut connection) may already be
	// another run's: publishing now could interleave with its publish.
	if err := lock.Check(ctx); err != nil {
		return fmt.Errorf("run: nothing published: %w", err)
	}
	rep.Publish, err = a.publish(ctx, a.cfg.Site.Out, a.cfg.Publish.Target, wait)
	return err
}

// withRunLock is [app.withWarehouse] for run and ingest (command names
// which): it connects to the warehouse, takes the run lock (waiting up to
// wait), and only then applies pending migrations and calls fn, so that a
// refused command changes nothing at all. The lock is released, and the
// warehouse closed, when fn returns.
func (a *app) withRunLock(ctx context.Context, command string, cfg warehouse.Config, wait time.Duration, fn func(*warehouse.Warehouse, *warehouse.RunLock) error) (err error) {
	wh, err := warehouse.Open(ctx, cfg, a.logger)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := wh.Close(ctx); cerr != nil {
			err = errors.Join(err, cerr)
		}
	}()
	name := runLockName(command)
	lock, err := warehouse.AcquireRunLock(ctx, wh.Pool, name, wait)
	if errors.Is(err, warehouse.ErrLocked) {
		return fmt.Errorf("%s: refused, nothing done: %w; try again when it ends, or pass --wait", command, err)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", command, err)
	}
	a.logger.Info("run lock taken", slog.Group("run", "application_name", name, "server_pid", lock.PID()))
	defer func() {
		if rerr := lock.Release(ctx); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}()
	if err := warehouse.Migrate(ctx, wh.Pool); err != nil {
		return err
	}
	return fn(wh, lock)
}

// runLockName names the holder of a lock taken by command: the
// application_name of the run lock's session (run, ingest), and the holder
// written in a publish target's lock (publish, run). It is what a command
// refused because of this one is told. In GitHub Actions it names the
// workflow run too.
func runLockName(command string) string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown-host"
	}
	name := fmt.Sprintf("jobpulse %s %s pid %d", command, host, os.Getpid())
	if id := os.Getenv("GITHUB_RUN_ID"); id != "" {
		name = fmt.Sprintf("jobpulse %s gh %s %s pid %d", command, id, host, os.Getpid())
	}
	return name
}
