package scrape

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/jobpulse/jobpulse/ingest"
)

// Errors of a crawl, checked with errors.Is on the error of [Source.Fetch].
var (
	// ErrDisallowed is wrapped for a page that robots.txt forbids: it is
	// not requested.
	ErrDisallowed = errors.New("disallowed by robots.txt")
	// ErrOffHost is wrapped for a link outside the start URL's scheme, host
	// and port: it is not requested.
	ErrOffHost = errors.New("outside the start URL")
	// ErrMaxPages is wrapped when the crawl stopped at max_pages with pages
	// left to fetch.
	ErrMaxPages = errors.New("max_pages reached")
	// ErrNotHTML is wrapped for a list page that colly could not read as
	// HTML (its Content-Type is not text/html): its links are not followed.
	ErrNotHTML = errors.New("list page is not HTML")
)

// Source is a job board crawled by a [Profile]; it implements [ingest.Source].
type Source struct {
	p       Profile
	cfg     ingest.FetchConfig
	base    http.RoundTripper
	limiter *ingest.HostLimiter // each host's turns; nil: the process's
	logger  *slog.Logger
}

var _ ingest.Source = (*Source)(nil)

// Option configures a [Source].
type Option func(*Source)

// WithTransport makes the crawl's requests with rt instead of a clone of
// [http.DefaultTransport] (tests use it to refuse any host but 127.0.0.1).
func WithTransport(rt http.RoundTripper) Option {
	return func(s *Source) { s.base = rt }
}

// WithLimiter makes the crawl take its turns at the board's host from l
// (see [ingest.HostLimiter.Acquire]) instead of [ingest.SharedLimiter]: the
// limiter of the other sources of the run, so that they take turns at a
// host they share.
func WithLimiter(l *ingest.HostLimiter) Option {
	return func(s *Source) { s.limiter = l }
}

// New returns the source of profile p, fetching with cfg (User-Agent,
// per-attempt timeout, size cap, retries). p should have passed
// [Profile.Validate]. A nil logger discards.
func New(p Profile, cfg ingest.FetchConfig, logger *slog.Logger, opts ...Option) *Source {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Source{p: p, cfg: cfg, logger: logger.WithGroup("scrape").With("source", p.Name)}
	for _, o := range opts {
		o(s)
	}
	if s.base == nil {
		s.base = http.DefaultTransport.(*http.Transport).Clone()
	}
	return s
}

// Name returns the profile's name.
func (s *Source) Name() string { return s.p.Name }

// Profile returns the source's profile.
func (s *Source) Profile() Profile { return s.p }

// crawlError is the error of a crawl that fetched what it could but met
// problems: failed pages, links it would not follow.
type crawlError struct {
	pages    int
	problems []error
}

func (e *crawlError) Error() string {
	const shown = 3
	var b strings.Builder
	fmt.Fprintf(&b, "scrape: %d problem(s) in a crawl of %d page(s): ", len(e.problems), e.pages)
	for i, err := range e.problems[:min(shown, len(e.problems))] {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(err.Error())
	}
	if n := len(e.problems) - shown; n > 0 {
		fmt.Fprintf(&b, "; and %d more", n)
	}
	return b.String()
}

func (e *crawlError) Unwrap() []error { return e.problems }
