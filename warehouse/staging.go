package warehouse

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/jobpulse/jobpulse/ingest"
)

// stagingTable is the temporary table a load copies postings into. It is
// dropped when the load's transaction ends.
const stagingTable = "jobpulse_staging"

// stagingDDL creates [stagingTable] with the typed columns of postings.
const stagingDDL = `CREATE TEMPORARY TABLE ` + stagingTable + ` (
	source       text NOT NULL,
	source_id    text NOT NULL,
	url          text NOT NULL,
	title        text NOT NULL,
	company      text NOT NULL,
	company_logo text NOT NULL,
	category     text NOT NULL,
	job_type     text NOT NULL,
	location     text NOT NULL,
	salary_text  text NOT NULL,
	tags         text[] NOT NULL,
	description  text NOT NULL,
	published_at timestamptz,
	lake_key     text NOT NULL
) ON COMMIT DROP`

// stagingColumns are the columns of [stagingTable] in the order
// [postingRows] gives values.
var stagingColumns = []string{"source", "source_id", "url", "title", "company", "company_logo", "category",
	"job_type", "location", "salary_text", "tags", "description", "published_at", "lake_key"}

// Keys (source, source_id) are indexed, and a btree entry must stay under
// about 2.7 kB: longer keys are cut and made unique again with a hash.
const (
	maxKeyLen    = 256
	keyPrefixLen = maxKeyLen - 1 - 32 // prefix, "~", 32 hex digits of sha256
)

// clean makes s safe to store as PostgreSQL text: invalid UTF-8 becomes
// U+FFFD and NUL bytes, which text cannot hold, are dropped.
func clean(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// cleanKey is [clean] for key columns: a value longer than maxKeyLen bytes
// becomes its first bytes, "~" and a hash of the whole, so distinct long keys
// stay distinct and the same key always maps to the same value.
func cleanKey(s string) string {
	s = clean(s)
	if len(s) <= maxKeyLen {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	cut := keyPrefixLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "~" + hex.EncodeToString(sum[:16])
}

// stage returns the postings as they will be stored: strings cleaned, nil
// tags made empty, out-of-range publication times dropped, and one posting
// per (source, source_id): the last one given wins, in the position of the
// first, so the result does not depend on map order.
func stage(postings []ingest.Posting) []ingest.Posting {
	type key struct{ source, id string }
	out := make([]ingest.Posting, 0, len(postings))
	index := make(map[key]int, len(postings))
	for _, p := range postings {
		c := ingest.Posting{
			Source:      cleanKey(p.Source),
			SourceID:    cleanKey(p.SourceID),
			URL:         clean(p.URL),
			Title:       clean(p.Title),
			Company:     clean(p.Company),
			CompanyLogo: clean(p.CompanyLogo),
			Category:    clean(p.Category),
			JobType:     clean(p.JobType),
			Location:    clean(p.Location),
			Salary:      clean(p.Salary),
			Tags:        make([]string, len(p.Tags)),
			Description: clean(p.Description),
			PublishedAt: p.PublishedAt,
			LakeKey:     clean(p.LakeKey),
		}
		for i, t := range p.Tags {
			c.Tags[i] = clean(t)
		}
		if y := c.PublishedAt.Year(); y < 1 || y > 9999 {
			c.PublishedAt = time.Time{} // PostgreSQL would reject it; unknown is the honest value
		}
		k := key{c.Source, c.SourceID}
		if i, ok := index[k]; ok {
			out[i] = c
			continue
		}
		index[k] = len(out)
		out = append(out, c)
	}
	return out
}

// postingRows feeds staged postings to CopyFrom, one reused row at a time
// (CopyFrom encodes each row before asking for the next).
func postingRows(staged []ingest.Posting) pgx.CopyFromSource {
	row := make([]any, len(stagingColumns))
	return pgx.CopyFromSlice(len(staged), func(i int) ([]any, error) {
		p := &staged[i]
		row[0], row[1], row[2], row[3] = p.Source, p.SourceID, p.URL, p.Title
		row[4], row[5], row[6], row[7] = p.Company, p.CompanyLogo, p.Category, p.JobType
		row[8], row[9], row[10], row[11] = p.Location, p.Salary, p.Tags, p.Description
		row[12], row[13] = nullTime(p.PublishedAt), p.LakeKey
		return row, nil
	})
}
