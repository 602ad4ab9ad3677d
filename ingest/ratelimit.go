package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"
)

// HostLimiter spaces the requests made to each host: a request to a host
// starts no sooner than the interval its caller asks for after the previous
// request to the same host. It is what keeps the JSON sources within their
// hosts' terms (Remotive: never more than 2 calls a minute).
//
// The host is the URL's host and port, lower-cased, so two test servers on
// 127.0.0.1 are two hosts. A HostLimiter is safe for concurrent use; callers
// waiting for the same host are served in the order they called [HostLimiter.Wait].
type HostLimiter struct {
	mu    sync.Mutex
	last  map[string]time.Time // per host, the time reserved for the latest request
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// NewHostLimiter returns a limiter on the real clock.
func NewHostLimiter() *HostLimiter {
	return newHostLimiter(time.Now, sleepContext)
}

// newHostLimiter returns a limiter on the given clock; tests pass a fake one
// so that nothing sleeps for real.
func newHostLimiter(now func() time.Time, sleep func(context.Context, time.Duration) error) *HostLimiter {
	return &HostLimiter{last: map[string]time.Time{}, now: now, sleep: sleep}
}

// Wait blocks until a request to the host of rawURL may start, at least
// interval after the previous request to that host, and reserves that time
// for the caller. An interval of zero or less does not wait (the request is
// still recorded). It returns an error when rawURL has no host or ctx ends
// first; a reservation given up that way is not handed back, which only ever
// makes the next request wait longer, never shorter.
func (l *HostLimiter) Wait(ctx context.Context, rawURL string, interval time.Duration) error {
	host, err := limiterHost(rawURL)
	if err != nil {
		return err
	}
	l.mu.Lock()
	now := l.now()
	at := now
	if last, ok := l.last[host]; ok && interval > 0 {
		at = laterOf(now, last.Add(interval))
	}
	if last, ok := l.last[host]; !ok || at.After(last) {
		l.last[host] = at
	}
	l.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		if err := l.sleep(ctx, d); err != nil {
			return fmt.Errorf("ratelimit: wait %s for %s: %w", d, host, err)
		}
	}
	return nil
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

func laterOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
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
// [WithLimiter]: one per process, so that sources (or several instances of
// one) that reach the same host share its spacing.
var sharedLimiter = NewHostLimiter()

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
