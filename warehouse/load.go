package warehouse

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// Load stores a run and the postings it saw in one transaction: [BeginLoad],
// one [Loader.Copy] of postings, and [Loader.Commit] with no rejects. It is
// for callers that hold their postings in memory already; a run read back
// from the lake is loaded with [LoadStream], which streams. Like LoadStream,
// it runs with the garbage collector at a lower target (loadGCPercent)
// unless GOGC is set.
func Load(ctx context.Context, pool *pgxpool.Pool, run Run, postings []jobdata.Posting) (LoadStats, error) {
	defer boundLoadMemory()()
	l, err := BeginLoad(ctx, pool, run)
	if err != nil {
		return LoadStats{}, err
	}
	defer l.Rollback(ctx)
	err = l.Copy(ctx, func(yield func(jobdata.Posting, error) bool) {
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

// RunStream is one run read back from where its raw pages are kept (ingest's
// RunReader, which reads the lake): the warehouse loads it and knows nothing
// of where it came from.
type RunStream interface {
	// Run returns the run: before Postings was read to its end, as recorded
	// when it was fetched (its ID and StartedAt are what a load begins
	// with); after, with what reading it found (pages, postings, rejects and
	// status of each source).
	Run() Run
	// Postings streams the run's postings, parsed and normalized. An error
	// ends the stream, and the load with it.
	Postings(ctx context.Context) iter.Seq2[jobdata.Posting, error]
	// Rejects returns the records that could not be read, once Postings was
	// read to its end.
	Rejects() []jobdata.Reject
	// Names returns the names readers may type for the values written by the
	// normalizer that made the postings, sorted by kind, value and alias;
	// they are kept beside the postings (search_names), for the report's
	// search.
	Names() []jobdata.Name
}

// LoadStream loads a run in one transaction from a stream of its postings:
// [BeginLoad] with the run as recorded (running), the normalizer's names
// (written only when they changed), one [Loader.Copy] of the stream, and
// [Loader.Commit] of the run and its rejects as the stream found them. It
// returns that run. An error (the stream or the database failing) means
// nothing was loaded; the run returned then says what was known. While it
// runs, the garbage collector lets the heap grow by half of what is live,
// not all of it (loadGCPercent), unless GOGC is set.
func LoadStream(ctx context.Context, pool *pgxpool.Pool, s RunStream) (Run, LoadStats, error) {
	defer boundLoadMemory()()
	run := s.Run()
	l, err := BeginLoad(ctx, pool, Run{ID: run.ID, StartedAt: run.StartedAt, Status: RunRunning})
	if err != nil {
		return run, LoadStats{}, err
	}
	defer l.Rollback(ctx)
	if err := saveNames(ctx, l.tx, s.Names()); err != nil {
		return run, LoadStats{}, fmt.Errorf("warehouse: load run %s: %w", run.ID, err)
	}
	if err := l.Copy(ctx, s.Postings(ctx)); err != nil {
		return run, LoadStats{}, err
	}
	run = s.Run()
	stats, err := l.Commit(ctx, run, s.Rejects())
	return run, stats, err
}

// ReplayedRun is one run a replay loaded.
type ReplayedRun struct {
	Run   Run       `json:"run"`
	Stats LoadStats `json:"stats"`
}

// ReplayResult is what a replay did, run by run.
type ReplayResult struct {
	Runs  []ReplayedRun `json:"runs"`
	Stats LoadStats     `json:"stats"` // summed over the runs
}

// Replay loads runs with [LoadStream], in the order given (ingest.Replay
// gives those of the lake in run-id order), each in its own transaction. It
// stops at the first run that fails to load, returning the runs loaded
// before it.
func Replay[S RunStream](ctx context.Context, pool *pgxpool.Pool, runs []S, logger *slog.Logger) (ReplayResult, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger = logger.WithGroup("replay")
	var res ReplayResult
	for _, s := range runs {
		start := time.Now()
		run, stats, err := LoadStream(ctx, pool, s)
		if err != nil {
			return res, fmt.Errorf("warehouse: replay run %s: %w", run.ID, err)
		}
		res.Runs = append(res.Runs, ReplayedRun{Run: run, Stats: stats})
		res.Stats = res.Stats.Add(stats)
		logger.Info("run replayed", "run", run.ID, "status", run.Status,
			"inserted", stats.Inserted, "updated", stats.Updated, "unchanged", stats.Unchanged,
			"rejected", stats.Rejected, "took", time.Since(start).Round(time.Millisecond))
	}
	return res, nil
}
