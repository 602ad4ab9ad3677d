package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/jobpulse/jobpulse/warehouse"
)

func newLoadCommand(a *app) *cobra.Command {
	var (
		out   outputFlags
		night string
		wait  time.Duration
	)
	cmd := &cobra.Command{
		Annotations: reads("lake.", "warehouse.", "sources.", "log."),
		Use:         "load --night DATE",
		Short:       "Load a night fetched in shards (ingest --shard) into the warehouse, once all are in",
		Long: `load --night DATE loads the night that ingest --shard i/n --night DATE fetched into the lake
in n shards, on as many machines: it checks that every shard of that night is in the lake
(runs/night=DATE/shard=<i>-of-<n>.json), merges them into one run and loads it in one
transaction, as ingest loads its own run, with every source of every shard (of its newest
attempt, when a shard whose every source failed was fetched again). While a shard is
missing it refuses, naming the missing shards, and changes nothing.

Before loading it writes the night's run manifest (runs/run=<id>.json; after a shard was
fetched again, runs/run=<id>/retries=<k>.json), from which replay restores the night as one
run. Loading the same night again loads the same run, which changes nothing; loading it
after a shard was fetched again loads the same run (the same id) with that shard's new
attempt, which updates it. load holds the run lock as ingest and run do (--wait as theirs).
run --night DATE does the same load, then builds and publishes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			var rep report
			var err error
			var day time.Time
			switch {
			case night == "":
				err = fmt.Errorf("load: --night DATE is required (YYYY-MM-DD, the night ingest --shard fetched)")
			case wait < 0:
				err = fmt.Errorf("load: --wait %s: must not be negative", wait)
			default:
				if day, err = parseNight(night); err != nil {
					err = fmt.Errorf("load: %w", err)
				}
			}
			if err == nil {
				err = a.withRunLock(ctx, "load", a.cfg.Warehouse, wait, func(wh *warehouse.Warehouse, _ *warehouse.RunLock) error {
					return a.loadNight(ctx, &rep, wh, day)
				})
			}
			return rep.write(cmd.OutOrStdout(), out.json, err)
		},
	}
	out.register(cmd)
	cmd.Flags().StringVar(&night, "night", "", "the night to load (YYYY-MM-DD), as ingest --shard --night fetched it")
	cmd.Flags().DurationVar(&wait, "wait", 0, "wait up to this long for a run or ingest that holds the run lock (default: refuse at once)")
	return cmd
}
