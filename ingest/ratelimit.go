package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// HostLimiter is what every fetch asks before it sends a request to a host:
// its pace and its turn.
//
// The pace spaces the requests to each host: a request to a host starts no
// sooner than the interval its caller asks for after the previous request to
// the same host. It is what keeps the JSON sources within their hosts' terms
// (Remotive: never more than 2 calls a minute). Each host's pace is a
// [rate.Limiter] of one token: no hand-written scheduler, as fetch pacing is
// waiting, not work.
//
// The turn bounds the requests in flight at each host: one at a time, unless
// a source allows more with [HostLimiter.AllowConcurrent] (a board API that
// serves every company's board from one host, behind a CDN, can take a few at
// once; a small site cannot).
//
// The host is the URL's host and port, lower-cased, so two test servers on
// 127.0.0.1 are two hosts. A HostLimiter is safe for concurrent use; callers
// waiting for the same host are served in the order they called [HostLimiter.Wait].
type HostLimiter struct {
	mu    sync.Mutex
	hosts map[string]*hostState
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// hostState is one host's pace and turns.
type hostState struct {
	pace  *rate.Limiter
	slots chan struct{} // a token per request in flight
	allow int           // requests allowed at once, at least 1
}

// NewHostLimiter returns a limiter on the real clock.
func NewHostLimiter() *HostLimiter {
	return newHostLimiter(time.Now, sleepContext)
}

// newHostLimiter returns a limiter on the given clock; tests pass a fake one
// so that nothing sleeps for real.
func newHostLimiter(now func() time.Time, sleep func(context.Context, time.Duration) error) *HostLimiter {
	return &HostLimiter{hosts: map[string]*hostState{}, now: now, sleep: sleep}
}

// host returns the state of host, made on first use.
func (l *HostLimiter) host(host string) *hostState {
	l.mu.Lock()
	defer l.mu.Unlock()
	h, ok := l.hosts[host]
	if !ok {
		h = &hostState{pace: rate.NewLimiter(rate.Inf, 1), allow: 1}
		h.slots = make(chan struct{}, h.allow)
		l.hosts[host] = h
	}
	return h
}

// Wait blocks until a request to the host of rawURL may start, at least
// interval after the previous request to that host, and reserves that time
// for the caller. An interval of zero or less does not wait. It returns an
// error when rawURL has no host or ctx ends first (or has ended already,
// even where no wait is due, as x/time/rate's Wait does); a reservation
// given up that way is handed back.
func (l *HostLimiter) Wait(ctx context.Context, rawURL string, interval time.Duration) error {
	host, err := limiterHost(rawURL)
	if err != nil {
		return err
	}
	if interval <= 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("ratelimit: wait for %s: %w", host, err)
	}
	h := l.host(host)
	l.mu.Lock() // the limit and the reservation together, for callers asking different intervals
	now := l.now()
	if every := rate.Every(interval); h.pace.Limit() != every {
		h.pace.SetLimitAt(now, every)
	}
	r := h.pace.ReserveN(now, 1)
	l.mu.Unlock()
	if d := r.DelayFrom(now); d > 0 {
		if err := l.sleep(ctx, d); err != nil {
			r.CancelAt(l.now())
			return fmt.Errorf("ratelimit: wait %s for %s: %w", d, host, err)
		}
	}
	return nil
}

// AllowConcurrent lets n requests (at least one) be in flight at once at
// host (a host name or host:port, as in a URL). A source calls it for its
// own host when that host's terms or capacity allow it; requests already
// waiting keep the allowance they waited under.
func (l *HostLimiter) AllowConcurrent(host string, n int) {
	n = max(n, 1)
	host = strings.ToLower(host)
	h := l.host(host)
	l.mu.Lock()
	defer l.mu.Unlock()
	if h.allow != n {
		h.allow, h.slots = n, make(chan struct{}, n)
	}
}

// Acquire blocks until a request to the host of rawURL may be in flight
// (see [HostLimiter.AllowConcurrent]), and returns the function that ends
// its turn. It returns an error when rawURL has no host or ctx ends first.
func (l *HostLimiter) Acquire(ctx context.Context, rawURL string) (release func(), err error) {
	host, err := limiterHost(rawURL)
	if err != nil {
		return nil, err
	}
	h := l.host(host)
	l.mu.Lock()
	slots := h.slots
	l.mu.Unlock()
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("ratelimit: wait for a turn at %s: %w", host, ctx.Err())
	}
}

// limiterHost returns the lower-cased host[:port] of rawURL.
func limiterHost(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("ratelimit: %w", err)
	}
	if u.Host == "" {
		return "", fmt.Errorf("ratelimit: %q has no host", rawURL)
	}
	return strings.ToLower(u.Host), nil
}

// sleepContext sleeps for d or until ctx ends.
func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// sharedLimiter is the limiter of every JSON source built without
// [WithLimiter], and of every fetcher and crawl not given one: one per
// process, so that sources (or several instances of one) that reach the same
// host share its spacing and its turns.
var sharedLimiter = NewHostLimiter()

// SharedLimiter returns the limiter of the process, the one used where no
// other is given.
func SharedLimiter() *HostLimiter { return sharedLimiter }

// SourceOption sets an optional part of a JSON source ([NewRemotive],
// [NewArbeitnow], [NewRemoteOK]).
type SourceOption func(*sourceOptions)

type sourceOptions struct {
	limiter *HostLimiter
	logger  *slog.Logger
}

// WithLimiter makes the source space its requests with l instead of the
// limiter shared by the process.
func WithLimiter(l *HostLimiter) SourceOption {
	return func(o *sourceOptions) { o.limiter = l }
}

// WithLogger gives the source a logger for what is worth a line but is no
// error (a paging cap reached); without it the source logs nothing.
func WithLogger(l *slog.Logger) SourceOption {
	return func(o *sourceOptions) { o.logger = l }
}

func newSourceOptions(source string, opts []SourceOption) sourceOptions {
	o := sourceOptions{limiter: sharedLimiter, logger: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(&o)
	}
	if o.limiter == nil {
		o.limiter = sharedLimiter
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	o.logger = o.logger.With("source", source)
	return o
}

// validateBaseURL checks a source's base URL, naming its configuration key.
func validateBaseURL(key, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("config: %s: %q is not an http(s) URL", key, raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("config: %s: %q must not have a query or fragment", key, raw)
	}
	return nil
}
