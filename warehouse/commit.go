package warehouse

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// Staging tables, created on first use in a load and dropped at its end.
const (
	postingStage = "jobpulse_posting_stage" // postings whose content changed
	listingStage = "jobpulse_listing_stage" // listings this run changes
)

var stageDDL = map[string]string{
	postingStage: `CREATE TEMPORARY TABLE ` + postingStage + ` (LIKE postings) ON COMMIT DROP`,
	listingStage: `CREATE TEMPORARY TABLE ` + listingStage + ` (source text NOT NULL, source_id text NOT NULL,
		posting_id uuid NOT NULL, url text NOT NULL, lake_key text NOT NULL) ON COMMIT DROP`,
}

var (
	listingColumns      = []string{"source", "source_id", "posting_id", "url", "lake_key", "first_seen_run", "last_seen_run", "first_seen_at", "last_seen_at"}
	listingStageColumns = listingColumns[:5]
)

// listingRow is a listing as a load writes it.
type listingRow struct {
	source, sourceID string
	postingID        [16]byte
	url, lakeKey     string
}

// newListingRow returns p's listing (of posting id). The segment keeps rows
// until it is full: their strings are copied, not cut from what a parser
// read, which they would keep in memory whole.
func newListingRow(id [16]byte, p *jobdata.Posting) listingRow {
	return listingRow{source: strings.Clone(p.Source), sourceID: strings.Clone(p.SourceID), postingID: id,
		url: strings.Clone(p.URL), lakeKey: p.LakeKey}
}

// A segment holds the rows for the tables the current COPY into postings is
// not writing. It is bounded: when full, the COPY ends and [Loader.flush]
// writes it.
type segment struct {
	listings       []listingRow // new listings
	listingUpdates []listingRow // listings this run changes
	changed        []postingRow // postings whose content this run changes
}

const (
	segmentRows    = 16384 // listings, about 100 bytes each
	segmentChanged = 1024  // whole postings, a few kB each
)

func (s *segment) full() bool {
	return len(s.listings)+len(s.listingUpdates) >= segmentRows || len(s.changed) >= segmentChanged
}

// flush writes the segment with one COPY per table, and empties it.
func (l *Loader) flush(ctx context.Context) error {
	s := &l.seg
	cur, at := l.cur, l.at
	if len(s.listings) > 0 {
		err := l.copyRows(ctx, "listings", listingColumns, len(s.listings), func(i int, c *copyBuf) {
			s.listings[i].encode(c, len(listingColumns))
			c.text(cur.id)
			c.text(cur.id)
			c.time(at)
			c.time(at)
		})
		if err != nil {
			return err
		}
	}
	if len(s.listingUpdates) > 0 {
		err := l.copyRows(ctx, listingStage, listingStageColumns, len(s.listingUpdates), func(i int, c *copyBuf) {
			s.listingUpdates[i].encode(c, len(listingStageColumns))
		})
		if err != nil {
			return err
		}
	}
	if len(s.changed) > 0 {
		err := l.copyRows(ctx, postingStage, postingColumns, len(s.changed), func(i int, c *copyBuf) {
			s.changed[i].encode(c, cur, at)
		})
		if err != nil {
			return err
		}
	}
	clear(s.listings) // release the postings' strings
	clear(s.listingUpdates)
	clear(s.changed)
	s.listings, s.listingUpdates, s.changed = s.listings[:0], s.listingUpdates[:0], s.changed[:0]
	return nil
}

// encode appends the listing's first five columns to c, in a row of fields
// columns.
func (r *listingRow) encode(c *copyBuf, fields int) {
	c.row(fields)
	c.text(r.source)
	c.text(r.sourceID)
	c.uuid(r.postingID)
	c.text(r.url)
	c.text(r.lakeKey)
}

// copyRows copies n rows, appended by encode, into table, creating it first
// when it is a staging table.
func (l *Loader) copyRows(ctx context.Context, table string, columns []string, n int, encode func(i int, c *copyBuf)) error {
	if ddl, ok := stageDDL[table]; ok && !l.staged[table] {
		if _, err := l.tx.Exec(ctx, ddl); err != nil {
			return fmt.Errorf("create %s: %w", table, err)
		}
		l.staged[table] = true
	}
	i := 0
	return copyIn(ctx, l.tx, table, columns, func(c *copyBuf) (bool, error) {
		for start := len(c.b); i < n && len(c.b)-start < 64<<10; i++ {
			encode(i, c)
		}
		return i < n, nil
	})
}

// Conditions of the listings merge on the existing row l ($1 run id, $2 run
// start): the loaded run is the newest to see it (or the same again), or
// older than its first sighting.
const (
	listingNewer = "($2::timestamptz, $1::text) >= (l.last_seen_at, l.last_seen_run)"
	listingOlder = "($2::timestamptz, $1::text) < (l.first_seen_at, l.first_seen_run)"
)

// Merges run at Commit ($1 run id, $2 run start). Rows whose values would not
// change are not written.
var (
	mergeChangedSQL = func() string {
		var set []string
		for _, c := range append(contentColumns[:len(contentColumns):len(contentColumns)], "content_hash") {
			set = append(set, c+" = s."+c)
		}
		return `UPDATE postings p SET ` + strings.Join(set, ", ") + `, last_seen_run = $1, last_seen_at = $2
			FROM ` + postingStage + ` s WHERE p.id = s.id`
	}()
	touchLastSQL = `UPDATE postings p SET last_seen_run = $1, last_seen_at = $2, lake_key = u.lake_key
		FROM unnest($3::uuid[], $4::text[]) AS u (id, lake_key) WHERE p.id = u.id`
	touchFirstSQL = `UPDATE postings SET first_seen_run = $1, first_seen_at = $2 WHERE id = ANY ($3::uuid[])`
	mergeListings = `UPDATE listings l SET
			posting_id = CASE WHEN ` + listingNewer + ` THEN s.posting_id ELSE l.posting_id END,
			url = CASE WHEN ` + listingNewer + ` THEN s.url ELSE l.url END,
			lake_key = CASE WHEN ` + listingNewer + ` THEN s.lake_key ELSE l.lake_key END,
			last_seen_run = CASE WHEN ` + listingNewer + ` THEN $1 ELSE l.last_seen_run END,
			last_seen_at = CASE WHEN ` + listingNewer + ` THEN $2 ELSE l.last_seen_at END,
			first_seen_run = CASE WHEN ` + listingOlder + ` THEN $1 ELSE l.first_seen_run END,
			first_seen_at = CASE WHEN ` + listingOlder + ` THEN $2 ELSE l.first_seen_at END
		FROM ` + listingStage + ` s
		WHERE l.source = s.source AND l.source_id = s.source_id AND (` + listingOlder + ` OR (` + listingNewer + ` AND
			(l.posting_id, l.url, l.lake_key, l.last_seen_run, l.last_seen_at)
			IS DISTINCT FROM (s.posting_id, s.url, s.lake_key, $1, $2)))`
)

// Commit writes what remains of the load, the run's rows (run must be the
// run given to [BeginLoad], with its final status and counts) and its
// rejects (replacing those an earlier load of the run recorded), and commits.
// Whatever fails, the load is rolled back.
func (l *Loader) Commit(ctx context.Context, run Run, rejects []jobdata.Reject) (LoadStats, error) {
	if err := l.usable(); err != nil {
		return LoadStats{}, errors.Join(err, l.Rollback(ctx))
	}
	if err := l.commit(ctx, run, rejects); err != nil {
		return LoadStats{}, errors.Join(l.fail(err), l.Rollback(ctx))
	}
	return l.stats, nil
}

func (l *Loader) commit(ctx context.Context, run Run, rejects []jobdata.Reject) error {
	if err := validateRun(run); err != nil {
		return err
	}
	if newRunKey(run.StartedAt, run.ID) != l.cur {
		return fmt.Errorf("commit of run %s started %s: not the run begun (started %s)", run.ID, run.StartedAt, l.cur.time())
	}
	if err := l.flush(ctx); err != nil {
		return err
	}
	at := l.at
	if l.staged[postingStage] {
		// The names the changed postings gave until now (migration 0012);
		// saveNames adds those they give once changed.
		if _, err := l.tx.Exec(ctx, `SELECT uncount_names(ARRAY(SELECT id FROM `+postingStage+`))`); err != nil {
			return fmt.Errorf("count the names of changed postings: %w", err)
		}
		if _, err := l.tx.Exec(ctx, mergeChangedSQL, run.ID, at); err != nil {
			return fmt.Errorf("update changed postings: %w", err)
		}
	}
	var last, first [][16]byte
	var lastKeys []string
	for id, st := range l.postings {
		switch st.touch {
		case touchLast:
			last, lastKeys = append(last, id), append(lastKeys, l.pages[st.page])
		case touchFirst:
			first = append(first, id)
		}
	}
	if len(last) > 0 {
		if _, err := l.tx.Exec(ctx, touchLastSQL, run.ID, at, last, lastKeys); err != nil {
			return fmt.Errorf("update postings last seen: %w", err)
		}
	}
	if len(first) > 0 {
		if _, err := l.tx.Exec(ctx, touchFirstSQL, run.ID, at, first); err != nil {
			return fmt.Errorf("update postings first seen: %w", err)
		}
	}
	if l.staged[listingStage] {
		if _, err := l.tx.Exec(ctx, mergeListings, run.ID, at); err != nil {
			return fmt.Errorf("update listings: %w", err)
		}
	}
	if err := saveRun(ctx, l.tx, run); err != nil {
		return err
	}
	if err := l.restoreKeys(ctx); err != nil {
		return err
	}
	if err := l.saveNames(ctx); err != nil {
		return err
	}
	if err := l.saveSightings(ctx); err != nil {
		return err
	}
	// What the run saw, counted for the report's trends (migration 0010):
	// they read these few rows a day, never the sightings.
	if err := l.saveTallies(ctx); err != nil {
		return err
	}
	n, err := saveRejects(ctx, l.tx, run.ID, rejects)
	if err != nil {
		return err
	}
	l.stats.Rejected = n
	if err := l.tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	l.settled = true
	return nil
}

// saveSightings writes the run's sightings, when this load adds some: the
// ids of every posting the run saw, in this load or an earlier one (those
// whose posting is missing included), sorted, as its row of run_sightings.
func (l *Loader) saveSightings(ctx context.Context) error {
	if l.stats.Sightings == 0 {
		return nil
	}
	ids := make([][16]byte, 0, len(l.postings)+len(l.sighted))
	for id, st := range l.postings {
		if st.seen != notSeen && !l.sighted[id] {
			ids = append(ids, id)
		}
	}
	for id := range l.sighted {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b [16]byte) int { return bytes.Compare(a[:], b[:]) })
	// One row by binary COPY: pgx would encode the array by reflection, an
	// order of magnitude slower than the server takes to store it.
	if _, err := l.tx.Exec(ctx, `DELETE FROM run_sightings WHERE run_id = $1`, l.run.ID); err != nil {
		return fmt.Errorf("save sightings: %w", err)
	}
	err := l.copyRows(ctx, "run_sightings", []string{"run_id", "posting_ids"}, 1, func(_ int, c *copyBuf) {
		c.row(2)
		c.text(l.run.ID)
		c.uuids(ids)
	})
	if err != nil {
		return fmt.Errorf("save sightings: %w", err)
	}
	return nil
}
