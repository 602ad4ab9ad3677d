package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newMigrateCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply the warehouse schema migrations embedded in jobpulse",
		Long: `migrate applies the SQL migrations embedded in this binary that the warehouse has not
seen yet, each in its own transaction. ingest, build and run apply them too.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			ctx := cmd.Context()
			wh, err := a.openWarehouse(ctx, a.cfg.Warehouse)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), "warehouse schema is up to date")
			return wh.Close(ctx)
		},
	}
}

// joinClose adds the error of a deferred Close to err.
func joinClose(err, closeErr error) error {
	if closeErr == nil {
		return err
	}
	if err == nil {
		return closeErr
	}
	return fmt.Errorf("%w (and on close: %v)", err, closeErr)
}
