package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/jobpulse/jobpulse/warehouse"
)

// outputFlags are the flags of the commands that print a report.
type outputFlags struct {
	json bool
}

func (f *outputFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.json, "json", false, "print the summary as JSON")
}

func newIngestCommand(a *app) *cobra.Command {
	var (
		out     outputFlags
		sources []string
		wait    time.Duration
		shard   shardFlags
	)
	cmd := &cobra.Command{
		Annotations: reads("lake.", "warehouse.", "sources.", "fetch.", "log."),
		Use:         "ingest",
		Short:       "Fetch every enabled source into the lake and load the postings into the warehouse",
		Long: `ingest fetches every enabled source (or those named with --source), writes each raw response
to the lake before parsing it (raw/source=<name>/date=<YYYY-MM-DD>/run=<run-id>/), then loads
the run from the lake into the warehouse in one transaction, exactly as replay would, after
applying any pending migrations.

A source that fails does not stop the others: the run is then "partial", and the failure is
recorded in the warehouse. ingest fails only when every source failed.

ingest holds the run lock in the warehouse while it fetches and loads, as run does, so that an
ingest never overlaps a run or another ingest (two of them would fetch the same sources at
once, outside their pace). When another holds it, ingest refuses at once, naming the holder,
and changes nothing; --wait DURATION waits up to that long instead.

--shard i/n fetches only the i-th of n shards of the sources (a source is in shard
FNV-1a(name) mod n + 1, so adding a board moves no other), for the night --night DATE
(default: today, UTC), into the lake alone: no warehouse, no run lock. Each shard records
itself in the lake (runs/night=DATE/shard=<i>-of-<n>.json); a shard already recorded is
refused before anything is fetched, unless every source of it failed (the runner's network
was down, say): the same command then fetches it again as a new attempt, in a run partition
of its own (runs/night=DATE/shard=<i>-of-<n>/attempt=<k>.json), which the night loads
instead. load --night DATE (or run --night DATE) loads the night once every shard is in.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			var rep report
			srcs, err := a.selectSources(sources)
			if err == nil && wait < 0 {
				err = fmt.Errorf("ingest: --wait %s: must not be negative", wait)
			}
			s, night, sharded, serr := shard.parse(a.clock()())
			if err == nil {
				err = serr
			}
			if err == nil && sharded {
				err = a.ingestShard(ctx, &rep, srcs, s, night)
			} else if err == nil {
				err = a.withRunLock(ctx, "ingest", a.cfg.Warehouse, wait, func(wh *warehouse.Warehouse, _ *warehouse.RunLock) error {
					return a.ingestInto(ctx, &rep, wh, a.cfg.Lake.URL, srcs, false)
				})
			}
			return rep.write(cmd.OutOrStdout(), out.json, err)
		},
	}
	out.register(cmd)
	cmd.Flags().StringArrayVar(&sources, "source", nil, "collect only this source (repeatable; default: every enabled source)")
	cmd.Flags().DurationVar(&wait, "wait", 0, "wait up to this long for a run or ingest that holds the run lock (default: refuse at once)")
	cmd.Flags().StringVar(&shard.shard, "shard", "", "fetch only shard i/n of the sources into the lake, for load --night (e.g. 2/4)")
	cmd.Flags().StringVar(&shard.night, "night", "", "with --shard: the night the shard belongs to (YYYY-MM-DD; default: today, UTC)")
	return cmd
}
