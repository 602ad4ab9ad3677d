package ingest

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
	"time"
)

// Transport is the one [http.RoundTripper] of every fetch, the API sources'
// ([Fetcher]) and the crawler's alike. For each request it waits for the
// host's pace (when the request asks for one, see [WithRoundTrip]) and its
// turn there (see [HostLimiter.Acquire]); makes each attempt with its own
// timeout (fetch.timeout, body included); reads the body whole, up to
// fetch.max_bytes, decoding gzip under the same cap; retries 429, 5xx,
// transport and read errors with backoff, honouring Retry-After; and hands
// every response it received, each attempt and each redirect, to the
// request's recorder before it retries or returns, so that every byte
// received reaches the lake.
//
// It follows no redirect (a RoundTripper must not): the client above it
// does, and each hop is a round trip of its own, recorded with
// [Round.Next] set. The response it returns has its body in memory.
type Transport struct {
	// Base makes the requests; nil means [http.DefaultTransport].
	Base http.RoundTripper
	// Config gives the timeout, the size cap and the retries.
	Config FetchConfig
	// Limiter gives each host its turns (and the pace of a request that
	// asks for none of its own); nil means [SharedLimiter].
	Limiter *HostLimiter
	// MinRetryWait is the least wait before a retry (a crawl's delay).
	MinRetryWait time.Duration
	// Source names the source in the metadata of a page, for requests
	// that do not name one with [WithRoundTrip].
	Source string
	// Record is told of every response of a request that has no recorder
	// of its own (see [WithRoundTrip]).
	Record func(Round) error
	// Logger logs the retries; nil discards.
	Logger *slog.Logger
}

var _ http.RoundTripper = (*Transport)(nil)

// Round is one response as received, before any retry or redirect.
type Round struct {
	// Page is the response, unnamed; Meta.Error says why it is not a whole
	// 2xx answer.
	Page RawPage
	// Err is why the response is not a whole 2xx answer; nil when it is.
	Err error
	// Retried is set when another attempt follows this one.
	Retried bool
	// Next is the absolute URL a redirect leads to, "" when the response is
	// no redirect that net/http would follow.
	Next string
}

// RoundTripOptions are what one request tells the [Transport], through its
// context (see [WithRoundTrip]).
type RoundTripOptions struct {
	// Source names the source in the pages' metadata.
	Source string
	// Pace spaces every attempt, retries included, at its host.
	Pace []Pace
	// Record is told of every response received; an error from it ends
	// the round trip with an error wrapping [ErrRecord] and it.
	Record func(Round) error
}

type roundTripKey struct{}

// WithRoundTrip returns ctx carrying the options of the requests made with
// it through a [Transport].
func WithRoundTrip(ctx context.Context, o RoundTripOptions) context.Context {
	return context.WithValue(ctx, roundTripKey{}, o)
}

// ErrRecord is wrapped by the error of a round trip whose recorder failed
// (the lake refused a page): nothing is retried after it.
var ErrRecord = errors.New("recording a response failed")

// outcome is what one attempt gives: a response for the client or an error,
// and whether another attempt is worth making.
type outcome struct {
	resp  *http.Response
	err   error
	round *Round
	retry bool
	wait  time.Duration // Retry-After
	why   error         // the failure, for logs
}

// RoundTrip implements [http.RoundTripper].
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	opts, _ := ctx.Value(roundTripKey{}).(RoundTripOptions)
	if opts.Source == "" {
		opts.Source = t.Source
	}
	if opts.Record == nil {
		opts.Record = t.Record
	}
	limiter := t.Limiter
	if limiter == nil {
		limiter = sharedLimiter
	}
	delay := t.Config.RetryDelay
	for attempt := 1; ; attempt++ {
		for _, p := range opts.Pace {
			if err := p.Limiter.Wait(ctx, req.URL.String(), p.Interval); err != nil {
				return nil, fmt.Errorf("fetch %s: %w", req.URL.Redacted(), err)
			}
		}
		release, err := limiter.Acquire(ctx, req.URL.String())
		if err != nil {
			return nil, fmt.Errorf("fetch %s: %w", req.URL.Redacted(), err)
		}
		o := t.attempt(ctx, req, opts.Source)
		release()
		final := !o.retry || attempt > t.Config.Retries || ctx.Err() != nil
		if o.round != nil && opts.Record != nil {
			o.round.Retried = !final
			if err := opts.Record(*o.round); err != nil {
				return nil, fmt.Errorf("%w: %w", ErrRecord, err)
			}
		}
		if final {
			return o.resp, o.err
		}
		wait := max(delay, o.wait, t.MinRetryWait)
		if t.Logger != nil {
			t.Logger.Warn("fetch failed, retrying", "source", opts.Source, "url", req.URL.Redacted(), "attempt", attempt, "wait", wait, "err", o.why)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("fetch %s: %w (after %w)", req.URL.Redacted(), ctx.Err(), o.why)
		case <-time.After(wait):
		}
		delay *= 2
	}
}

// attempt makes one request and reads its response.
func (t *Transport) attempt(ctx context.Context, req *http.Request, source string) outcome {
	if t.Config.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, t.Config.Timeout, ErrTimeout)
		defer cancel()
	}
	r := req.Clone(ctx)
	// Asked for by name, gzip is left encoded by net/http: it is decoded
	// here, under the cap, and kept as received when it does not fit.
	r.Header.Set("Accept-Encoding", "gzip")
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	fetchedAt := time.Now().UTC()
	resp, err := base.RoundTrip(r)
	if err != nil {
		err = fmt.Errorf("fetch %s: %w", req.URL.Redacted(), t.timedOut(ctx, err))
		// A refused address stays refused, and a request whose caller gave
		// up is not made again.
		retry := !errors.Is(err, ErrRedirectRefused) && req.Context().Err() == nil
		return outcome{err: err, retry: retry, why: err}
	}
	var body []byte
	var readErr error
	if t.Config.MaxBytes > 0 {
		body, readErr = io.ReadAll(io.LimitReader(resp.Body, t.Config.MaxBytes+1))
	} else {
		body, readErr = io.ReadAll(resp.Body)
	}
	resp.Body.Close()
	tooLarge := t.Config.MaxBytes > 0 && int64(len(body)) > t.Config.MaxBytes
	if tooLarge {
		body = body[:t.Config.MaxBytes]
	}
	body, decodeErr := t.gunzip(req, resp, body, tooLarge || readErr != nil)
	sum := sha256.Sum256(body)
	rd := &Round{Page: RawPage{Body: body, Meta: Meta{
		Source:      source,
		URL:         req.URL.Redacted(),
		FetchedAt:   fetchedAt,
		Status:      resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"),
		SHA256:      hex.EncodeToString(sum[:]),
		Size:        int64(len(body)),
	}}}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	o := outcome{resp: resp, round: rd}
	next, locErr := redirectTarget(req, resp)
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests || code >= 500:
		rd.Err = fmt.Errorf("%w %s", ErrStatus, resp.Status)
		o.retry, o.wait = true, RetryAfter(resp.Header.Get("Retry-After"))
	case locErr != nil:
		rd.Err = locErr
	case next != "":
		// Followed whatever its body: a redirect's body is kept, not used.
		rd.Next = next
		rd.Err = fmt.Errorf("%w %s: redirect to %s", ErrStatus, resp.Status, RedactURL(next))
		if readErr != nil {
			rd.Err = fmt.Errorf("%w (body read after %d bytes: %w)", rd.Err, len(body), t.timedOut(ctx, readErr))
		}
	case code < 200 || code > 299:
		rd.Err = fmt.Errorf("%w %s", ErrStatus, resp.Status)
	case tooLarge:
		rd.Err = fmt.Errorf("%w (%d bytes)", ErrTooLarge, t.Config.MaxBytes)
	case decodeErr != nil:
		rd.Err = decodeErr
	case readErr != nil:
		rd.Err = fmt.Errorf("read body after %d bytes: %w", len(body), t.timedOut(ctx, readErr))
		o = outcome{err: fmt.Errorf("fetch %s: %w", req.URL.Redacted(), rd.Err), round: rd, retry: true}
	}
	if rd.Err != nil {
		rd.Page.Meta.Error = rd.Err.Error()
		o.why = rd.Err
	}
	return o
}

// gunzip decodes a gzip body that a client would decompress, holding no
// more than fetch.max_bytes of it: a body whose Content-Encoding names gzip
// (x-gzip included: net/http decodes only "gzip"), or whose Content-Type
// does when it has no Content-Encoding, which colly would decompress with no
// cap at all (a few megabytes of gzip can hold gigabytes). The client is
// then told the body is decoded (resp.Uncompressed), so it never
// decompresses.
//
// A body by Content-Encoding is returned decoded, as net/http returns a
// "gzip" one, so the lake keeps what the parser reads. A body of a gzip
// Content-Type is the resource itself: it is returned as received, but its
// decoded size is checked all the same. When decoding fails or goes past
// the cap, the body is returned as received (up to the cap) with the error,
// wrapping [ErrTooLarge] for the cap. A body already cut (cut is true) is
// not decoded.
func (t *Transport) gunzip(req *http.Request, resp *http.Response, body []byte, cut bool) ([]byte, error) {
	limit := t.Config.MaxBytes
	if limit <= 0 {
		limit = math.MaxInt64 - 1
	}
	ctype := strings.ToLower(resp.Header.Get("Content-Type"))
	switch {
	case GzipEncoded(resp):
		enc := resp.Header.Get("Content-Encoding")
		resp.Header.Del("Content-Encoding")
		resp.Uncompressed = true
		if cut {
			return body, nil
		}
		decoded, err := Gunzip(body, limit)
		if err != nil {
			return body, fmt.Errorf("Content-Encoding %s: %w", enc, err)
		}
		return decoded, nil
	case resp.Uncompressed:
	case resp.Header.Get("Content-Encoding") == "" && strings.Contains(ctype, "gzip"),
		strings.HasSuffix(strings.ToLower(req.URL.Path), ".xml.gz"):
		resp.Uncompressed = true
		if cut {
			return body, nil
		}
		if err := CheckGunzip(body, limit); err != nil {
			return body, fmt.Errorf("Content-Type %s: %w", ctype, err)
		}
	}
	return body, nil
}

// timedOut labels err, met on an attempt made with ctx, as a timeout when
// fetch.timeout ended the attempt.
func (t *Transport) timedOut(ctx context.Context, err error) error {
	switch {
	case !errors.Is(context.Cause(ctx), ErrTimeout):
		return err
	case errors.Is(err, ErrTimeout): // err is the cause itself
		return fmt.Errorf("%w after %s (fetch.timeout)", ErrTimeout, t.Config.Timeout)
	}
	return fmt.Errorf("%w after %s (fetch.timeout): %w", ErrTimeout, t.Config.Timeout, err)
}
