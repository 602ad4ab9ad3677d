package warehouse

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrations are the schema changes, applied in the order of their file names.
//
//go:embed migrations/*.sql
var migrations embed.FS

// ReportRole is the role the report's queries run as: it may read the
// warehouse's tables and views and nothing else. [Migrate] makes it when the
// login may create roles, and grants it what it needs (see report_role.sql).
const ReportRole = "jobpulse_report"

// reportRoleSQL makes [ReportRole] if missing and allowed, makes the login
// a member, and grants the role SELECT on every table and view of the
// warehouse's schema. [Migrate] runs it after the migrations, every time.
//
//go:embed report_role.sql
var reportRoleSQL string

// migrateLockKey is the advisory lock that serialises concurrent Migrate
// calls on one database: "jobpulse" in ASCII.
const migrateLockKey int64 = 0x6a6f6270756c7365

// Migration is one schema change embedded in the binary.
type Migration struct {
	Version string // file name without .sql, e.g. "0001_init"
	SQL     string
}

// Migrations returns the embedded migrations in the order they apply.
func Migrations() ([]Migration, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql") // sorted
	if err != nil {
		return nil, fmt.Errorf("warehouse: list migrations: %w", err)
	}
	var out []Migration
	for _, name := range names {
		b, err := migrations.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("warehouse: read migration %s: %w", name, err)
		}
		out = append(out, Migration{Version: strings.TrimSuffix(path.Base(name), ".sql"), SQL: string(b)})
	}
	return out, nil
}

// ErrMigrationChanged is returned by [Migrate] when the database applied a
// migration whose SQL differs from the one embedded in this binary.
var ErrMigrationChanged = errors.New("warehouse: migration changed after it was applied")

// Migrate applies the embedded migrations that the database has not seen
// yet, in order, each in its own transaction together with its row in
// schema_migrations, then gives [ReportRole] SELECT on every table and view.
// A session advisory lock makes concurrent calls (several processes starting
// at once) safe: the second waits, then finds nothing to do.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	all, err := Migrations()
	if err != nil {
		return err
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("warehouse: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrateLockKey); err != nil {
		return fmt.Errorf("warehouse: migrate: lock: %w", err)
	}
	defer func() {
		// A failed unlock (e.g. a broken connection) must not leave the lock
		// held on a pooled connection.
		if _, err := conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLockKey); err != nil {
			conn.Conn().Close(context.WithoutCancel(ctx))
		}
	}()
	_, err = conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    text PRIMARY KEY,
		applied_at timestamptz NOT NULL DEFAULT now(),
		sha256     text NOT NULL DEFAULT '' -- of the migration's SQL, to catch one edited after it was applied
	)`)
	if err == nil { // made by a jobpulse from before migrations had hashes
		_, err = conn.Exec(ctx, `ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS sha256 text NOT NULL DEFAULT ''`)
	}
	if err != nil {
		return fmt.Errorf("warehouse: migrate: create schema_migrations: %w", err)
	}
	for _, m := range all {
		sum := sha256.Sum256([]byte(m.SQL))
		hash := hex.EncodeToString(sum[:])
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			var applied string
			err := tx.QueryRow(ctx, "SELECT sha256 FROM schema_migrations WHERE version = $1", m.Version).Scan(&applied)
			switch {
			case err == nil && applied == "": // applied before hashes were kept: trust it, keep its hash
				_, err = tx.Exec(ctx, "UPDATE schema_migrations SET sha256 = $2 WHERE version = $1", m.Version, hash)
				return err
			case err == nil && applied != hash:
				return fmt.Errorf("%w: the database applied another version of it (sha256 %.12s, this binary has %.12s): "+
					"this warehouse was made by another build of jobpulse; use a new database or replay the lake into one",
					ErrMigrationChanged, applied, hash)
			case err == nil:
				return nil // applied already
			case !errors.Is(err, pgx.ErrNoRows):
				return err
			}
			// Without arguments pgx uses the simple protocol: a file may hold many statements.
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return err
			}
			_, err = tx.Exec(ctx, "INSERT INTO schema_migrations (version, sha256) VALUES ($1, $2)", m.Version, hash)
			return err
		})
		if err != nil {
			return fmt.Errorf("warehouse: migrate %s: %w", m.Version, err)
		}
	}
	if _, err := conn.Exec(ctx, reportRoleSQL); err != nil {
		return fmt.Errorf("warehouse: migrate: role %s and its grants: %w", ReportRole, err)
	}
	return nil
}
