package main

import (
	"github.com/spf13/cobra"
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
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			ctx := cmd.Context()
			wh, err := a.openWarehouse(ctx, a.cfg.Warehouse)
			if err != nil {
				return err
			}
			defer func() { err = joinClose(err, wh.Close(ctx)) }()
			return a.build(ctx, cmd.OutOrStdout(), wh, a.cfg.Site)
		},
	}
}
