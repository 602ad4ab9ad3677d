package main

import (
	"github.com/spf13/cobra"

	"github.com/jobpulse/jobpulse/warehouse"
)

func newIngestCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "ingest",
		Short: "Fetch every enabled source into the lake and load the postings into the warehouse",
		Long: `ingest fetches every enabled source, writes each raw response to the lake before parsing
it (raw/source=<name>/date=<YYYY-MM-DD>/run=<run-id>/), and loads the parsed postings into
the warehouse in one transaction, after applying any pending migrations.

A source that fails does not stop the others: the run is then "partial", and the failure is
recorded in the warehouse. ingest fails only when every source failed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return a.withWarehouse(ctx, a.cfg.Warehouse, func(wh *warehouse.Warehouse) error {
				_, err := a.collect(ctx, cmd.OutOrStdout(), wh, a.cfg.LakeURL, a.sources(), false)
				return err
			})
		},
	}
}
