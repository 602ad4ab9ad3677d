package ingest

import (
	"cmp"
	"context"
	"iter"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/jobpulse/jobpulse/ingest/normalize"
	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// Prefixes of the lines of a SourceRun.Error that a [RunReader] derives from
// the lake, followed by a lake key. Lines with these prefixes in the run it
// is given are dropped and derived again, so that reading back a run it
// returned gives the same run.
const (
	fetchLine = "fetch " // a final response kept with an error (Meta.Error)
	parseLine = "parse " // a page its source could not parse as a whole
)

// partition returns the lake prefix of the raw pages of a source in a run:
// raw/source=<s>/date=<d>/run=<id>/, or the source's own Partition (a night
// fetched in shards, see [MergeNight]) when it is one of that source's.
func partition(s jobdata.SourceRun, run jobdata.Run) string {
	if s.Partition != "" && validPartition(s.Source, s.Partition) {
		return s.Partition
	}
	return path.Dir(RawKey(s.Source, run.StartedAt, run.ID, "x")) + "/"
}

// RunReader reads one run back from the lake, as both ingest and replay
// load it: for each source of the run that sources has (in name order), it
// lists the run's pages (raw/source=<s>/date=<d>/run=<id>/, d the UTC date
// of the run's start), parses each page received whole (Meta.Error empty)
// with a [Lookup] into the same partition, and normalizes every posting.
// The warehouse loads what it reads (see warehouse.LoadStream) and knows
// nothing of the lake.
//
// Its postings are read once, by ranging over [RunReader.Postings]; then
// [RunReader.Run] and [RunReader.Rejects] say what the reading found. A
// RunReader is not safe for concurrent use.
type RunReader struct {
	lake     Lake
	sources  map[string]Source
	run      jobdata.Run
	manifest bool
	progress func(source string, pages, postings int)
	rejects  []Reject
}

// ReadRun returns a reader of run from the lake, with the parsers of
// sources. The run given is what the fetch recorded (or a manifest: see
// [Replay]); sources of run missing from sources are kept as given and not
// read. progress, if not nil, is called after each page, in page order,
// from the goroutine that ranges over the postings. Nothing is read before
// the postings are ranged over.
func ReadRun(lake Lake, sources map[string]Source, run jobdata.Run,
	progress func(source string, pages, postings int)) *RunReader {
	run.Sources = slices.Clone(run.Sources)
	slices.SortStableFunc(run.Sources, func(a, b jobdata.SourceRun) int { return cmp.Compare(a.Source, b.Source) })
	for i := range run.Sources {
		if s := &run.Sources[i]; s.Status == "" { // as a manifest may say: failed when it says why
			s.Status = jobdata.SourceOK
			if s.Error != "" {
				s.Status = jobdata.SourceFailed
			}
		}
	}
	return &RunReader{lake: lake, sources: sources, run: run, progress: progress}
}

// Run returns the run. Before its postings were read to the end, it is the
// run as given (its sources in name order). After, each source read has
// Pages and LakeKeys as the lake holds them, Postings parsed and Rejected
// records; a source fails when its fetch failed (Status failed), when a
// final response was kept with an error and the fetch recorded none
// ("fetch <key>: ..."), or when a page could not be parsed as a whole
// ("parse <key>: ...": the page is also one reject, with index -1). The
// run's Status is then ok when every source is, partial when some are,
// failed otherwise; a zero FinishedAt becomes the latest fetch time of its
// pages.
func (r *RunReader) Run() jobdata.Run { return r.run }

// Manifest reports whether the run was restored from its manifest; false
// when [Replay] derived it from its raw pages' keys.
func (r *RunReader) Manifest() bool { return r.manifest }

// Rejects returns the records that could not be read, once the postings
// were read to the end.
func (r *RunReader) Rejects() []Reject { return r.rejects }

// Names returns the names readers may type for the values the normalizer
// that read the postings writes (see [normalize.Names]): the warehouse keeps
// them beside the postings, for the report's search.
func (r *RunReader) Names() []jobdata.Name { return normalize.Names() }

// Postings streams the run's postings, parsed and normalized. Pages are
// read, parsed and normalized by one goroutine per CPU while the caller
// consumes the stream (so Source.Parse and [Normalize] are called
// concurrently, on different pages); the postings arrive in page order
// whatever the timing, and at most a few pages are in memory at once. A
// failure of the lake (or ctx ending) ends the stream with an error; a page
// that cannot be parsed is a reject, never an error. Breaking off the
// stream stops the reading.
func (r *RunReader) Postings(ctx context.Context) iter.Seq2[Posting, error] {
	return func(yield func(Posting, error) bool) {
		parsed := make([]sourceParse, len(r.run.Sources))
		pctx, cancel := context.WithCancel(ctx)
		pages := make(chan []Posting, 1)
		var parseErr error
		go func() {
			defer close(pages)
			parseErr = parseRun(pctx, r.lake, r.sources, r.run, parsed, pages, r.progress)
		}()
		defer func() {
			cancel()
			for range pages { // let the parser end
			}
		}()
		for postings := range pages {
			for _, p := range postings {
				if !yield(p, nil) {
					return
				}
			}
		}
		if parseErr != nil { // set before pages was closed
			yield(Posting{}, parseErr)
			return
		}
		r.finish(parsed)
	}
}

// finish records in the run what reading it found.
func (r *RunReader) finish(parsed []sourceParse) {
	run := r.run
	run.Sources = slices.Clone(run.Sources)
	var rejects []Reject
	var lastFetch time.Time
	for i := range run.Sources {
		if parsed[i].loaded {
			parsed[i].apply(&run.Sources[i], partition(run.Sources[i], run))
			rejects = append(rejects, parsed[i].rejects...)
		}
		if parsed[i].lastFetch.After(lastFetch) {
			lastFetch = parsed[i].lastFetch
		}
	}
	if run.FinishedAt.IsZero() {
		run.FinishedAt = run.StartedAt
		if lastFetch.After(run.StartedAt) {
			run.FinishedAt = lastFetch
		}
	}
	run.Status = runStatus(run.Sources)
	r.run, r.rejects = run, rejects
}

// runStatus is ok when every source is (a gone board counts as ok: the
// company left that system, the night did not fail), partial when some are,
// failed otherwise (no source at all included).
func runStatus(sources []jobdata.SourceRun) string {
	ok := 0
	for _, s := range sources {
		if s.Status == jobdata.SourceOK || s.Status == jobdata.SourceGone {
			ok++
		}
	}
	switch {
	case ok > 0 && ok == len(sources):
		return jobdata.RunOK
	case ok > 0:
		return jobdata.RunPartial
	}
	return jobdata.RunFailed
}

// sourceParse is what parsing one source's pages of a run found.
type sourceParse struct {
	loaded     bool // the source was parsed (sources had it)
	keys       []string
	postings   int
	rejects    []Reject
	fetchLines []string // final responses kept with an error
	parseLines []string // pages that could not be parsed
	lastFetch  time.Time
}

// apply records the parse in s, the source as the fetch recorded it.
func (p *sourceParse) apply(s *jobdata.SourceRun, prefix string) {
	derived := func(line string) bool {
		return strings.HasPrefix(line, fetchLine+prefix) || strings.HasPrefix(line, parseLine+prefix)
	}
	var lines []string
	dropped := false
	for line := range strings.SplitSeq(s.Error, "\n") {
		switch {
		case derived(line):
			dropped = true
		case strings.TrimSpace(line) != "":
			lines = append(lines, line)
		}
	}
	if s.Status == jobdata.SourceGone {
		// A board that answered 404: its kept answer is the news, no failure.
		s.Error = strings.Join(lines, "\n")
		s.Pages, s.LakeKeys = len(p.keys), p.keys
		s.Postings, s.Rejected = p.postings, len(p.rejects)
		return
	}
	failed := s.Status == jobdata.SourceFailed && (len(lines) > 0 || !dropped)
	if len(lines) == 0 {
		lines = append(lines, p.fetchLines...)
	}
	lines = append(lines, p.parseLines...)
	failed = failed || len(lines) > 0
	s.Status = jobdata.SourceOK
	if failed {
		s.Status = jobdata.SourceFailed
	}
	s.Error = strings.Join(lines, "\n")
	s.Pages, s.LakeKeys = len(p.keys), p.keys
	s.Postings, s.Rejected = p.postings, len(p.rejects)
}

// isAttempt reports whether a lake key names a failed attempt that the
// fetcher retried (name.attempt-N.ext): not the final response.
func isAttempt(key string) bool {
	name := path.Base(key)
	name = strings.TrimSuffix(name, path.Ext(name))
	i := strings.LastIndex(name, ".attempt-")
	if i < 0 {
		return false
	}
	n := name[i+len(".attempt-"):]
	return n != "" && strings.Trim(n, "0123456789") == ""
}

// oneLine joins the lines of s, for an error that is one line of a list.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
