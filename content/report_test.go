package content_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/ingest/sample"
	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/site"
	"github.com/jobpulse/jobpulse/templates"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// TestMain stops the PostgreSQL server that pgtest starts for these tests.
func TestMain(m *testing.M) { pgtest.Main(m) }

// Sample data the report is built from, as much as `jobpulse demo` makes by
// default: sampleRuns nightly runs, a day apart and ending now, each
// collecting the sampleJobs jobs open that day, so that the pages that
// compare runs or draw days have something to show.
const (
	sampleRuns = 14
	sampleJobs = 400
)

// moduleRoot returns the folder holding go.mod, walking up from the package
// folder the test runs in.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("working folder: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the package folder")
		}
		dir = parent
	}
}

// installedECharts returns the bundle of ECharts the binary carries
// (templates/echarts/echarts.min.js, made from the npm package by go
// generate), so that the report is measured with what it ships; or ends the
// test with [testenv.Missing].
func installedECharts(t *testing.T) string {
	t.Helper()
	p := filepath.Join(moduleRoot(t), "templates", filepath.FromSlash(templates.EChartsBundle))
	if _, err := os.Stat(p); err != nil {
		testenv.Missing(t, "ECharts: %v: run `npm ci --prefix templates && go generate ./templates` (or bash .ci/setup)", err)
	}
	return p
}

// buildReport builds the embedded report (content.FS and the embedded
// templates, with the installed ECharts) from sample data and returns the
// folder of the built site, under t.TempDir. The data goes the way of a real
// night: generated Remotive responses served on 127.0.0.1, fetched into a
// folder lake, loaded from the lake into a fresh test database, and
// the site built from the database.
func buildReport(t *testing.T) string {
	t.Helper()
	echarts := installedECharts(t)
	pool := pgtest.New(t)
	ctx := context.Background()
	logger := slog.New(slog.DiscardHandler)
	lake, err := ingest.NewFolderLake(filepath.Join(t.TempDir(), "lake"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for i := sampleRuns - 1; i >= 0; i-- {
		started := now.Add(-time.Duration(i) * 24 * time.Hour)
		if err := collectSample(ctx, pool, lake, started, logger); err != nil {
			t.Fatalf("run of %s: %v", started.Format(time.DateOnly), err)
		}
	}

	cfg := site.DefaultBuildConfig()
	cfg.Out = filepath.Join(t.TempDir(), "public")
	cfg.ECharts = echarts
	cfg.Sample = true
	res, err := site.Build(ctx, pool, cfg, logger)
	if err != nil {
		t.Fatalf("build the report: %v", err)
	}
	t.Logf("report built from %d sample runs of %d jobs: %d pages, %d files, %d bytes in %s",
		sampleRuns, sampleJobs, res.Pages, res.Files, res.Bytes, res.Duration.Round(time.Millisecond))
	return res.Out
}

// collectSample runs one ingest of the sample jobs open on the day of
// started, as `jobpulse ingest` does: the Remotive source pointed at the
// sample handler on 127.0.0.1, its pages kept in lake, then the run loaded
// from the lake.
func collectSample(ctx context.Context, pool *pgxpool.Pool, lake ingest.Lake, started time.Time, logger *slog.Logger) error {
	srv := httptest.NewServer(sample.Handler(started, sampleJobs))
	defer srv.Close()
	fetcher := ingest.NewFetcher(ingest.DefaultFetchConfig(), srv.Client(), logger)
	src := ingest.NewRemotive(ingest.RemotiveConfig{Enabled: true, URL: srv.URL}, fetcher)

	run := warehouse.Run{ID: warehouse.NewRunID(started), StartedAt: started, Sample: true}
	for _, r := range ingest.Fetch(ctx, lake, []ingest.Source{src}, run.ID, started, nil, logger) {
		if r.Err != nil {
			return fmt.Errorf("fetch: %w", r.Err)
		}
		run.Sources = append(run.Sources, warehouse.SourceRun{Source: r.Source, Status: warehouse.SourceOK, Pages: len(r.Keys), LakeKeys: r.Keys})
	}
	run.FinishedAt = started.Add(time.Minute)
	run, _, err := warehouse.LoadStream(ctx, pool, ingest.ReadRun(lake, map[string]ingest.Source{src.Name(): src}, run, nil))
	if err != nil {
		return err
	}
	if run.Status != warehouse.RunOK {
		return errors.New("load: run status " + run.Status)
	}
	return nil
}
