package warehouse

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/warehouse/pgserver"
)

// Warehouse is an open warehouse: a connection pool, and the managed server
// behind it when no URL was configured.
type Warehouse struct {
	// Pool is the connection pool; use it directly for queries.
	Pool *pgxpool.Pool

	server *pgserver.Server // nil when cfg.URL named a server
}

// Open connects to the warehouse. With cfg.URL set it connects to that
// server. Otherwise it starts (or reuses) the managed server in cfg.DataDir
// with [pgserver.Start] and creates cfg.Database on it if missing. Empty DataDir
// and Database take their defaults from [DefaultConfig]. Open does not apply
// migrations: call [Migrate].
func Open(ctx context.Context, cfg Config, logger *slog.Logger) (*Warehouse, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger = logger.WithGroup("warehouse")
	if cfg.URL == "" {
		cfg = cfg.withDefaults()
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("warehouse: %w", err)
	}
	w := &Warehouse{}
	connString := cfg.URL
	if connString == "" {
		srv, err := pgserver.Start(ctx, cfg.DataDir, logger)
		if err != nil {
			return nil, err
		}
		w.server = srv
		if err := CreateDatabase(ctx, srv.ConnString("postgres"), cfg.Database); err != nil {
			return nil, errors.Join(err, srv.Close(ctx))
		}
		connString = srv.ConnString(cfg.Database)
	}
	pool, err := newPool(ctx, cfg, connString)
	if err == nil {
		err = pool.Ping(ctx)
		if err != nil {
			pool.Close()
		}
	}
	if err != nil {
		err = fmt.Errorf("warehouse: connect: %w", err)
		if w.server != nil {
			err = errors.Join(err, w.server.Close(ctx))
		}
		return nil, err
	}
	w.Pool = pool
	return w, nil
}

// Close closes the pool, then stops the managed server if this process
// started it and no other jobpulse process uses it (see [Server.Close]).
func (w *Warehouse) Close(ctx context.Context) error {
	if w.Pool != nil {
		w.Pool.Close()
	}
	if w.server != nil {
		return w.server.Close(ctx)
	}
	return nil
}

// CreateDatabase creates the database name on the server that adminURL
// connects to, unless it exists. Two callers racing to create it both succeed.
func CreateDatabase(ctx context.Context, adminURL, name string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("warehouse: create database %s: connect: %w", name, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var exists bool
	err = conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists)
	if err != nil {
		return fmt.Errorf("warehouse: create database %s: %w", name, err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "42P04" || pgErr.Code == "23505") {
		return nil // duplicate_database, or unique_violation on pg_database: someone else made it
	}
	if err != nil {
		return fmt.Errorf("warehouse: create database %s: %w", name, err)
	}
	return nil
}
