package ingest

import (
	"context"
	"errors"
	"fmt"
	"path"
	"runtime"
	"strings"
	"sync"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// pageJob is one raw page to read, parse and normalize.
type pageJob struct {
	source int // index in run.Sources
	n      int // 1-based position among the source's pages
	key    string
	src    Source
	lookup Lookup
	done   chan pageResult // buffered: the worker never waits
}

// pageResult is what became of a page.
type pageResult struct {
	meta     Meta
	postings []Posting
	rejects  []Reject
	parseErr error // the page could not be parsed as a whole
	err      error // the page could not be read
}

// parseRun parses the pages of run's sources that sources has, in order
// (sources as in run.Sources, pages by key), sending each page's postings to
// pages and recording what it found in parsed (index by index with
// run.Sources). Pages are read, parsed and normalized by one worker per CPU;
// their results are taken in order, so the postings arrive in the same order
// whatever the timing, and at most a few pages are in memory at once. It
// returns an error only when the lake fails.
func parseRun(ctx context.Context, lake Lake, sources map[string]Source, run jobdata.Run,
	parsed []sourceParse, pages chan<- []Posting, progress func(string, int, int)) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel() // on an early return, unblocks the dispatcher and the workers
		wg.Wait()
	}()
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *pageJob)
	order := make(chan *pageJob, workers)
	for range workers {
		wg.Go(func() {
			for job := range jobs {
				job.done <- readPage(ctx, lake, job)
			}
		})
	}
	var listErr error
	wg.Go(func() { // the dispatcher
		defer close(jobs)
		defer close(order)
		for i, sr := range run.Sources {
			src, ok := sources[sr.Source]
			if !ok {
				continue
			}
			prefix := partition(sr, run)
			keys, err := lake.List(ctx, prefix)
			if err != nil {
				listErr = fmt.Errorf("list %s: %w", prefix, err)
				return
			}
			parsed[i].loaded = true
			parsed[i].keys = append([]string{}, keys...)
			lookup := lakeLookup(lake, prefix)
			for n, key := range keys {
				job := &pageJob{source: i, n: n + 1, key: key, src: src, lookup: lookup, done: make(chan pageResult, 1)}
				select { // into the queue first: the collector waits for jobs in this order
				case order <- job:
				case <-ctx.Done():
					return
				}
				select {
				case jobs <- job:
				case <-ctx.Done():
					return
				}
			}
		}
	})

	for job := range order {
		var res pageResult
		select {
		case res = <-job.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if res.err != nil {
			return res.err
		}
		p := &parsed[job.source]
		if res.meta.FetchedAt.After(p.lastFetch) {
			p.lastFetch = res.meta.FetchedAt
		}
		switch {
		case res.meta.Error != "":
			if !isAttempt(job.key) && !IsOptionalPage(job.src, path.Base(job.key)) {
				p.fetchLines = append(p.fetchLines, fetchLine+job.key+": "+oneLine(res.meta.Error))
			}
		case res.parseErr != nil:
			p.parseLines = append(p.parseLines, parseLine+job.key+": "+oneLine(res.parseErr.Error()))
			res.rejects = append(res.rejects, Reject{LakeKey: job.key, Index: -1, Reason: res.parseErr.Error()})
		}
		p.postings += len(res.postings)
		p.rejects = append(p.rejects, res.rejects...)
		if len(res.postings) > 0 {
			select {
			case pages <- res.postings:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if progress != nil {
			progress(run.Sources[job.source].Source, job.n, p.postings)
		}
	}
	return listErr // set before order was closed
}

// lakeLookup returns the [Lookup] of the pages under prefix.
func lakeLookup(lake Lake, prefix string) Lookup {
	return func(ctx context.Context, name string) (StoredPage, error) {
		key := prefix + name
		if strings.Contains(name, "/") || ValidateKey(key) != nil {
			return StoredPage{}, fmt.Errorf("lookup %q in %s: %w", name, prefix, ErrNotFound)
		}
		body, meta, err := lake.Get(ctx, key)
		return StoredPage{Key: key, Name: name, Body: body, Meta: meta}, err
	}
}

// readPage reads a page and, when it was received whole, parses it.
func readPage(ctx context.Context, lake Lake, job *pageJob) pageResult {
	body, meta, err := lake.Get(ctx, job.key)
	if err != nil {
		return pageResult{err: fmt.Errorf("read %s: %w", job.key, err)}
	}
	res := pageResult{meta: meta}
	if meta.Error != "" {
		return res // a failed response: kept, not parsed
	}
	page := StoredPage{Key: job.key, Name: path.Base(job.key), Body: body, Meta: meta}
	res.postings, res.rejects, res.parseErr = parsePage(ctx, job.src, page, job.lookup)
	return res
}

// parsePage parses and normalizes one page. A parser or normalizer that
// panics on a hostile page fails that page only.
func parsePage(ctx context.Context, src Source, page StoredPage, lookup Lookup) (postings []Posting, rejects []Reject, err error) {
	defer func() {
		if r := recover(); r != nil {
			postings, rejects, err = nil, nil, fmt.Errorf("%s: parse %s: panic: %v", src.Name(), page.Key, r)
		}
	}()
	postings, rejects, err = src.Parse(ctx, page, lookup)
	if err != nil {
		return nil, rejects, err
	}
	for i := range postings {
		p := &postings[i]
		if p.LakeKey == "" {
			p.LakeKey = page.Key
		}
		Normalize(p)
	}
	return postings, rejects, nil
}

// ErrRecordGone is returned by [ReadListing] when the listing's raw page no
// longer parses into its record: the source's parser reads it otherwise now
// (another id, or a reject).
var ErrRecordGone = errors.New("record not in its raw page")

// ReadListing reads one posting from the lake as a load does: the raw page
// at key parsed by src (with the other pages of its run for detail pages),
// the record of sourceID taken, normalized. It needs no network and no
// warehouse (which tells where a listing was last read: its lake key).
func ReadListing(ctx context.Context, lake Lake, src Source, key, sourceID string) (Posting, error) {
	body, meta, err := lake.Get(ctx, key)
	if err != nil {
		return Posting{}, fmt.Errorf("ingest: read %s: %w", key, err)
	}
	page := StoredPage{Key: key, Name: path.Base(key), Body: body, Meta: meta}
	postings, _, err := parsePage(ctx, src, page, lakeLookup(lake, path.Dir(key)+"/"))
	if err != nil {
		return Posting{}, fmt.Errorf("ingest: %w", err)
	}
	for _, p := range postings {
		if p.SourceID == sourceID {
			return p, nil
		}
	}
	return Posting{}, fmt.Errorf("ingest: %s, the listing's last raw page, parses into no record %s:%s: %w",
		key, src.Name(), sourceID, ErrRecordGone)
}
