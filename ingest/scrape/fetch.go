package scrape

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"
	"github.com/jobpulse/jobpulse/ingest"
)

// crawl is one run of [Source.Fetch]. Colly's collector is synchronous and
// the crawl keeps its own queue: list pages and detail pages are fetched one
// at a time in a fixed order (a list page, its postings' detail pages, the
// next list page), each response is kept before its links are queued, and no
// callback recurses into another request.
type crawl struct {
	s      *Source
	c      *colly.Collector
	rec    *recorder
	keep   func(context.Context, ingest.RawPage) error
	origin string // canonical scheme://host[:port] of the start URL
	base   string // start URL up to its last "/", without it

	queue    []target
	seen     map[string]bool // queued list URLs and detail names
	used     map[string]bool // names kept
	lists    int
	pages    int // pages that got a response: max_pages counts these
	problems []error
}

// target is a page to fetch.
type target struct {
	url  string
	name string // detail page name; list pages are named when fetched
	list bool
}

// found is what colly's HTML callback read on a list page.
type found struct {
	html    bool
	items   int
	details []link
	next    *link
}

// link is a link as written (href) and the URL it is fetched from.
type link struct {
	href, url string
	err       error // why it is not followed
}

const foundKey = "jobpulse.found"

// Fetch crawls the board from its start URL and hands every response to keep
// (see the package documentation for names). A page that fails (after
// retries), a page robots.txt forbids and a link off the start host do not
// stop the crawl: they are reported together in the returned error, which
// wraps [ErrDisallowed], [ErrOffHost], [ErrMaxPages], [ErrNotHTML] or
// [ingest.ErrStatus] as the case may be. An error from keep stops it.
func (s *Source) Fetch(ctx context.Context, keep func(context.Context, ingest.RawPage) error) error {
	start, err := url.Parse(s.p.URL)
	if err != nil || start.Host == "" {
		return fmt.Errorf("scrape: start URL %q: not an absolute URL", s.p.URL)
	}
	cr := &crawl{
		s:      s,
		keep:   keep,
		origin: canonicalOrigin(start),
		base:   startBase(start),
		seen:   map[string]bool{},
		used:   map[string]bool{},
	}
	if err := cr.collector(ctx, start); err != nil {
		return err
	}
	cr.queue = []target{{url: start.String(), list: true}}
	cr.seen[start.String()] = true
	for len(cr.queue) > 0 {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("scrape: crawl %s: %w", s.p.URL, err)
		}
		if cr.pages >= s.p.MaxPages {
			cr.problem(fmt.Errorf("%w (%d): %d page(s) not fetched, from %s", ErrMaxPages, s.p.MaxPages, len(cr.queue), cr.queue[0].url))
			break
		}
		t := cr.queue[0]
		cr.queue = cr.queue[1:]
		if err := cr.visit(ctx, t); err != nil {
			return err
		}
	}
	s.logger.Info("crawled", "url", s.p.URL, "list_pages", cr.lists, "pages", cr.pages, "problems", len(cr.problems))
	if len(cr.problems) > 0 {
		return &crawlError{pages: cr.pages, problems: cr.problems}
	}
	return nil
}

// collector sets up colly: robots.txt, the host filter, the rate limit, the
// User-Agent, the body cap and the recording transport. Settings are made
// after NewCollector, so COLLY_* environment variables cannot loosen them.
func (cr *crawl) collector(ctx context.Context, start *url.URL) error {
	s := cr.s
	cr.rec = &recorder{origin: cr.origin, ctx: ctx}
	cr.rec.inner = &ingest.Transport{Base: s.base, Config: s.cfg, Limiter: s.limiter, MinRetryWait: s.p.Delay,
		Source: s.p.Name, Record: cr.rec.record, Logger: s.logger}
	c := colly.NewCollector()
	c.UserAgent = s.p.userAgent(s.cfg.UserAgent)
	c.Headers = &http.Header{"Accept": {"text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"}}
	c.IgnoreRobotsTxt = !s.p.Robots
	c.AllowURLRevisit = true // the crawl deduplicates; retries happen below colly
	c.AllowedDomains = []string{strings.ToLower(start.Hostname())}
	c.URLFilters = []*regexp.Regexp{regexp.MustCompile(`(?i)^` + regexp.QuoteMeta(cr.origin) + `([/?#]|$)`)}
	c.MaxBodySize = 0 // the recorder caps bodies at fetch.max_bytes and says so
	c.Async = false
	c.MaxDepth = 0
	c.CacheDir = ""
	c.Context = ctx
	c.WithTransport(cr.rec)
	c.SetRequestTimeout(0) // per attempt, in the recorder
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: 1, Delay: s.p.Delay}); err != nil {
		return fmt.Errorf("scrape: rate limit: %w", err)
	}
	c.OnHTML("html", func(e *colly.HTMLElement) {
		f, ok := e.Request.Ctx.GetAny(foundKey).(*found)
		if !ok || f == nil {
			return
		}
		f.html = true
		items := e.DOM.Find(s.p.Item)
		f.items = items.Length()
		items.Each(func(_ int, item *goquery.Selection) {
			if href := s.p.detailHref(item); href != "" {
				f.details = append(f.details, cr.resolve(href, e.Request))
			}
		})
		if href := s.p.nextHref(e.DOM); href != "" {
			l := cr.resolve(href, e.Request)
			f.next = &l
		}
	})
	cr.c = c
	return nil
}

// resolve returns the URL to fetch for a link on the page of req: mapped from
// the board's origin onto the start URL's base, or resolved against the page
// (and its <base href>), and refused when outside the start URL.
func (cr *crawl) resolve(href string, req *colly.Request) link {
	l := link{href: href}
	abs, mapped := mapOrigin(href, strings.TrimSuffix(cr.s.p.Origin, "/"), cr.base)
	if !mapped {
		abs = req.AbsoluteURL(href)
	}
	u, err := url.Parse(abs)
	switch {
	case abs == "" || err != nil || u.Host == "":
		l.err = fmt.Errorf("link %q on %s: not a URL to follow", href, req.URL)
	case canonicalOrigin(u) != cr.origin:
		l.err = fmt.Errorf("link %q on %s: %w %s, not followed", href, req.URL, ErrOffHost, cr.origin)
	default:
		u.Fragment, u.RawFragment = "", ""
		l.url = u.String()
	}
	return l
}

// visit fetches one page, keeps every response of it, and queues its links.
func (cr *crawl) visit(ctx context.Context, t target) error {
	var f *found
	cctx := colly.NewContext()
	if t.list {
		cr.lists++
		t.name = listPageName(cr.lists)
		f = &found{}
		cctx.Put(foundKey, f)
	}
	reqErr := cr.c.Request(http.MethodGet, t.url, nil, cctx, nil)
	offHost := errors.Is(reqErr, colly.ErrForbiddenDomain) || errors.Is(reqErr, colly.ErrNoURLFiltersMatch)
	pages, err := cr.keepRounds(ctx, t.name, cr.rec.drain(), !offHost)
	if err != nil {
		return err
	}
	var final *round
	if len(pages) > 0 {
		final = &pages[len(pages)-1]
		cr.pages++
	}
	switch {
	case final == nil:
		cr.problem(requestError(t.url, reqErr))
	case final.err != nil:
		err := fmt.Errorf("fetch %s (%s): %w", t.url, t.name, final.err)
		if offHost {
			err = fmt.Errorf("%w: redirect %w, not followed", err, ErrOffHost)
		}
		cr.problem(err)
	case f == nil:
	case !f.html:
		cr.problem(fmt.Errorf("fetch %s (%s): %w (Content-Type %q)", t.url, t.name, ErrNotHTML, final.page.Meta.ContentType))
	default:
		cr.follow(t, f)
	}
	return nil
}

// requestError explains a request that got no response.
func requestError(u string, err error) error {
	switch {
	case err == nil:
		return fmt.Errorf("fetch %s: no response", u)
	case errors.Is(err, colly.ErrRobotsTxtBlocked):
		return fmt.Errorf("fetch %s: %w", u, ErrDisallowed)
	case errors.Is(err, colly.ErrForbiddenDomain), errors.Is(err, colly.ErrNoURLFiltersMatch):
		return fmt.Errorf("fetch %s: %w", u, ErrOffHost)
	}
	return fmt.Errorf("fetch %s: %w", u, err)
}

// follow queues a list page's detail pages, then its next page.
func (cr *crawl) follow(t target, f *found) {
	if f.items == 0 {
		cr.s.logger.Warn("list page has no item", "url", t.url, "page", t.name, "item", cr.s.p.Item)
	}
	for _, l := range f.details {
		name := DetailPageName(l.href)
		switch {
		case l.err != nil:
			cr.problem(l.err)
		case !cr.seen[name]:
			cr.seen[name] = true
			cr.queue = append(cr.queue, target{url: l.url, name: name})
		}
	}
	switch {
	case f.next == nil:
	case f.next.err != nil:
		cr.problem(f.next.err)
	case cr.seen[f.next.url]:
		cr.s.logger.Info("next page already crawled, stopping", "url", f.next.url)
	default:
		cr.seen[f.next.url] = true
		cr.queue = append(cr.queue, target{url: f.next.url, list: true})
	}
}

// redirectLoop explains why colly stopped following the redirects of one
// visit, whose responses are pages, when the last one is a redirect: it leads
// back to a URL already requested, or past [ingest.MaxRedirects]. It is nil
// otherwise.
func redirectLoop(pages []round) error {
	last := pages[len(pages)-1]
	if last.next == "" {
		return nil
	}
	for _, r := range pages {
		if r.page.Meta.URL == last.next {
			return fmt.Errorf("%w: %s answered %d to %s, already requested", ingest.ErrRedirectLoop, last.page.Meta.URL, last.page.Meta.Status, last.next)
		}
	}
	if len(pages) >= ingest.MaxRedirects {
		return fmt.Errorf("%w: more than %d redirects, the last from %s to %s", ingest.ErrRedirectLoop, ingest.MaxRedirects, last.page.Meta.URL, last.next)
	}
	return nil
}

// keepRounds keeps the responses of one visit: the robots.txt fetched for it
// first, then the page; every response before the last of each is a failed
// attempt or a redirect, named with ".attempt-N". With loops, a last response
// that is a redirect colly stopped at (see [redirectLoop]) records the loop
// as its error. It returns the page's responses, none when none was received.
func (cr *crawl) keepRounds(ctx context.Context, name string, rounds []round, loops bool) ([]round, error) {
	var robots, pages []round
	for _, r := range rounds {
		if r.robots {
			robots = append(robots, r)
		} else {
			pages = append(pages, r)
		}
	}
	if err := cr.keepSeries(ctx, "robots.txt", robots); err != nil {
		return nil, err
	}
	if loops && len(pages) > 0 {
		if loop := redirectLoop(pages); loop != nil {
			last := &pages[len(pages)-1]
			last.err, last.page.Meta.Error = loop, loop.Error()
		}
	}
	if err := cr.keepSeries(ctx, name, pages); err != nil {
		return nil, err
	}
	return pages, nil
}

func (cr *crawl) keepSeries(ctx context.Context, name string, rounds []round) error {
	for i, r := range rounds {
		r.page.Name = name
		if i < len(rounds)-1 {
			r.page.Name = attemptName(name, i+1)
		}
		r.page.Name = cr.unique(r.page.Name)
		if err := cr.keep(ctx, r.page); err != nil {
			return fmt.Errorf("scrape: keep %s: %w", r.page.Name, err)
		}
	}
	return nil
}

// unique returns name, or name with ".again-N" before its extension when the
// crawl already kept a page of that name (robots.txt fetched again after a
// transport error): the lake never overwrites.
func (cr *crawl) unique(name string) string {
	n := name
	for i := 2; cr.used[n]; i++ {
		ext := path.Ext(name)
		n = fmt.Sprintf("%s.again-%d%s", strings.TrimSuffix(name, ext), i, ext)
	}
	cr.used[n] = true
	return n
}

// attemptName returns name with ".attempt-N" before its extension, as
// [ingest.Fetcher] names failed attempts: page-0001.attempt-1.html.
func attemptName(name string, n int) string {
	ext := path.Ext(name)
	return fmt.Sprintf("%s.attempt-%d%s", strings.TrimSuffix(name, ext), n, ext)
}

func (cr *crawl) problem(err error) {
	level := slog.LevelWarn
	if errors.Is(err, ErrDisallowed) {
		level = slog.LevelDebug // one per page: the returned error sums them up
	}
	cr.s.logger.Log(context.Background(), level, "crawl problem", "err", err)
	cr.problems = append(cr.problems, err)
}
