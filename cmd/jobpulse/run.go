package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/jobpulse/jobpulse/warehouse"
)

func newRunCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "run",
		Short: "The nightly job: ingest, build and publish in turn",
		Long: `run does ingest, build and publish in turn. A source that fails does not stop the run; a
failed build stops it before anything is published.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, out := cmd.Context(), cmd.OutOrStdout()
			err := a.withWarehouse(ctx, a.cfg.Warehouse, func(wh *warehouse.Warehouse) error {
				if _, err := a.collect(ctx, out, wh, a.cfg.LakeURL, a.sources(), false); err != nil {
					return err
				}
				if err := a.build(ctx, out, wh, a.cfg.Site); err != nil {
					return fmt.Errorf("run: build failed, nothing published: %w", err)
				}
				return nil
			})
			if err != nil {
				return err
			}
			return a.publish(ctx, out, a.cfg.Site.Out, a.cfg.Target)
		},
	}
}
