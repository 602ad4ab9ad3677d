package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/jobpulse/jobpulse/warehouse"
)

func newMigrateCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Annotations: reads("warehouse.", "log."),
		Use:         "migrate",
		Short:       "Apply the warehouse schema migrations embedded in jobpulse",
		Long: `migrate applies the SQL migrations embedded in this binary that the warehouse has not
seen yet, each in its own transaction. ingest, build and run apply them too.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withWarehouse(cmd.Context(), a.cfg.Warehouse, func(*warehouse.Warehouse) error {
				fmt.Fprintln(cmd.OutOrStdout(), "warehouse schema is up to date")
				return nil
			})
		},
	}
}
