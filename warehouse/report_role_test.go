package warehouse_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// checkReportRole checks, on a migrated warehouse, that the login may take
// warehouse.ReportRole and that the role reads every table and view of the
// warehouse's schema, writes none, and is refused the catalogs and functions
// that hold secrets.
func checkReportRole(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	rels := texts(t, pool, `SELECT c.oid::regclass::text FROM pg_class c
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p', 'f') ORDER BY 1`)
	if len(rels) < 10 {
		t.Fatalf("the warehouse has %d tables and views: %v", len(rels), rels)
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SET LOCAL ROLE "+warehouse.ReportRole); err != nil {
		t.Fatalf("the login may not take the report role: %v", err)
	}
	read := func(sql string) error {
		_, err := tx.Exec(ctx, "SAVEPOINT s")
		if err == nil {
			_, err = tx.Exec(ctx, sql)
			if _, rerr := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT s"); err == nil {
				err = rerr
			}
		}
		return err
	}
	for _, rel := range rels {
		if err := read("SELECT * FROM " + rel + " LIMIT 1"); err != nil {
			t.Errorf("the report role may not read %s: %v", rel, err)
		}
		var writes bool
		if err := tx.QueryRow(ctx, `SELECT has_table_privilege($1::regclass, 'INSERT, UPDATE, DELETE, TRUNCATE')`,
			rel).Scan(&writes); err != nil || writes {
			t.Errorf("the report role may write %s (%v)", rel, err)
		}
	}
	for _, sql := range []string{
		"SELECT rolpassword FROM pg_authid",
		"SELECT passwd FROM pg_shadow",
		"SELECT umoptions FROM pg_user_mapping",
		"SELECT stavalues1::text FROM pg_statistic",
		"SELECT * FROM pg_hba_file_rules",
		"SELECT pg_read_file('PG_VERSION')",
		"SELECT pg_ls_dir('.')",
		"SELECT current_setting('data_directory')",
	} {
		var pgErr *pgconn.PgError
		if err := read(sql); !errors.As(err, &pgErr) || pgErr.Code != "42501" {
			t.Errorf("%s as the report role: err = %v, want permission denied", sql, err)
		}
	}
}

// TestReportRole checks that Migrate makes the report role on a managed
// server (a superuser login) and grants it every table and view, a table
// that a later migration would add included.
func TestReportRole(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	checkReportRole(t, pool)
	if _, err := pool.Exec(ctx, "CREATE TABLE later_table (a int); CREATE VIEW later_view AS SELECT 1 AS a"); err != nil {
		t.Fatal(err)
	}
	if err := warehouse.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	checkReportRole(t, pool)
}

// TestReportRoleMade checks the role's making on a server that has none:
// databases migrating at the same moment (the role is one for the whole
// server) all succeed; a login that may not create roles migrates without
// it; once an administrator made it and granted it to the login (the
// README's set-up for Amazon RDS), Migrate grants it the login's tables.
func TestReportRoleMade(t *testing.T) {
	ctx := context.Background()
	srv := pgtest.Private(t)
	u, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	dbURL := func(user, password, db string) string {
		v := *u
		if user != "" {
			v.User = url.UserPassword(user, password)
		}
		v.Path = "/" + db
		return v.String()
	}
	admin, err := pgx.Connect(ctx, dbURL("", "", "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	exec := func(conn *pgx.Conn, sql string) {
		t.Helper()
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	// Private's database was migrated: take the role away again.
	first, err := pgx.Connect(ctx, srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	exec(first, "DROP OWNED BY jobpulse_report")
	first.Close(ctx)
	exec(admin, "DROP ROLE jobpulse_report")

	t.Run("concurrently", func(t *testing.T) {
		pools := make([]*pgxpool.Pool, 4)
		for i := range pools {
			name := fmt.Sprintf("concurrent_%d", i)
			if err := warehouse.CreateDatabase(ctx, dbURL("", "", "postgres"), name); err != nil {
				t.Fatal(err)
			}
			if pools[i], err = pgxpool.New(ctx, dbURL("", "", name)); err != nil {
				t.Fatal(err)
			}
			defer pools[i].Close()
		}
		errs := make([]error, len(pools))
		var wg sync.WaitGroup
		for i, p := range pools {
			wg.Go(func() { errs[i] = warehouse.Migrate(ctx, p) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("Migrate of database %d: %v", i, err)
			}
		}
		for _, p := range pools {
			checkReportRole(t, p)
		}
	})

	t.Run("a login that may not create roles", func(t *testing.T) {
		for i := range 4 {
			first, err := pgx.Connect(ctx, dbURL("", "", fmt.Sprintf("concurrent_%d", i)))
			if err != nil {
				t.Fatal(err)
			}
			exec(first, "DROP OWNED BY jobpulse_report")
			first.Close(ctx)
		}
		exec(admin, "DROP ROLE jobpulse_report")
		exec(admin, "CREATE ROLE rds_login LOGIN PASSWORD 'rds' NOSUPERUSER NOCREATEROLE")
		exec(admin, "CREATE DATABASE rds OWNER rds_login")
		pool, err := pgxpool.New(ctx, dbURL("rds_login", "rds", "rds"))
		if err != nil {
			t.Fatal(err)
		}
		defer pool.Close()
		if err := warehouse.Migrate(ctx, pool); err != nil {
			t.Fatalf("Migrate without the role: %v", err)
		}
		var exists bool
		if err := admin.QueryRow(ctx, "SELECT to_regrole('jobpulse_report') IS NOT NULL").Scan(&exists); err != nil || exists {
			t.Fatalf("a login that may not create roles made jobpulse_report (%v)", err)
		}
		// The README's set-up, as an administrator.
		exec(admin, "CREATE ROLE jobpulse_report NOLOGIN")
		exec(admin, "GRANT jobpulse_report TO rds_login")
		if err := warehouse.Migrate(ctx, pool); err != nil {
			t.Fatalf("Migrate with the role: %v", err)
		}
		checkReportRole(t, pool)
	})
}
