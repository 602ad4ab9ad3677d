package ingest

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// DefaultDeadline is how long one source may fetch in one run unless its
// sources.<name>.deadline says otherwise: well above a healthy crawl of a
// board's default 500 pages a second apart, or a Remotive run of a dozen
// categories 30 seconds apart, and far below what a slow board costs with
// max_pages × retries × fetch.timeout (hours).
const DefaultDeadline = 30 * time.Minute

// ErrDeadline is wrapped by the error of a source that ran past its
// deadline (see [WithDeadline]).
var ErrDeadline = errors.New("source deadline exceeded")

// ValidateDeadline checks a source's deadline, naming its key.
func ValidateDeadline(source string, d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("config: sources.%s.deadline: %s must be positive", source, d)
	}
	return nil
}

// WithDeadline returns src whose Fetch ends when d has passed, retries and
// pages included: it then fails with an error wrapping [ErrDeadline] that
// says how many pages were kept, and every page kept until then stays kept
// (a page being stored when the deadline passes is stored: only the
// fetching stops). d <= 0 returns src itself.
func WithDeadline(src Source, d time.Duration) Source {
	if d <= 0 {
		return src
	}
	return &deadlineSource{Source: src, d: d}
}

type deadlineSource struct {
	Source
	d time.Duration
}

// Unwrap returns the source it wraps.
func (s *deadlineSource) Unwrap() Source { return s.Source }

func (s *deadlineSource) Fetch(ctx context.Context, keep func(context.Context, RawPage) error) error {
	dctx, cancel := context.WithTimeoutCause(ctx, s.d, ErrDeadline)
	defer cancel()
	var pages atomic.Int64
	err := s.Source.Fetch(dctx, func(_ context.Context, p RawPage) error {
		pages.Add(1)
		return keep(ctx, p) // the run's context: the deadline does not cut a page received
	})
	if err != nil && errors.Is(context.Cause(dctx), ErrDeadline) {
		return &deadlineError{d: s.d, source: s.Name(), pages: pages.Load(), err: err}
	}
	return err
}

// deadlineError is the error of a source stopped by its deadline.
type deadlineError struct {
	d      time.Duration
	source string
	pages  int64
	err    error // what the source was doing
}

func (e *deadlineError) Error() string {
	return fmt.Sprintf("deadline %s exceeded after %d page(s) (sources.%s.deadline): %v", e.d, e.pages, e.source, e.err)
}

func (e *deadlineError) Unwrap() []error { return []error{ErrDeadline, e.err} }
