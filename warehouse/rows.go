package warehouse

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/ingest/normalize"
)

// postingColumns are the columns of postings in the order [postingRow.values]
// gives them.
var postingColumns = []string{"id", "role", "seniority", "scope", "countries", "regions", "workplace",
	"salary_min", "salary_max", "currency", "period", "salary_annual_min", "salary_annual_max", "skills",
	"description_text", "source", "source_id", "url", "title", "company", "company_logo", "category",
	"job_type", "location_text", "salary_text", "tags", "published_at", "lake_key", "content_hash",
	"first_seen_run", "last_seen_run", "first_seen_at", "last_seen_at"}

// contentColumns are the columns of postings that [postingRow.contentHash]
// covers and that a newer run's content replaces: all but the identity, the
// lineage and the hash itself.
var contentColumns = postingColumns[1:28]

// postingRow is a posting as it is stored: strings cleaned, unknown values
// made empty, with its id and the hash of its content.
type postingRow struct {
	id   [16]byte
	hash int64
	p    ingest.Posting
}

// Allowed values of the normalized fields, as the schema's CHECKs allow them.
var (
	scopes     = []string{normalize.ScopeUnknown, normalize.ScopeWorldwide, normalize.ScopeRegion, normalize.ScopeCountry}
	workplaces = []string{"", normalize.Remote, normalize.Hybrid, normalize.Onsite}
	periods    = []string{"", normalize.Hour, normalize.Day, normalize.Week, normalize.Month, normalize.Year}
)

// newPostingRow cleans p into a row. buf is scratch space for the hash,
// returned for reuse. It fails when p cannot be stored: no source or source
// id, or a normalized value the schema does not allow (a normalizer bug).
func newPostingRow(p *ingest.Posting, buf []byte) (postingRow, []byte, error) {
	r := postingRow{p: ingest.Posting{
		Source:       cleanKey(p.Source),
		SourceID:     cleanKey(p.SourceID),
		URL:          clean(p.URL),
		Title:        clean(p.Title),
		Company:      clean(p.Company),
		CompanyLogo:  clean(p.CompanyLogo),
		Category:     clean(p.Category),
		JobType:      clean(p.JobType),
		LocationText: clean(p.LocationText),
		SalaryText:   clean(p.SalaryText),
		Tags:         cleanAll(p.Tags),
		PublishedAt:  cleanTime(p.PublishedAt),
		LakeKey:      clean(p.LakeKey),

		Role:      clean(p.Role),
		Seniority: clean(p.Seniority),
		Location: normalize.Location{
			Scope:     p.Location.Scope,
			Countries: cleanAll(p.Location.Countries),
			Regions:   cleanAll(p.Location.Regions),
			Workplace: p.Location.Workplace,
		},
		Salary: normalize.Salary{
			Min:       cleanAmount(p.Salary.Min),
			Max:       cleanAmount(p.Salary.Max),
			Currency:  p.Salary.Currency,
			Period:    p.Salary.Period,
			AnnualMin: cleanAmount(p.Salary.AnnualMin),
			AnnualMax: cleanAmount(p.Salary.AnnualMax),
		},
		Skills:          cleanAll(p.Skills),
		DescriptionText: clean(p.DescriptionText),
		Fingerprint:     p.Fingerprint,
	}}
	q := &r.p
	if q.Source == "" || q.SourceID == "" {
		return r, buf, fmt.Errorf("posting from %s: empty source or source id (source %q, id %q)", q.LakeKey, q.Source, q.SourceID)
	}
	what := func(field, value string) error {
		return fmt.Errorf("posting %s %s (lake key %s): %s %q is not an allowed value", q.Source, q.SourceID, q.LakeKey, field, value)
	}
	switch {
	case !slices.Contains(scopes, q.Location.Scope):
		return r, buf, what("location scope", q.Location.Scope)
	case !slices.Contains(workplaces, q.Location.Workplace):
		return r, buf, what("workplace", q.Location.Workplace)
	case !slices.Contains(periods, q.Salary.Period):
		return r, buf, what("salary period", q.Salary.Period)
	case !isCurrency(q.Salary.Currency):
		return r, buf, what("currency", q.Salary.Currency)
	}
	r.id = postingID(p.Fingerprint, q.Source, q.SourceID)
	buf = r.appendContent(buf[:0])
	sum := sha256.Sum256(buf)
	r.hash = int64(binary.LittleEndian.Uint64(sum[:8]))
	if r.hash == 0 {
		r.hash = 1 // 0 is the schema's "unknown"
	}
	return r, buf, nil
}

// isCurrency reports whether s is empty or three ASCII capitals.
func isCurrency(s string) bool {
	if s == "" {
		return true
	}
	return len(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z'
}

// appendContent appends an unambiguous encoding of the content columns (see
// [contentColumns]) to b: what the content hash covers.
func (r *postingRow) appendContent(b []byte) []byte {
	p := &r.p
	for _, s := range []string{p.Role, p.Seniority, p.Location.Scope} {
		b = appendString(b, s)
	}
	b = appendStrings(b, p.Location.Countries)
	b = appendStrings(b, p.Location.Regions)
	b = appendString(b, p.Location.Workplace)
	for _, f := range []float64{p.Salary.Min, p.Salary.Max, p.Salary.AnnualMin, p.Salary.AnnualMax} {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
	}
	b = appendString(b, p.Salary.Currency)
	b = appendString(b, p.Salary.Period)
	b = appendStrings(b, p.Skills)
	for _, s := range []string{p.DescriptionText, p.Source, p.SourceID, p.URL, p.Title, p.Company,
		p.CompanyLogo, p.Category, p.JobType, p.LocationText, p.SalaryText} {
		b = appendString(b, s)
	}
	b = appendStrings(b, p.Tags)
	var published int64 = math.MinInt64 // unknown
	if !p.PublishedAt.IsZero() {
		published = p.PublishedAt.UnixMicro() // what PostgreSQL keeps
	}
	return binary.LittleEndian.AppendUint64(b, uint64(published))
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendStrings(b []byte, ss []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(ss)))
	for _, s := range ss {
		b = appendString(b, s)
	}
	return b
}

// encode appends the row, as first and last seen by run, in the order of
// [postingColumns].
func (r *postingRow) encode(c *copyBuf, run runKey, at time.Time) {
	p := &r.p
	c.row(len(postingColumns))
	c.uuid(r.id)
	c.text(p.Role)
	c.text(p.Seniority)
	c.text(p.Location.Scope)
	c.texts(p.Location.Countries)
	c.texts(p.Location.Regions)
	c.text(p.Location.Workplace)
	c.amount(p.Salary.Min)
	c.amount(p.Salary.Max)
	c.text(p.Salary.Currency)
	c.text(p.Salary.Period)
	c.amount(p.Salary.AnnualMin)
	c.amount(p.Salary.AnnualMax)
	c.texts(p.Skills)
	c.text(p.DescriptionText)
	c.text(p.Source)
	c.text(p.SourceID)
	c.text(p.URL)
	c.text(p.Title)
	c.text(p.Company)
	c.text(p.CompanyLogo)
	c.text(p.Category)
	c.text(p.JobType)
	c.text(p.LocationText)
	c.text(p.SalaryText)
	c.texts(p.Tags)
	c.time(p.PublishedAt)
	c.text(p.LakeKey)
	c.int8(r.hash)
	c.text(run.id)
	c.text(run.id)
	c.time(at)
	c.time(at)
}

// postingID returns the id of a posting: its fingerprint when it is 32 hex
// digits (a uuid, dashes allowed); a hash of the fingerprint when it has
// another form; and without a fingerprint, a hash of its source and source
// id, so that a posting the normalizer could not fingerprint is still one
// posting per listing.
func postingID(fingerprint, source, sourceID string) [16]byte {
	var id [16]byte
	if decodeHexID(fingerprint, &id) {
		return id
	}
	var sum [32]byte
	if fingerprint != "" {
		sum = sha256.Sum256([]byte("jobpulse-fingerprint\x00" + fingerprint))
	} else {
		sum = sha256.Sum256([]byte("jobpulse-listing\x00" + source + "\x00" + sourceID))
	}
	copy(id[:], sum[:16])
	return id
}

// decodeHexID decodes 32 hex digits, dashes ignored, into id.
func decodeHexID(s string, id *[16]byte) bool {
	n := 0
	var hi byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		case c == '-':
			continue
		default:
			return false
		}
		if n >= 32 {
			return false
		}
		if n%2 == 0 {
			hi = v
		} else {
			id[n/2] = hi<<4 | v
		}
		n++
	}
	return n == 32
}
