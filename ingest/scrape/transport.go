package scrape

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"github.com/jobpulse/jobpulse/ingest"
)

// recorder is the crawl's [http.RoundTripper], under colly's client: an
// [ingest.Transport] (the one of the API sources too: per-attempt timeout,
// size cap, gzip under the cap, retries with backoff honouring Retry-After,
// each host's turns), which records every response it received so the
// crawler can keep it. Around it, the recorder refuses any URL outside the
// start URL's scheme, host and port, and stops the crawl when robots.txt
// itself fails (see down). Colly's collector is synchronous, so the rounds
// recorded between two drains are those of one visit (and of the robots.txt
// fetched for it).
type recorder struct {
	inner  *ingest.Transport
	origin string          // scheme://host[:port], the only one allowed
	ctx    context.Context // the crawl's, for requests that carry none (robots.txt)

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

// record is the transport's recorder.
func (t *recorder) record(r ingest.Round) error {
	rd := round{page: r.Page, err: r.Err, robots: isRobots(r.Page.Meta.URL), next: r.Next}
	if code := r.Page.Meta.Status; rd.robots && code >= 400 && code < 500 && code != http.StatusTooManyRequests {
		// A robots.txt answering 4xx is no error: it means no rules, every
		// path allowed (RFC 9309, 2.3.1.3). It is kept as received.
		rd.err, rd.page.Meta.Error = nil, ""
	}
	t.mu.Lock()
	t.rounds = append(t.rounds, rd)
	t.mu.Unlock()
	return nil
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
	if req.Context().Done() == nil {
		// colly asks for robots.txt without a context: the crawl's.
		req = req.WithContext(t.ctx)
	}
	resp, err := t.inner.RoundTrip(req)
	if err != nil {
		err = fmt.Errorf("scrape: %w", err)
	}
	if robots && resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500) {
		t.mu.Lock()
		t.down = fmt.Errorf("%w: %s answered %s, so the whole host counts as disallowed", ErrDisallowed, req.URL, resp.Status)
		t.mu.Unlock()
	}
	return resp, err
}

// isRobots tells whether rawURL is that of a host's robots.txt.
func isRobots(rawURL string) bool {
	u, err := url.Parse(rawURL)
	return err == nil && u.Path == "/robots.txt"
}
