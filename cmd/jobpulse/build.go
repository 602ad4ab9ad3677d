package main

import (
	"github.com/spf13/cobra"

	"github.com/jobpulse/jobpulse/warehouse"
)

func newBuildCommand(a *app) *cobra.Command {
	var out outputFlags
	cmd := &cobra.Command{
		Annotations: reads("warehouse.", "site.", "log."),
		Use:         "build",
		Short:       "Build the report site from the warehouse into site.out",
		Long: `build runs the SQL queries of every page in the content folder (site.content, default the
embedded report) in one read-only snapshot of the warehouse, renders the pages with the
templates (site.templates, default the embedded ones) and ECharts, and writes the site to
site.out (default ./public). A failing query fails the build; the previous site is kept.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if err := a.cfg.Site.CheckECharts(); err != nil {
				return err
			}
			var rep report
			err := a.withWarehouse(ctx, a.cfg.Warehouse, func(wh *warehouse.Warehouse) (err error) {
				rep.Build, err = a.build(ctx, wh, a.cfg.Site)
				return err
			})
			return rep.write(cmd.OutOrStdout(), out.json, err)
		},
	}
	out.register(cmd)
	return cmd
}
