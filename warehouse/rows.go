package warehouse

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// postingColumns are the columns of postings in the order [postingRow.values]
// gives them.
var postingColumns = []string{"id", "role", "seniority", "scope", "countries", "regions", "workplace",
	"salary_min", "salary_max", "currency", "period", "salary_annual_min", "salary_annual_max", "skills",
	"description_text", "source", "source_id", "url", "title", "company", "company_name", "company_key",
	"company_logo", "category", "job_type", "location_text", "salary_text", "tags", "published_at",
	"occupation_code", "lake_key", "content_hash", "first_seen_run", "last_seen_run", "first_seen_at", "last_seen_at"}

// contentColumns are the columns of postings that a newer run's content
// replaces: all but the identity, the lineage and the hash itself. The
// content hash covers them all but lake_key (see [encodeHead]).
var contentColumns = postingColumns[1:slices.Index(postingColumns, "content_hash")]

// postingRow is a posting as it is stored: strings cleaned, unknown values
// made empty, with its id and the hash of its content.
type postingRow struct {
	id   [16]byte
	hash int64
	p    jobdata.Posting
}

// Allowed values of the normalized fields, as the schema's CHECKs allow them.
var (
	scopes     = []string{jobdata.ScopeUnknown, jobdata.ScopeWorldwide, jobdata.ScopeRegion, jobdata.ScopeCountry}
	workplaces = []string{"", jobdata.Remote, jobdata.Hybrid, jobdata.Onsite}
	periods    = []string{"", jobdata.Hour, jobdata.Day, jobdata.Week, jobdata.Month, jobdata.Year}
)

// cleanPosting makes p storable, in place: strings cleaned, values
// PostgreSQL cannot hold made unknown, nil arrays made empty. It fails when p
// cannot be stored: no source or source id, or a normalized value the schema
// does not allow (a normalizer bug).
func cleanPosting(p *jobdata.Posting) error {
	p.Source, p.SourceID = cleanKey(p.Source), cleanKey(p.SourceID)
	for _, s := range []*string{&p.URL, &p.Title, &p.Company, &p.CompanyName, &p.CompanyKey, &p.CompanyLogo, &p.Category, &p.JobType,
		&p.LocationText, &p.SalaryText, &p.LakeKey, &p.Role, &p.Seniority, &p.DescriptionText, &p.OccupationCode} {
		*s = clean(*s)
	}
	p.Tags, p.Skills = cleanAll(p.Tags), cleanAll(p.Skills)
	p.Location.Countries, p.Location.Regions = cleanAll(p.Location.Countries), cleanAll(p.Location.Regions)
	p.PublishedAt = cleanTime(p.PublishedAt)
	for _, f := range []*float64{&p.Salary.Min, &p.Salary.Max, &p.Salary.AnnualMin, &p.Salary.AnnualMax} {
		*f = cleanAmount(*f)
	}
	if p.Source == "" || p.SourceID == "" {
		return fmt.Errorf("posting from %s: empty source or source id (source %q, id %q)", p.LakeKey, p.Source, p.SourceID)
	}
	what := func(field, value string) error {
		return fmt.Errorf("posting %s %s (lake key %s): %s %q is not an allowed value", p.Source, p.SourceID, p.LakeKey, field, value)
	}
	switch {
	case !slices.Contains(scopes, p.Location.Scope):
		return what("location scope", p.Location.Scope)
	case !slices.Contains(workplaces, p.Location.Workplace):
		return what("workplace", p.Location.Workplace)
	case !slices.Contains(periods, p.Salary.Period):
		return what("salary period", p.Salary.Period)
	case !isCurrency(p.Salary.Currency):
		return what("currency", p.Salary.Currency)
	}
	return nil
}

// isCurrency reports whether s is empty or three ASCII capitals.
func isCurrency(s string) bool {
	if s == "" {
		return true
	}
	return len(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z'
}

// encodeHead appends the start of p's row to c: the row header, id and the
// columns the content hash covers (role to occupation_code). It returns that
// hash: of those columns' bytes as encoded, which say every value and its
// length, so equal hashes mean equal content (but for a 64-bit collision).
// Never 0, the schema's "unknown". The occupation code (NULL when there is
// none) is hashed only when set, so that a posting without one has the hash
// it had before the column was added (migration 0011), and the first load
// after it does not rewrite every posting.
func encodeHead(c *copyBuf, id [16]byte, p *jobdata.Posting) int64 {
	c.row(len(postingColumns))
	c.uuid(id)
	start := len(c.b)
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
	c.text(p.CompanyName)
	c.text(p.CompanyKey)
	c.text(p.CompanyLogo)
	c.text(p.Category)
	c.text(p.JobType)
	c.text(p.LocationText)
	c.text(p.SalaryText)
	c.texts(p.Tags)
	c.time(p.PublishedAt)
	end := len(c.b)
	if p.OccupationCode == "" {
		c.null()
	} else {
		c.text(p.OccupationCode)
		end = len(c.b)
	}
	h := int64(xxhash.Sum64(c.b[start:end]))
	if h == 0 {
		h = 1
	}
	return h
}

// encodeTail appends the rest of a row that encodeHead started: the lake
// key, the content hash and the lineage (first and last seen by run).
func encodeTail(c *copyBuf, lakeKey string, hash int64, run runKey, at time.Time) {
	c.text(lakeKey)
	c.int8(hash)
	c.text(run.id)
	c.text(run.id)
	c.time(at)
	c.time(at)
}

// encode appends the row, as first and last seen by run, in the order of
// [postingColumns].
func (r *postingRow) encode(c *copyBuf, run runKey, at time.Time) {
	encodeHead(c, r.id, &r.p)
	encodeTail(c, r.p.LakeKey, r.hash, run, at)
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
