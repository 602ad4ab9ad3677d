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
	"golang.org/x/term"
)

// progress shows what an ingest is doing: a live line per stage on a
// terminal; nothing on other outputs, where the log lines say it instead.
type progress struct {
	mu      sync.Mutex
	bar     *progressbar.ProgressBar // nil when not on a terminal
	stage   string
	sources map[string]string // source -> its part of the line
}

// newProgress returns a progress display on the commands' error output.
func (a *app) newProgress(sources int) *progress {
	p := &progress{sources: make(map[string]string, sources)}
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

// fetched is an [ingest.FetchProgress].
func (p *progress) fetched(source string, pages int, bytes int64) {
	p.update("fetch", source, fmt.Sprintf("%s %d pages %.1f MB", source, pages, float64(bytes)/1e6))
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
