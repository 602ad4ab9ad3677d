package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/ingest/sample"
	"github.com/jobpulse/jobpulse/warehouse"
)

// maxDemoJobs bounds the sample data of the demo.
const maxDemoJobs = 1_000_000

func newDemoCommand(a *app) *cobra.Command {
	var (
		dir     string
		jobs    int
		noServe bool
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole flow offline on generated sample data, then serve the site",
		Long: `demo runs ingest and build on sample data that jobpulse generates (Remotive-shaped job
offers, served from 127.0.0.1, so nothing leaves the machine), then serves the site at
serve.addr until interrupted. The site says that its data is sample data.

demo keeps its lake and site under --dir (default ./data/demo) and loads a database of its
own (jobpulse_demo) on the PostgreSQL server that jobpulse starts itself: it never writes
to a configured warehouse, lake or publish target.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, out := cmd.Context(), cmd.OutOrStdout()
			if jobs < 1 || jobs > maxDemoJobs {
				return fmt.Errorf("demo: --jobs %d: want 1 to %d", jobs, maxDemoJobs)
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return fmt.Errorf("demo: start the sample source: %w", err)
			}
			srv := &http.Server{Handler: sample.Handler(time.Now(), jobs), ReadHeaderTimeout: 10 * time.Second}
			go srv.Serve(ln)
			defer srv.Close()

			whCfg := a.cfg.Warehouse
			whCfg.URL, whCfg.Database = "", "jobpulse_demo"
			siteCfg := a.cfg.Site
			siteCfg.Out, siteCfg.Sample = filepath.Join(dir, "public"), true
			var rep report
			err = a.withWarehouse(ctx, whCfg, func(wh *warehouse.Warehouse) error {
				remotive := ingest.RemotiveConfig{Enabled: true, URL: "http://" + ln.Addr().String()}
				fetcher := ingest.NewFetcher(a.cfg.Fetch, &http.Client{}, a.logger)
				sources := []ingest.Source{ingest.NewRemotive(remotive, fetcher)}
				if err := a.ingestInto(ctx, &rep, wh, filepath.Join(dir, "lake"), sources, true); err != nil {
					return err
				}
				var err error
				rep.Build, err = a.build(ctx, wh, siteCfg)
				return err
			})
			if err := rep.write(out, false, err); err != nil {
				return err
			}
			if noServe {
				return nil
			}
			if err := serveSite(ctx, out, siteCfg.Out, a.cfg.ServeAddr); err != nil && !errors.Is(err, ctx.Err()) {
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "./data/demo", "folder for the demo's lake and site")
	cmd.Flags().IntVar(&jobs, "jobs", 400, "how many sample job offers to generate")
	cmd.Flags().BoolVar(&noServe, "no-serve", false, "stop after the build instead of serving the site")
	return cmd
}
