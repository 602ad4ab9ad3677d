package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/jobpulse/jobpulse/ingest"
	companyboards "github.com/jobpulse/jobpulse/ingest/boards"
	"github.com/jobpulse/jobpulse/warehouse"
)

func newReplayCommand(a *app) *cobra.Command {
	var (
		out     outputFlags
		since   string
		sources []string
	)
	cmd := &cobra.Command{
		Annotations: reads("lake.", "warehouse.", "sources.", "log."),
		Use:         "replay",
		Short:       "Rebuild the warehouse from the lake alone, with no network",
		Long: `replay reads the runs kept in the lake (lake.url) and loads each into the warehouse again,
in the order they ran, each in its own transaction: pages are parsed and normalized exactly as
ingest does. Into an empty warehouse it gives the warehouse the ingests gave; into the same
warehouse again it changes nothing. After a parser fix, replay re-reads what was received
without fetching it again. A company board removed from the list since is still read, as
its runs recorded it (its kind, its name and the company's name).

--since DATE (YYYY-MM-DD) replays only the runs started on or after that day; --source NAME
(repeatable) only those sources.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			opts := ingest.ReplayOptions{Sources: sources}
			if since != "" {
				t, err := time.Parse(time.DateOnly, since)
				if err != nil {
					return fmt.Errorf("replay: --since %q: want a date as YYYY-MM-DD", since)
				}
				opts.Since = t
			}
			all := a.allSources()
			parsers := make(map[string]ingest.Source, len(all))
			for name, cs := range all {
				parsers[name] = cs.source
			}
			for _, name := range sources {
				// A company board no longer listed is parsed as its runs
				// recorded it (see unlistedBoard).
				if _, _, board := companyboards.KindOf(name); !board {
					if _, ok := parsers[name]; !ok {
						return fmt.Errorf("replay: --source %q: no such source", name)
					}
				}
			}
			opts.Parser = a.unlistedBoard
			prog := a.newProgress(len(parsers))
			opts.Progress = func(runID, source string, pages, postings int) {
				prog.loaded(runID+" "+source, pages, postings)
			}
			var rep report
			err := a.withWarehouse(ctx, a.cfg.Warehouse, func(wh *warehouse.Warehouse) error {
				lake, err := ingest.OpenLake(ctx, a.cfg.Lake.URL)
				if err != nil {
					return err
				}
				runs, err := ingest.Replay(ctx, lake, parsers, opts, a.logger)
				if err != nil {
					return err
				}
				res, err := warehouse.Replay(ctx, wh.Pool, runs, a.logger)
				for _, r := range res.Runs {
					rep.addRun(r.Run, r.Stats)
				}
				if err != nil {
					return err
				}
				return warehouse.Analyze(ctx, wh.Pool)
			})
			prog.done()
			return rep.write(cmd.OutOrStdout(), out.json, err)
		},
	}
	out.register(cmd)
	cmd.Flags().StringVar(&since, "since", "", "replay only runs started on or after this date (YYYY-MM-DD)")
	cmd.Flags().StringArrayVar(&sources, "source", nil, "replay only this source (repeatable)")
	return cmd
}
