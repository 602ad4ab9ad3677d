package boards

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/jobpulse/jobpulse/ingest"
)

// Board is one company's job board on an applicant tracking system.
type Board struct {
	Kind    string // the system: "greenhouse", "lever", ...; one of [Kinds]
	Name    string // the board's name on that system, as its API's URL spells it: "sumup"
	Company string // the company's name when the line gives one; "" to read it from the board
	Origin  string // where the board was listed, for errors: "boards.file jobs.txt line 3"
}

// Source returns the board's source name, "<kind>-<board>" in lower case
// ("greenhouse-sumup"): one segment of a lake key
// (raw/source=greenhouse-sumup/...), a folder name on any file system, and a
// name the warehouse stores as it is. The kind holds no "-", so the first
// "-" splits the name back.
func (b Board) Source() string { return b.Kind + "-" + strings.ToLower(b.Name) }

// Page returns the company's own board page on the system, which the report
// links to: https://boards.greenhouse.io/sumup; "" for an unknown kind.
func (b Board) Page() string {
	k, ok := kinds[b.Kind]
	if !ok {
		return ""
	}
	return k.page(b.Name)
}

// KindOf returns the kind and board of a source name made by [Board.Source],
// and false for any other name.
func KindOf(source string) (kind, board string, ok bool) {
	kind, board, ok = strings.Cut(source, "-")
	if _, known := kinds[kind]; !ok || !known || !boardName.MatchString(board) {
		return "", "", false
	}
	return kind, board, true
}

// Kinds returns the names of the kinds of board, sorted.
func Kinds() []string { return slices.Sorted(maps.Keys(kinds)) }

// boardName is what a board's name may hold: letters, digits, "_" and "-",
// in dot-separated parts (SmartRecruiters' "BoschGroup", Recruitee's
// subdomain "acme-gmbh"). It never holds "/", "?", "#", "%", "@" or a space,
// so it stays in the path segment or the host label of its URL, and never
// starts with "." or "-".
var boardName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$`)

// maxBoardName bounds a board's name: a DNS label is at most 63 bytes.
const maxBoardName = 63

// ParseList reads a list of boards, one per line: the kind, the board's
// name, and optionally the company's name (the rest of the line), separated
// by spaces or tabs. Blank lines and everything after a "#" are ignored.
//
//	# kind       board       company (optional)
//	greenhouse   sumup
//	lever        palantir    Palantir Technologies
//
// origin names the list in errors ("boards.file jobs.txt"): each error
// names its line, and every bad line is reported, not only the first.
func ParseList(r io.Reader, origin string) ([]Board, error) {
	var out []Board
	var errs []error
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		where := fmt.Sprintf("%s line %d", origin, n)
		b, ok, err := parseLine(sc.Text(), where)
		switch {
		case err != nil:
			errs = append(errs, err)
		case ok:
			out = append(out, b)
		}
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("config: %s: read: %w", origin, err))
	}
	return out, errors.Join(errs...)
}

// parseLine reads one line of a list; ok is false for a blank or comment line.
func parseLine(line, where string) (b Board, ok bool, err error) {
	if i := strings.IndexByte(line, '#'); i >= 0 {
		line = line[:i]
	}
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return Board{}, false, nil
	}
	if len(fields) < 2 {
		return Board{}, false, fmt.Errorf("config: %s: %q: want \"<kind> <board> [company]\"", where, strings.TrimSpace(line))
	}
	kind := strings.ToLower(fields[0])
	if _, known := kinds[kind]; !known {
		return Board{}, false, fmt.Errorf("config: %s: unknown kind %q (known: %s)", where, fields[0], strings.Join(Kinds(), ", "))
	}
	name := fields[1]
	if len(name) > maxBoardName || !boardName.MatchString(name) {
		return Board{}, false, fmt.Errorf("config: %s: board %q is not a board name (letters, digits, \"-\", \"_\" and inner dots, at most %d bytes)",
			where, name, maxBoardName)
	}
	return Board{Kind: kind, Name: name, Company: strings.Join(fields[2:], " "), Origin: where}, true, nil
}

// Config is the section boards: the boards to read and how. Its fields are
// the keys boards.*.
type Config struct {
	List []string `mapstructure:"list" doc:"company job boards to read, each \"<kind> <board> [company]\" (kinds: greenhouse, lever, ashby, smartrecruiters, recruitee, workable, personio)"`
	File string   `mapstructure:"file" doc:"a file listing company job boards, one \"<kind> <board> [company]\" a line, # for comments"`
	// MinInterval spaces the requests to one host: hundreds of boards of
	// one system share its API's host.
	MinInterval time.Duration `mapstructure:"min_interval" doc:"least time between two requests to one board system's host"`
	Deadline    time.Duration `mapstructure:"deadline" doc:"longest one run may fetch from one board, retries and pages included"`
	MaxPages    int           `mapstructure:"max_pages" doc:"pages fetched from one paged board (SmartRecruiters) at most in one run"`
	// MaxDetails bounds the detail pages of one board (SmartRecruiters'
	// list gives no description: each posting's is one more request, at
	// the pace of the system's host, which every board of it shares).
	MaxDetails int  `mapstructure:"max_details" doc:"detail pages (one per posting, for its description) fetched from one SmartRecruiters board at most in one run; 0: none"`
	URL        URLs `mapstructure:"url"`
}

// URLs are the keys boards.url.*: each kind's API address, with {board}
// where the board's name goes, so that a mirror or a test server can stand
// in for the system.
type URLs struct {
	Greenhouse      string `mapstructure:"greenhouse" doc:"Greenhouse job board API, {board} for the board"`
	Lever           string `mapstructure:"lever" doc:"Lever postings API, {board} for the company"`
	Ashby           string `mapstructure:"ashby" doc:"Ashby posting API, {board} for the job board"`
	SmartRecruiters string `mapstructure:"smartrecruiters" doc:"SmartRecruiters postings API, {board} for the company (paged with limit and offset)"`
	Recruitee       string `mapstructure:"recruitee" doc:"Recruitee offers API, {board} for the company's subdomain"`
	Workable        string `mapstructure:"workable" doc:"Workable widget API, {board} for the account"`
	Personio        string `mapstructure:"personio" doc:"Personio XML feed, {board} for the company's subdomain"`
}

// Placeholder is where a board's name goes in a URL of [URLs].
const Placeholder = "{board}"

// DefaultConfig returns the public APIs, no board, and a polite pace.
func DefaultConfig() Config {
	return Config{
		MinInterval: time.Second,
		Deadline:    ingest.DefaultDeadline,
		MaxPages:    50,
		MaxDetails:  100,
		URL: URLs{
			Greenhouse:      "https://boards-api.greenhouse.io/v1/boards/{board}/jobs?content=true",
			Lever:           "https://api.lever.co/v0/postings/{board}?mode=json",
			Ashby:           "https://api.ashbyhq.com/posting-api/job-board/{board}?includeCompensation=true",
			SmartRecruiters: "https://api.smartrecruiters.com/v1/companies/{board}/postings",
			Recruitee:       "https://{board}.recruitee.com/api/offers/",
			Workable:        "https://apply.workable.com/api/v1/widget/accounts/{board}?details=true",
			Personio:        "https://{board}.jobs.personio.de/xml",
		},
	}
}

// url returns the URL template of kind.
func (u URLs) url(kind string) string {
	switch kind {
	case "greenhouse":
		return u.Greenhouse
	case "lever":
		return u.Lever
	case "ashby":
		return u.Ashby
	case "smartrecruiters":
		return u.SmartRecruiters
	case "recruitee":
		return u.Recruitee
	case "workable":
		return u.Workable
	case "personio":
		return u.Personio
	}
	return ""
}

// maxDetailsLimit bounds MaxDetails: as many postings as max_pages's
// bound lists.
const maxDetailsLimit = maxPagesLimit * smartRecruitersPageSize

// maxPagesLimit bounds MaxPages: page names have four digits.
const maxPagesLimit = 9999

// Validate checks the keys, naming the key of a bad value. It does not read
// the list: [Config.Boards] does.
func (c Config) Validate() error {
	var errs []error
	for _, kind := range Kinds() {
		key := "boards.url." + kind
		tmpl := c.URL.url(kind)
		if !strings.Contains(tmpl, Placeholder) {
			errs = append(errs, fmt.Errorf("config: %s: %q has no %s for the board's name", key, tmpl, Placeholder))
			continue
		}
		u, err := url.Parse(strings.ReplaceAll(tmpl, Placeholder, "board"))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("config: %s: %q is not an http(s) URL", key, tmpl))
		}
	}
	if c.MinInterval < 0 {
		errs = append(errs, fmt.Errorf("config: boards.min_interval: %s must not be negative", c.MinInterval))
	}
	if c.MaxPages < 1 || c.MaxPages > maxPagesLimit {
		errs = append(errs, fmt.Errorf("config: boards.max_pages: %d is not between 1 and %d", c.MaxPages, maxPagesLimit))
	}
	if c.Deadline <= 0 {
		errs = append(errs, fmt.Errorf("config: boards.deadline: %s must be positive", c.Deadline))
	}
	if c.MaxDetails < 0 || c.MaxDetails > maxDetailsLimit {
		errs = append(errs, fmt.Errorf("config: boards.max_details: %d is not between 0 and %d", c.MaxDetails, maxDetailsLimit))
	}
	return errors.Join(errs...)
}

// Boards reads the boards of boards.list, then those of boards.file,
// checking every line, and returns them in that order. A board listed twice
// (the same source name) is an error naming both lines. A relative file
// name is read from the working folder.
func (c Config) Boards() ([]Board, error) {
	var all []Board
	var errs []error
	for i, line := range c.List {
		b, ok, err := parseLine(line, fmt.Sprintf("boards.list entry %d", i+1))
		switch {
		case err != nil:
			errs = append(errs, err)
		case ok:
			all = append(all, b)
		}
	}
	if c.File != "" {
		f, err := os.Open(c.File)
		if err != nil {
			errs = append(errs, fmt.Errorf("config: boards.file: %w", err))
		} else {
			bs, err := ParseList(f, "boards.file "+c.File)
			f.Close()
			all = append(all, bs...)
			errs = append(errs, err)
		}
	}
	seen := map[string]Board{}
	for _, b := range all {
		if first, dup := seen[b.Source()]; dup {
			errs = append(errs, fmt.Errorf("config: %s: board %s %s is listed already (%s)", b.Origin, b.Kind, b.Name, first.Origin))
			continue
		}
		seen[b.Source()] = b
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return all, nil
}
