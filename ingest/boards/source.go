package boards

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// kind is one applicant tracking system: where its boards are, and how its
// answers read.
type kind struct {
	title string              // the system's name as the report credits it
	site  string              // the system's home page
	page  func(string) string // the company's own board page
	ext   string              // the extension of its raw pages
	parse func(Board, []byte, string) ([]jobdata.Posting, []jobdata.Reject, error)
	// paged, when set, returns the URL of page n (from 1) of a board whose
	// first page is at first, and whether the board has that page at all
	// given the page before it (prev); nil for a board answered in one page.
	paged func(first string, n int, prev []byte) (string, bool, error)
	// detail, when set, completes each posting from a detail page of its
	// own; nil when the list says all.
	detail *detailKind
}

// kinds are the systems jobpulse reads, by name (set in init: the parsers
// read the board pages it holds).
var kinds map[string]kind

func init() {
	kinds = map[string]kind{
		"greenhouse": {title: "Greenhouse", ext: ".json", parse: parseGreenhouse,
			page: func(b string) string { return "https://boards.greenhouse.io/" + b }},
		"lever": {title: "Lever", ext: ".json", parse: parseLever,
			page: func(b string) string { return "https://jobs.lever.co/" + b }},
		"ashby": {title: "Ashby", ext: ".json", parse: parseAshby,
			page: func(b string) string { return "https://jobs.ashbyhq.com/" + b }},
		"smartrecruiters": {title: "SmartRecruiters", ext: ".json", parse: parseSmartRecruiters,
			page: func(b string) string { return "https://jobs.smartrecruiters.com/" + b }, paged: smartRecruitersPage,
			detail: &detailKind{pages: smartRecruitersDetails, name: smartRecruitersDetailName, read: readSmartRecruitersDetail}},
		"recruitee": {title: "Recruitee", ext: ".json", parse: parseRecruitee,
			page: func(b string) string { return "https://" + b + ".recruitee.com/" }},
		"workable": {title: "Workable", ext: ".json", parse: parseWorkable,
			page: func(b string) string { return "https://apply.workable.com/" + b + "/" }},
		"personio": {title: "Personio", ext: ".xml", parse: parsePersonio,
			page: func(b string) string { return "https://" + b + ".jobs.personio.de/" }},
	}
}

// Source is one company's board as an [ingest.Source].
type Source struct {
	board   Board
	cfg     Config
	fetcher *ingest.Fetcher
	limiter *ingest.HostLimiter
	logger  *slog.Logger
}

var _ ingest.Source = (*Source)(nil)

// New returns the source of board b, fetching with f, each request waiting
// its turn at its host on limiter (shared by every board, so that the boards
// of one system are spaced by cfg.MinInterval together). A nil limiter or
// logger means none.
func New(b Board, cfg Config, f *ingest.Fetcher, limiter *ingest.HostLimiter, logger *slog.Logger) *Source {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Source{board: b, cfg: cfg, fetcher: f, limiter: limiter,
		logger: logger.With(slog.Group("board", "source", b.Source()))}
}

// Name returns the board's source name, e.g. "greenhouse-sumup".
func (s *Source) Name() string { return s.board.Source() }

// Kind returns the board's system, e.g. "greenhouse": the progress line
// counts failures by it ([ingest.SourceKind]).
func (s *Source) Kind() string { return s.board.Kind }

// Board returns the board the source reads.
func (s *Source) Board() Board { return s.board }

// URL returns the API address of the board's first page.
func (s *Source) URL() string {
	return strings.ReplaceAll(s.cfg.URL.url(s.board.Kind), Placeholder, s.board.Name)
}

// Fetch gets the board's page (and its next pages, for a paged system),
// keeping each as page-0001.json (page-0001.xml for Personio), ... A first
// page answered 404 fails with an error wrapping [ingest.ErrGone]: the
// company no longer has its board on that system.
//
// For a system whose list gives no description (SmartRecruiters), each list
// page is followed by the detail page of each of its postings
// (posting-<id>.json), up to boards.max_details for the board, each request
// waiting its turn at the host as every other does; see [Source.details].
func (s *Source) Fetch(ctx context.Context, keep func(context.Context, ingest.RawPage) error) error {
	k := kinds[s.board.Kind]
	var pace []ingest.Pace
	if s.limiter != nil {
		pace = append(pace, ingest.Pace{Limiter: s.limiter, Interval: s.cfg.MinInterval})
	}
	details := 0 // budget left: boards.max_details
	if k.detail != nil {
		details = s.cfg.MaxDetails
	}
	next, maxPages := s.URL(), max(s.cfg.MaxPages, 1)
	if k.paged != nil {
		first, _, err := k.paged(s.URL(), 1, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Name(), err)
		}
		next = first
	}
	for n := 1; ; n++ {
		name := fmt.Sprintf("page-%04d%s", n, k.ext)
		var body []byte
		status := 0
		err := s.fetcher.Get(ctx, s.Name(), next, name, func(ctx context.Context, p ingest.RawPage) error {
			if p.Name == name {
				body, status = p.Body, p.Meta.Status
			}
			return keep(ctx, p)
		}, pace...)
		switch {
		case err != nil && n == 1 && status == http.StatusNotFound:
			return fmt.Errorf("%s: %w: %s answered 404 Not Found: the company has no board %q on %s any more",
				s.Name(), ingest.ErrGone, ingest.RedactURL(next), s.board.Name, k.title)
		case err != nil:
			return fmt.Errorf("%s: page %d: %w", s.Name(), n, err)
		}
		if details > 0 {
			if details, err = s.details(ctx, k.detail, body, details, keep, pace); err != nil {
				return fmt.Errorf("%s: details of page %d: %w", s.Name(), n, err)
			}
		}
		if k.paged == nil {
			return nil
		}
		u, more, err := k.paged(s.URL(), n+1, body)
		switch {
		case err != nil:
			return fmt.Errorf("%s: page %d: %w", s.Name(), n, err)
		case !more:
			return nil
		case n >= maxPages:
			s.logger.WarnContext(ctx, "page cap reached, later pages left out", "max_pages", maxPages, "next", u)
			return nil
		}
		next = u
	}
}

// details fetches the detail pages of the postings of a list page (body),
// at most budget of them, and returns the budget left. A detail answered
// 404 (a posting closed since the list was read) is kept and passed; any
// other failure is kept and ends the board's details (budget 0), with a
// warning: the board's postings are what its list says, and those left
// keep no description, rather than the board fail, or a host that refuses
// be asked again and again. The error is the lake's (a page not kept) or
// the context's.
func (s *Source) details(ctx context.Context, d *detailKind, body []byte, budget int,
	keep func(context.Context, ingest.RawPage) error, pace []ingest.Pace) (int, error) {
	pages, err := d.pages(s.URL(), body)
	if err != nil {
		return budget, nil // the list page is malformed: its parse says so
	}
	for i, dp := range pages {
		if budget == 0 {
			s.logger.WarnContext(ctx, "detail cap reached, later postings kept without their description",
				"max_details", s.cfg.MaxDetails, "left", len(pages)-i)
			return 0, nil
		}
		budget--
		status := 0
		var kept error
		err := s.fetcher.Get(ctx, s.Name(), dp.url, dp.name, func(ctx context.Context, p ingest.RawPage) error {
			if p.Name == dp.name {
				status = p.Meta.Status
			}
			kept = keep(ctx, p)
			return kept
		}, pace...)
		switch {
		case err == nil:
		case kept != nil, ctx.Err() != nil:
			return 0, fmt.Errorf("%s: %w", dp.name, err)
		case status == http.StatusNotFound:
		default:
			s.logger.WarnContext(ctx, "detail page failed: the board's later postings are kept without their description",
				"page", dp.name, "err", err, "left", len(pages)-i-1)
			return 0, nil
		}
	}
	return budget, nil
}

// Parse parses one stored page of the board: a list page gives its
// postings, each completed from its detail page when the system has them
// (found with lookup); a detail page gives nothing by itself.
//
// A posting whose detail page is missing (not fetched: past
// boards.max_details, or after a detail failed), failed, or unreadable
// (another shape, another posting's: logged) is kept without what the
// detail gives: the list is what says a posting is open.
func (s *Source) Parse(ctx context.Context, page ingest.StoredPage, lookup ingest.Lookup) ([]ingest.Posting, []ingest.Reject, error) {
	d := kinds[s.board.Kind].detail
	if d != nil && strings.HasPrefix(page.Name, detailPrefix) {
		return nil, nil, nil
	}
	postings, rejects, err := Parse(s.board, page.Body, page.Key)
	if err != nil || d == nil || lookup == nil {
		return postings, rejects, err
	}
	missing := 0
	for i := range postings {
		p := &postings[i]
		name, ok := d.name(p.SourceID)
		if !ok {
			missing++
			continue
		}
		dp, err := lookup(ctx, name)
		switch {
		case errors.Is(err, ingest.ErrNotFound), err == nil && dp.Meta.Error != "":
			missing++
			continue
		case err != nil:
			return nil, nil, fmt.Errorf("%s: parse %s: detail page %s: %w", s.Name(), page.Key, name, err)
		}
		if err := d.read(p, dp.Body); err != nil {
			if !errors.Is(err, errNoJobAd) {
				s.logger.WarnContext(ctx, "detail page unreadable: posting kept without its description", "key", dp.Key, "err", err)
			}
			missing++
		}
	}
	if missing > 0 {
		s.logger.DebugContext(ctx, "postings kept without their detail page", "key", page.Key, "postings", missing)
	}
	return postings, rejects, nil
}

// detailPrefix begins the name of every detail page (posting-<id>.json).
const detailPrefix = "posting-"

// OptionalPage reports whether the page named name is a detail page of a
// system whose list says all that is open: a detail that failed (a posting
// closed since the list was read, a host that refused) does not fail the
// board (see [ingest.IsOptionalPage]).
func (s *Source) OptionalPage(name string) bool {
	return kinds[s.board.Kind].detail != nil && strings.HasPrefix(name, detailPrefix)
}

// Parse parses one page of board b's API, whose lake key is lakeKey (named
// in errors and rejects). A page that is not the system's answer is an
// error wrapping [ingest.ErrMalformed]; a job without an id or a title is a
// reject, and the others are kept. Postings are not normalized.
func Parse(b Board, body []byte, lakeKey string) ([]ingest.Posting, []ingest.Reject, error) {
	k, ok := kinds[b.Kind]
	if !ok {
		return nil, nil, fmt.Errorf("boards: parse %s: unknown kind %q", lakeKey, b.Kind)
	}
	postings, rejects, err := k.parse(b, body, lakeKey)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: parse %s: %w: %w", b.Source(), lakeKey, ingest.ErrMalformed, err)
	}
	for i := range postings {
		postings[i].Source, postings[i].LakeKey = b.Source(), lakeKey
		if postings[i].Company == "" {
			postings[i].Company = b.company()
		}
	}
	return postings, rejects, nil
}

// company is the company's name as the list gives it, else the board's name.
func (b Board) company() string {
	if b.Company != "" {
		return b.Company
	}
	return b.Name
}

// errNoJobs is the error of a page without its list of jobs.
var errNoJobs = errors.New("no list of jobs")
