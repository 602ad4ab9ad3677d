package main

import (
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
	)
	cmd := &cobra.Command{
		Use:   "ingest",
		Short: "Fetch every enabled source into the lake and load the postings into the warehouse",
		Long: `ingest fetches every enabled source (or those named with --source), writes each raw response
to the lake before parsing it (raw/source=<name>/date=<YYYY-MM-DD>/run=<run-id>/), then loads
the run from the lake into the warehouse in one transaction, exactly as replay would, after
applying any pending migrations.

A source that fails does not stop the others: the run is then "partial", and the failure is
recorded in the warehouse. ingest fails only when every source failed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			var rep report
			srcs, err := a.selectSources(sources)
			if err == nil {
				err = a.withWarehouse(ctx, a.cfg.Warehouse, func(wh *warehouse.Warehouse) error {
					return a.ingestInto(ctx, &rep, wh, a.cfg.LakeURL, srcs, false)
				})
			}
			return rep.write(cmd.OutOrStdout(), out.json, err)
		},
	}
	out.register(cmd)
	cmd.Flags().StringArrayVar(&sources, "source", nil, "collect only this source (repeatable; default: every enabled source)")
	return cmd
}
