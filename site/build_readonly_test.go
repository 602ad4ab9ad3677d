package site

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// The report's SQL is content: whoever writes a page must not be able to
// write to the warehouse or change how it behaves through the build. Each
// hostile query below, placed in a page, must fail the build with an error
// naming the file and the query, and leave everything as it was: every
// table, sequence and object of the warehouse, the settings a new session
// gets, the connections of the pool (settings, locks), other sessions, and
// the server's files.

// hostileQuery is a content query that must not get through.
type hostileQuery struct {
	name string
	sql  string
	// pass: the query may build (its effect is discarded by the rollback),
	// as long as nothing changes.
	pass bool
	// late: the build fails after its last query, which compares every
	// setting; the error names the setting, not the query.
	late bool
}

// hostileQueries are run as an ordinary page's query and (see templatedToo)
// as the pages query of a templated page. {file1} is a file the server must not create, {file2} a
// second one.
var hostileQueries = []hostileQuery{
	{name: "insert", sql: `INSERT INTO runs (id, started_at, status) VALUES ('evil', now(), 'ok')`},
	{name: "insert returning", sql: `INSERT INTO runs (id, started_at, status) VALUES ('evil', now(), 'ok') RETURNING id`},
	{name: "update", sql: `UPDATE postings SET title = 'evil'`},
	{name: "update returning", sql: `UPDATE postings SET title = 'evil' RETURNING title`},
	{name: "delete", sql: `DELETE FROM postings`},
	{name: "truncate", sql: `TRUNCATE postings, sightings, listings`},
	{name: "create table", sql: `CREATE TABLE evil (a int)`},
	{name: "create table as", sql: `CREATE TABLE evil AS SELECT * FROM postings`},
	{name: "select into", sql: `SELECT * INTO evil FROM postings`},
	{name: "create temp table", sql: `CREATE TEMP TABLE evil (a int)`},
	{name: "drop", sql: `DROP TABLE postings CASCADE`},
	{name: "alter database set", sql: `ALTER DATABASE CURRENT SET statement_timeout = 1`},
	{name: "alter role set", sql: `ALTER ROLE CURRENT_USER SET statement_timeout = 1`},
	{name: "alter system", sql: `ALTER SYSTEM SET statement_timeout = 1`},
	{name: "writing CTE", sql: `WITH x AS (DELETE FROM postings RETURNING *) SELECT count(*) AS n FROM x`},
	{name: "nextval", sql: `SELECT nextval('jp_probe_seq') AS n`},
	{name: "setval", sql: `SELECT setval('jp_probe_seq', 1000) AS n`},
	{name: "txid_current", sql: `SELECT txid_current() AS n`},
	{name: "set", sql: `SET statement_timeout = 0`},
	{name: "set local", sql: `SET LOCAL statement_timeout = 0`},
	{name: "set time zone", sql: `SET TIME ZONE 'America/New_York'`},
	{name: "set search_path", sql: `SET search_path = pg_catalog`},
	{name: "set_config session", sql: `SELECT set_config('statement_timeout', '0', false) AS x`},
	{name: "set_config local", sql: `SELECT set_config('TimeZone', 'America/New_York', true) AS x`},
	{name: "set_config search_path", sql: `SELECT set_config('search_path', 'pg_catalog', false) AS x`},
	{name: "set_config role", sql: `SELECT set_config('role', 'none', false) AS x`},
	{name: "set_config planner setting", sql: `SELECT set_config('enable_seqscan', 'off', false) AS x`, late: true},
	{name: "set_config custom setting", sql: `SELECT set_config('jobpulse.evil', 'on', false) AS x`, pass: true}, // changes nothing a query reads
	{name: "plpgsql function", sql: `SELECT jp_probe_func() AS x`, pass: true},                                   // loads PL/pgSQL: new settings, none changed
	{name: "set_config in a subquery", sql: `SELECT title AS x FROM postings WHERE set_config('work_mem', '64MB', false) IS NOT NULL`},
	{name: "reset all", sql: `RESET ALL`},
	{name: "reset role", sql: `RESET ROLE`},
	{name: "set session authorization", sql: `SET SESSION AUTHORIZATION DEFAULT`},
	{name: "set transaction read write", sql: `SET TRANSACTION READ WRITE`},
	{name: "set session characteristics", sql: `SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE`},
	{name: "commit", sql: `COMMIT`},
	{name: "commit then write", sql: `COMMIT; INSERT INTO runs (id, started_at, status) VALUES ('evil', now(), 'ok')`},
	{name: "select then commit then write", sql: `SELECT 1 AS x; COMMIT; INSERT INTO runs (id, started_at, status) VALUES ('evil', now(), 'ok'); SELECT 1 AS x`},
	{name: "rollback", sql: `ROLLBACK`},
	{name: "begin", sql: `BEGIN`},
	{name: "savepoint", sql: `SAVEPOINT s`},
	{name: "prepare transaction", sql: `PREPARE TRANSACTION 'evil'`},
	{name: "do", sql: `DO $$ BEGIN PERFORM set_config('statement_timeout', '0', false); END $$`},
	{name: "call", sql: `CALL jp_probe_noop()`},
	{name: "call with out", sql: `CALL jp_probe_proc(NULL)`},
	{name: "copy to stdout", sql: `COPY postings TO STDOUT`},
	{name: "copy to file", sql: `COPY (SELECT 'evil') TO '{file1}'`},
	{name: "copy to program", sql: `COPY (SELECT 'evil') TO PROGRAM 'touch {file2}'`},
	{name: "copy from", sql: `COPY runs FROM STDIN`},
	{name: "listen", sql: `LISTEN jp_probe`},
	{name: "notify", sql: `NOTIFY jp_probe, 'evil'`},
	{name: "pg_notify", sql: `SELECT pg_notify('jp_probe', 'evil') AS x`, pass: true}, // never delivered: rolled back
	{name: "advisory lock", sql: `SELECT pg_advisory_lock(42) AS x`},
	{name: "advisory lock then fail", sql: `SELECT pg_advisory_lock(43) AS x, 1 / 0 AS y`},
	{name: "advisory xact lock", sql: `SELECT pg_advisory_xact_lock(44) AS x`},
	{name: "multiple statements", sql: `SELECT 1 AS x; SELECT 2 AS y`},
	{name: "prepare", sql: `PREPARE evil AS SELECT 1`},
	{name: "execute", sql: `EXECUTE evil`},
	{name: "deallocate all", sql: `DEALLOCATE ALL`},
	{name: "declare cursor with hold", sql: `DECLARE evil CURSOR WITH HOLD FOR SELECT 1`},
	{name: "discard all", sql: `DISCARD ALL`},
	{name: "discard plans", sql: `DISCARD PLANS`},
	{name: "load", sql: `LOAD 'auto_explain'`},
	{name: "security label", sql: `SECURITY LABEL ON TABLE postings IS 'evil'`},
	{name: "comment", sql: `COMMENT ON TABLE postings IS 'evil'`},
	{name: "grant", sql: `GRANT ALL ON postings TO PUBLIC`},
	{name: "lock table", sql: `LOCK TABLE postings IN ACCESS EXCLUSIVE MODE`},
	{name: "select for update", sql: `SELECT title FROM postings FOR UPDATE`},
	{name: "vacuum", sql: `VACUUM postings`},
	{name: "analyze", sql: `ANALYZE postings`},
	{name: "checkpoint", sql: `CHECKPOINT`},
	{name: "show", sql: `SHOW statement_timeout`},
	{name: "explain analyze", sql: `EXPLAIN ANALYZE SELECT 1`},
	{name: "terminate backend", sql: `SELECT pg_terminate_backend(pid) AS x FROM pg_stat_activity WHERE application_name = 'jobpulse-victim'`},
	{name: "cancel backend", sql: `SELECT pg_cancel_backend(pid) AS x FROM pg_stat_activity WHERE application_name = 'jobpulse-victim'`},
	{name: "reload conf", sql: `SELECT pg_reload_conf() AS x`},
	{name: "stat reset", sql: `SELECT pg_stat_reset() AS x`},
	{name: "read server file", sql: `SELECT pg_read_file('PG_VERSION') AS x`},
	{name: "query_to_xml", sql: `SELECT query_to_xml('SELECT set_config(''statement_timeout'', ''0'', false)', true, false, '') AS x`},
}

// secretQuery is a content query that reads what a report must never
// publish: password hashes, server files and folders, other sessions'
// queries, the server's secret settings.
type secretQuery struct {
	name, sql string
	// guard: what the guard's error names (it refuses the query by name).
	guard string
	// server: what PostgreSQL's own refusal names when the query runs as
	// the report role without the guard's names; "" when the role alone
	// does not make the build fail (the query then reads nothing secret,
	// e.g. pg_stat_activity hides other sessions' queries from it).
	server string
}

var secretQueries = []secretQuery{
	{name: "pg_authid", sql: `SELECT rolname, rolpassword FROM pg_authid`, guard: "pg_authid", server: "pg_authid"},
	{name: "pg_authid quoted", sql: `SELECT rolpassword AS p FROM pg_catalog."pg_authid"`, guard: "pg_authid", server: "pg_authid"},
	{name: "pg_authid in a subquery", sql: `SELECT (SELECT string_agg(rolpassword, ',') FROM PG_AUTHID) AS p`, guard: "pg_authid", server: "pg_authid"},
	{name: "pg_authid by unicode escape", sql: `SELECT rolpassword AS p FROM U&"pg_\0061uthid"`, guard: "Unicode escapes", server: "pg_authid"},
	{name: "pg_shadow", sql: `SELECT usename, passwd FROM pg_shadow`, guard: "pg_shadow", server: "pg_shadow"},
	{name: "pg_user_mapping", sql: `SELECT umoptions::text AS o FROM pg_user_mapping`, guard: "pg_user_mapping", server: "pg_user_mapping"},
	{name: "pg_user_mappings", sql: `SELECT umoptions::text AS o FROM pg_user_mappings`, guard: "pg_user_mappings"},
	{name: "pg_statistic", sql: `SELECT stavalues1::text AS v FROM pg_statistic`, guard: "pg_statistic", server: "pg_statistic"},
	{name: "pg_stats", sql: `SELECT histogram_bounds::text AS h FROM pg_stats WHERE tablename = 'pg_authid'`, guard: "pg_stats"},
	{name: "pg_stat_activity query", sql: `SELECT query FROM pg_stat_activity WHERE application_name = 'jobpulse-victim'`, guard: "pg_stat_activity"},
	{name: "pg_stat_get_backend_activity", sql: `SELECT pg_stat_get_backend_activity(b) AS q FROM pg_stat_get_backend_idset() AS b`, guard: "pg_stat_get_backend_activity"},
	{name: "pg_hba_file_rules", sql: `SELECT * FROM pg_hba_file_rules`, guard: "pg_hba_file_rules", server: "pg_hba_file_rules"},
	{name: "pg_file_settings", sql: `SELECT * FROM pg_file_settings`, guard: "pg_file_settings", server: "pg_file_settings"},
	{name: "pg_read_file", sql: `SELECT pg_read_file('/etc/passwd') AS x`, guard: "pg_read_file", server: "pg_read_file"},
	{name: "pg_read_binary_file", sql: `SELECT pg_read_binary_file('/etc/passwd') AS x`, guard: "pg_read_binary_file", server: "pg_read_binary_file"},
	{name: "pg_ls_dir", sql: `SELECT pg_ls_dir('.') AS x`, guard: "pg_ls_dir", server: "pg_ls_dir"},
	{name: "pg_stat_file", sql: `SELECT (pg_stat_file('PG_VERSION')).size AS x`, guard: "pg_stat_file", server: "pg_stat_file"},
	{name: "lo_import", sql: `SELECT lo_import('/etc/passwd') AS x`, guard: "lo_import", server: "lo_import"},
	{name: "lo_export", sql: `SELECT lo_export(1, '/tmp/jobpulse-lo') AS x`, guard: "lo_export", server: "lo_export"},
	{name: "current_setting of a secret", sql: `SELECT current_setting('primary_conninfo') AS x`, guard: "primary_conninfo", server: "primary_conninfo"},
	{name: "current_setting of a server path", sql: `SELECT current_setting('data_directory') AS x`, guard: "data_directory", server: "data_directory"},
	{name: "query_to_xml of pg_authid", sql: `SELECT query_to_xml('SELECT rolpassword FROM pg_auth' || 'id', true, false, '') AS x`, guard: "query_to_xml", server: "pg_authid"},
	{name: "table_to_xml of pg_authid", sql: `SELECT table_to_xml(E'pg\137authid'::regclass, true, false, '') AS x`, guard: "table_to_xml", server: "pg_authid"},
	{name: "schema_to_xml", sql: `SELECT schema_to_xml('pg_catalog', true, false, '') AS x`, guard: "schema_to_xml"},
	{name: "ts_stat", sql: `SELECT * FROM ts_stat('SELECT to_tsvector(rolpassword) FROM pg_auth' || 'id') AS x`, guard: "ts_stat", server: "pg_authid"},
	{name: "dblink", sql: `SELECT * FROM dblink('host=127.0.0.1', 'SELECT 1') AS t(x int)`, guard: "dblink"},
}

// templatedToo are the hostile queries that are also tried as the pages
// query of a templated page, which runs the same guarded query asking for
// text: one of each kind of rule.
var templatedToo = map[string]bool{
	"insert returning": true, "writing CTE": true, "set": true, "set_config session": true,
	"set_config role": true, "commit": true, "select then commit then write": true, "do": true,
	"copy to program": true, "advisory lock": true, "multiple statements": true, "show": true,
	"terminate backend": true, "query_to_xml": true,
}

// familyQueries are hostile queries that use the page parameter :role, so
// that they run inside the lateral join that serves every page at once.
var familyQueries = []hostileQuery{
	{name: "set_config", sql: `SELECT set_config('statement_timeout', '0', false) AS x WHERE :role IS NOT NULL`},
	{name: "advisory lock", sql: `SELECT pg_advisory_lock(45) AS x WHERE :role IS NOT NULL`},
	{name: "breaking out of the join", sql: `SELECT 1 AS x WHERE :role IS NULL) AS q; COMMIT; INSERT INTO runs (id, started_at, status) VALUES ('evil', now(), 'ok'); SELECT * FROM (SELECT 1`},
	{name: "comment out the rest", sql: `SELECT 1 AS x WHERE :role IS NULL) AS q; SET statement_timeout = 0; --`},
}

// probeSetup gives the hostile queries something to aim at.
const probeSetup = `
CREATE SEQUENCE jp_probe_seq;
CREATE FUNCTION jp_probe_func() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
CREATE PROCEDURE jp_probe_noop() LANGUAGE sql AS $$ SELECT 1 $$;
CREATE PROCEDURE jp_probe_proc(INOUT n int) LANGUAGE plpgsql AS $$
BEGIN PERFORM set_config('statement_timeout', '0', false); n := 1; END $$;
CREATE FOREIGN DATA WRAPPER jp_probe_fdw;
CREATE SERVER jp_probe_server FOREIGN DATA WRAPPER jp_probe_fdw;
CREATE USER MAPPING FOR PUBLIC SERVER jp_probe_server OPTIONS (password 'jp-probe-secret');
ANALYZE pg_authid;
`

// placement is where a hostile query goes in a content folder.
type placement struct {
	name  string
	file  string // the page that declares the query, relative to the content folder
	files func(sql string) map[string]string
}

var placements = []placement{
	{name: "page", file: "index.md", files: func(sql string) map[string]string {
		return map[string]string{
			"index.md": "---\ntitle: Home\nqueries:\n  probe: probe.sql\n---\n\n# Home\n\n```table\nquery: probe\n```\n",
			// A later page, whose query would show a setting that leaked.
			"zz.md":             "---\ntitle: Later\nqueries:\n  later: SELECT current_setting('statement_timeout') AS t\n---\n\n# Later\n",
			"queries/probe.sql": sql + "\n",
		}
	}},
	{name: "pages", file: filepath.Join("roles", "[role].md"), files: func(sql string) map[string]string {
		return map[string]string{
			"index.md":          "---\ntitle: Home\n---\n\n# Home\n",
			"roles/[role].md":   "---\ntitle: \"{role}\"\npages: probe\nqueries:\n  probe: probe.sql\n---\n\n# Role\n",
			"queries/probe.sql": sql + "\n",
		}
	}},
	{name: "family", file: filepath.Join("roles", "[role].md"), files: func(sql string) map[string]string {
		return map[string]string{
			"index.md": "---\ntitle: Home\n---\n\n# Home\n",
			"roles/[role].md": "---\ntitle: \"{role}\"\npages: roles\nqueries:\n  roles: SELECT DISTINCT title AS role FROM postings\n" +
				"  probe: probe.sql\n---\n\n# Role\n\n```table\nquery: probe\n```\n",
			"queries/probe.sql": sql + "\n",
		}
	}},
}

func TestBuildReadOnly(t *testing.T) {
	ctx := context.Background()
	dbURL := pgtest.URL(t)
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	seedRun(t, pool, false, []testPosting{{"Backend Engineer", "Berlin"}, {"Data Engineer", "Remote"}})
	if _, err := pool.Exec(ctx, probeSetup); err != nil {
		t.Fatalf("setup: %v", err)
	}
	admin := connect(t, dbURL, "jobpulse-admin")
	victim := connect(t, dbURL, "jobpulse-victim")
	listener := connect(t, dbURL, "jobpulse-listener")
	if _, err := listener.Exec(ctx, "LISTEN jp_probe"); err != nil {
		t.Fatal(err)
	}
	snapSQL := snapshotSQL(t, admin)
	before := snapshot(t, admin, snapSQL)
	settings := newSessionSettings(t, dbURL)
	files := [2]string{tempName(t), tempName(t)}

	// What a new session of each pool's login gets: a superuser sees more
	// settings than other roles.
	poolSettings := map[*pgxpool.Pool]string{pool: settings}
	subst := strings.NewReplacer("{file1}", files[0], "{file2}", files[1]).Replace
	check := func(t *testing.T, pool *pgxpool.Pool, q hostileQuery, pl placement) error {
		t.Helper()
		sql := subst(q.sql)
		dir := t.TempDir()
		writeTree(t, dir, pl.files(sql))
		cfg := testConfig(t)
		cfg.Content = dir
		_, err := Build(ctx, pool, cfg, nil)
		switch {
		case err == nil && !q.pass:
			t.Errorf("the build succeeded")
		case err != nil && q.late:
			if !errors.Is(err, ErrNotReadOnly) {
				t.Errorf("error does not wrap ErrNotReadOnly: %v", err)
			}
			t.Logf("%v", err)
		case err != nil && !q.pass:
			page := filepath.Join(dir, pl.file)
			if msg := err.Error(); !strings.Contains(msg, page) || !strings.Contains(msg, "probe") {
				t.Errorf("the error names neither %s nor the query probe: %v", page, err)
			}
			var ce *ContentError
			if !errors.As(err, &ce) {
				t.Errorf("error %T is not a ContentError: %v", err, err)
			}
			if _, serr := os.Stat(cfg.Out); serr == nil {
				t.Errorf("the failed build wrote %s", cfg.Out)
			}
			t.Logf("%v", err)
		}
		if diff := cmp.Diff(before, snapshot(t, admin, snapSQL)); diff != "" {
			t.Errorf("the warehouse changed (-before +after):\n%s", diff)
		}
		checkPool(t, pool, poolSettings[pool])
		if err := victim.Ping(ctx); err != nil {
			t.Fatalf("another session was hurt: %v", err)
		}
		for _, f := range files {
			if _, err := os.Stat(f); err == nil {
				os.Remove(f)
				t.Errorf("the server wrote %s", f)
			}
		}
		return err
	}
	for _, pl := range placements[:2] {
		for _, q := range hostileQueries {
			if pl.name == "pages" && !templatedToo[q.name] {
				continue
			}
			t.Run(pl.name+"/"+q.name, func(t *testing.T) {
				check(t, pool, q, pl)
			})
		}
	}
	for _, q := range familyQueries {
		t.Run("family/"+q.name, func(t *testing.T) { check(t, pool, q, placements[2]) })
	}

	// Without the reader role (PostgreSQL 13, or a login that may not take
	// pg_read_all_data), the guard alone stops statements before they run.
	t.Run("without the reader role", func(t *testing.T) {
		defer func(r string) { readerRole = r }(readerRole)
		readerRole = "jobpulse_no_such_role"
		for _, q := range hostileQueries {
			switch q.name {
			case "copy to file", "copy to program", "do", "load", "commit then write", "set", "set_config session",
				"prepare", "declare cursor with hold", "listen", "advisory lock":
				t.Run(q.name, func(t *testing.T) { check(t, pool, q, placements[0]) })
			}
		}
	})

	// Logins that are not superusers: one granted pg_read_all_data (the
	// README's login before the report role), one granted the report role.
	login := func(t *testing.T, inRole string) *pgxpool.Pool {
		t.Helper()
		b := make([]byte, 4)
		rand.Read(b)
		role := "jobpulse_login_" + hex.EncodeToString(b)
		if _, err := admin.Exec(ctx, "CREATE ROLE "+role+" LOGIN PASSWORD 'reader' IN ROLE "+inRole); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec(ctx, "DROP ROLE "+role) })
		u, err := url.Parse(dbURL)
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.UserPassword(role, "reader")
		p, err := pgxpool.New(ctx, u.String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close) // before the role is dropped
		poolSettings[p] = newSessionSettings(t, u.String())
		return p
	}
	readAllLogin := login(t, "pg_read_all_data")
	reportLogin := login(t, "jobpulse_report")

	// A superuser login can take its role back inside the statement that
	// then calls an admin function; a login that is not a superuser cannot.
	t.Run("reader login", func(t *testing.T) {
		check(t, readAllLogin, hostileQuery{name: "role back, then terminate", sql: `SELECT set_config('role', 'none', false) AS a,
			pg_terminate_backend(pid) AS b FROM pg_stat_activity WHERE application_name = 'jobpulse-victim'`}, placements[0])
	})

	// Secrets: each query fails the build naming what was refused, as every
	// login, whatever role the build could take.
	secretCheck := func(t *testing.T, pool *pgxpool.Pool, q secretQuery, pl placement, names string) {
		t.Helper()
		err := check(t, pool, hostileQuery{name: q.name, sql: q.sql}, pl)
		if err == nil {
			return // check reported it
		}
		if !strings.Contains(err.Error(), names) {
			t.Errorf("the error does not name %s: %v", names, err)
		}
		if !errors.Is(err, ErrForbidden) {
			t.Errorf("the error does not wrap ErrForbidden: %v", err)
		}
	}
	logins := []struct {
		name   string
		pool   *pgxpool.Pool
		reader string // readerRole
	}{
		{name: "superuser", pool: pool, reader: readerRole},
		{name: "superuser without the report role", pool: pool, reader: "pg_read_all_data"},
		{name: "login granted pg_read_all_data", pool: readAllLogin, reader: readerRole},
		{name: "login granted the report role", pool: reportLogin, reader: readerRole},
	}
	for _, l := range logins {
		t.Run("secrets as "+l.name, func(t *testing.T) {
			defer func(r string) { readerRole = r }(readerRole)
			readerRole = l.reader
			for _, q := range secretQueries {
				t.Run(q.name, func(t *testing.T) { secretCheck(t, l.pool, q, placements[0], q.guard) })
			}
			t.Run("pages/pg_authid", func(t *testing.T) {
				secretCheck(t, l.pool, secretQuery{sql: `SELECT rolname AS role, rolpassword FROM pg_authid`}, placements[1], "pg_authid")
			})
		})
	}
	// That the report role holds without the guard's names (PostgreSQL
	// refuses by itself) is warehouse's TestSnapshotReportRoleAlone.

	if diff := cmp.Diff(settings, newSessionSettings(t, dbURL)); diff != "" {
		t.Errorf("a new session's settings changed (-before +after):\n%s", diff)
	}

	// A notification sent by a build would arrive before this one.
	if _, err := admin.Exec(ctx, "NOTIFY jp_probe, 'marker'"); err != nil {
		t.Fatal(err)
	}
	n, err := listener.WaitForNotification(ctx)
	if err != nil || n.Payload != "marker" {
		t.Errorf("first notification = %+v, %v; want the marker: a build's notification was delivered", n, err)
	}

	// The same pool still builds a site, with the build's own settings.
	cfg := testConfig(t)
	cfg.Content = t.TempDir()
	writeTree(t, cfg.Content, map[string]string{"index.md": "---\ntitle: Home\nqueries:\n" +
		"  s: SELECT current_setting('statement_timeout') AS timeout, current_setting('TimeZone') AS zone, " +
		"current_setting('transaction_read_only') AS ro, current_user AS reader\n---\n\n```table\nquery: s\n```\n"})
	if _, err := Build(ctx, pool, cfg, nil); err != nil {
		t.Fatalf("a clean build after the hostile ones: %v", err)
	}
	html, err := os.ReadFile(filepath.Join(cfg.Out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"1min", "UTC", ">on<", ">jobpulse_report<"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the clean build's settings lack %q", want)
		}
	}
}

// connect opens a connection named appName for the test.
func connect(t *testing.T, dbURL, appName string) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["application_name"] = appName
	conn, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// tempName returns the name of a file that does not exist, in a folder the
// server may write to.
func tempName(t *testing.T) string {
	b := make([]byte, 8)
	rand.Read(b)
	name := filepath.Join(os.TempDir(), "jobpulse-readonly-"+hex.EncodeToString(b))
	t.Cleanup(func() { os.Remove(name) })
	return name
}

// warehouseState is what no build may change.
type warehouseState struct {
	Tables  map[string]string // every row of every table and sequence, as text
	Objects string            // relations, functions, comments, grants, settings of databases and roles, prepared transactions
	Locks   int               // advisory locks held on the database
}

// snapshotSQL returns one query that reads a warehouseState: the rows of
// every table and sequence of the database, by name, then the rest.
func snapshotSQL(t *testing.T, admin *pgx.Conn) string {
	t.Helper()
	ctx := context.Background()
	rows, err := admin.Query(ctx, `SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p', 'S', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
		AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(names) == 0 {
		t.Fatalf("tables: %v %v", names, err)
	}
	var tables []string
	for _, name := range names {
		tables = append(tables, fmt.Sprintf(`'%s', (SELECT coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '') FROM (SELECT * FROM %s) t)`,
			name, name))
	}
	return `SELECT json_build_object(` + strings.Join(tables, ",\n") + `)::text, concat_ws(E'\n',
		(SELECT string_agg(relname || ':' || relkind::text, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace),
		(SELECT string_agg(proname, ',' ORDER BY proname) FROM pg_proc WHERE pronamespace = 'public'::regnamespace),
		(SELECT string_agg(obj_description(oid), ',') FROM pg_class WHERE relnamespace = 'public'::regnamespace),
		(SELECT string_agg(relname || ':' || array_to_string(relacl, ','), ',' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace),
		(SELECT string_agg(array_to_string(setconfig, ','), ';') FROM pg_db_role_setting),
		(SELECT string_agg(gid, ',') FROM pg_prepared_xacts),
		(SELECT count(*) FROM pg_seclabels)::text),
		(SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))`
}

func snapshot(t *testing.T, admin *pgx.Conn, sql string) warehouseState {
	t.Helper()
	var s warehouseState
	var tables string
	if err := admin.QueryRow(context.Background(), sql).Scan(&tables, &s.Objects, &s.Locks); err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	if err := json.Unmarshal([]byte(tables), &s.Tables); err != nil {
		t.Fatal(err)
	}
	return s
}

// newSessionSettings returns the settings a new session on dbURL gets.
func newSessionSettings(t *testing.T, dbURL string) string {
	t.Helper()
	ctx := context.Background()
	fresh, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close(ctx)
	var settings string
	if err := settingsOf(ctx, fresh, &settings); err != nil {
		t.Fatal(err)
	}
	return settings
}

// settingsOf reads the settings of a session, but application_name. It
// loads PL/pgSQL first, whose settings only show in sessions that used it.
func settingsOf(ctx context.Context, q interface {
	Exec(context.Context, string, ...any) (pgconn.CommandTag, error)
	QueryRow(context.Context, string, ...any) pgx.Row
}, settings *string) error {
	if _, err := q.Exec(ctx, "DO $$ BEGIN END $$"); err != nil {
		return err
	}
	return q.QueryRow(ctx, `SELECT string_agg(name || '=' || coalesce(setting, ''), E'\n' ORDER BY name)
		FROM pg_settings WHERE name <> 'application_name'`).Scan(settings)
}

// checkPool checks that every idle connection of the pool has the settings
// of a new session and holds no lock: a build leaves nothing behind.
func checkPool(t *testing.T, pool *pgxpool.Pool, want string) {
	t.Helper()
	ctx := context.Background()
	for _, c := range pool.AcquireAllIdle(ctx) {
		var got string
		var locks int
		err := settingsOf(ctx, c, &got)
		if err == nil {
			err = c.QueryRow(ctx, "SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory'").Scan(&locks)
		}
		c.Release()
		if err != nil {
			t.Fatalf("pool connection: %v", err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("a pool connection's settings differ from a new session's (-new +pool):\n%s", diff)
		}
		if locks != 0 {
			t.Errorf("a pool connection holds %d advisory locks", locks)
		}
	}
}
