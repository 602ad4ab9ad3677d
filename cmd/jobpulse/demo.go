package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/ingest/sample"
	"github.com/jobpulse/jobpulse/warehouse"
)

// maxDemoDays bounds the demo's --days.
const maxDemoDays = 400

// demoHour is the hour (UTC) of the demo's simulated nightly runs.
const demoHour = 2

func newDemoCommand(a *app) *cobra.Command {
	var (
		dir     string
		jobs    int
		days    int
		noServe bool
	)
	cmd := &cobra.Command{
		Annotations: reads("warehouse.data", "fetch.", "site.content", "site.templates", "site.echarts", "site.base_url", "serve.", "publish.cache_control", "log."),
		Use:         "demo",
		Short:       "Run the whole flow offline on sample data drawn from real postings, then serve the site",
		Long: `demo runs ingest and build on sample data, then serves the site at serve.addr until
interrupted. The sample data is a pool of about 1,100 real job postings, captured from public
boards (Remotive, RemoteOK, Arbeitnow, two companies' Greenhouse boards, France Travail) and
built into jobpulse: titles, places, salaries and tags as published, descriptions shortened,
company names marked "(sample)". jobpulse serves them from 127.0.0.1 in the shape of the
Remotive, RemoteOK and Arbeitnow APIs (Greenhouse's and France Travail's as Arbeitnow's), so
nothing leaves the machine and the data goes the way of a real night's. Every page says that
its data is sample data.

So that the report has a history to show, demo simulates --days nightly runs, oldest first:
one ingest per night at 02:00 UTC, the last night being the latest 02:00 UTC that has passed,
each fetching the postings the sample boards list that day: a plausible subset of the pool,
about --jobs postings. From day to day about one posting in a hundred of the pool is new and
about as many are gone (a posting gone comes back only weeks later, as a repost), and the mix
of roles drifts over the season, so that some roles rise and others fall. The runs, their lake
keys, the postings' publication dates and their first and last sightings carry the simulated
night; the ids are the sample boards' own.

A night the demo database already holds a sample run for is not run again: a second demo on
the same day only rebuilds the site, and a demo on a later day adds the nights since.

demo keeps its lake and site under --dir (default ./data/demo) and loads a database of its
own (jobpulse_demo) on the PostgreSQL server that jobpulse starts itself: it never writes
to a configured warehouse, lake or publish target.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, out := cmd.Context(), cmd.OutOrStdout()
			maxJobs := sample.MaxReplaySize()
			if jobs == 0 {
				jobs = maxJobs
			}
			if jobs < 1 || jobs > maxJobs {
				return fmt.Errorf("demo: --jobs %d: want 1 to %d (the postings of the sample pool), or 0 for %[2]d", jobs, maxJobs)
			}
			if days < 1 || days > maxDemoDays {
				return fmt.Errorf("demo: --days %d: want 1 to %d", days, maxDemoDays)
			}
			if err := a.cfg.Site.CheckECharts(); err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			nights := demoNights(time.Now(), days)
			clock := &nightClock{}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return fmt.Errorf("demo: start the sample source: %w", err)
			}
			board := sample.Replay{Size: jobs}
			srv := &http.Server{Handler: board.Handler(clock.now), ReadHeaderTimeout: 10 * time.Second}
			go srv.Serve(ln)
			defer srv.Close()

			whCfg := a.cfg.Warehouse
			whCfg.URL, whCfg.Database = "", "jobpulse_demo"
			siteCfg := a.cfg.Site
			siteCfg.Out, siteCfg.Sample = filepath.Join(dir, "public"), true
			var (
				rep     report
				made    int
				skipped int
			)
			err = a.withWarehouse(ctx, whCfg, func(wh *warehouse.Warehouse) error {
				done, err := sampleNights(ctx, wh.Pool, nights)
				if err != nil {
					return err
				}
				sources := demoSources("http://"+ln.Addr().String(), ingest.NewFetcher(a.cfg.Fetch, &http.Client{}, a.logger))
				for _, night := range nights {
					if done[night.Unix()] {
						skipped++
						continue
					}
					// The run's start and finish times, its lake keys and its
					// sightings are the simulated night's. The fetch time in
					// the lake's metadata stays the real one: it records when
					// the bytes were received, which is now, from a generator
					// asked for that night's jobs.
					clock.set(night)
					if err := a.ingestAt(ctx, &rep, wh, filepath.Join(dir, "lake"), sources, true, clock.now); err != nil {
						return fmt.Errorf("demo: night of %s: %w", night.Format(time.DateOnly), err)
					}
					made++
				}
				rep.Build, err = a.build(ctx, wh, siteCfg)
				return err
			})
			err = rep.write(out, false, err)
			fmt.Fprintf(out, "demo: %d nights, %s to %s: runs made %d, already in the warehouse %d\n",
				len(nights), nights[0].Format(time.DateOnly), nights[len(nights)-1].Format(time.DateOnly), made, skipped)
			if err != nil {
				return err
			}
			if noServe {
				return nil
			}
			if err := serveSite(ctx, out, siteCfg.Out, a.cfg.Serve.Addr, a.cfg.Publish.CacheControl); err != nil && !errors.Is(err, ctx.Err()) {
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "./data/demo", "folder for the demo's lake and site")
	cmd.Flags().IntVar(&jobs, "jobs", 0, "how many sample postings are open on a typical day; 0 for as many as the sample pool allows (about 690)")
	cmd.Flags().IntVar(&days, "days", 14, fmt.Sprintf("how many nightly runs to simulate, up to %d", maxDemoDays))
	cmd.Flags().BoolVar(&noServe, "no-serve", false, "stop after the build instead of serving the site")
	return cmd
}

// demoSources returns the sources a demo night fetches: the real sources'
// own code, each pointed at the sample boards at base, without pauses
// between requests (they all go to one local server).
func demoSources(base string, fetcher *ingest.Fetcher) []ingest.Source {
	return []ingest.Source{
		ingest.NewArbeitnow(ingest.ArbeitnowConfig{Enabled: true, URL: base, MaxPages: ingest.DefaultArbeitnowMaxPages}, fetcher),
		ingest.NewRemoteOK(ingest.RemoteOKConfig{Enabled: true, URL: base}, fetcher),
		ingest.NewRemotive(ingest.RemotiveConfig{Enabled: true, URL: base}, fetcher),
	}
}

// demoNights returns the starts of days simulated nightly runs, oldest first:
// demoHour UTC of each day, the last being the latest that is not after now
// (a run never starts in the future).
func demoNights(now time.Time, days int) []time.Time {
	now = now.UTC()
	last := time.Date(now.Year(), now.Month(), now.Day(), demoHour, 0, 0, 0, time.UTC)
	if last.After(now) {
		last = last.AddDate(0, 0, -1)
	}
	nights := make([]time.Time, days)
	for i := range nights {
		nights[i] = last.AddDate(0, 0, i-days+1)
	}
	return nights
}

// sampleNights returns which of nights (by their Unix time) the warehouse
// already has a loaded sample run for: a run that started within the hour
// after the night's start.
func sampleNights(ctx context.Context, pool *pgxpool.Pool, nights []time.Time) (map[int64]bool, error) {
	rows, err := pool.Query(ctx, `SELECT started_at FROM runs
		WHERE sample AND status IN ('ok', 'partial') AND started_at >= $1 AND started_at < $2`,
		nights[0], nights[len(nights)-1].Add(time.Hour))
	if err != nil {
		return nil, fmt.Errorf("demo: read the runs of the demo database: %w", err)
	}
	defer rows.Close()
	done := make(map[int64]bool, len(nights))
	for rows.Next() {
		var started time.Time
		if err := rows.Scan(&started); err != nil {
			return nil, fmt.Errorf("demo: read the runs of the demo database: %w", err)
		}
		started = started.UTC()
		night := time.Date(started.Year(), started.Month(), started.Day(), demoHour, 0, 0, 0, time.UTC)
		if !started.Before(night) && started.Before(night.Add(time.Hour)) {
			done[night.Unix()] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("demo: read the runs of the demo database: %w", err)
	}
	return done, nil
}

// nightClock is the clock of a simulated night: set to the night's start, it
// then advances with the real clock, so that a run's finish time is its start
// plus what the run really took. The sample source reads it too, to serve the
// night's jobs; it is safe for concurrent use.
type nightClock struct {
	mu    sync.Mutex
	shift time.Duration
}

// set makes the clock read t now.
func (c *nightClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.shift = time.Until(t)
}

// now returns the simulated time.
func (c *nightClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.shift)
}
