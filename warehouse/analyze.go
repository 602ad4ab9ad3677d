package warehouse

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Analyze refreshes the planner's statistics of the tables a load writes.
// Call it after loading and before building: autovacuum analyzes a table
// only a while after it changed, and the report's queries, planned on the
// statistics of an empty or much smaller table, can be many times slower
// (measured: 4.3 s instead of 0.6 s for the embedded report on the demo's
// data). It is not part of a load, so that a load stays one COPY-bound
// transaction.
func Analyze(ctx context.Context, pool *pgxpool.Pool) error {
	if _, err := pool.Exec(ctx, "ANALYZE postings, listings, run_sightings, runs, run_sources, rejects"); err != nil {
		return fmt.Errorf("warehouse: analyze: %w", err)
	}
	return nil
}
