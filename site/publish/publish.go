package publish

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/jobpulse/jobpulse/internal/objstore"
)

// Errors of [Publish].
var (
	// ErrNotOurs is returned for a target that holds files but was not
	// published by jobpulse: publishing would delete them.
	ErrNotOurs = errors.New("site: publish target was not published by jobpulse")
	// ErrTooManyDeletes is returned when the build would delete more
	// objects from the target than publish.max_deletes allows. It is decided
	// from the plan, before anything is written: the target is left as it
	// was, no upload, no delete, no manifest.
	ErrTooManyDeletes = errors.New("site: publish would delete more than publish.max_deletes")
	// ErrInvalidation is returned when the site was published but the
	// CloudFront invalidation failed: readers may get the old version of the
	// changed pages until their cache expires. The manifest keeps the paths,
	// and the next publish invalidates them.
	ErrInvalidation = errors.New("site: the site is published, but the CloudFront invalidation failed")
)

// Config configures [Publish]. Start from [DefaultConfig]. Its fields with
// a mapstructure tag are the keys publish.*, each explained by its doc tag.
type Config struct {
	// Source is the built site folder (site.out).
	Source string `mapstructure:"-"`
	// Target is where the site goes (publish.target): a folder, or an
	// s3://bucket[/prefix] URL. Publish owns the target: files under it that
	// are not in the build are deleted.
	Target string `mapstructure:"target" doc:"where publish copies the site: a folder or s3://bucket/prefix"`
	// Workers is how many uploads run at once (publish.workers).
	Workers int `mapstructure:"workers" doc:"uploads publish runs at once"`
	// MaxDeletes is the most objects one publish may delete
	// (publish.max_deletes); -1 for no limit. Past it Publish writes
	// nothing at all and fails with [ErrTooManyDeletes].
	MaxDeletes int `mapstructure:"max_deletes" doc:"most objects one publish may delete (-1: no limit); a plan with more is refused before anything is written"`
	// Gzip publishes text files gzip-compressed with Content-Encoding: gzip
	// (publish.gzip; a bucket only, a folder keeps no headers).
	Gzip bool `mapstructure:"gzip" doc:"publish text files gzip-compressed with Content-Encoding: gzip (bucket targets)"`
	// CacheControl are Cache-Control rules by key pattern, the first match
	// winning over the defaults (publish.cache_control).
	CacheControl []CacheRule `mapstructure:"cache_control" doc:"Cache-Control by key pattern: a list of {pattern, value}, first match wins"`
	// Redirects are published as redirect objects (publish.redirects).
	Redirects []Redirect `mapstructure:"redirects" doc:"redirects to publish: a list of {path, to}"`
	// CloudFrontDistribution, when set, is the id of the CloudFront
	// distribution that serves the target bucket
	// (publish.cloudfront_distribution): after a publish that updated or
	// deleted objects, Publish invalidates their paths there. Ignored for a
	// folder target.
	CloudFrontDistribution string `mapstructure:"cloudfront_distribution" doc:"id of the CloudFront distribution serving the site bucket: after a publish, invalidate the paths it updated or deleted"`
	// InvalidationLimit is the most paths one invalidation names one by one
	// (publish.invalidation_limit); past it the whole target is invalidated
	// with one wildcard. 0 always sends the wildcard.
	InvalidationLimit int `mapstructure:"invalidation_limit" doc:"most paths one CloudFront invalidation names; past it the whole target is invalidated with one wildcard (0: always the wildcard)"`
	// DryRun computes the plan and writes nothing; it takes no lock.
	DryRun bool `mapstructure:"-"`
	// Wait is how long to wait for the target's publish lock while another
	// publish holds it (the --wait flag); 0 refuses at once with a
	// [*LockedError] naming the holder.
	Wait time.Duration `mapstructure:"-"`
	// Holder names this publish in the target's lock, for a publish it
	// refuses; "" for "jobpulse publish <host> pid <pid>".
	Holder string `mapstructure:"-"`
	// Progress, when set, is called after each upload with the number of
	// uploads done and planned, and the bytes uploaded.
	Progress func(done, total int, bytes int64) `mapstructure:"-"`
}

// Defaults of [Config].
const (
	// DefaultWorkers is enough to keep a link to S3 busy with the
	// small files of a site, each upload being mostly round trip.
	DefaultWorkers = 16
	// DefaultMaxDeletes lets a nightly publish drop the pages of vanished
	// roles or places, but stops a wrong site.out or a half-empty build from
	// wiping a site of thousands of pages (the hugo deploy default is 256).
	DefaultMaxDeletes = 256
)

// DefaultConfig returns the configuration with its defaults.
func DefaultConfig() Config {
	return Config{Workers: DefaultWorkers, MaxDeletes: DefaultMaxDeletes, InvalidationLimit: DefaultInvalidationLimit}
}

// Validate checks the configuration, naming the key of a bad value.
func (c Config) Validate() error {
	if c.Source == "" {
		return errors.New("site: site.out is empty: set the built site folder to publish")
	}
	if c.Target == "" {
		return errors.New("site: publish.target is empty: set a folder or an s3://bucket[/prefix] URL")
	}
	if err := c.ValidateOptions(); err != nil {
		return err
	}
	if objstore.IsS3URL(c.Target) {
		if _, _, err := objstore.ParseURL(c.Target); err != nil {
			return fmt.Errorf("site: publish.target %q: %w", c.Target, err)
		}
		return nil
	}
	src, err := filepath.Abs(c.Source)
	if err != nil {
		return fmt.Errorf("site: site.out %q: %w", c.Source, err)
	}
	dst, err := filepath.Abs(c.Target)
	if err != nil {
		return fmt.Errorf("site: publish.target %q: %w", c.Target, err)
	}
	if within(src, dst) || within(dst, src) {
		// Publishing deletes what the target holds beyond the build: a
		// target that holds the build, or is inside it, would lose files.
		return fmt.Errorf("site: publish.target %q overlaps site.out %q: publish to a folder of its own", c.Target, c.Source)
	}
	return nil
}

// ValidateOptions checks the publish.* keys beside the source and target,
// naming the key of a bad value.
func (c Config) ValidateOptions() error {
	var errs []error
	if c.Workers < 1 || c.Workers > 256 {
		errs = append(errs, fmt.Errorf("site: publish.workers: %d is not between 1 and 256", c.Workers))
	}
	if c.Wait < 0 {
		errs = append(errs, fmt.Errorf("site: publish --wait %s: must not be negative", c.Wait))
	}
	if c.MaxDeletes < -1 {
		errs = append(errs, fmt.Errorf("site: publish.max_deletes: %d: want a count, or -1 for no limit", c.MaxDeletes))
	}
	if c.InvalidationLimit < 0 || c.InvalidationLimit > MaxInvalidationLimit {
		errs = append(errs, fmt.Errorf("site: publish.invalidation_limit: %d is not between 0 and %d", c.InvalidationLimit, MaxInvalidationLimit))
	}
	if d := c.CloudFrontDistribution; d != "" && !validDistribution(d) {
		errs = append(errs, fmt.Errorf("site: publish.cloudfront_distribution: %q is not a distribution id (upper-case letters and digits, e.g. E2EXAMPLE1AB2C)", d))
	}
	for i, r := range c.CacheControl {
		if _, err := path.Match(r.Pattern, ""); err != nil || r.Pattern == "" {
			errs = append(errs, fmt.Errorf("site: publish.cache_control[%d]: pattern %q is not a glob", i, r.Pattern))
		}
		if strings.TrimSpace(r.Value) == "" {
			errs = append(errs, fmt.Errorf("site: publish.cache_control[%d]: pattern %q has no value", i, r.Pattern))
		}
	}
	seen := map[string]bool{}
	for i, r := range c.Redirects {
		if err := r.validate(i); err != nil {
			errs = append(errs, err)
		} else if seen[r.key()] {
			errs = append(errs, fmt.Errorf("site: publish.redirects[%d]: path %q is redirected twice", i, r.Path))
		}
		seen[r.key()] = true
	}
	return errors.Join(errs...)
}

// validDistribution reports whether id looks like a CloudFront
// distribution id: upper-case letters and digits.
func validDistribution(id string) bool {
	if len(id) > 64 {
		return false
	}
	for _, c := range id {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// within reports whether path p is dir or inside it (both absolute, clean).
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// Result is what [Publish] did.
type Result struct {
	// Uploaded is the number of files written to the target: new or changed.
	Uploaded int `json:"uploaded"`
	// Unchanged is the number of files the target already held as built.
	Unchanged int `json:"unchanged"`
	// Deleted is the number of objects removed from the target because the
	// build no longer has them.
	Deleted int `json:"deleted"`
	// DeletesRefused is the number of deletes the plan held when they
	// exceeded publish.max_deletes: the publish was then refused whole, and
	// nothing was written.
	DeletesRefused int `json:"deletes_refused,omitempty"`
	// Bytes is the size of the uploaded files, as uploaded.
	Bytes int64 `json:"bytes"`
	// DryRun tells that nothing was written: Plan is what would be done.
	DryRun bool `json:"dry_run,omitempty"`
	// Plan is the plan the publish carried out (or would, in a dry run).
	Plan *Plan `json:"plan,omitempty"`
	// Invalidation is the CloudFront invalidation made (or tried, see its
	// Error); nil when none was due.
	Invalidation *Invalidation `json:"invalidation,omitempty"`
}

// Publish synchronises the built site in cfg.Source to cfg.Target, a folder
// or an S3 bucket, through one code path for both.
//
// It first takes the target's publish lock (a flock on .jobpulse-lock in a
// folder, a lock object .jobpulse-lock made with a conditional PUT in a
// bucket; see [LockLease]), waiting up to cfg.Wait while another
// publish holds it, else failing with a [*LockedError] that names the
// holder, having written nothing; the lock is released when Publish returns.
// A dry run takes no lock.
//
// It then makes a plan from one listing of the target and its manifest
// (the marker .jobpulse-site, see [Plan]); a plan whose deletes
// exceed cfg.MaxDeletes is refused there, before anything is written, with
// [ErrTooManyDeletes]. A file is unchanged when
// the target holds the version the manifest describes and the manifest's
// sha256 and headers are what this build uploads, so an unchanged site sends
// no PUT and no per-file request. Then it uploads, assets first, data, pages,
// and the root index.html and 404.html last, so that a reader never gets a
// page whose assets are missing; then deletes what the build no longer has,
// only when every upload succeeded; then, on a
// bucket with cfg.CloudFrontDistribution set and when all of that
// succeeded, invalidates the paths of the updated and deleted objects (see
// [Invalidation]); and writes the manifest last. On S3 the target prefix is a
// folder: publishing to s3://bucket/site/blog never touches site/blog2/.
//
// Paths changed on the target but not yet invalidated (the publish failed
// before, or the invalidation did) stay in the manifest, and the next
// publish invalidates them with its own. A failed invalidation returns
// [ErrInvalidation]: the site is published.
func Publish(ctx context.Context, cfg Config, logger *slog.Logger) (_ Result, err error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	log := logger.WithGroup("publish")
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	files, err := readBuild(cfg.Source)
	if err != nil {
		return Result{}, err
	}
	target, err := openTarget(ctx, cfg.Target, !cfg.DryRun)
	if err != nil {
		return Result{}, err
	}
	defer target.close()
	if err := addHeaders(cfg, target.keepsHeaders(), files); err != nil {
		return Result{}, err
	}
	log.Info("publishing", "source", cfg.Source, "target", target.String(), "files", len(files), "dry_run", cfg.DryRun)
	if !cfg.DryRun {
		// The lock before the listing: the plan, the writes and the manifest
		// are one publish's, never two interleaved.
		var cancel context.CancelCauseFunc
		ctx, cancel = context.WithCancelCause(ctx)
		defer cancel(nil)
		holder := newLockHolder(cfg.Holder)
		release, err := target.lock(ctx, lockRequest{wait: cfg.Wait, me: holder, lost: cancel, log: log})
		if errors.Is(err, ErrLocked) {
			return Result{}, fmt.Errorf("site: publish to %s refused, nothing written: %w; try again when it ends, or pass --wait", target, err)
		}
		if err != nil {
			return Result{}, err
		}
		log.Info("publish lock taken", "target", target.String(), "holder", holder.Holder)
		defer func() {
			if rerr := release(context.WithoutCancel(ctx)); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}()
	}

	remote, err := target.list(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("site: publish to %s: list: %w", target, err)
	}
	_, marked := remote[MarkerKey]
	if len(remote) > 0 && !marked {
		return Result{}, fmt.Errorf("%w: %s holds %d files and no %s marker: publish to an empty folder or bucket prefix (publish deletes what the site does not have)",
			ErrNotOurs, target, len(remote), MarkerKey)
	}
	var oldMarker []byte
	if marked {
		if oldMarker, err = target.get(ctx, MarkerKey); err != nil {
			return Result{}, fmt.Errorf("site: publish to %s: read %s: %w", target, MarkerKey, err)
		}
	}
	old := parseManifest(oldMarker)
	plan, planned, stale := makePlan(target.String(), target.keepsHeaders(), files, remote, old, old.Version == manifestVersion, cfg.MaxDeletes)
	if b, ok := target.(*bucketTarget); ok && cfg.CloudFrontDistribution != "" {
		plan.Invalidate, _ = invalidationPaths(b.prefix, plan.changedKeys(), old.Invalidate, cfg.InvalidationLimit)
	}
	res := Result{Plan: plan, DryRun: cfg.DryRun, Unchanged: plan.Count(ActionUnchanged)}
	if cfg.DryRun {
		return res, nil
	}
	if plan.DeletesRefused {
		// Decided from the plan: a build that would delete too much (a wrong
		// site.out, a half-empty build) must not replace a single page of the
		// live site either.
		res.DeletesRefused = len(stale)
		return res, fmt.Errorf("%w: %s: %d objects are gone from the build, the limit is %d: nothing was written, the live site is as it was; check the build, then publish again with --publish.max_deletes=%d or more",
			ErrTooManyDeletes, target, len(stale), cfg.MaxDeletes, len(stale))
	}
	return apply(ctx, cfg, target, log, res, planned, stale, old, oldMarker, marked)
}

// addHeaders sets the Cache-Control and Content-Encoding of the build's
// files, and adds the redirects.
func addHeaders(cfg Config, headers bool, files map[string]*buildFile) error {
	for _, f := range files {
		f.cacheControl = cacheControlOf(f.key, f.contentType, cfg.CacheControl)
		if cfg.Gzip && headers && compressible(f.contentType) {
			f.contentEncoding = "gzip"
		}
	}
	for i, r := range cfg.Redirects {
		f := r.file(headers)
		if _, ok := files[f.key]; ok {
			return fmt.Errorf("site: publish.redirects[%d]: path %q is a file of the built site", i, r.Path)
		}
		files[f.key] = f
	}
	return nil
}

// openTarget returns the target named by a folder path or an s3:// URL.
// A folder is created unless create is false (a dry run).
func openTarget(ctx context.Context, target string, create bool) (publishTarget, error) {
	if !objstore.IsS3URL(target) {
		return newFolderTarget(target, create)
	}
	bucket, prefix, err := objstore.ParseURL(target)
	if err != nil {
		return nil, fmt.Errorf("site: publish.target %q: %w", target, err)
	}
	client, err := objstore.NewClient(ctx)
	if err != nil {
		return nil, fmt.Errorf("site: publish to %s: %w", target, err)
	}
	return &bucketTarget{client: client, bucket: bucket, prefix: prefix}, nil
}

// readBuild lists the files of the built site, keyed by slash path.
func readBuild(dir string) (map[string]*buildFile, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("site: publish: site.out %q: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("site: publish: site.out %q is not a folder", dir)
	}
	files, err := walkBuild(dir)
	if err != nil {
		return nil, err
	}
	delete(files, MarkerKey) // a build never publishes its own marker
	delete(files, lockKey)   // nor a lock
	if len(files) == 0 {
		// An empty build would delete the whole published site.
		return nil, fmt.Errorf("site: publish: site.out %q holds no files: build the site first", dir)
	}
	return files, nil
}
