package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	neturl "net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FetchConfig configures how sources make HTTP requests. Its fields are the
// keys fetch.*: the tags give each key's name and its help text.
type FetchConfig struct {
	UserAgent  string        `mapstructure:"user_agent" doc:"User-Agent of every request to a source"`
	Timeout    time.Duration `mapstructure:"timeout" doc:"time limit of one request to a source"`            // per request, body included
	MaxBytes   int64         `mapstructure:"max_bytes" doc:"largest response body kept from a source"`       // cap on one response body
	Retries    int           `mapstructure:"retries" doc:"retries of a request answered 429 or 5xx"`         // extra attempts on 429 and 5xx
	RetryDelay time.Duration `mapstructure:"retry_delay" doc:"first wait before a retry, doubled each time"` // first backoff, doubled per attempt
	// Concurrency is how many sources a run fetches at once (see [FetchWith]).
	Concurrency int `mapstructure:"concurrency" doc:"sources and boards fetched at once; each host still gets one request at a time unless its source allows more"`
}

// DefaultFetchConfig returns polite defaults.
func DefaultFetchConfig() FetchConfig {
	return FetchConfig{
		UserAgent:   "jobpulse/0.1 (+https://github.com/jobpulse/jobpulse)",
		Timeout:     60 * time.Second,
		MaxBytes:    64 << 20,
		Retries:     3,
		RetryDelay:  time.Second,
		Concurrency: DefaultConcurrency,
	}
}

// Validate checks the configuration, naming the key of a bad value.
func (c FetchConfig) Validate() error {
	switch {
	case c.UserAgent == "":
		return errors.New("config: fetch.user_agent: must not be empty")
	case c.Timeout <= 0:
		return fmt.Errorf("config: fetch.timeout: %s must be positive", c.Timeout)
	case c.MaxBytes <= 0:
		return fmt.Errorf("config: fetch.max_bytes: %d must be positive", c.MaxBytes)
	case c.Retries < 0:
		return fmt.Errorf("config: fetch.retries: %d must not be negative", c.Retries)
	case c.RetryDelay < 0:
		return fmt.Errorf("config: fetch.retry_delay: %s must not be negative", c.RetryDelay)
	case c.Concurrency < 1:
		return fmt.Errorf("config: fetch.concurrency: %d must be at least 1", c.Concurrency)
	}
	return nil
}

// Errors of a fetch, checked with errors.Is.
var (
	// ErrTooLarge is wrapped by fetch errors of a response larger than
	// [FetchConfig.MaxBytes]; the bytes received up to the cap are kept.
	ErrTooLarge = errors.New("response larger than fetch.max_bytes")
	// ErrStatus is wrapped by fetch errors of a response whose final status
	// is not 2xx.
	ErrStatus = errors.New("unexpected HTTP status")
	// ErrTimeout is wrapped by fetch errors of a request that took longer
	// than [FetchConfig.Timeout]; the bytes received until then are kept.
	ErrTimeout = errors.New("timed out")
	// ErrRedirectLoop is wrapped by fetch errors of a request whose
	// redirects lead back to a URL already requested, or go on past
	// [MaxRedirects]; every redirect response is kept.
	ErrRedirectLoop = errors.New("redirect loop")
	// ErrRedirectRefused is wrapped by fetch errors of a request redirected
	// off the source's host (to a host that is neither the one it asked,
	// nor one of [Fetcher.WithRedirectHosts]), or to a host that resolves
	// to a loopback, private, link-local or unspecified address: the
	// redirect response is kept, and the redirect is not followed.
	ErrRedirectRefused = errors.New("redirect refused")
)

// MaxRedirects is the most redirects one request follows, as net/http's
// client does.
const MaxRedirects = 10

// Fetcher makes GET requests for sources: with a User-Agent, a timeout, a cap
// on the response size, and retries with backoff on 429 and 5xx honouring
// Retry-After, all made by its [Transport], the one the crawler uses too. It
// follows redirects itself, so that it checks and keeps them.
type Fetcher struct {
	cfg       FetchConfig
	client    *http.Client
	transport *Transport
	logger    *slog.Logger
	hosts     []string // hosts redirects may lead to besides the source's own, lower case
}

// NewFetcher returns a fetcher. A nil client means a new http.Client; the
// fetcher uses a copy of it that does not follow redirects, as it follows
// them itself, whose transport is a [Transport] over the client's own (any
// [http.RoundTripper]: an oauth2 client's transport adds its token below the
// recording). When the client's transport is an *http.Transport, or nil, it
// refuses to connect a redirect to an address that is not public (see
// [ErrRedirectRefused]). Each host's turns are those of [SharedLimiter]
// unless [Fetcher.WithLimiter] says otherwise.
func NewFetcher(cfg FetchConfig, client *http.Client, logger *slog.Logger) *Fetcher {
	c := &http.Client{}
	if client != nil {
		*c = *client
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger = logger.WithGroup("fetch")
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	// The timeout is the transport's, per attempt: a client's own would
	// count the retries' waits.
	c.Timeout = 0
	t := &Transport{Base: guardTransport(c.Transport), Config: cfg, Logger: logger}
	c.Transport = t
	return &Fetcher{cfg: cfg, client: c, transport: t, logger: logger}
}

// WithRedirectHosts returns a fetcher like f, sharing its connections, whose
// requests may also be redirected to hosts (names or addresses, without a
// port), as a source's redirect_hosts configure. Without it a request is
// redirected only within the host it asked. Either way a redirect never
// reaches a loopback, private, link-local or unspecified address unless it
// is the host asked.
func (f *Fetcher) WithRedirectHosts(hosts ...string) *Fetcher {
	g := *f
	g.hosts = nil
	for _, h := range hosts {
		g.hosts = append(g.hosts, strings.ToLower(strings.Trim(h, "[]")))
	}
	return &g
}

// WithLimiter returns a fetcher like f, sharing its connections, whose
// requests take their turns at each host from l (see [HostLimiter.Acquire])
// instead of [SharedLimiter]: every source fetching from one host should
// share one limiter, so that they take turns there.
func (f *Fetcher) WithLimiter(l *HostLimiter) *Fetcher {
	g := *f
	t := *f.transport
	t.Limiter = l
	c := *f.client
	c.Transport = &t
	g.client, g.transport = &c, &t
	return &g
}

// Get fetches url and hands every response it receives to keep, named name,
// before it parses or retries: the final one, even with an error (a non-2xx
// status, a body over the cap, a body cut short or timed out, a redirect
// loop), and each response before it (a failed attempt before a retry, a
// redirect), named with an ".attempt-N" suffix before the extension. So
// every byte received reaches the lake.
//
// With pace, every attempt (retries and redirects included) first waits its
// turn at the host, so a source's request rate holds even when it retries.
// Whatever the pace, no more requests are in flight at a host than its
// limiter allows (one, unless a source allowed more).
func (f *Fetcher) Get(ctx context.Context, source, url, name string, keep func(context.Context, RawPage) error, pace ...Pace) error {
	before := 0 // responses kept before the final one
	keepAttempt := func(page RawPage) error {
		before++
		page.Name = attemptName(name, before)
		return keep(ctx, page)
	}
	page, err, kerr := f.follow(ctx, source, url, pace, keepAttempt)
	if kerr != nil {
		return kerr
	}
	if page != nil {
		page.Name = name
		if kerr := keep(ctx, *page); kerr != nil {
			return kerr
		}
	}
	return err
}

// follow requests url and follows its redirects, keeping each redirect
// response and each failed attempt with keep, and returns the last response.
// kerr is keep's error.
func (f *Fetcher) follow(ctx context.Context, source, url string, pace []Pace, keep func(RawPage) error) (page *RawPage, err, kerr error) {
	requested := map[string]bool{}
	own := hostOf(url)
	for u := url; ; {
		requested[u] = true
		var next string
		page, next, err, kerr = f.get(ctx, source, u, own, pace, keep)
		if kerr != nil || next == "" {
			return page, err, kerr
		}
		var loop error
		switch {
		case requested[next]:
			loop = fmt.Errorf("%w: %s answered %d to %s, already requested", ErrRedirectLoop, RedactURL(u), page.Meta.Status, RedactURL(next))
		case len(requested) > MaxRedirects:
			loop = fmt.Errorf("%w: more than %d redirects, the last from %s to %s", ErrRedirectLoop, MaxRedirects, RedactURL(u), RedactURL(next))
		default:
			loop = f.checkRedirect(source, own, u, page.Meta.Status, next)
		}
		if loop != nil {
			page.Meta.Error = loop.Error()
			return page, fmt.Errorf("fetch %s: %w", RedactURL(url), loop), nil
		}
		if kerr := keep(*page); kerr != nil {
			return nil, nil, kerr
		}
		u = next
	}
}

// checkRedirect returns an error wrapping [ErrRedirectRefused] when the
// redirect from u to next leaves the source's own host and its redirect
// hosts, or its scheme is not http or https; nil otherwise.
func (f *Fetcher) checkRedirect(source, own, u string, status int, next string) error {
	to, err := neturl.Parse(next)
	var why string
	switch {
	case err != nil || (to.Scheme != "http" && to.Scheme != "https"):
		why = "not an http(s) URL"
	case strings.EqualFold(to.Hostname(), own) || slices.Contains(f.hosts, strings.ToLower(to.Hostname())):
		return nil
	default:
		why = fmt.Sprintf("off the source's host %s (sources.%s.redirect_hosts lists the others allowed)", own, source)
	}
	return fmt.Errorf("%w: %s answered %d to %s: %s", ErrRedirectRefused, RedactURL(u), status, RedactURL(next), why)
}

// hostOf returns the host name of rawURL, lower case, without port and
// brackets; "" when it does not parse.
func hostOf(rawURL string) string {
	u, err := neturl.Parse(rawURL)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// Pace spaces requests to a host: at least Interval between two of them.
type Pace struct {
	Limiter  *HostLimiter
	Interval time.Duration
}

// keepError is the error of keep, carried through the transport.
type keepError struct{ err error }

func (e *keepError) Error() string { return e.err.Error() }
func (e *keepError) Unwrap() error { return e.err }

// get makes one request, through the transport's attempts, for the source
// whose own host is own: each failed attempt is kept with keep, and the
// last response is returned, with next, the URL it redirects to. kerr is
// keep's error.
func (f *Fetcher) get(ctx context.Context, source, url, own string, pace []Pace, keep func(RawPage) error) (page *RawPage, next string, err, kerr error) {
	var last *Round
	ctx = context.WithValue(ctx, dialHostsKey{}, dialHosts{target: hostOf(url), own: own})
	ctx = WithRoundTrip(ctx, RoundTripOptions{Source: source, Pace: pace, Record: func(r Round) error {
		if r.Retried {
			if err := keep(r.Page); err != nil {
				return &keepError{err}
			}
			return nil
		}
		last = &r
		return nil
	}})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, "", fmt.Errorf("fetch %s: %w", RedactURL(url), err), nil
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", "application/json, text/html;q=0.9, */*;q=0.5")
	resp, err := f.client.Do(req)
	if resp != nil {
		resp.Body.Close() // in memory: the transport read it
	}
	if ke := (*keepError)(nil); errors.As(err, &ke) {
		return nil, "", nil, ke.err
	}
	if last == nil {
		if err == nil {
			err = fmt.Errorf("fetch %s: no response", RedactURL(url))
		}
		return nil, "", unwrapURLError(err), nil // the transport's error names the URL
	}
	page = &last.Page
	if last.Next != "" {
		return page, last.Next, nil, nil
	}
	if last.Err != nil {
		return page, "", fmt.Errorf("fetch %s: %w", RedactURL(url), last.Err), nil
	}
	return page, "", nil, nil
}

// unwrapURLError returns the error a *url.Error of the client wraps: the
// transport's own names the URL already.
func unwrapURLError(err error) error {
	if ue := (*neturl.Error)(nil); errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// redirectTarget returns the absolute URL a redirect response leads to, ""
// when resp is no redirect that net/http would follow (3xx without a
// Location, 300, 304).
func redirectTarget(req *http.Request, resp *http.Response) (string, error) {
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		return "", nil
	}
	loc := resp.Header.Get("Location")
	if loc == "" {
		return "", nil
	}
	u, err := req.URL.Parse(loc)
	if err != nil {
		return "", fmt.Errorf("%w %s: bad Location %q: %w", ErrStatus, resp.Status, loc, err)
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String(), nil
}

// attemptName returns name with ".attempt-N" before its extension:
// page-0001.json becomes page-0001.attempt-1.json.
func attemptName(name string, n int) string {
	ext := path.Ext(name)
	return fmt.Sprintf("%s.attempt-%d%s", strings.TrimSuffix(name, ext), n, ext)
}

// RetryAfter parses a Retry-After header (seconds or an HTTP date), capped at
// five minutes; zero when absent or unreadable.
func RetryAfter(h string) time.Duration {
	const maxWait = 5 * time.Minute
	if h == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.Atoi(h); err == nil {
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(h); err == nil {
		d = time.Until(t)
	}
	return min(max(d, 0), maxWait)
}

// RedactURL returns rawURL with the password of its user information, if
// any, replaced by "xxxxx" (as [url.URL.Redacted]): what a log line or the
// lake's metadata may keep of a source's address.
func RedactURL(rawURL string) string {
	u, err := neturl.Parse(rawURL)
	if err != nil || u.User == nil {
		return rawURL
	}
	return u.Redacted()
}
