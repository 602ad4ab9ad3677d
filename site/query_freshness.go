package site

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// freshness says when the data of the site was collected: the last run that
// finished with data (status ok or partial), and its sources.
type freshness struct {
	RunID    string
	Finished time.Time
	Status   string
	Sample   bool
	Sources  []runSource
}

// runSource is one source of the last run.
type runSource struct {
	Name     string
	Status   string
	Postings int
}

// loadFreshness reads the last finished run in the build's transaction; it
// returns nil when no run has finished yet.
func loadFreshness(ctx context.Context, tx pgx.Tx) (*freshness, error) {
	f := &freshness{}
	err := tx.QueryRow(ctx, `
		SELECT id, finished_at, status, sample
		FROM runs
		WHERE finished_at IS NOT NULL AND status IN ('ok', 'partial')
		ORDER BY finished_at DESC, id DESC
		LIMIT 1`).Scan(&f.RunID, &f.Finished, &f.Status, &f.Sample)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("site: read last run: %w", err)
	}
	f.Finished = f.Finished.UTC()
	rows, err := tx.Query(ctx, `
		SELECT source, status, postings FROM run_sources WHERE run_id = $1 ORDER BY source`, f.RunID)
	if err != nil {
		return nil, fmt.Errorf("site: read sources of run %s: %w", f.RunID, err)
	}
	f.Sources, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (runSource, error) {
		var s runSource
		err := r.Scan(&s.Name, &s.Status, &s.Postings)
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("site: read sources of run %s: %w", f.RunID, err)
	}
	return f, nil
}
