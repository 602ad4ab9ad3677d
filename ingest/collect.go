package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"
)

// FetchResult is what one source fetched in one run.
type FetchResult struct {
	Source string
	Err    error    // why the source failed; nil when every request succeeded
	Keys   []string // lake keys of every page kept in this run, in fetch order
	Bytes  int64    // total size of the pages kept
}

// FetchProgress is told of every page a source keeps; it must be safe for
// concurrent use, as sources fetch concurrently.
type FetchProgress func(source string, pages int, bytes int64)

// FetchDone is told of every source that finished, with its result; it must
// be safe for concurrent use.
type FetchDone func(FetchResult)

// DefaultConcurrency is the default of fetch.concurrency: how many sources
// are fetched at once. Politeness is each host's (one request at a time, at
// its pace), so this bounds only what the runner holds: sockets, and the
// bodies in memory (a board's page is a few megabytes at most; fetch.max_bytes
// bounds the worst). Sixteen fetch 500 boards answering in 200 ms in a
// tenth of the time one at a time takes (BenchmarkFetchBoards); eight would
// not (500/8 × 200 ms is an eighth).
const DefaultConcurrency = 16

// FetchOptions are the optional parts of [FetchWith].
type FetchOptions struct {
	// Concurrency is how many sources are fetched at once (fetch.concurrency);
	// zero or less means [DefaultConcurrency]. Whatever it is, each host
	// gets the turns its limiter gives (see [HostLimiter.Acquire]).
	Concurrency int
	// Progress, when set, is told of every page kept.
	Progress FetchProgress
	// Done, when set, is told of every source that finished.
	Done FetchDone
}

// Fetch is [FetchWith] with [DefaultConcurrency] sources at once, telling
// progress (which may be nil) of every page kept.
func Fetch(ctx context.Context, lake Lake, sources []Source, runID string, started time.Time, progress FetchProgress, logger *slog.Logger) []FetchResult {
	return FetchWith(ctx, lake, sources, runID, started, FetchOptions{Progress: progress}, logger)
}

// FetchWith fetches the sources side by side, opts.Concurrency at once, in
// the order given, for the run runID started at started, keeping each raw
// page in lake as soon as it is received. It does not parse: the run is then
// loaded from the lake, as a replay would load it. One failing source never
// stops the others: its error is in its result. The results are in the
// order of sources.
func FetchWith(ctx context.Context, lake Lake, sources []Source, runID string, started time.Time, opts FetchOptions, logger *slog.Logger) []FetchResult {
	n := opts.Concurrency
	if n <= 0 {
		n = DefaultConcurrency
	}
	results := make([]FetchResult, len(sources))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(n, len(sources)) {
		wg.Go(func() {
			for i := range next {
				src := sources[i]
				log := logger.With(slog.Group("ingest", "source", src.Name()))
				results[i] = fetchSource(ctx, lake, src, runID, started, opts.Progress, log)
				if opts.Done != nil {
					opts.Done(results[i])
				}
			}
		})
	}
	for i := range sources {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

func fetchSource(ctx context.Context, lake Lake, src Source, runID string, started time.Time, progress FetchProgress, logger *slog.Logger) FetchResult {
	res := FetchResult{Source: src.Name()}
	keep := func(ctx context.Context, p RawPage) error {
		key := RawKey(src.Name(), started, runID, p.Name)
		if err := lake.Put(ctx, key, p.Body, p.Meta); err != nil {
			return fmt.Errorf("ingest: keep %s page: %w", src.Name(), err)
		}
		logger.Debug("kept raw page", "key", key, "bytes", len(p.Body), "status", p.Meta.Status)
		res.Keys = append(res.Keys, key)
		res.Bytes += int64(len(p.Body))
		if progress != nil {
			progress(src.Name(), len(res.Keys), res.Bytes)
		}
		return nil
	}
	start := time.Now()
	if err := fetchRecovering(ctx, src, keep, logger); err != nil {
		res.Err = fmt.Errorf("source %s: %w", src.Name(), err)
	}
	attrs := []any{"pages", len(res.Keys), "bytes", res.Bytes, "took", time.Since(start).Round(time.Millisecond)}
	if res.Err != nil {
		logger.Error("source failed", append(attrs, "err", res.Err)...)
	} else {
		logger.Info("source fetched", attrs...)
	}
	return res
}

// ErrPanic is wrapped by the error of a source whose Fetch panicked: a bug
// in one source fails that source, never the run and its other sources.
var ErrPanic = errors.New("panic in the source")

// fetchRecovering is src.Fetch, with a panic turned into an error wrapping
// [ErrPanic] (its stack goes to the log): the pages kept until then stay
// kept.
func fetchRecovering(ctx context.Context, src Source, keep func(context.Context, RawPage) error, logger *slog.Logger) (err error) {
	defer func() {
		if r := recover(); r != nil {
			logger.Error("source panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("%w: %v", ErrPanic, r)
		}
	}()
	return src.Fetch(ctx, keep)
}
