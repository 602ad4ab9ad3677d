package warehouse

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/ingest"
)

// LoadStats counts what a [Load] did to the postings it was given, after
// duplicates within the batch were merged.
type LoadStats struct {
	Inserted  int // postings seen for the first time
	Updated   int // postings already known whose published content changed
	Unchanged int // postings already known with the same content (their last sighting still moves forward)
	Sightings int // new (run, posting) sightings; 0 when the run was loaded before
}

// contentColumns are the postings columns a source publishes; a change in
// any of them counts as an update.
var contentColumns = []string{"url", "title", "company", "company_logo", "category", "job_type", "location",
	"salary_text", "tags", "description", "published_at"}

// Conditions of the merge, in terms of the existing row p and the incoming
// row EXCLUDED: newer means this run is the latest to see the posting (or
// the same run again), older means it saw the posting before its recorded
// first sighting (a replay of an old run).
const (
	mergeNewer = "(EXCLUDED.last_seen_at, EXCLUDED.last_seen_run) >= (p.last_seen_at, p.last_seen_run)"
	mergeOlder = "(EXCLUDED.first_seen_at, EXCLUDED.first_seen_run) < (p.first_seen_at, p.first_seen_run)"
)

// mergeSQL merges the staging table into postings ($1 run id, $2 run start).
// The newest run's values win; first_seen_* only ever move earlier; a row
// whose values would not change is not written at all, so loading a run
// again writes nothing.
var mergeSQL = func() string {
	current := slices.Concat(contentColumns, []string{"lake_key", "last_seen_run", "last_seen_at"})
	var set, old, exc []string
	for _, c := range current {
		set = append(set, fmt.Sprintf("%s = CASE WHEN %s THEN EXCLUDED.%s ELSE p.%s END", c, mergeNewer, c, c))
		old = append(old, "p."+c)
		exc = append(exc, "EXCLUDED."+c)
	}
	for _, c := range []string{"first_seen_run", "first_seen_at"} {
		set = append(set, fmt.Sprintf("%s = CASE WHEN %s THEN EXCLUDED.%s ELSE p.%s END", c, mergeOlder, c, c))
	}
	cols := strings.Join(slices.Concat(contentColumns, []string{"lake_key"}), ", ")
	return `INSERT INTO postings AS p (source, source_id, ` + cols + `,
			first_seen_run, last_seen_run, first_seen_at, last_seen_at)
		SELECT source, source_id, ` + cols + `, $1::text, $1::text, $2::timestamptz, $2::timestamptz
		FROM ` + stagingTable + `
		ON CONFLICT (source, source_id) DO UPDATE SET ` + strings.Join(set, ",\n\t\t\t") + `
		WHERE ` + mergeOlder + ` OR (` + mergeNewer + ` AND
			(` + strings.Join(old, ", ") + `) IS DISTINCT FROM (` + strings.Join(exc, ", ") + `))`
}()

// countSQL counts, before the merge, the staged postings that are new and
// those whose content this run changes ($1 run id, $2 run start).
var countSQL = func() string {
	var old, staged []string
	for _, c := range contentColumns {
		old = append(old, "p."+c)
		staged = append(staged, "s."+c)
	}
	return `SELECT count(*) FILTER (WHERE p.source IS NULL),
			count(*) FILTER (WHERE p.source IS NOT NULL
				AND ($2::timestamptz, $1::text) >= (p.last_seen_at, p.last_seen_run)
				AND (` + strings.Join(old, ", ") + `) IS DISTINCT FROM (` + strings.Join(staged, ", ") + `))
		FROM ` + stagingTable + ` s LEFT JOIN postings p ON p.source = s.source AND p.source_id = s.source_id`
}()

// sightingsSQL records that the run saw each staged posting ($1 run id).
const sightingsSQL = `INSERT INTO sightings (run_id, source, source_id, lake_key)
	SELECT $1::text, source, source_id, lake_key FROM ` + stagingTable + `
	ON CONFLICT DO NOTHING`

// Load stores a run and the postings it saw, in one transaction: the runs and
// run_sources rows, a bulk COPY of the postings into a temporary staging
// table, a merge into postings, and one sighting per posting. Loading the same
// run twice changes nothing; a later run seeing the same postings updates their
// last_seen_* and current values, and keeps first_seen_*.
//
// Input is made safe rather than trusted: text is cleaned of NUL bytes and
// invalid UTF-8; a source or source id over 256 bytes (btree entries must stay
// under about 2.7 kB) is cut and suffixed with a hash of the whole value; when
// one (source, source_id) appears more than once, the last one wins; a
// publication time outside years 1-9999 is stored as unknown. A posting
// without a source or a source id is an error, since it cannot be identified.
// The run's first/last_seen_at is run.StartedAt.
func Load(ctx context.Context, pool *pgxpool.Pool, run Run, postings []ingest.Posting) (LoadStats, error) {
	if err := run.validate(); err != nil {
		return LoadStats{}, fmt.Errorf("warehouse: load: %w", err)
	}
	for i, p := range postings {
		if p.Source == "" || p.SourceID == "" {
			return LoadStats{}, fmt.Errorf("warehouse: load run %s: posting %d (lake key %q): empty source or source id",
				run.ID, i, clean(p.LakeKey))
		}
	}
	staged := stage(postings)
	var stats LoadStats
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if err := saveRun(ctx, tx, run); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, stagingDDL); err != nil {
			return fmt.Errorf("create staging table: %w", err)
		}
		n, err := tx.CopyFrom(ctx, pgx.Identifier{stagingTable}, stagingColumns, postingRows(staged))
		if err != nil {
			return fmt.Errorf("copy postings: %w", err)
		}
		if n != int64(len(staged)) {
			return fmt.Errorf("copy postings: copied %d rows of %d", n, len(staged))
		}
		if err := tx.QueryRow(ctx, countSQL, run.ID, run.StartedAt).Scan(&stats.Inserted, &stats.Updated); err != nil {
			return fmt.Errorf("compare postings: %w", err)
		}
		stats.Unchanged = len(staged) - stats.Inserted - stats.Updated
		if _, err := tx.Exec(ctx, mergeSQL, run.ID, run.StartedAt); err != nil {
			return fmt.Errorf("merge postings: %w", err)
		}
		tag, err := tx.Exec(ctx, sightingsSQL, run.ID)
		if err != nil {
			return fmt.Errorf("insert sightings: %w", err)
		}
		stats.Sightings = int(tag.RowsAffected())
		return nil
	})
	if err != nil {
		return LoadStats{}, fmt.Errorf("warehouse: load run %s: %w", run.ID, err)
	}
	return stats, nil
}
