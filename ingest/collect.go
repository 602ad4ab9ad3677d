package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// SourceResult is what one source gave in one run.
type SourceResult struct {
	Source   string
	Err      error    // why the source failed; nil when it succeeded
	Keys     []string // lake keys of every page kept in this run, in fetch order
	Postings []Posting
	Rejects  []Reject
}

// Collect fetches every source concurrently for the run runID started at
// started, keeps each raw page in lake before parsing it, and parses the
// pages that were received whole. One failing source never stops the others:
// its error is in its result.
func Collect(ctx context.Context, lake Lake, sources []Source, runID string, started time.Time, logger *slog.Logger) []SourceResult {
	results := make([]SourceResult, len(sources))
	var wg sync.WaitGroup
	for i, src := range sources {
		wg.Go(func() {
			results[i] = collectSource(ctx, lake, src, runID, started, logger.With(slog.Group("ingest", "source", src.Name())))
		})
	}
	wg.Wait()
	return results
}

func collectSource(ctx context.Context, lake Lake, src Source, runID string, started time.Time, logger *slog.Logger) SourceResult {
	res := SourceResult{Source: src.Name()}
	type kept struct {
		key  string
		body []byte
		meta Meta
	}
	var pages []kept
	keep := func(ctx context.Context, p RawPage) error {
		key := RawKey(src.Name(), started, runID, p.Name)
		if err := lake.Put(ctx, key, p.Body, p.Meta); err != nil {
			return fmt.Errorf("ingest: keep %s page: %w", src.Name(), err)
		}
		logger.Debug("kept raw page", "key", key, "bytes", len(p.Body), "status", p.Meta.Status)
		res.Keys = append(res.Keys, key)
		pages = append(pages, kept{key, p.Body, p.Meta})
		return nil
	}
	start := time.Now()
	if err := src.Fetch(ctx, keep); err != nil {
		res.Err = fmt.Errorf("source %s: %w", src.Name(), err)
	}
	for _, p := range pages {
		if p.meta.Error != "" {
			continue // a failed response: kept, not parsed
		}
		postings, rejects, err := src.Parse(p.body, p.meta, p.key)
		if err != nil {
			// The page as a whole is unreadable: the source failed, and the
			// page is reported as one reject with its lake key.
			rejects = append(rejects, Reject{LakeKey: p.key, Index: -1, Reason: err.Error()})
			res.Err = errors.Join(res.Err, fmt.Errorf("source %s: %w", src.Name(), err))
		}
		res.Postings = append(res.Postings, postings...)
		res.Rejects = append(res.Rejects, rejects...)
	}
	level := slog.LevelInfo
	if res.Err != nil {
		level = slog.LevelError
	}
	attrs := []any{"pages", len(res.Keys), "postings", len(res.Postings), "rejected", len(res.Rejects),
		"took", time.Since(start).Round(time.Millisecond)}
	if res.Err != nil {
		attrs = append(attrs, "err", res.Err)
	}
	logger.Log(ctx, level, "source collected", attrs...)
	return res
}
