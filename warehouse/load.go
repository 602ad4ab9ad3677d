package warehouse

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/ingest"
)

// Load stores a run and the postings it saw in one transaction: [BeginLoad],
// one [Loader.Copy] of postings, and [Loader.Commit] with no rejects. It is
// for callers that hold their postings in memory already; a run read from
// the lake is loaded with [LoadFromLake], which streams.
func Load(ctx context.Context, pool *pgxpool.Pool, run Run, postings []ingest.Posting) (LoadStats, error) {
	l, err := BeginLoad(ctx, pool, run)
	if err != nil {
		return LoadStats{}, err
	}
	defer l.Rollback(ctx)
	err = l.Copy(ctx, func(yield func(ingest.Posting, error) bool) {
		for _, p := range postings {
			if !yield(p, nil) {
				return
			}
		}
	})
	if err != nil {
		return LoadStats{}, err
	}
	return l.Commit(ctx, run, nil)
}
