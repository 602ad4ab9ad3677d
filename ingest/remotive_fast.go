package ingest

import (
	"bytes"
	"strconv"
	"sync"
)

// The fast path of [ParseRemotive] reads a page in one pass with a
// [jsonScanner] and builds the postings directly, without reflection. It takes
// only pages whose every detail it knows encoding/json reads the same way:
// anything else (a name that differs from a field's only in case, a field
// given twice, a value of another type, invalid UTF-8, data after the
// document...) makes it give up, and [parseRemotiveSlow] parses the page
// and decides, with its error messages. FuzzParseRemotiveFastMatchesSlow
// holds the two paths to the same results. It stays because the end-to-end
// replay takes 56% longer with encoding/json alone (see [ParseRemotive]).

// remotiveField is a field of a job that the fast path reads.
type remotiveField uint8

// The fields of a Remotive job, in the order of remotiveFieldNames.
const (
	rfID remotiveField = iota
	rfURL
	rfTitle
	rfCompanyName
	rfCompanyLogo
	rfCompanyLogoURL
	rfCategory
	rfTags
	rfJobType
	rfPublicationDate
	rfCandidateRequiredLocation
	rfSalary
	rfDescription
	rfCount
)

// remotiveFieldNames are the JSON names of the fields of [remotiveJob].
var remotiveFieldNames = [rfCount]string{
	"id", "url", "title", "company_name", "company_logo", "company_logo_url", "category", "tags",
	"job_type", "publication_date", "candidate_required_location", "salary", "description",
}

// remotiveNamesColon are the names of remotiveFieldNames as they usually
// are in a page: quoted, without escapes, and followed by a colon.
var remotiveNamesColon = func() (q [rfCount]string) {
	for f, name := range remotiveFieldNames {
		q[f] = `"` + name + `":`
	}
	return q
}()

// remotiveTopNames are the JSON names of the fields of [remotiveResponse].
var remotiveTopNames = []string{"jobs", "job-count"}

// remotiveMinJobBytes is the size of the smallest job that gives a posting,
// {"id":1,"title":"a"}: the job count a page claims is trusted only up to
// its size over this, to size the postings.
const remotiveMinJobBytes = 20

// remotiveBufs keeps the buffers that hold a job's strings while it is read
// (remotiveFast.buf) from page to page: a real job's description reaches
// tens of kilobytes, and growing a new buffer to that for every page
// costs more than the page's strings. Buffers past remotiveMaxPooledBuf
// are dropped.
var remotiveBufs = sync.Pool{New: func() any { return new([]byte) }}

// remotiveMaxPooledBuf is the largest buffer kept in remotiveBufs.
const remotiveMaxPooledBuf = 1 << 20

// span is the place of a string in remotiveFast.buf.
type span struct{ start, end int }

// remotiveFast is the state of the fast path on one page.
type remotiveFast struct {
	s       jsonScanner
	lakeKey string
	buf     []byte // the current job's strings, unquoted, one after the other
	name    []byte // an unquoted name that had escapes
	fields  [rfCount]span
	tags    []span
	tagStrs []string
	// next is the field that came after each field (and, at rfCount,
	// first) in the last job: the name most likely to come next, checked
	// before any other.
	next [rfCount + 1]remotiveField
}

// parseRemotiveFast parses body as [ParseRemotive] does, or reports false
// when the page is not one it can be sure to read as encoding/json does.
func parseRemotiveFast(body []byte, lakeKey string) ([]Posting, []Reject, bool) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	pooled := remotiveBufs.Get().(*[]byte)
	p := remotiveFast{s: jsonScanner{b: body}, lakeKey: lakeKey, buf: *pooled}
	defer func() {
		if cap(p.buf) <= remotiveMaxPooledBuf {
			*pooled = p.buf[:0]
			remotiveBufs.Put(pooled)
		}
	}()
	for f := range p.next {
		p.next[f] = remotiveField(f+1) % (rfCount + 1)
	}
	if !p.s.open('{') {
		return nil, nil, false
	}
	var (
		postings          []Posting
		rejects           []Reject
		seenJobs, seenCnt bool
		sizeHint          int
	)
	for i := 0; ; i++ {
		more, ok := p.s.more('}', i)
		if !ok {
			return nil, nil, false
		}
		if !more {
			break
		}
		var name []byte
		if name, p.name, ok = p.s.name(p.name); !ok {
			return nil, nil, false
		}
		switch string(name) {
		case "jobs":
			if seenJobs || !p.s.open('[') {
				return nil, nil, false
			}
			seenJobs = true
			postings = make([]Posting, 0, min(sizeHint, len(body)/remotiveMinJobBytes))
			if postings, rejects, ok = p.readJobs(postings); !ok {
				return nil, nil, false
			}
		case "job-count":
			if seenCnt {
				return nil, nil, false
			}
			seenCnt = true
			if sizeHint, ok = p.readJobCount(); !ok {
				return nil, nil, false
			}
		default:
			if foldsToAny(name, remotiveTopNames) || !p.s.skip(1) {
				return nil, nil, false
			}
		}
	}
	if !p.s.atEnd() || !seenJobs {
		return nil, nil, false
	}
	return postings, rejects, true
}

// readJobCount reads the value of "job-count", which encoding/json reads
// into an *int: null, or an integer.
func (p *remotiveFast) readJobCount() (int, bool) {
	switch c := p.s.peek(); {
	case c == 'n':
		return 0, p.s.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		raw, ok := p.s.number()
		if !ok {
			return 0, false
		}
		// encoding/json refuses a number that is not an int.
		n, err := strconv.ParseInt(string(raw), 10, strconv.IntSize)
		return max(int(n), 0), err == nil
	}
	return 0, false
}

// readJobs reads the elements of the "jobs" array, appending a posting or a
// reject for each job.
func (p *remotiveFast) readJobs(postings []Posting) ([]Posting, []Reject, bool) {
	var rejects []Reject
	for i := 0; ; i++ {
		more, ok := p.s.more(']', i)
		if !ok {
			return nil, nil, false
		}
		if !more {
			return postings, rejects, true
		}
		var job remotiveJob
		switch p.s.peek() {
		case '{':
			if job, ok = p.readJob(); !ok {
				return nil, nil, false
			}
		case 'n':
			// encoding/json leaves the job empty: it lacks an id.
			if !p.s.literal("null") {
				return nil, nil, false
			}
		default:
			return nil, nil, false
		}
		postings, rejects = addRemotiveJob(postings, rejects, &job, nil, p.lakeKey, i)
	}
}

// readJob reads one job object. Its strings share one allocation; its
// tags are in p.tagStrs until the next job.
func (p *remotiveFast) readJob() (remotiveJob, bool) {
	p.s.pos++ // {
	p.buf = p.buf[:0]
	p.tags = p.tags[:0]
	p.fields = [rfCount]span{}
	var seen uint32
	prev := rfCount
	for i := 0; ; i++ {
		more, ok := p.s.more('}', i)
		if !ok {
			return remotiveJob{}, false
		}
		if !more {
			break
		}
		f := p.next[prev]
		if f == rfCount || !p.s.consume(remotiveNamesColon[f]) {
			var name []byte
			if name, p.name, ok = p.s.name(p.name); !ok {
				return remotiveJob{}, false
			}
			if f = remotiveFieldOf(name); f == rfCount {
				if foldsToAny(name, remotiveFieldNames[:]) || !p.s.skip(2) {
					return remotiveJob{}, false
				}
				continue
			}
			p.next[prev] = f
		}
		prev = f
		if seen&(1<<f) != 0 {
			return remotiveJob{}, false
		}
		seen |= 1 << f
		switch f {
		case rfID:
			ok = p.readID()
		case rfTags:
			ok = p.readTags()
		default:
			p.fields[f], ok = p.readStringOrNull()
		}
		if !ok {
			return remotiveJob{}, false
		}
	}
	s := string(p.buf)
	str := func(f remotiveField) string { return s[p.fields[f].start:p.fields[f].end] }
	p.tagStrs = p.tagStrs[:0]
	for _, t := range p.tags {
		p.tagStrs = append(p.tagStrs, s[t.start:t.end])
	}
	return remotiveJob{
		ID:                        remotiveID(str(rfID)),
		URL:                       str(rfURL),
		Title:                     str(rfTitle),
		CompanyName:               str(rfCompanyName),
		CompanyLogo:               str(rfCompanyLogo),
		CompanyLogoURL:            str(rfCompanyLogoURL),
		Category:                  str(rfCategory),
		Tags:                      p.tagStrs,
		JobType:                   str(rfJobType),
		PublicationDate:           str(rfPublicationDate),
		CandidateRequiredLocation: str(rfCandidateRequiredLocation),
		Salary:                    str(rfSalary),
		Description:               str(rfDescription),
	}, true
}

// remotiveFieldOf returns the field named exactly name, or rfCount.
func remotiveFieldOf(name []byte) remotiveField {
	for f, n := range remotiveFieldNames {
		if string(name) == n {
			return remotiveField(f)
		}
	}
	return rfCount
}

// foldsToAny reports whether name equals one of names under Unicode case
// folding, as encoding/json matches a name that is not exactly a field's.
func foldsToAny(name []byte, names []string) bool {
	for _, n := range names {
		if bytes.EqualFold(name, []byte(n)) {
			return true
		}
	}
	return false
}

// appendString reads a JSON string and appends it, unquoted, to p.buf.
func (p *remotiveFast) appendString() (span, bool) {
	start := len(p.buf)
	var ok bool
	p.buf, ok = p.s.appendString(p.buf)
	return span{start, len(p.buf)}, ok
}

// readStringOrNull reads a string field: null leaves it empty, as
// encoding/json leaves a string it reads null into.
func (p *remotiveFast) readStringOrNull() (span, bool) {
	switch p.s.peek() {
	case '"':
		return p.appendString()
	case 'n':
		return span{}, p.s.literal("null")
	}
	return span{}, false
}

// readID reads "id" as [remotiveID.UnmarshalJSON] does: a string, the text
// of a number, or null for none.
func (p *remotiveFast) readID() bool {
	var ok bool
	switch c := p.s.peek(); {
	case c == '"':
		p.fields[rfID], ok = p.appendString()
		return ok
	case c == '-' || '0' <= c && c <= '9':
		raw, ok := p.s.number()
		if !ok {
			return false
		}
		start := len(p.buf)
		p.buf = append(p.buf, raw...)
		p.fields[rfID] = span{start, len(p.buf)}
		return true
	case c == 'n':
		return p.s.literal("null")
	}
	return false
}

// readTags reads "tags": an array of strings, where encoding/json reads a
// null element as "", or null for none.
func (p *remotiveFast) readTags() bool {
	switch p.s.peek() {
	case 'n':
		return p.s.literal("null")
	case '[':
		p.s.pos++
	default:
		return false
	}
	for i := 0; ; i++ {
		more, ok := p.s.more(']', i)
		if !ok {
			return false
		}
		if !more {
			return true
		}
		switch p.s.peek() {
		case '"':
			t, ok := p.appendString()
			if !ok {
				return false
			}
			p.tags = append(p.tags, t)
		case 'n':
			if !p.s.literal("null") {
				return false
			}
			p.tags = append(p.tags, span{len(p.buf), len(p.buf)})
		default:
			return false
		}
	}
}
