package main

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/schollz/progressbar/v3"

	"github.com/jobpulse/jobpulse/ingest"
	"golang.org/x/term"
)

// progress shows what an ingest is doing: a live line per stage on a
// terminal; nothing on other outputs, where the log lines say it instead.
type progress struct {
	mu      sync.Mutex
	bar     *progressbar.ProgressBar // nil when not on a terminal
	stage   string
	sources map[string]string // source -> its part of the line (load)

	// The fetch is told as sources done of sources listed, hundreds of
	// boards among them, with the failures by kind of source.
	listed   int
	finished int
	fetches  map[string]fetchCount // source -> what it kept so far
	failed   map[string]int        // kind of source -> sources failed
	kinds    map[string]string     // source -> its kind, for sources that say
}

// fetchCount is what one source kept so far.
type fetchCount struct {
	pages int
	bytes int64
}

// newProgress returns a progress display on the commands' error output.
func (a *app) newProgress(sources int) *progress {
	p := &progress{sources: make(map[string]string, sources), listed: sources,
		fetches: map[string]fetchCount{}, failed: map[string]int{}, kinds: map[string]string{}}
	if isTerminal(a.stderr) {
		p.bar = progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(a.stderr),
			progressbar.OptionSpinnerType(14),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100_000_000), // 100ms
		)
	}
	return p
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// list tells the progress of the sources of the fetch.
func (p *progress) list(sources []ingest.Source) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.listed = len(sources)
	for _, s := range sources {
		// A company board tells its system ("greenhouse"): its
		// failures count under that kind.
		if k := ingest.SourceKind(s); k != "" {
			p.kinds[s.Name()] = k
		}
	}
}

// fetched is an [ingest.FetchProgress].
func (p *progress) fetched(source string, pages int, bytes int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fetches[source] = fetchCount{pages, bytes}
	p.showFetch()
}

// sourceDone is an [ingest.FetchDone].
func (p *progress) sourceDone(r ingest.FetchResult) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finished++
	if r.Err != nil {
		kind := p.kinds[r.Source]
		if kind == "" {
			kind = r.Source
		}
		p.failed[kind]++
	}
	p.showFetch()
}

// fetchLine is the line of the fetch: sources done of sources listed, what
// they kept, and the failures by kind of source.
func (p *progress) fetchLine() string {
	var pages int
	var bytes int64
	for _, c := range p.fetches {
		pages += c.pages
		bytes += c.bytes
	}
	line := fmt.Sprintf("fetch: %d/%d sources done, %d pages %.1f MB", p.finished, p.listed, pages, float64(bytes)/1e6)
	if len(p.failed) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(p.failed)) {
			parts = append(parts, fmt.Sprintf("%s %d", k, p.failed[k]))
		}
		line += ", failed: " + strings.Join(parts, ", ")
	}
	return line
}

// showFetch shows the line of the fetch; p.mu is held.
func (p *progress) showFetch() {
	if p.bar == nil {
		return
	}
	p.stage = "fetch"
	p.bar.Describe(p.fetchLine())
	p.bar.Add(1)
}

// loaded is told of the pages and postings loaded per source.
func (p *progress) loaded(source string, pages, postings int) {
	p.update("load", source, fmt.Sprintf("%s %d pages %d postings", source, pages, postings))
}

func (p *progress) update(stage, source, text string) {
	if p == nil || p.bar == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if stage != p.stage {
		p.stage = stage
		clear(p.sources)
	}
	p.sources[source] = text
	parts := make([]string, 0, len(p.sources))
	for _, k := range slices.Sorted(maps.Keys(p.sources)) {
		parts = append(parts, p.sources[k])
	}
	p.bar.Describe(stage + ": " + strings.Join(parts, ", "))
	p.bar.Add(1)
}

// done removes the progress line.
func (p *progress) done() {
	if p == nil || p.bar == nil {
		return
	}
	p.bar.Finish()
}
