package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// franceTravailEpoch is the start of the first window of creation dates
// when a search of every open offer is split: older than any open offer.
var franceTravailEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// franceTravailTime is the API's format of minCreationDate and
// maxCreationDate.
const franceTravailTime = "2006-01-02T15:04:05Z"

// errPageCap ends a France Travail fetch at max_pages, which is no failure.
var errPageCap = errors.New("page cap reached")

// franceTravailFetch is one run's fetch of France Travail.
type franceTravailFetch struct {
	src     *FranceTravail
	keep    func(context.Context, RawPage) error
	base    *url.URL // the search endpoint
	tr      *bearerTransport
	tokens  *franceTravailTokens
	fetcher *Fetcher
	pages   int // pages asked for so far
}

// search pages through the offers a search finds (criteria q).
func (f *franceTravailFetch) search(ctx context.Context, q url.Values) error {
	return f.window(ctx, q, time.Time{}, time.Time{})
}

// window pages through the offers of q created from lo to hi, both
// included (any time when lo is zero). Its first page says how many there
// are (Content-Range: offres 0-149/9848): when they are more than the API
// pages through, the window is split (see splitWindow and recentFirst) and
// each part searched in turn; the offers of the first page are then read
// again, and loaded once. A window of one second that still holds more is
// read up to the limit, with a log line.
func (f *franceTravailFetch) window(ctx context.Context, q url.Values, lo, hi time.Time) error {
	total, n, err := f.page(ctx, q, lo, hi, 0)
	if err != nil {
		return err
	}
	const limit = franceTravailMaxIndex + 1
	if total > limit {
		var parts [][2]time.Time
		if lo.IsZero() {
			parts = f.recentFirst()
		} else {
			parts = splitWindow(lo, hi, total)
		}
		if len(parts) > 1 {
			for _, w := range parts {
				if err := f.window(ctx, q, w[0], w[1]); err != nil {
					return err
				}
			}
			return nil
		}
		f.src.opts.logger.WarnContext(ctx, "more offers in one second of creation dates than the API pages through: the others are left out",
			"criteria", q.Encode(), "created", lo.Format(franceTravailTime), "offers", total, "read", limit)
	}
	end := limit
	if total >= 0 {
		end = min(total, limit)
	}
	for start := franceTravailPageSize; n == franceTravailPageSize && start < end; start += franceTravailPageSize {
		if _, n, err = f.page(ctx, q, lo, hi, start); err != nil {
			return err
		}
	}
	return nil
}

// recentFirst returns the windows of creation dates a search of every
// open offer is split into first: a day, then two, four, eight... back to
// the oldest offer the search asks for (published_since_days ago, or
// [franceTravailEpoch]). Most open offers are recent, so the recent windows
// are short, and the old ones, nearly empty, few.
func (f *franceTravailFetch) recentFirst() [][2]time.Time {
	hi := f.src.now().UTC().Truncate(time.Second).Add(time.Hour) // the API's clock may run ahead of ours
	floor := franceTravailEpoch
	if d := f.src.cfg.PublishedSinceDays; d > 0 {
		floor = hi.Add(-time.Duration(d)*24*time.Hour - 2*time.Hour)
	}
	var out [][2]time.Time
	for b, size := hi, 24*time.Hour; ; size *= 2 {
		a := b.Add(-size + time.Second)
		if !a.After(floor) {
			return append(out, [2]time.Time{floor, b})
		}
		out = append(out, [2]time.Time{a, b})
		b = a.Add(-time.Second)
	}
}

// splitWindow splits the window of creation dates from lo to hi (whole
// seconds, both included), which holds total offers, into equal windows
// that should each hold four fifths of what the API pages through; at
// least two, and none shorter than a second. A window of one second gives
// itself.
func splitWindow(lo, hi time.Time, total int) [][2]time.Time {
	const share = (franceTravailMaxIndex + 1) * 4 / 5
	span := int(hi.Sub(lo)/time.Second) + 1 // seconds in the window
	if span < 2 {
		return [][2]time.Time{{lo, hi}}
	}
	parts := min(max(2, (total+share-1)/share), span)
	step := time.Duration(span/parts) * time.Second
	out := make([][2]time.Time, parts)
	for i := range parts {
		out[i] = [2]time.Time{lo.Add(time.Duration(i) * step), lo.Add(time.Duration(i+1)*step - time.Second)}
	}
	out[parts-1][1] = hi
	return out
}

// page fetches the page of the offers of q created from lo to hi that
// starts at index start, and keeps it. It returns the number of offers the
// search finds (-1 when the response does not say) and the number on the
// page.
func (f *franceTravailFetch) page(ctx context.Context, q url.Values, lo, hi time.Time, start int) (total, n int, err error) {
	f.pages++
	if max := f.src.cfg.MaxPages; f.pages > max {
		f.src.opts.logger.WarnContext(ctx, "page cap reached, later pages left out", "max_pages", max)
		return 0, 0, errPageCap
	}
	q = cloneValues(q)
	if !lo.IsZero() {
		q.Del("publieeDepuis") // the window says it
		q.Set("minCreationDate", lo.Format(franceTravailTime))
		q.Set("maxCreationDate", hi.Format(franceTravailTime))
	}
	q.Set("range", fmt.Sprintf("%d-%d", start, min(start+franceTravailPageSize-1, franceTravailMaxIndex)))
	u := *f.base
	u.RawQuery = q.Encode()
	name := fmt.Sprintf("page-%04d.json", f.pages)
	body, status, err := f.get(ctx, &u, name)
	contentRange := f.tr.contentRange(u.RawQuery)
	if err != nil {
		return 0, 0, fmt.Errorf("francetravail: page %d (%s): %w", f.pages, q.Encode(), err)
	}
	if n, err = countOffers(body, status); err != nil {
		return 0, 0, fmt.Errorf("francetravail: page %d (%s): %w", f.pages, q.Encode(), err)
	}
	total = -1
	if status == http.StatusNoContent {
		total = 0
	} else if _, _, t, ok := ParseContentRange(contentRange); ok {
		total = t
	}
	return total, n, nil
}

// get fetches u, the page name, and keeps every response: the final one
// as name, those before it as its attempts (name.attempt-N.json). It
// returns the final response's body and status.
//
// A 401 means the API no longer takes the run's token (revoked, or expired
// before its time), not that the search is wrong: that response is kept
// as an attempt, the credentials are exchanged again, and the page is
// asked once more with the new token. A second 401 for the page is its
// final response, and an error that names it: the source fails, as the
// API refuses even a new token.
func (f *franceTravailFetch) get(ctx context.Context, u *url.URL, name string) (body []byte, status int, err error) {
	attempts := 0 // responses kept as attempts of the page
	for try := 1; ; try++ {
		refused := false // the final response was a 401, kept as an attempt
		err = f.fetcher.Get(ctx, f.src.Name(), u.String(), name, func(ctx context.Context, p RawPage) error {
			switch {
			case p.Name != name: // an attempt the fetcher kept (a retry, a redirect)
			case p.Meta.Status == http.StatusUnauthorized && try == 1:
				refused = true
			default:
				body, status = p.Body, p.Meta.Status
				return f.keep(ctx, p)
			}
			attempts++ // numbered across both tries, so no name is kept twice
			p.Name = attemptName(name, attempts)
			if err := f.keep(ctx, p); err != nil {
				refused = false
				return err
			}
			return nil
		}, Pace{f.src.opts.limiter, f.src.cfg.MinInterval})
		switch {
		case refused:
		case try > 1 && status == http.StatusUnauthorized:
			return body, status, fmt.Errorf("the API refused a token of a new exchange too: %w", err)
		default:
			return body, status, err
		}
		f.src.opts.logger.WarnContext(ctx, "the API refused the run's token (401): exchanging the credentials again, the page asked once more",
			"page", name)
		f.tr.contentRange(u.RawQuery) // the refused response's, if any
		if err := f.tokens.renew(); err != nil {
			return nil, 0, fmt.Errorf("token exchange at %s after a 401: %w", RedactURL(f.src.cfg.TokenURL), f.src.mask(err))
		}
	}
}

// countOffers returns the number of offers of a search response: none
// for 204 No Content (a search that finds nothing).
func countOffers(body []byte, status int) (int, error) {
	if status == http.StatusNoContent && len(strings.TrimSpace(string(body))) == 0 {
		return 0, nil
	}
	var page struct {
		Resultats []json.RawMessage `json:"resultats"`
	}
	if err := decodeDocument(body, &page); err != nil {
		return 0, fmt.Errorf("read offers: %w: %w", ErrMalformed, err)
	}
	return len(page.Resultats), nil
}

// ParseContentRange reads the Content-Range header of a France Travail
// search, "offres 0-149/9848": the first and last index of the page's
// offers and how many the search finds. ok is false for anything else.
func ParseContentRange(h string) (first, last, total int, ok bool) {
	unit, rest, found := strings.Cut(strings.TrimSpace(h), " ")
	if !found || unit == "" {
		return 0, 0, 0, false
	}
	span, size, found := strings.Cut(strings.TrimSpace(rest), "/")
	if !found {
		return 0, 0, 0, false
	}
	a, b, found := strings.Cut(span, "-")
	if !found {
		return 0, 0, 0, false
	}
	var errs [3]error
	first, errs[0] = strconv.Atoi(a)
	last, errs[1] = strconv.Atoi(b)
	total, errs[2] = strconv.Atoi(size)
	if errors.Join(errs[:]...) != nil || first < 0 || last < first || total < 0 {
		return 0, 0, 0, false
	}
	return first, last, total, true
}

// bearerTransport sends requests to the API's host (and scheme) with the
// run's token, any other request (a redirect the fetcher follows off the
// host) without it, and notes the Content-Range of each response by its
// query. Its errors have the secret masked.
type bearerTransport struct {
	scheme, host string
	authed       http.RoundTripper
	plain        http.RoundTripper
	mask         func(error) error

	mu     sync.Mutex
	ranges map[string]string // raw query -> Content-Range of its last response
}

func newBearerTransport(api *url.URL, tokens oauth2.TokenSource, mask func(error) error) *bearerTransport {
	base := http.DefaultTransport
	return &bearerTransport{scheme: api.Scheme, host: strings.ToLower(api.Host), plain: base,
		authed: &oauth2.Transport{Source: tokens, Base: base}, mask: mask, ranges: map[string]string{}}
}

// RoundTrip sends req, with the token when it is for the API.
func (t *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rt := t.plain
	if req.URL.Scheme == t.scheme && strings.EqualFold(req.URL.Host, t.host) {
		rt = t.authed
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return nil, t.mask(err)
	}
	if cr := resp.Header.Get("Content-Range"); cr != "" {
		t.mu.Lock()
		t.ranges[req.URL.RawQuery] = cr
		t.mu.Unlock()
	}
	return resp, nil
}

// contentRange returns, and forgets, the Content-Range of the last
// response to the query rawQuery.
func (t *bearerTransport) contentRange(rawQuery string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	cr := t.ranges[rawQuery]
	delete(t.ranges, rawQuery)
	return cr
}
