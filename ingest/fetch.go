package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
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
}

// DefaultFetchConfig returns polite defaults.
func DefaultFetchConfig() FetchConfig {
	return FetchConfig{
		UserAgent:  "jobpulse/0.1 (+https://github.com/jobpulse/jobpulse)",
		Timeout:    60 * time.Second,
		MaxBytes:   64 << 20,
		Retries:    3,
		RetryDelay: time.Second,
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
// Retry-After. It follows redirects itself, so that it keeps them.
type Fetcher struct {
	cfg    FetchConfig
	client *http.Client
	logger *slog.Logger
	hosts  []string // hosts redirects may lead to besides the source's own, lower case
}

// NewFetcher returns a fetcher. A nil client means a new http.Client; the
// fetcher uses a copy of it that does not follow redirects, as it follows
// them itself, and whose transport (when it is an *http.Transport, or nil)
// refuses to connect a redirect to an address that is not public (see
// [ErrRedirectRefused]).
func NewFetcher(cfg FetchConfig, client *http.Client, logger *slog.Logger) *Fetcher {
	c := &http.Client{}
	if client != nil {
		*c = *client
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.Transport = guardTransport(c.Transport)
	return &Fetcher{cfg: cfg, client: c, logger: logger.WithGroup("fetch")}
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

// Get fetches url and hands every response it receives to keep, named name,
// before it parses or retries: the final one, even with an error (a non-2xx
// status, a body over the cap, a body cut short or timed out, a redirect
// loop), and each response before it (a failed attempt before a retry, a
// redirect), named with an ".attempt-N" suffix before the extension. So
// every byte received reaches the lake.
//
// With pace, every attempt (retries included) first waits its turn at the
// host, so a source's request rate holds even when it retries.
func (f *Fetcher) Get(ctx context.Context, source, url, name string, keep func(context.Context, RawPage) error, pace ...Pace) error {
	delay := f.cfg.RetryDelay
	before := 0 // responses kept before the final one
	keepPage := func(page *RawPage, final bool) error {
		page.Name = name
		if !final {
			before++
			page.Name = attemptName(name, before)
		}
		return keep(ctx, *page)
	}
	for attempt := 0; ; attempt++ {
		for _, p := range pace {
			if err := p.Limiter.Wait(ctx, url, p.Interval); err != nil {
				return fmt.Errorf("fetch %s: %w", RedactURL(url), err)
			}
		}
		page, retryAfter, err, kerr := f.follow(ctx, source, url, keepPage)
		if kerr != nil {
			return kerr
		}
		final := err == nil || attempt >= f.cfg.Retries || retryAfter < 0
		if page != nil {
			if kerr := keepPage(page, final); kerr != nil {
				return kerr
			}
		}
		if final {
			return err
		}
		wait := max(delay, retryAfter)
		f.logger.Warn("fetch failed, retrying", "source", source, "url", RedactURL(url), "attempt", attempt+1, "wait", wait, "err", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("fetch %s: %w (after %w)", RedactURL(url), ctx.Err(), err)
		case <-time.After(wait):
		}
		delay *= 2
	}
}

// follow makes one attempt: it requests url and follows its redirects,
// keeping each redirect response with keep, and returns the last response.
// kerr is keep's error.
func (f *Fetcher) follow(ctx context.Context, source, url string, keep func(*RawPage, bool) error) (page *RawPage, retryAfter time.Duration, err, kerr error) {
	requested := map[string]bool{}
	own := hostOf(url)
	for u := url; ; {
		requested[u] = true
		var next string
		page, next, retryAfter, err = f.get(ctx, source, u, own)
		if next == "" {
			return page, retryAfter, err, nil
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
			return page, -1, fmt.Errorf("fetch %s: %w", RedactURL(url), loop), nil
		}
		if kerr := keep(page, false); kerr != nil {
			return nil, 0, nil, kerr
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

// get makes one request for the source whose own host is own. next is the
// URL a redirect leads to. retryAfter < 0 means the error is not worth a
// retry.
func (f *Fetcher) get(ctx context.Context, source, url, own string) (page *RawPage, next string, retryAfter time.Duration, err error) {
	ctx, cancel := context.WithTimeoutCause(ctx, f.cfg.Timeout, ErrTimeout)
	defer cancel()
	ctx = context.WithValue(ctx, dialHostsKey{}, dialHosts{target: hostOf(url), own: own})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, "", -1, fmt.Errorf("fetch %s: %w", RedactURL(url), err)
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", "application/json, text/html;q=0.9, */*;q=0.5")
	// Asked for by name, gzip is left encoded by net/http and decoded below,
	// under the cap, as x-gzip is.
	req.Header.Set("Accept-Encoding", "gzip")
	fetchedAt := time.Now().UTC()
	resp, err := f.client.Do(req)
	if err != nil {
		wait := time.Duration(0)
		if errors.Is(err, ErrRedirectRefused) {
			wait = -1
		}
		return nil, "", wait, fmt.Errorf("fetch %s: %w", RedactURL(url), f.timedOut(ctx, err))
	}
	defer resp.Body.Close()
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, f.cfg.MaxBytes+1))
	tooLarge := int64(len(body)) > f.cfg.MaxBytes
	if tooLarge {
		body = body[:f.cfg.MaxBytes]
	}
	// A gzip or x-gzip body is decoded here, under the cap: past it, or when
	// it does not decode, the body is kept as received.
	var decodeErr error
	if GzipEncoded(resp) && !tooLarge && readErr == nil {
		var decoded []byte
		if decoded, decodeErr = Gunzip(body, f.cfg.MaxBytes); decodeErr == nil {
			body = decoded
		} else {
			decodeErr = fmt.Errorf("Content-Encoding %s: %w", resp.Header.Get("Content-Encoding"), decodeErr)
		}
	}
	sum := sha256.Sum256(body)
	page = &RawPage{
		Body: body,
		Meta: Meta{
			Source:      source,
			URL:         RedactURL(url),
			FetchedAt:   fetchedAt,
			Status:      resp.StatusCode,
			ContentType: resp.Header.Get("Content-Type"),
			SHA256:      hex.EncodeToString(sum[:]),
			Size:        int64(len(body)),
		},
	}
	next, locErr := redirectTarget(req, resp)
	wait := time.Duration(-1)
	switch {
	case locErr != nil:
		err = locErr
	case next != "":
		// Followed whatever its body: a redirect's body is kept, not used.
		page.Meta.Error = fmt.Sprintf("%s: redirect to %s", resp.Status, RedactURL(next))
		if readErr != nil {
			page.Meta.Error += fmt.Sprintf(" (body read after %d bytes: %v)", len(body), f.timedOut(ctx, readErr))
		}
		return page, next, 0, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		wait, err = RetryAfter(resp.Header.Get("Retry-After")), fmt.Errorf("%w %s", ErrStatus, resp.Status)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		err = fmt.Errorf("%w %s", ErrStatus, resp.Status)
	case tooLarge:
		err = fmt.Errorf("%w (%d bytes)", ErrTooLarge, f.cfg.MaxBytes)
	case decodeErr != nil:
		err = decodeErr
	case readErr != nil:
		wait, err = 0, fmt.Errorf("read body after %d bytes: %w", len(body), f.timedOut(ctx, readErr))
	default:
		return page, "", 0, nil
	}
	page.Meta.Error = err.Error()
	return page, "", wait, fmt.Errorf("fetch %s: %w", RedactURL(url), err)
}

// timedOut labels err, met on a request made with ctx, as a timeout when
// fetch.timeout ended the request.
func (f *Fetcher) timedOut(ctx context.Context, err error) error {
	switch {
	case !errors.Is(context.Cause(ctx), ErrTimeout):
		return err
	case errors.Is(err, ErrTimeout): // err is the cause itself
		return fmt.Errorf("%w after %s (fetch.timeout)", ErrTimeout, f.cfg.Timeout)
	}
	return fmt.Errorf("%w after %s (fetch.timeout): %w", ErrTimeout, f.cfg.Timeout, err)
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
