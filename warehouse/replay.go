package warehouse

import (
	"cmp"
	"context"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/ingest"
)

// normalizePosting normalizes a parsed posting before it is loaded.
var normalizePosting = ingest.Normalize

// Prefixes of the lines of a SourceRun.Error that [LoadFromLake] derives
// from the lake, followed by a lake key. Lines with these prefixes in the
// run it is given are dropped and derived again, so that loading a run it
// returned gives the same run.
const (
	fetchLine = "fetch " // a final response kept with an error (Meta.Error)
	parseLine = "parse " // a page its source could not parse as a whole
)

// partition returns the lake prefix of the raw pages of a source in a run:
// raw/source=<s>/date=<d>/run=<id>/.
func partition(source string, run Run) string {
	return path.Dir(ingest.RawKey(source, run.StartedAt, run.ID, "x")) + "/"
}

// LoadFromLake loads a run from the lake in one transaction, as both ingest
// and replay do: for each source of run that sources has (in name order), it
// lists the run's pages (raw/source=<s>/date=<d>/run=<id>/, d the UTC date of
// run.StartedAt), parses each page received whole (Meta.Error empty) with a
// [ingest.Lookup] into the same partition, normalizes every posting, and
// streams them into one [Loader]. Pages are read, parsed and normalized by one
// goroutine per CPU beside the COPY (so Source.Parse and ingest.Normalize are
// called concurrently, on different pages), their postings reach the loader
// in page order whatever the timing, and at most a few pages are in memory
// at once.
//
// The run given is what the fetch recorded (or a manifest: see [Replay]);
// the run returned has, per source, Pages and LakeKeys as the lake holds
// them, Postings parsed and Rejected records; a source fails when its fetch
// failed (Status failed), when a final response was kept with an error and
// the fetch recorded none ("fetch <key>: ..."), or when a page could not be
// parsed as a whole ("parse <key>: ...": the page is also one reject, with
// index -1). The run's Status is ok when every source is, partial when some
// are, failed otherwise; a zero FinishedAt becomes the latest fetch time of
// its pages. Sources of run missing from sources are kept as given and not
// loaded. progress, if not nil, is called after each page, in page order,
// from a goroutine of the load.
//
// An error (the lake or the database failing) means nothing was loaded; the
// run returned then says what was known.
func LoadFromLake(ctx context.Context, pool *pgxpool.Pool, lake ingest.Lake, sources map[string]ingest.Source,
	run Run, progress func(source string, pages, postings int)) (Run, LoadStats, error) {
	run.Sources = slices.Clone(run.Sources)
	slices.SortStableFunc(run.Sources, func(a, b SourceRun) int { return cmp.Compare(a.Source, b.Source) })
	for i := range run.Sources {
		if s := &run.Sources[i]; s.Status == "" { // as a manifest may say: failed when it says why
			s.Status = SourceOK
			if s.Error != "" {
				s.Status = SourceFailed
			}
		}
	}
	l, err := BeginLoad(ctx, pool, Run{ID: run.ID, StartedAt: run.StartedAt, Status: RunRunning})
	if err != nil {
		return run, LoadStats{}, err
	}
	defer l.Rollback(ctx)

	parsed := make([]sourceParse, len(run.Sources))
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan []ingest.Posting, 1)
	var parseErr error
	go func() {
		defer close(pages)
		parseErr = parseRun(pctx, lake, sources, run, parsed, pages, progress)
	}()
	err = l.Copy(ctx, func(yield func(ingest.Posting, error) bool) {
		for postings := range pages {
			for _, p := range postings {
				if !yield(p, nil) {
					return
				}
			}
		}
		if parseErr != nil { // set before pages was closed
			yield(ingest.Posting{}, parseErr)
		}
	})
	cancel()
	for range pages { // let the parser end
	}
	if err != nil {
		return run, LoadStats{}, err
	}
	var rejects []ingest.Reject
	var lastFetch time.Time
	for i := range run.Sources {
		if parsed[i].loaded {
			parsed[i].apply(&run.Sources[i], partition(run.Sources[i].Source, run))
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
	stats, err := l.Commit(ctx, run, rejects)
	return run, stats, err
}

// runStatus is ok when every source is, partial when some are, failed
// otherwise (no source at all included).
func runStatus(sources []SourceRun) string {
	ok := 0
	for _, s := range sources {
		if s.Status == SourceOK {
			ok++
		}
	}
	switch {
	case ok > 0 && ok == len(sources):
		return RunOK
	case ok > 0:
		return RunPartial
	}
	return RunFailed
}

// sourceParse is what parsing one source's pages of a run found.
type sourceParse struct {
	loaded     bool // the source was parsed (sources had it)
	keys       []string
	postings   int
	rejects    []ingest.Reject
	fetchLines []string // final responses kept with an error
	parseLines []string // pages that could not be parsed
	lastFetch  time.Time
}

// apply records the parse in s, the source as the fetch recorded it.
func (p *sourceParse) apply(s *SourceRun, prefix string) {
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
	failed := s.Status == SourceFailed && (len(lines) > 0 || !dropped)
	if len(lines) == 0 {
		lines = append(lines, p.fetchLines...)
	}
	lines = append(lines, p.parseLines...)
	failed = failed || len(lines) > 0
	s.Status = SourceOK
	if failed {
		s.Status = SourceFailed
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
