package boards

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// decodeDocument decodes body, one whole JSON document that may start with
// a UTF-8 byte-order mark, into v; data after the document is an error.
func decodeDocument(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON document")
	}
	return nil
}

// jobs decodes each job of list with decode, keeping the postings and
// turning a job that fails into a reject at its index.
func jobs[T any](list []json.RawMessage, lakeKey string, decode func(T) (jobdata.Posting, error)) ([]jobdata.Posting, []jobdata.Reject) {
	postings := make([]jobdata.Posting, 0, len(list))
	var rejects []jobdata.Reject
	for i, raw := range list {
		var j T
		err := json.Unmarshal(raw, &j)
		var p jobdata.Posting
		if err == nil {
			p, err = decode(j)
		} else {
			err = fmt.Errorf("job is not of the expected shape: %w", err)
		}
		if errors.Is(err, errSkip) {
			continue
		}
		if err != nil {
			rejects = append(rejects, jobdata.Reject{LakeKey: lakeKey, Index: i, Reason: err.Error()})
			continue
		}
		postings = append(postings, p)
	}
	return postings, rejects
}

// errSkip is returned by a job's decoder for a job the board publishes but
// does not offer (an unlisted one): left out, and no reject.
var errSkip = errors.New("not a public job")

// need returns the id and title trimmed, or an error when either is empty.
func need(id, title string) (string, string, error) {
	id, title = strings.TrimSpace(id), strings.TrimSpace(title)
	switch {
	case id == "":
		return "", "", errors.New("job has no id")
	case title == "":
		return "", "", fmt.Errorf("job %s has no title", id)
	}
	return id, title, nil
}

// number is a JSON number that a system may also write as a string
// ("85000", "85,000.00") or null; 0 when it is none of these.
type number float64

// UnmarshalJSON reads a number, a string holding one, or null.
func (n *number) UnmarshalJSON(b []byte) error {
	*n = 0
	s := strings.TrimSpace(string(b))
	if s == "null" {
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
		if s == "" {
			return nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1e12 {
		return nil // not a salary figure: left unknown rather than the job rejected
	}
	*n = number(f)
	return nil
}

// id is a JSON id that a system writes as a number or a string.
type id string

// UnmarshalJSON reads a string or a number as text.
func (i *id) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*i = id(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("id %s is neither a string nor a number", b)
	}
	*i = id(n.String())
	return nil
}

// salary returns the range min-max in currency per the period named by
// interval (as each system spells it: "per-year-salary", "1 YEAR",
// "year", "monthly"), or the zero Salary when no figure is given.
func salary(lo, hi number, currency, interval string) jobdata.Salary {
	if lo <= 0 && hi <= 0 {
		return jobdata.Salary{}
	}
	if lo <= 0 {
		lo = hi
	}
	if hi <= 0 {
		hi = lo
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	return jobdata.Salary{Min: float64(lo), Max: float64(hi), Currency: strings.ToUpper(strings.TrimSpace(currency)), Period: period(interval)}
}

// period reads an interval as a period of [jobdata.Salary], "" when unknown.
func period(interval string) string {
	s := strings.ToLower(interval)
	switch {
	case strings.Contains(s, "hour"):
		return jobdata.Hour
	case strings.Contains(s, "day") || strings.Contains(s, "daily"):
		return jobdata.Day
	case strings.Contains(s, "week"):
		return jobdata.Week
	case strings.Contains(s, "month"):
		return jobdata.Month
	case strings.Contains(s, "year") || strings.Contains(s, "annual"):
		return jobdata.Year
	}
	return ""
}

// place returns the location text with the board's workplace flag added
// where the text does not already say it: "Berlin, Germany (Hybrid)", so
// that the normalizer, which reads the workplace from the location text,
// reads the board's flag. workplace is the system's word for it ("remote",
// "Hybrid", "OnSite", "on-site"); "" or one it does not know adds nothing.
func place(text, workplace string) string {
	text = strings.TrimSpace(text)
	var word string
	switch strings.ToLower(strings.NewReplacer("-", "", "_", "", " ", "").Replace(workplace)) {
	case "remote", "fullyremote", "remoteonly":
		word = "Remote"
	case "hybrid":
		word = "Hybrid"
	case "onsite", "inoffice", "office":
		word = "On-site"
	default:
		return text
	}
	lower := strings.ToLower(text)
	if strings.Contains(lower, strings.ToLower(word)) || (word == "On-site" && strings.Contains(lower, "onsite")) {
		return text
	}
	if text == "" {
		return word
	}
	return text + " (" + word + ")"
}

// joinPlaces joins the non-blank places with "; ", without repeats.
func joinPlaces(places ...string) string {
	var out []string
	seen := map[string]bool{}
	for _, p := range places {
		p = strings.TrimSpace(p)
		if p != "" && !seen[strings.ToLower(p)] {
			seen[strings.ToLower(p)] = true
			out = append(out, p)
		}
	}
	return strings.Join(out, "; ")
}

// joinNonEmpty joins the non-blank parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// timeOf parses an RFC 3339 time (with or without fractions or zone, or a
// date alone) as UTC; zero when it is none of these.
func timeOf(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05.999999999",
		"2006-01-02 15:04:05 MST", "2006-01-02 15:04:05", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// millis returns the time of Unix milliseconds, a JSON number; zero when
// it is no number or out of range.
func millis(raw json.RawMessage) time.Time {
	ms, err := strconv.ParseFloat(strings.TrimSpace(string(raw)), 64)
	if err != nil || ms <= 0 || ms > 1e14 {
		return time.Time{}
	}
	return time.UnixMilli(int64(ms)).UTC()
}
