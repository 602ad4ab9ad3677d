package site

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/content"
	"github.com/jobpulse/jobpulse/templates"
	"github.com/jobpulse/jobpulse/warehouse"
)

// statementTimeout bounds every query of a build.
const statementTimeout = time.Minute

// readerRole lists the roles a build's queries run as (see
// [warehouse.ReaderRoles]). A variable for tests, which check that the guard
// holds with each and without either.
var readerRole = warehouse.ReaderRoles

// Errors of a build whose content query did more than read (see
// [warehouse.Snapshot]).
var (
	// ErrNotReadOnly is [warehouse.ErrNotReadOnly]: a content query wrote,
	// changed a setting, ended or changed the build's transaction, took a
	// session lock, or was not one statement that returns rows.
	ErrNotReadOnly = warehouse.ErrNotReadOnly
	// ErrForbidden is [warehouse.ErrForbidden]: a content query named, or
	// PostgreSQL refused it, what exposes secrets or the server.
	ErrForbidden = warehouse.ErrForbidden
)

// BuildConfig configures [Build]. Its zero value is not ready to use: start
// from [DefaultBuildConfig]. Its fields with a mapstructure tag are the keys
// site.*, each explained by its doc tag.
type BuildConfig struct {
	// Out is the folder the site is written to (site.out). It is replaced as a
	// whole at the end of a successful build, and only when it is missing,
	// empty or written by a build (it holds the .jobpulse-site marker).
	Out string `mapstructure:"out" doc:"folder the site is built into"`
	// Content is a folder of pages and queries (site.content); "" uses the
	// embedded default content. It is read without leaving it: a relative
	// symbolic link that stays inside is followed, one that leads out (or
	// an absolute one) fails the build with [ErrOutsideFolder].
	Content string `mapstructure:"content" doc:"content folder (default: the embedded report)"`
	// Templates is a folder of layouts and assets (site.templates); "" uses the
	// embedded default templates. It is read as Content is.
	Templates string `mapstructure:"templates" doc:"templates folder (default: the embedded templates)"`
	// ECharts is the path of echarts.min.js (site.echarts); "" uses the
	// npm package in the Templates folder when it has one, else the bundle
	// of ECharts built into the binary, else the npm package installed
	// under ./templates/node_modules (see findECharts).
	ECharts string `mapstructure:"echarts" doc:"path of echarts.min.js (default: the bundle built into jobpulse, else templates/node_modules/echarts/dist)"`
	// Sample labels every page as built from sample data. Pages are also
	// labelled when the last run was a sample run (runs.sample).
	Sample bool `mapstructure:"-"`
	// BaseURL is the absolute URL the site is served from (site.base_url),
	// used for canonical links; "" leaves them out. Links between pages are
	// relative and work without it.
	BaseURL string `mapstructure:"base_url" doc:"public URL of the site, e.g. https://jobs.example.org/"`
}

// DefaultBuildConfig returns the configuration used when nothing is set: the
// embedded content and templates, written to ./public.
func DefaultBuildConfig() BuildConfig {
	return BuildConfig{Out: "./public"}
}

// Validate reports the first setting that cannot work, naming its key.
func (c BuildConfig) Validate() error {
	if c.Out == "" {
		return errors.New("site: site.out is empty: set the folder the site is written to")
	}
	if out := filepath.Clean(c.Out); out == "." || out == string(filepath.Separator) || out == ".." {
		return fmt.Errorf("site: site.out %q: the build replaces this folder as a whole; choose a folder of its own such as ./public", c.Out)
	}
	for _, d := range []struct{ key, val string }{{"site.content", c.Content}, {"site.templates", c.Templates}} {
		if d.val == "" {
			continue
		}
		st, err := os.Stat(d.val)
		if err != nil {
			return fmt.Errorf("site: %s %q: %w", d.key, d.val, err)
		}
		if !st.IsDir() {
			return fmt.Errorf("site: %s %q: not a folder", d.key, d.val)
		}
		if same(c.Out, d.val) {
			return fmt.Errorf("site: site.out %q is the same folder as %s", c.Out, d.key)
		}
	}
	if c.ECharts != "" {
		st, err := os.Stat(c.ECharts)
		if err != nil {
			return fmt.Errorf("site: site.echarts %q: %w", c.ECharts, err)
		}
		if st.IsDir() {
			return fmt.Errorf("site: site.echarts %q: a folder, want the path of echarts.min.js", c.ECharts)
		}
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("site: site.base_url %q: want an absolute http or https URL", c.BaseURL)
		}
	}
	return nil
}

// same reports whether two paths name the same folder once cleaned.
func same(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}

// BuildResult sums up a build.
type BuildResult struct {
	// Out is the folder the site was written to.
	Out string
	// Pages is the number of HTML pages of the content written; the
	// pages the build makes itself (404.html, the data page) are not
	// counted.
	Pages int
	// Queries is the number of distinct queries run.
	Queries int
	// Files and Bytes count everything written, assets included.
	Files int
	Bytes int64
	// Duration is the time of the whole build; Stages splits it.
	Duration time.Duration
	Stages   []Stage
	// Heaviest are the largest pages, largest first (at most 5).
	Heaviest []PageSize
}

// Stage is the time one step of a build took.
type Stage struct {
	Name     string
	Duration time.Duration
}

// Build builds the site described by cfg from the warehouse behind pool and
// writes it to cfg.Out. The output folder is only replaced when the whole
// build succeeded. Errors about content name the file (and line) at fault.
//
// All queries run in one read-only transaction, and may only read: a
// content query that writes, changes a setting, ends the transaction or is
// not one SELECT fails the build with an error wrapping [ErrNotReadOnly].
func Build(ctx context.Context, pool *pgxpool.Pool, cfg BuildConfig, logger *slog.Logger) (BuildResult, error) {
	start := time.Now()
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	log := logger.WithGroup("site")
	res := BuildResult{Out: cfg.Out}
	if err := cfg.Validate(); err != nil {
		return res, err
	}
	// Refuse a site.out the build may not replace before any work; the
	// write checks again, as the folder may change meanwhile.
	if err := checkReplaceable(filepath.Clean(cfg.Out)); err != nil {
		return res, err
	}
	stage := func(name string, t0 time.Time) time.Time {
		now := time.Now()
		res.Stages = append(res.Stages, Stage{Name: name, Duration: now.Sub(t0)})
		return now
	}

	t := time.Now()
	// A folder of the user's is read through a root that no symbolic link
	// leads out of (see folderFS); the embedded defaults have no links.
	contentFS, contentName := fs.FS(content.FS), "content"
	if cfg.Content != "" {
		f, err := openFolder("site.content", cfg.Content)
		if err != nil {
			return res, err
		}
		defer f.Close()
		contentFS, contentName = f, cfg.Content
	}
	templatesFS, templatesName := fs.FS(templates.FS), "templates"
	if cfg.Templates != "" {
		f, err := openFolder("site.templates", cfg.Templates)
		if err != nil {
			return res, err
		}
		defer f.Close()
		templatesFS, templatesName = f, cfg.Templates
	}
	pages, err := loadPages(contentFS, contentName)
	if err != nil {
		return res, err
	}
	assets, err := loadAssets(templatesFS, templatesName, cfg)
	if err != nil {
		return res, err
	}
	lay, err := parseLayouts(templatesFS, assets)
	if err != nil {
		return res, err
	}
	t = stage("load", t)

	// Every query reads one snapshot the warehouse gives, through its guard:
	// content queries may only read, and leave the session as they found it.
	gtx, err := warehouse.BeginSnapshot(ctx, pool, warehouse.SnapshotOptions{StatementTimeout: statementTimeout, Roles: readerRole})
	if err != nil {
		return res, err
	}
	defer gtx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read-only: nothing to keep
	fresh, err := loadFreshness(ctx, gtx)
	if err != nil {
		return res, err
	}
	changes, err := loadFeed(ctx, gtx, feedRuns)
	if err != nil {
		return res, err
	}
	runner := newQueryRunner(gtx, log)
	var all []*page
	for _, p := range pages {
		if p.tmpl != nil {
			made, err := p.expand(ctx, gtx, runner)
			if err != nil {
				return res, err
			}
			all = append(all, made...)
			continue
		}
		if err := p.runQueries(ctx, runner); err != nil {
			return res, err
		}
		all = append(all, p)
	}
	if pages, err = sortPages(all); err != nil {
		return res, err
	}
	if err := gtx.Close(ctx); err != nil {
		return res, err
	}
	res.Queries = runner.count
	t = stage("query", t)

	if err := checkDataNames(pages); err != nil {
		return res, err
	}
	files := assets.files()
	pc := pageContext{cfg: cfg, nav: navigation(pages), fresh: fresh, urls: make(map[string]*page, len(pages)+1)}
	for _, p := range pages {
		pc.urls[p.url] = p
	}
	sizes := make([]PageSize, 0, len(pages)+1)
	var data []dataEntry
	enc := newDataEncoder()
	for _, p := range pages {
		html, err := lay.renderPage(p, pc)
		if err != nil {
			return res, err
		}
		files = append(files, outFile{Path: p.out, Data: html})
		sizes = append(sizes, PageSize{URL: p.url, Bytes: len(html)})
		df, entries, err := enc.pageData(p)
		if err != nil {
			return res, err
		}
		files = append(files, df...)
		data = append(data, entries...)
		if err := p.collectSearch(); err != nil {
			return res, err
		}
		// What made the page is not needed any more: 10,000 pages' results
		// and Markdown trees would otherwise stay in memory until the end.
		p.results, p.doc, p.blocks, p.body = nil, nil, nil, nil
	}
	res.Pages = len(pages)
	tables := dataTables(data)
	dp, err := lay.dataPage(tables)
	if err != nil {
		return res, err
	}
	pc.urls[dp.url] = dp
	html, err := lay.renderPage(dp, pc)
	if err != nil {
		return res, err
	}
	files = append(files, outFile{Path: dp.out, Data: html})
	sizes = append(sizes, PageSize{URL: dp.url, Bytes: len(html)})
	pages = append(pages, dp)
	cat, err := catalogueJSON(tables, fresh)
	if err != nil {
		return res, err
	}
	files = append(files, outFile{Path: dataCatalogue, Data: cat})
	res.Heaviest = heaviest(sizes, 5)
	nf, err := notFoundPage(cfg)
	if err != nil {
		return res, err
	}
	if html, err = lay.renderPage(nf, pc); err != nil {
		return res, err
	}
	files = append(files, outFile{Path: nf.out, Data: html})
	index, err := searchIndex(pages, pc.urls)
	if err != nil {
		return res, err
	}
	files = append(files, outFile{Path: searchFile, Data: index})
	if cfg.BaseURL != "" {
		files = append(files, outFile{Path: "sitemap.xml", Data: sitemap(cfg.BaseURL, pages)})
	}
	feedSite, err := newFeedSite(cfg, pc.urls, cfg.Sample || (fresh != nil && fresh.Sample))
	if err != nil {
		return res, err
	}
	updated := time.Unix(0, 0) // the feed of a warehouse without runs
	if fresh != nil {
		updated = fresh.Finished
	}
	feed, err := feedXML(changes, feedSite, updated)
	if err != nil {
		return res, err
	}
	files = append(files, outFile{Path: feedFile, Data: feed})
	t = stage("render", t)

	if err := writeSite(cfg.Out, files); err != nil {
		return res, err
	}
	for _, f := range files {
		res.Files++
		res.Bytes += int64(len(f.Data))
	}
	stage("write", t)
	res.Duration = time.Since(start)
	log.Info("site built", "out", cfg.Out, "pages", res.Pages, "queries", res.Queries,
		"files", res.Files, "bytes", res.Bytes, "duration", res.Duration)
	return res, nil
}
