package warehouse

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// Run statuses, as the runs table allows them ([jobdata.Run]).
const (
	RunRunning = jobdata.RunRunning
	RunOK      = jobdata.RunOK
	RunPartial = jobdata.RunPartial
	RunFailed  = jobdata.RunFailed
)

// Source statuses, as the run_sources table allows them.
const (
	SourceOK     = jobdata.SourceOK
	SourceFailed = jobdata.SourceFailed
	SourceGone   = jobdata.SourceGone
)

// Run is one ingest run and its per-source results, as the warehouse stores
// them in runs and run_sources ([jobdata.Run]).
type Run = jobdata.Run

// SourceRun is what one source did in a run ([jobdata.SourceRun]).
type SourceRun = jobdata.SourceRun

// NewRunID returns a new run id for a run started at t, as ingest makes
// them ([jobdata.NewRunID]).
func NewRunID(t time.Time) string { return jobdata.NewRunID(t) }

// maxRunID bounds run ids, which are primary keys.
const maxRunID = 128

// validateRun checks what the database would reject, with errors that say
// which field is wrong.
func validateRun(r Run) error {
	switch {
	case r.ID == "":
		return fmt.Errorf("empty run id")
	case len(r.ID) > maxRunID || !utf8.ValidString(r.ID) || clean(r.ID) != r.ID ||
		strings.ContainsAny(r.ID, "/\\") || r.ID == "." || r.ID == "..": // a lake key segment
		return fmt.Errorf("run id %q: not a run id (see jobdata.NewRunID)", r.ID)
	case r.StartedAt.IsZero():
		return fmt.Errorf("run %s: zero StartedAt", r.ID)
	}
	switch r.Status {
	case RunRunning, RunOK, RunPartial, RunFailed:
	default:
		return fmt.Errorf("run %s: status %q: want running, ok, partial or failed", r.ID, r.Status)
	}
	seen := map[string]bool{}
	for _, s := range r.Sources {
		name := cleanKey(s.Source)
		switch {
		case name == "":
			return fmt.Errorf("run %s: source with an empty name", r.ID)
		case seen[name]:
			return fmt.Errorf("run %s: source %q listed twice", r.ID, s.Source)
		case s.Status != SourceOK && s.Status != SourceFailed && s.Status != SourceGone:
			return fmt.Errorf("run %s: source %s: status %q: want ok, failed or gone", r.ID, name, s.Status)
		}
		seen[name] = true
	}
	return nil
}

// saveRun writes the run's row and its sources' rows, replacing what an
// earlier load of the same run wrote. Rows already equal are not rewritten.
func saveRun(ctx context.Context, tx pgx.Tx, r Run) error {
	_, err := tx.Exec(ctx, `INSERT INTO runs (id, started_at, finished_at, status, sample)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO UPDATE SET started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at,
			status = EXCLUDED.status, sample = EXCLUDED.sample
		WHERE (runs.started_at, runs.finished_at, runs.status, runs.sample)
			IS DISTINCT FROM (EXCLUDED.started_at, EXCLUDED.finished_at, EXCLUDED.status, EXCLUDED.sample)`,
		r.ID, r.StartedAt, nullTime(r.FinishedAt), r.Status, r.Sample)
	if err != nil {
		return fmt.Errorf("save run: %w", err)
	}
	names := make([]string, 0, len(r.Sources))
	batch := &pgx.Batch{}
	for _, s := range r.Sources {
		name := cleanKey(s.Source)
		names = append(names, name)
		keys := make([]string, len(s.LakeKeys))
		for i, k := range s.LakeKeys {
			keys[i] = clean(k)
		}
		batch.Queue(`INSERT INTO run_sources (run_id, source, status, error, pages, postings, rejected, lake_keys)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (run_id, source) DO UPDATE SET status = EXCLUDED.status, error = EXCLUDED.error,
				pages = EXCLUDED.pages, postings = EXCLUDED.postings, rejected = EXCLUDED.rejected,
				lake_keys = EXCLUDED.lake_keys
			WHERE (run_sources.status, run_sources.error, run_sources.pages, run_sources.postings,
					run_sources.rejected, run_sources.lake_keys)
				IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.error, EXCLUDED.pages, EXCLUDED.postings,
					EXCLUDED.rejected, EXCLUDED.lake_keys)`,
			r.ID, name, s.Status, clean(s.Error), s.Pages, s.Postings, s.Rejected, keys)
	}
	batch.Queue("DELETE FROM run_sources WHERE run_id = $1 AND NOT (source = ANY ($2))", r.ID, names)
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("save run sources: %w", err)
	}
	return nil
}

// LastRun returns the newest finished run (the latest finished_at) with its
// sources in name order. With no finished run the error wraps [pgx.ErrNoRows].
func LastRun(ctx context.Context, pool *pgxpool.Pool) (Run, error) {
	var r Run
	err := pool.QueryRow(ctx, `SELECT id, started_at, finished_at, status, sample FROM runs
		WHERE finished_at IS NOT NULL ORDER BY finished_at DESC, id DESC LIMIT 1`).
		Scan(&r.ID, &r.StartedAt, &r.FinishedAt, &r.Status, &r.Sample)
	if err != nil {
		return Run{}, fmt.Errorf("warehouse: last run: %w", err)
	}
	r.StartedAt, r.FinishedAt = r.StartedAt.UTC(), r.FinishedAt.UTC()
	rows, err := pool.Query(ctx, `SELECT source, status, error, pages, postings, rejected, lake_keys
		FROM run_sources WHERE run_id = $1 ORDER BY source`, r.ID)
	if err != nil {
		return Run{}, fmt.Errorf("warehouse: last run %s: sources: %w", r.ID, err)
	}
	r.Sources, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (SourceRun, error) {
		var s SourceRun
		err := row.Scan(&s.Source, &s.Status, &s.Error, &s.Pages, &s.Postings, &s.Rejected, &s.LakeKeys)
		return s, err
	})
	if err != nil {
		return Run{}, fmt.Errorf("warehouse: last run %s: sources: %w", r.ID, err)
	}
	return r, nil
}
