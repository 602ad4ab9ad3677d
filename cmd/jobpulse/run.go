package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/jobpulse/jobpulse/warehouse"
)

func newRunCommand(a *app) *cobra.Command {
	var (
		out     outputFlags
		sources []string
	)
	cmd := &cobra.Command{
		Use:   "run",
		Short: "The nightly job: ingest, build and publish in turn",
		Long: `run does ingest, build and publish in turn. A source that fails does not stop the run; a
failed build stops it before anything is published.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			var rep report
			srcs, err := a.selectSources(sources)
			if err == nil {
				err = a.withWarehouse(ctx, a.cfg.Warehouse, func(wh *warehouse.Warehouse) error {
					if err := a.ingestInto(ctx, &rep, wh, a.cfg.LakeURL, srcs, false); err != nil {
						return err
					}
					var err error
					if rep.Build, err = a.build(ctx, wh, a.cfg.Site); err != nil {
						return fmt.Errorf("run: build failed, nothing published: %w", err)
					}
					return nil
				})
			}
			if err == nil {
				rep.Publish, err = a.publish(ctx, a.cfg.Site.Out, a.cfg.Target)
			}
			return rep.write(cmd.OutOrStdout(), out.json, err)
		},
	}
	out.register(cmd)
	cmd.Flags().StringArrayVar(&sources, "source", nil, "collect only this source (repeatable; default: every enabled source)")
	return cmd
}
