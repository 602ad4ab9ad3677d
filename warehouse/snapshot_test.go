package warehouse_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// The guard of a snapshot is tested through whole builds by site's
// TestBuildReadOnly: hostile content queries in every place a page can hold
// one, as every kind of login. What is here is what needs the guard's
// insides.

// TestSnapshotReportRoleAlone checks the second layer of the guard: with its
// refusal of names turned off, PostgreSQL itself refuses the secrets to the
// report role, and the snapshot says so with an error wrapping
// [warehouse.ErrForbidden] that names what was refused. It runs as a
// superuser (which takes the report role) and as a login granted the
// report role alone.
func TestSnapshotReportRoleAlone(t *testing.T) {
	defer warehouse.WithoutDeniedNames()()
	ctx := context.Background()
	dbURL := pgtest.URL(t)
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	b := make([]byte, 4)
	rand.Read(b)
	role := "jobpulse_login_" + hex.EncodeToString(b)
	if _, err := pool.Exec(ctx, "CREATE ROLE "+role+" LOGIN PASSWORD 'reader' IN ROLE "+warehouse.ReportRole); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Exec(context.Background(), "DROP ROLE "+role) })
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(role, "reader")
	login, err := pgxpool.New(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer login.Close() // before the role is dropped

	// What PostgreSQL's refusal names; the guard's own refusals are
	// site's secretQueries.
	secrets := []struct{ name, sql, server string }{
		{"pg_authid", `SELECT rolname, rolpassword FROM pg_authid`, "pg_authid"},
		{"pg_authid quoted", `SELECT rolpassword AS p FROM pg_catalog."pg_authid"`, "pg_authid"},
		{"pg_authid in a subquery", `SELECT (SELECT string_agg(rolpassword, ',') FROM PG_AUTHID) AS p`, "pg_authid"},
		{"pg_shadow", `SELECT usename, passwd FROM pg_shadow`, "pg_shadow"},
		{"pg_user_mapping", `SELECT umoptions::text AS o FROM pg_user_mapping`, "pg_user_mapping"},
		{"pg_statistic", `SELECT stavalues1::text AS v FROM pg_statistic`, "pg_statistic"},
		{"pg_hba_file_rules", `SELECT * FROM pg_hba_file_rules`, "pg_hba_file_rules"},
		{"pg_file_settings", `SELECT * FROM pg_file_settings`, "pg_file_settings"},
		{"pg_read_file", `SELECT pg_read_file('/etc/passwd') AS x`, "pg_read_file"},
		{"pg_read_binary_file", `SELECT pg_read_binary_file('/etc/passwd') AS x`, "pg_read_binary_file"},
		{"pg_ls_dir", `SELECT pg_ls_dir('.') AS x`, "pg_ls_dir"},
		{"pg_stat_file", `SELECT (pg_stat_file('PG_VERSION')).size AS x`, "pg_stat_file"},
		{"lo_import", `SELECT lo_import('/etc/passwd') AS x`, "lo_import"},
		{"lo_export", `SELECT lo_export(1, '/tmp/jobpulse-lo') AS x`, "lo_export"},
		{"current_setting of a secret", `SELECT current_setting('primary_conninfo') AS x`, "primary_conninfo"},
		{"current_setting of a server path", `SELECT current_setting('data_directory') AS x`, "data_directory"},
		{"query_to_xml of pg_authid", `SELECT query_to_xml('SELECT rolpassword FROM pg_auth' || 'id', true, false, '') AS x`, "pg_authid"},
		{"table_to_xml of pg_authid", `SELECT table_to_xml(E'pg\137authid'::regclass, true, false, '') AS x`, "pg_authid"},
		{"ts_stat", `SELECT * FROM ts_stat('SELECT to_tsvector(rolpassword) FROM pg_auth' || 'id') AS x`, "pg_authid"},
	}
	for _, l := range []struct {
		name string
		pool *pgxpool.Pool
	}{{"superuser", pool}, {"login granted the report role", login}} {
		for _, q := range secrets {
			t.Run(l.name+"/"+q.name, func(t *testing.T) {
				s, err := warehouse.BeginSnapshot(ctx, l.pool, warehouse.SnapshotOptions{StatementTimeout: time.Minute})
				if err != nil {
					t.Fatal(err)
				}
				defer s.Rollback(ctx)
				rows, err := s.Query(ctx, q.sql)
				if err == nil {
					for rows.Next() {
					}
					rows.Close()
					err = rows.Err()
				}
				switch {
				case err == nil:
					t.Fatalf("%s: read as the report role", q.sql)
				case !errors.Is(err, warehouse.ErrForbidden):
					t.Errorf("the error does not wrap ErrForbidden: %v", err)
				case !strings.Contains(err.Error(), q.server):
					t.Errorf("the error does not name %s: %v", q.server, err)
				}
			})
		}
	}
}

// BenchmarkGuardedQuery measures what the guard adds to one query of a
// build (describe, run, check the session): compare plain and guarded.
func BenchmarkGuardedQuery(b *testing.B) {
	ctx := context.Background()
	pool := pgtest.New(b)
	const sql = "SELECT role, count(*) AS postings FROM postings GROUP BY role"
	for _, guarded := range []bool{false, true} {
		b.Run(map[bool]string{false: "plain", true: "guarded"}[guarded], func(b *testing.B) {
			var q pgx.Tx
			if guarded {
				s, err := warehouse.BeginSnapshot(ctx, pool, warehouse.SnapshotOptions{StatementTimeout: time.Minute})
				if err != nil {
					b.Fatal(err)
				}
				q = s
			} else {
				tx, err := pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead})
				if err != nil {
					b.Fatal(err)
				}
				q = tx
			}
			defer q.Rollback(ctx)
			for b.Loop() {
				rows, err := q.Query(ctx, sql)
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
