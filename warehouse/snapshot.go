package warehouse

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ReaderRoles lists, comma-separated and best first, the roles a
// [Snapshot]'s queries run as when the connecting role may take them:
//
//   - jobpulse_report ([ReportRole]), which [Migrate] makes and grants
//     SELECT on the warehouse's tables and views, and nothing else:
//     PostgreSQL refuses it pg_authid, pg_read_file, other sessions'
//     queries;
//   - the predefined role pg_read_all_data (PostgreSQL 14 and later), which
//     reads every table, catalogs included (the guard refuses those by
//     name), and cannot signal backends, read or write server files, or
//     reload the configuration.
const ReaderRoles = ReportRole + ",pg_read_all_data"

// SnapshotOptions configures [BeginSnapshot].
type SnapshotOptions struct {
	// StatementTimeout bounds every statement of the snapshot; zero leaves
	// none.
	StatementTimeout time.Duration
	// Roles lists, comma-separated and best first, the roles to run as: the
	// first that the connecting role may take. Empty means [ReaderRoles].
	Roles string
}

// Snapshot is one consistent, read-only view of the warehouse: what a site
// build reads, all its queries seeing the same data. It is a read-only,
// repeatable-read transaction in UTC, run as a role that may only read the
// warehouse (see [ReaderRoles]), through which every statement is guarded:
// Query, QueryRow and Exec run one statement that returns rows and leaves
// the session as it found it, or fail with an error wrapping
// [ErrNotReadOnly] or [ErrForbidden]; Begin, Commit, SendBatch, CopyFrom and
// Prepare are refused. A query that broke a rule closes the snapshot's
// connection, so that the pool never takes it back.
//
// The caller ends a snapshot with [Snapshot.Close], and defers Rollback
// for the paths that return early. A Snapshot is not safe for concurrent
// use.
type Snapshot struct {
	*guardedTx
}

// BeginSnapshot begins a snapshot of the warehouse behind pool.
func BeginSnapshot(ctx context.Context, pool *pgxpool.Pool, opts SnapshotOptions) (*Snapshot, error) {
	if opts.Roles == "" {
		opts.Roles = ReaderRoles
	}
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead})
	if err != nil {
		return nil, fmt.Errorf("site: begin read-only transaction: %w", err)
	}
	rollback := func(err error) error {
		return errors.Join(err, tx.Rollback(context.WithoutCancel(ctx)))
	}
	if _, err := tx.Exec(ctx, buildSessionSQL, fmt.Sprint(opts.StatementTimeout.Milliseconds()), opts.Roles); err != nil {
		return nil, rollback(fmt.Errorf("site: set statement_timeout, TimeZone and role: %w", err))
	}
	// From here on, every query goes through the guard.
	g, err := guardTx(ctx, tx)
	if err != nil {
		return nil, rollback(err)
	}
	return &Snapshot{guardedTx: g}, nil
}

// Close ends the snapshot: it checks that every setting of the session is
// still as the snapshot began (a query may have changed one through a
// function), then rolls the transaction back. Its error wraps
// [ErrNotReadOnly] when a query changed a setting.
func (s *Snapshot) Close(ctx context.Context) error {
	if err := s.checkSettings(ctx); err != nil {
		return err
	}
	if err := s.Rollback(ctx); err != nil {
		return fmt.Errorf("site: end read-only transaction: %w", err)
	}
	return nil
}
