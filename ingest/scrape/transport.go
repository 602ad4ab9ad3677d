package scrape

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/jobpulse/jobpulse/ingest"
)

// recorder is the crawl's [http.RoundTripper], under colly's client. It
// refuses any URL outside the start URL's scheme, host and port; makes each
// attempt with its own timeout; reads the body whole, up to the size cap;
// retries 429, 5xx, transport and read errors with backoff honouring
// Retry-After; and records every response it received, so the crawler can
// keep it; and it stops the crawl when robots.txt itself fails (see down).
// Colly's collector is synchronous, so the rounds recorded between
// two drains are those of one visit (and of the robots.txt fetched for it).
type recorder struct {
	base   http.RoundTripper
	origin string // scheme://host[:port], the only one allowed
	cfg    ingest.FetchConfig
	pause  time.Duration // least wait before a retry: the profile's delay
	source string
	ctx    context.Context // the crawl's, for requests that carry none (robots.txt)
	logger *slog.Logger

	mu     sync.Mutex
	rounds []round
	// down is set when robots.txt answered 429 or 5xx after retries: the
	// host then counts as disallowing everything (as Google and RFC 9309
	// say), which colly does not do, so the recorder refuses other requests.
	down error
}

// round is one response as received, before any retry or redirect.
type round struct {
	page   ingest.RawPage // Name is set by the crawler
	err    error          // why it is not a whole 2xx answer; nil when it is
	robots bool           // the response to /robots.txt
	next   string         // the absolute URL a redirect leads to
}

// drain returns the rounds recorded since the last drain.
func (t *recorder) drain() []round {
	t.mu.Lock()
	defer t.mu.Unlock()
	rounds := t.rounds
	t.rounds = nil
	return rounds
}

func (t *recorder) record(r round) {
	t.mu.Lock()
	t.rounds = append(t.rounds, r)
	t.mu.Unlock()
}

// outcome is what one attempt gives: a response for colly or an error, and
// whether another attempt is worth making.
type outcome struct {
	resp  *http.Response
	err   error
	retry bool
	wait  time.Duration // Retry-After
	why   error         // the failure, for logs
}

// RoundTrip implements [http.RoundTripper].
func (t *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if canonicalOrigin(req.URL) != t.origin {
		return nil, fmt.Errorf("scrape: refusing %s: %w %s", req.URL.Redacted(), ErrOffHost, t.origin)
	}
	robots := req.URL.Path == "/robots.txt"
	t.mu.Lock()
	down := t.down
	t.mu.Unlock()
	if down != nil && !robots {
		return nil, down
	}
	ctx := req.Context()
	if ctx.Done() == nil {
		ctx = t.ctx
	}
	delay := t.cfg.RetryDelay
	for attempt := 1; ; attempt++ {
		o := t.attempt(ctx, req)
		if !o.retry || attempt > t.cfg.Retries || ctx.Err() != nil {
			if robots && o.resp != nil && o.retry {
				t.mu.Lock()
				t.down = fmt.Errorf("%w: %s answered %s, so the whole host counts as disallowed", ErrDisallowed, req.URL, o.resp.Status)
				t.mu.Unlock()
			}
			return o.resp, o.err
		}
		wait := max(delay, o.wait, t.pause)
		t.logger.Warn("fetch failed, retrying", "url", req.URL.String(), "attempt", attempt, "wait", wait, "err", o.why)
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("scrape: fetch %s: %w (after %w)", req.URL, ctx.Err(), o.why)
		case <-time.After(wait):
		}
		delay *= 2
	}
}

func (t *recorder) attempt(ctx context.Context, req *http.Request) outcome {
	if t.cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, t.cfg.Timeout, ingest.ErrTimeout)
		defer cancel()
	}
	r := req.Clone(ctx)
	// Asked for by name, gzip is left encoded by net/http: the recorder
	// decodes it itself, under the cap, and keeps it as received when it
	// does not fit (see gunzip).
	r.Header.Set("Accept-Encoding", "gzip")
	fetchedAt := time.Now().UTC()
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		err = fmt.Errorf("scrape: fetch %s: %w", req.URL, t.timedOut(ctx, err))
		return outcome{err: err, retry: true, why: err}
	}
	var body []byte
	var readErr error
	if t.cfg.MaxBytes > 0 {
		body, readErr = io.ReadAll(io.LimitReader(resp.Body, t.cfg.MaxBytes+1))
	} else {
		body, readErr = io.ReadAll(resp.Body)
	}
	resp.Body.Close()
	tooLarge := t.cfg.MaxBytes > 0 && int64(len(body)) > t.cfg.MaxBytes
	if tooLarge {
		body = body[:t.cfg.MaxBytes]
	}
	body, decodeErr := t.gunzip(req, resp, body, tooLarge || readErr != nil)
	sum := sha256.Sum256(body)
	rd := round{
		robots: req.URL.Path == "/robots.txt",
		page: ingest.RawPage{Body: body, Meta: ingest.Meta{
			Source:      t.source,
			URL:         req.URL.Redacted(),
			FetchedAt:   fetchedAt,
			Status:      resp.StatusCode,
			ContentType: resp.Header.Get("Content-Type"),
			SHA256:      hex.EncodeToString(sum[:]),
			Size:        int64(len(body)),
		}},
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	o := outcome{resp: resp}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests || code >= 500:
		rd.err = fmt.Errorf("%w %s", ingest.ErrStatus, resp.Status)
		o.retry, o.wait = true, ingest.RetryAfter(resp.Header.Get("Retry-After"))
	case rd.robots && code >= 400:
		// A robots.txt answering 4xx is no error: it means no rules, every
		// path allowed (RFC 9309, 2.3.1.3). It is kept as received.
	case code < 200 || code > 299:
		rd.err = fmt.Errorf("%w %s", ingest.ErrStatus, resp.Status)
		if loc := resp.Header.Get("Location"); code/100 == 3 && loc != "" {
			rd.err = fmt.Errorf("%w (to %s)", rd.err, loc)
			if u, err := req.URL.Parse(loc); err == nil {
				u.Fragment, u.RawFragment = "", ""
				rd.next = u.String()
			}
		}
	case tooLarge:
		rd.err = fmt.Errorf("%w (%d bytes)", ingest.ErrTooLarge, t.cfg.MaxBytes)
	case decodeErr != nil:
		rd.err = decodeErr
	case readErr != nil:
		rd.err = fmt.Errorf("read body after %d bytes: %w", len(body), t.timedOut(ctx, readErr))
		o = outcome{err: fmt.Errorf("scrape: fetch %s: %w", req.URL, rd.err), retry: true}
	}
	if rd.err != nil {
		rd.page.Meta.Error = rd.err.Error()
		o.why = rd.err
	}
	t.record(rd)
	return o
}

// gunzip decodes a gzip body that colly would decompress, as colly would,
// but holding no more than fetch.max_bytes of it: colly decompresses a body
// whose Content-Encoding names gzip (x-gzip included: net/http decodes only
// "gzip"), or whose Content-Type does when it has no Content-Encoding, with
// no cap at all (a few megabytes of gzip can hold gigabytes). colly is then
// told the body is decoded (resp.Uncompressed), so it never decompresses.
//
// A body by Content-Encoding is returned decoded, as net/http returns a
// "gzip" one, so the lake keeps what the parser reads. A body of a gzip
// Content-Type is the resource itself: it is returned as received, but its
// decoded size is checked all the same. When decoding fails or goes past
// the cap, the body is returned as received (up to the cap) with the error,
// wrapping [ingest.ErrTooLarge] for the cap. A body already cut (cut is
// true) is not decoded.
func (t *recorder) gunzip(req *http.Request, resp *http.Response, body []byte, cut bool) ([]byte, error) {
	limit := t.cfg.MaxBytes
	if limit <= 0 {
		limit = math.MaxInt64 - 1
	}
	ctype := strings.ToLower(resp.Header.Get("Content-Type"))
	switch {
	case ingest.GzipEncoded(resp):
		resp.Header.Del("Content-Encoding")
		resp.Uncompressed = true
		if cut {
			return body, nil
		}
		decoded, err := ingest.Gunzip(body, limit)
		if err != nil {
			return body, fmt.Errorf("Content-Encoding gzip: %w", err)
		}
		return decoded, nil
	case resp.Uncompressed:
	case resp.Header.Get("Content-Encoding") == "" && strings.Contains(ctype, "gzip"),
		strings.HasSuffix(strings.ToLower(req.URL.Path), ".xml.gz"):
		resp.Uncompressed = true
		if cut {
			return body, nil
		}
		if err := ingest.CheckGunzip(body, limit); err != nil {
			return body, fmt.Errorf("Content-Type %s: %w", ctype, err)
		}
	}
	return body, nil
}

// timedOut labels err, met on an attempt made with ctx, as a timeout when
// fetch.timeout ended the attempt.
func (t *recorder) timedOut(ctx context.Context, err error) error {
	switch {
	case !errors.Is(context.Cause(ctx), ingest.ErrTimeout):
		return err
	case errors.Is(err, ingest.ErrTimeout): // err is the cause itself
		return fmt.Errorf("%w after %s (fetch.timeout)", ingest.ErrTimeout, t.cfg.Timeout)
	}
	return fmt.Errorf("%w after %s (fetch.timeout): %w", ingest.ErrTimeout, t.cfg.Timeout, err)
}
