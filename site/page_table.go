package site

import (
	"fmt"
	"maps"
	"math"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// tableSpec is the YAML body of a table block.
type tableSpec struct {
	// Query names one of the page's queries.
	Query string `yaml:"query"`
	// Columns picks and orders columns; empty means all, in query order.
	Columns []string `yaml:"columns"`
	// Title is the table's caption.
	Title string `yaml:"title"`
	// Link makes the cells of a column links: column name to URL pattern.
	// A pattern from the site root leads to a page of the site, where
	// [name] is the slug of the row's value in that column, e.g. role:
	// /roles/[role]/; a link to a page the build does not make fails the
	// build. A pattern that is only [name] leads outside, to the URL in
	// that column, e.g. title: "[url]": a value that is not an http or
	// https URL leaves its cell plain text (see [externalURL]).
	Link map[string]string `yaml:"link"`
}

// linkParam matches the [name] parts of a link pattern.
var linkParam = regexp.MustCompile(`\[([^\]]*)\]`)

// externalColumn reports whether a link pattern is [name], a link to the
// URL in column name, and returns the name.
func externalColumn(pattern string) (string, bool) {
	m := linkParam.FindStringSubmatch(pattern)
	if m == nil || m[0] != pattern {
		return "", false
	}
	return m[1], true
}

// check checks the table's columns and links against its query's result.
func (s *tableSpec) check(res *result) error {
	if err := res.missingColumn(s.Query, s.Columns...); err != nil {
		return err
	}
	for _, col := range slices.Sorted(maps.Keys(s.Link)) {
		pattern := s.Link[col]
		if err := res.missingColumn(s.Query, col); err != nil {
			return fmt.Errorf("link: %w", err)
		}
		if target, ok := externalColumn(pattern); ok {
			if err := res.missingColumn(s.Query, target); err != nil {
				return fmt.Errorf("link %s: %w", col, err)
			}
			continue
		}
		if err := checkPagePattern(s.Query, res, pattern); err != nil {
			return fmt.Errorf("link %s: %w", col, err)
		}
	}
	return nil
}

// checkPagePattern checks a link to pages of the site, such as
// /roles/[role]/: a path from the site root whose [column]s are columns of
// the result of query.
func checkPagePattern(query string, res *result, pattern string) error {
	if !strings.HasPrefix(pattern, "/") || !strings.HasSuffix(pattern, "/") || strings.Contains(pattern, "//") {
		return fmt.Errorf("%q: want a page's URL from the site root, such as /roles/[role]/, "+
			"or [column] for the web addresses in a column", pattern)
	}
	for _, m := range linkParam.FindAllStringSubmatch(pattern, -1) {
		if err := res.missingColumn(query, m[1]); err != nil {
			return err
		}
	}
	return nil
}

// href returns the URL of the page a cell links to, from the site root, or
// "" when a value in it makes no slug (it can have no page). A value's page
// is at its slug, or else, for a link to a templated page such as
// /roles/[role]/, at its hashed slug (see [pageSlugs]), whichever of the
// two urls has.
func href(pattern string, res *result, row []any, urls map[string]*page) string {
	ok := true
	var last string // the value of the last [name]
	u := linkParam.ReplaceAllStringFunc(pattern, func(m string) string {
		last = formatValue(row[res.column(m[1:len(m)-1])])
		s := slug(last)
		ok = ok && s != ""
		return s
	})
	if ok && urls[u] != nil {
		return u
	}
	if loc := linkParam.FindAllStringIndex(pattern, -1); len(loc) == 1 && strings.HasSuffix(pattern, "]/") &&
		pattern[loc[0][0]-1] == '/' {
		if h := pattern[:loc[0][0]] + hashedSlug(last) + "/"; urls[h] != nil {
			return h
		}
	}
	if !ok {
		return ""
	}
	return u
}

// tableView is what layouts/table.html renders. Values are plain text: the
// template escapes them.
type tableView struct {
	Caption string
	Columns []tableColumn
	Rows    [][]tableCell
	// Empty is true when the query returned no rows.
	Empty bool
	// Files links to the data files of the table's query, beside its page
	// (see data.go), for the Download links; nil for a table without them
	// (a chart's data table, whose chart has them, or an empty one).
	Files *dataLink
	// Interactive tables can be sorted, searched and paged by the site's
	// script; a chart's data table is not.
	Interactive bool
	// SQL links to the table's query in the page's SQL section; nil for
	// a chart's data table, whose chart links to it.
	SQL *sqlLink
}

// tableColumn is a column head; numeric columns are right-aligned.
type tableColumn struct {
	Name    string
	Numeric bool
}

// tableCell is one formatted value, and the page it links to, relative to
// the page it is on.
type tableCell struct {
	Text    string
	Numeric bool
	Href    string
	// External marks a link that leads outside the site.
	External bool
	// Hint names what a link to a page of the site is, for screen readers
	// and link lists ("Go" alone says little; "Go (skill)" does): the
	// column's name, in lower case, hidden on screen.
	Hint string
	// Value is a number's exact value, for sorting: "" for other values.
	Value string
	// Long marks text with a word longer than [longWord]: the cell may
	// break it anywhere rather than grow wider than the screen.
	Long bool
}

// Text from outside can be of any length: a table cell shows at most
// maxCellText characters of a value (the data files, see data.go, keep
// it whole), and marks text with a word of more than longWord
// characters as long.
const (
	maxCellText = 300
	longWord    = 30
)

// cellText returns the text a cell shows of s, cut to [maxCellText]
// characters with an ellipsis, and whether it has a word longer than
// [longWord].
func cellText(s string) (text string, long bool) {
	n, word := 0, 0
	for i, r := range s {
		if n == maxCellText {
			return s[:i] + "…", long
		}
		n++
		if unicode.IsSpace(r) {
			word = 0
		} else if word++; word > longWord {
			long = true
		}
	}
	return s, long
}

// newTableView formats the named columns of res (all when names is empty).
func newTableView(caption string, res *result, names []string) tableView {
	if len(names) == 0 {
		names = res.columns
	}
	v := tableView{Caption: caption, Empty: len(res.rows) == 0}
	idx := make([]int, len(names))
	for i, n := range names {
		idx[i] = res.column(n)
		v.Columns = append(v.Columns, tableColumn{Name: n, Numeric: numericColumn(res, idx[i])})
	}
	for _, row := range res.rows {
		cells := make([]tableCell, len(idx))
		for i, c := range idx {
			text, long := cellText(formatValue(row[c]))
			cells[i] = tableCell{Text: text, Long: long, Numeric: v.Columns[i].Numeric, Value: exactNumber(row[c])}
		}
		v.Rows = append(v.Rows, cells)
	}
	return v
}

// exactNumber returns a number's value in full, "" for other values.
func exactNumber(v any) string {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return ""
}

// numericColumn reports whether column i holds numbers (and at least one).
func numericColumn(res *result, i int) bool {
	seen := false
	for _, row := range res.rows {
		switch row[i].(type) {
		case nil:
		case int64, float64:
			seen = true
		default:
			return false
		}
	}
	return seen
}

// formatValue formats a normalized value for people: numbers with thousands
// separators, floats to at most two decimals, times in UTC.
func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return groupThousands(strconv.FormatInt(x, 10))
	case float64:
		s := strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
		if s == "-0" {
			s = "0"
		}
		whole, frac, ok := strings.Cut(s, ".")
		if ok {
			return groupThousands(whole) + "." + frac
		}
		return groupThousands(whole)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		x = x.UTC()
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format(time.DateOnly)
		}
		return x.Format("2006-01-02 15:04 UTC")
	default:
		return "?"
	}
}

// groupThousands puts a comma between groups of three digits: 1234567 is
// 1,234,567.
func groupThousands(digits string) string {
	neg := strings.HasPrefix(digits, "-")
	digits = strings.TrimPrefix(digits, "-")
	if len(digits) <= 3 {
		if neg {
			return "-" + digits
		}
		return digits
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	head := len(digits) % 3
	if head > 0 {
		b.WriteString(digits[:head])
	}
	for i := head; i < len(digits); i += 3 {
		if b.Len() > 0 && !(neg && b.Len() == 1) {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// externalURL returns the link of a table cell to a web address taken from
// the warehouse: the value when it is an absolute http or https URL of at
// most [maxURL] bytes with a host and no user name, with a non-ASCII host
// in its ASCII form and quotes and angle brackets escaped, else "" (the
// cell stays text). Outside data never makes a javascript:, data: or
// relative link, and never fails the build.
func externalURL(v any) string {
	s, ok := v.(string)
	if !ok || len(s) > maxURL || strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Opaque != "" || u.User != nil || u.Hostname() == "" {
		return ""
	}
	host := u.Hostname()
	if strings.IndexFunc(host, func(r rune) bool { return r >= utf8.RuneSelf }) >= 0 {
		ascii, err := idna.Lookup.ToASCII(host)
		if err != nil {
			return ""
		}
		host = ascii
		if port := u.Port(); port != "" {
			ascii += ":" + port
		}
		u.Host = ascii
	}
	if net.ParseIP(host) == nil && !hostName.MatchString(host) {
		return ""
	}
	return urlQuotes.Replace(u.String())
}

// maxURL is the longest web address a cell links to, in bytes: browsers
// and servers refuse longer ones, and a value from outside can be of any
// length.
const maxURL = 2048

// hostName is the form of a host name in a link: letters, digits, - and _
// in dot-separated labels.
var hostName = regexp.MustCompile(`^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$`)

// urlQuotes escapes what url.URL.String leaves as it was in a query and
// could close an attribute or look like markup.
var urlQuotes = strings.NewReplacer(`"`, "%22", "'", "%27", "<", "%3C", ">", "%3E", "`", "%60")
