package main

import (
	"github.com/spf13/cobra"

	"github.com/jobpulse/jobpulse/warehouse"
)

func newBuildCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "build",
		Short: "Build the report site from the warehouse into site.out",
		Long: `build runs the SQL queries of every page in the content folder (site.content, default the
embedded report) in one read-only snapshot of the warehouse, renders the pages with the
templates (site.templates, default the embedded ones) and ECharts, and writes the site to
site.out (default ./public). A failing query fails the build; the previous site is kept.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return a.withWarehouse(ctx, a.cfg.Warehouse, func(wh *warehouse.Warehouse) error {
				return a.build(ctx, cmd.OutOrStdout(), wh, a.cfg.Site)
			})
		},
	}
}
