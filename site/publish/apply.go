package publish

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
)

// apply carries out a plan: the uploads class by class, the deletes, then
// the manifest. res holds the plan and the unchanged count.
func apply(ctx context.Context, cfg Config, target publishTarget, log *slog.Logger, res Result,
	planned []plannedFile, stale []string, old manifest, oldMarker []byte, marked bool) (Result, error) {
	// The new manifest starts with the unchanged files, as described before.
	next := manifest{Files: map[string]manifestEntry{}}
	var uploads []plannedFile
	for _, p := range planned {
		if p.action == ActionUnchanged {
			next.Files[p.key] = old.Files[p.key]
		} else {
			uploads = append(uploads, p)
		}
	}

	// A new target gets an empty manifest first: from now on it is
	// jobpulse's, even if this publish fails half-way.
	if !marked {
		if _, err := target.put(ctx, manifestFile(manifest{})); err != nil {
			return res, fmt.Errorf("site: publish %s to %s: %w", MarkerKey, target, err)
		}
		oldMarker = manifest{}.encode()
	}

	var mu sync.Mutex
	done := 0
	var changed []string // keys of the objects replaced or deleted, to invalidate
	upErr := func() error {
		for class := classAsset; class <= classEntry; class++ {
			var batch []plannedFile
			for _, p := range uploads {
				if p.class == class {
					batch = append(batch, p)
				}
			}
			err := forEach(ctx, cfg.Workers, batch, func(ctx context.Context, p plannedFile) error {
				put, err := target.put(ctx, p.buildFile)
				if err != nil {
					return fmt.Errorf("site: publish %s to %s: %w", p.key, target, err)
				}
				mu.Lock()
				defer mu.Unlock()
				next.Files[p.key] = manifestEntry{
					SHA256: p.sha256, ETag: put.etag, Size: put.size,
					ContentType: p.contentType, CacheControl: p.cacheControl,
					ContentEncoding: p.contentEncoding, Redirect: p.redirect,
				}
				if p.action == ActionUpdate {
					changed = append(changed, p.key)
				}
				res.Uploaded++
				res.Bytes += put.size
				done++
				if cfg.Progress != nil {
					cfg.Progress(done, len(uploads), res.Bytes)
				}
				log.Debug("uploaded", "key", p.key, "bytes", put.size, "action", p.action, "content_type", p.contentType)
				return nil
			})
			if err != nil {
				return err
			}
			if len(batch) > 0 {
				log.Debug("uploaded class", "class", classNames[class], "files", len(batch))
			}
		}
		return nil
	}()

	// Deletes only when every upload succeeded (the limit was checked on
	// the plan, before any upload).
	var delErr error
	switch {
	case upErr != nil || len(stale) == 0:
	default:
		n, err := target.delete(ctx, stale)
		res.Deleted = n
		changed = append(changed, stale...) // some may be gone even on error
		if err != nil {
			delErr = fmt.Errorf("site: publish to %s: delete stale objects: %w", target, err)
		} else {
			log.Debug("deleted stale objects", "keys", stale)
		}
	}

	var invErr error
	next.Invalidate, res.Invalidation, invErr = invalidateChanged(ctx, cfg, target, log, changed, old.Invalidate, upErr == nil && delErr == nil)

	// The manifest last, also after a failed upload, so that it describes
	// what the target holds: a key whose upload failed has no entry and is
	// uploaded again next time.
	var manErr error
	if !sameBytes(oldMarker, next) {
		if _, err := target.put(ctx, manifestFile(next)); err != nil {
			manErr = fmt.Errorf("site: publish %s to %s: %w", MarkerKey, target, err)
		}
	}
	log.Info("published", "target", target.String(), "uploaded", res.Uploaded,
		"unchanged", res.Unchanged, "deleted", res.Deleted, "bytes", res.Bytes)
	for _, err := range []error{upErr, delErr, invErr, manErr} {
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// forEach runs fn on every file with up to workers at once. It stops
// starting new work at the first error, which it returns.
func forEach(ctx context.Context, workers int, files []plannedFile, fn func(context.Context, plannedFile) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sem := make(chan struct{}, max(workers, 1))
	var wg sync.WaitGroup
	for _, f := range files {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := fn(ctx, f); err != nil {
				cancel(err)
			}
		})
	}
	wg.Wait()
	return context.Cause(ctx)
}

// invalidateChanged invalidates on CloudFront the paths of the changed keys
// (updated or deleted) with those pending from an earlier publish, when cfg
// names a distribution, the target is a bucket and the publish succeeded
// (ok). It returns the paths still pending, for the manifest: none after a
// successful invalidation, else all of them; none either without a
// distribution, where there is no cache to keep in step.
func invalidateChanged(ctx context.Context, cfg Config, target publishTarget, log *slog.Logger,
	changed, pending []string, ok bool) ([]string, *Invalidation, error) {
	bucket, isBucket := target.(*bucketTarget)
	if cfg.CloudFrontDistribution == "" || !isBucket {
		return nil, nil, nil
	}
	paths, wildcard := invalidationPaths(bucket.prefix, changed, pending, cfg.InvalidationLimit)
	if len(paths) == 0 || !ok {
		return paths, nil, nil
	}
	inv, err := invalidate(ctx, cfg.CloudFrontDistribution, paths, wildcard, log)
	if err != nil {
		return paths, inv, fmt.Errorf("%w (%s): %w; readers may get the old version of %d changed paths until their cache expires; the manifest keeps them and the next publish invalidates them",
			ErrInvalidation, target, err, len(paths))
	}
	return nil, inv, nil
}
