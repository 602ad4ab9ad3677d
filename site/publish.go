package site

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/jobpulse/jobpulse/ingest/objstore"
)

// ErrNotOurs is returned by [Publish] for a target that holds files but was
// not published by jobpulse: publishing would delete them.
var ErrNotOurs = errors.New("site: publish target was not published by jobpulse")

// publishWorkers bounds the uploads, and the comparisons, running at once.
const publishWorkers = 8

// PublishConfig configures [Publish].
type PublishConfig struct {
	// Source is the built site folder (site.out).
	Source string
	// Target is where the site goes (publish.target): a folder, or an
	// s3://bucket[/prefix] URL. Publish owns the target: files under it that
	// are not in the build are deleted.
	Target string
}

// Validate checks the configuration, naming the key of a bad value.
func (c PublishConfig) Validate() error {
	if c.Source == "" {
		return errors.New("site: site.out is empty: set the built site folder to publish")
	}
	if c.Target == "" {
		return errors.New("site: publish.target is empty: set a folder or an s3://bucket[/prefix] URL")
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

// within reports whether path p is dir or inside it (both absolute, clean).
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// PublishResult counts what [Publish] did.
type PublishResult struct {
	// Uploaded is the number of files written to the target: new or changed.
	Uploaded int
	// Unchanged is the number of files the target already held as built.
	Unchanged int
	// Deleted is the number of objects removed from the target because the
	// build no longer has them.
	Deleted int
	// Bytes is the size of the uploaded files.
	Bytes int64
}

// Publish synchronises the built site in cfg.Source to cfg.Target, a folder
// or an S3 bucket (hugo deploy style, one code path for both).
//
// Files are compared by content (sha256; on S3 also Content-Type and
// Cache-Control), so publishing the same build twice uploads nothing the
// second time. Changed files go up assets first, then pages, so that a page
// never links to an asset the target lacks. Objects under the target that
// are not in the build are deleted last, and only when every upload
// succeeded. On S3 the target prefix is a folder: publishing to
// s3://bucket/site/blog never touches site/blog2/.
func Publish(ctx context.Context, cfg PublishConfig, logger *slog.Logger) (PublishResult, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	log := logger.WithGroup("publish")
	if err := cfg.Validate(); err != nil {
		return PublishResult{}, err
	}
	files, err := readBuild(cfg.Source)
	if err != nil {
		return PublishResult{}, err
	}
	target, err := openTarget(ctx, cfg.Target)
	if err != nil {
		return PublishResult{}, err
	}
	log.Info("publishing", "source", cfg.Source, "target", target.String(), "files", len(files))

	remote, err := target.list(ctx)
	if err != nil {
		return PublishResult{}, fmt.Errorf("site: publish to %s: list: %w", target, err)
	}
	if _, ours := remote[markerKey]; len(remote) > 0 && !ours {
		return PublishResult{}, fmt.Errorf("%w: %s holds %d files and no %s marker: publish to an empty folder or bucket prefix (publish deletes what the site does not have)",
			ErrNotOurs, target, len(remote), markerKey)
	}

	changed, err := compare(ctx, target, files, remote)
	if err != nil {
		return PublishResult{}, err
	}
	res := PublishResult{Unchanged: len(files) - len(changed)}

	// The marker first: from now on the target is jobpulse's.
	if _, ok := remote[markerKey]; !ok {
		if err := target.put(ctx, *markerFile()); err != nil {
			return res, fmt.Errorf("site: publish %s to %s: %w", markerKey, target, err)
		}
	}

	// Assets first, then the pages that use them.
	var assets, pages []buildFile
	for _, f := range changed {
		if f.isPage() {
			pages = append(pages, f)
		} else {
			assets = append(assets, f)
		}
	}
	for _, batch := range [][]buildFile{assets, pages} {
		err := forEach(ctx, batch, func(ctx context.Context, f buildFile) error {
			if err := target.put(ctx, f); err != nil {
				return fmt.Errorf("site: publish %s to %s: %w", f.key, target, err)
			}
			log.Debug("uploaded", "key", f.key, "bytes", f.size, "content_type", f.contentType)
			return nil
		})
		for _, f := range batch {
			if f.done {
				res.Uploaded++
				res.Bytes += f.size
			}
		}
		if err != nil {
			return res, err
		}
	}

	// Stale objects last, and only now that every upload succeeded.
	var stale []string
	for key := range remote {
		if _, ok := files[key]; !ok && key != markerKey {
			stale = append(stale, key)
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		n, err := target.delete(ctx, stale)
		res.Deleted = n
		if err != nil {
			return res, fmt.Errorf("site: publish to %s: delete stale objects: %w", target, err)
		}
		log.Debug("deleted stale objects", "keys", stale)
	}
	log.Info("published", "target", target.String(), "uploaded", res.Uploaded,
		"unchanged", res.Unchanged, "deleted", res.Deleted, "bytes", res.Bytes)
	return res, nil
}

// openTarget returns the target named by a folder path or an s3:// URL.
func openTarget(ctx context.Context, target string) (publishTarget, error) {
	if !objstore.IsS3URL(target) {
		return newFolderTarget(target)
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

// compare returns the build files the target lacks or holds in another
// version, sorted by key. Objects of the same size are compared in detail
// (their sha256 and headers), which may cost a request each.
func compare(ctx context.Context, target publishTarget, files map[string]*buildFile, remote map[string]remoteObject) ([]buildFile, error) {
	var sameSize []buildFile
	var changed []buildFile
	for _, f := range files {
		r, ok := remote[f.key]
		if ok && r.size == f.size {
			sameSize = append(sameSize, *f)
		} else {
			changed = append(changed, *f)
		}
	}
	var mu sync.Mutex
	err := forEach(ctx, sameSize, func(ctx context.Context, f buildFile) error {
		r, err := target.stat(ctx, f.key)
		if err != nil {
			return fmt.Errorf("site: publish to %s: compare %s: %w", target, f.key, err)
		}
		if !r.matches(f) {
			mu.Lock()
			changed = append(changed, f)
			mu.Unlock()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(changed, func(i, j int) bool { return changed[i].key < changed[j].key })
	return changed, nil
}

// forEach runs fn on every file with up to publishWorkers at once, and
// marks the files it succeeded on as done. It stops starting new work at the
// first error, which it returns.
func forEach(ctx context.Context, files []buildFile, fn func(context.Context, buildFile) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sem := make(chan struct{}, publishWorkers)
	var wg sync.WaitGroup
	for i := range files {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := fn(ctx, files[i]); err != nil {
				cancel(err)
				return
			}
			files[i].done = true
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return nil
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
	if len(files) == 0 {
		// An empty build would delete the whole published site.
		return nil, fmt.Errorf("site: publish: site.out %q holds no files: build the site first", dir)
	}
	return files, nil
}
