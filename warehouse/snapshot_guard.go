package warehouse

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrNotReadOnly is wrapped by the error of a query of a [Snapshot] (a
// build's content query) that did, or tried to do, more than read: write, change a setting, end or change the
// build's transaction, take a session lock, or run anything but one
// statement that returns rows. The build stops at that query, and the
// connection it ran on is closed, not returned to the pool.
var ErrNotReadOnly = errors.New("report queries may only read")

// The build's transaction is read-only (PostgreSQL refuses writes to
// tables), but a read-only transaction still lets a statement change
// settings, end the transaction (COMMIT), listen, lock, write server files
// (COPY ... TO) or run code (DO). So every query of a build goes through a
// guardedTx, which
//
//   - refuses a query that names a catalog or function that exposes
//     secrets or the server (see [refuseNames]), before it runs;
//   - runs each query with the extended protocol, which takes one statement;
//   - describes the statement before running it and refuses one that returns
//     no rows: every statement but a query (SET, COMMIT, COPY, DO, LISTEN...);
//   - refuses, after it ran, a statement whose command tag is not SELECT
//     (SHOW, EXPLAIN, CALL);
//   - compares the session's state after each query with the state at the
//     start of the build (one round trip): the transaction (its start time
//     and transaction id), the roles, the settings that matter, advisory
//     locks, LISTEN channels and prepared statements. A function called from
//     a SELECT (set_config, pg_advisory_lock) is caught there. Every other
//     setting is compared once, after the last query.
//
// A query that failed or broke a rule may have left session state behind
// (a session advisory lock survives a rollback), so its connection is
// closed. What a statement does outside the session (pg_terminate_backend,
// pg_cancel_backend, pg_reload_conf) cannot be undone, and what it reads
// (pg_authid's password hashes, server files) is published: the build
// therefore runs as a role that may read the warehouse and nothing else
// when the login may take it (see [buildSessionSQL]), and refuses by name
// what exposes secrets or the server whatever the role (see [refuseNames]).

// buildSessionSQL sets up the build's transaction: the statement timeout
// ($1), UTC dates whatever the server's or the role's time zone (so that
// started_at::date means the same day on every warehouse), and the first
// role of the list $2 ([ReaderRoles]) that the connecting role may take (a
// superuser may take any; PostgreSQL 16 asks for the SET option of the
// membership, which earlier versions do not know). The role is chosen in a
// subquery and set outside it, so set_config runs once, for that role only.
// JIT compilation is off: the report's queries are many and short, and on a
// year of history compiling them took longer than running them
// (BenchmarkHistoryBuild: 39.5 and 44.0 s with it, 25.5 and 31.9 s without,
// on a busy host). Everything is local to the transaction.
const buildSessionSQL = `SELECT set_config('statement_timeout', $1, true), set_config('TimeZone', 'UTC', true),
	set_config('jit', 'off', true),
	(SELECT set_config('role', r, true) FROM (
		SELECT r FROM unnest(string_to_array($2, ',')) WITH ORDINALITY AS l(r, n)
		WHERE CASE WHEN to_regrole(r) IS NULL THEN false WHEN NOT pg_has_role(r, 'MEMBER') THEN false
			WHEN current_setting('server_version_num')::int < 160000 THEN true
			ELSE pg_has_role(r, 'SET') END
		ORDER BY n LIMIT 1) AS chosen)`

// stateSQL reads what a read-only query must leave as it was: the
// transaction, the roles, the settings that change what queries return or
// how long they may run, session advisory locks, LISTEN channels and
// prepared statements. It costs about a round trip; every other setting is
// compared once, after the last query (see [guardedTx.checkSettings]), as
// reading them all costs more than most queries of a build.
const stateSQL = `SELECT now(), current_user::text, session_user::text, txid_current_if_assigned(),
	concat_ws(E'\n', current_setting('statement_timeout'), current_setting('TimeZone'), current_setting('search_path'),
		current_setting('transaction_read_only'), current_setting('transaction_isolation'),
		current_setting('default_transaction_read_only'), current_setting('DateStyle'), current_setting('IntervalStyle'),
		current_setting('extra_float_digits'), current_setting('bytea_output'), current_setting('client_encoding'),
		current_setting('standard_conforming_strings'), current_setting('lc_numeric'), current_setting('lc_monetary'),
		current_setting('lock_timeout'), current_setting('idle_in_transaction_session_timeout'),
		current_setting('row_security'), current_setting('default_text_search_config'), current_setting('xmloption'),
		current_setting('xmlbinary'), current_setting('array_nulls'), current_setting('quote_all_identifiers'),
		current_setting('work_mem'), current_setting('hash_mem_multiplier'), current_setting('temp_file_limit'),
		current_setting('max_parallel_workers_per_gather')),
	(SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory'),
	(SELECT count(*) FROM pg_listening_channels()),
	(SELECT count(*) FROM pg_prepared_statements WHERE from_sql)`

// sessionState is the result of stateSQL.
type sessionState struct {
	txStart            time.Time
	user, sessionUser  string
	xid                *int64
	settings           string // the settings stateSQL reads
	advisory, channels int64
	prepared           int64
}

func readState(ctx context.Context, conn *pgx.Conn) (sessionState, error) {
	var s sessionState
	err := conn.QueryRow(ctx, stateSQL).Scan(&s.txStart, &s.user, &s.sessionUser, &s.xid, &s.settings,
		&s.advisory, &s.channels, &s.prepared)
	return s, err
}

// readSettings returns every setting of the session, by name.
func readSettings(ctx context.Context, conn *pgx.Conn) (map[string]string, error) {
	rows, err := conn.Query(ctx, "SELECT name, coalesce(setting, '') FROM pg_settings")
	if err != nil {
		return nil, err
	}
	settings := map[string]string{}
	var name, value string
	_, err = pgx.ForEachRow(rows, []any{&name, &value}, func() error {
		settings[name] = value
		return nil
	})
	return settings, err
}

// guardedTx is the build's read-only transaction as content queries see it:
// Query and QueryRow run one guarded query; every other way of running SQL
// is refused.
type guardedTx struct {
	pgx.Tx
	conn     *pgx.Conn
	base     sessionState
	settings map[string]string
	tainted  bool
}

// guardTx reads the state of tx's session, which every query of the build
// must leave as it is, and returns tx guarded.
func guardTx(ctx context.Context, tx pgx.Tx) (*guardedTx, error) {
	g := &guardedTx{Tx: tx, conn: tx.Conn()}
	var err error
	if g.settings, err = readSettings(ctx, g.conn); err == nil {
		g.base, err = readState(ctx, g.conn)
	}
	if err != nil {
		return nil, fmt.Errorf("site: read the session state of the build: %w", err)
	}
	return g, nil
}

// Query describes sql, refuses it unless it returns rows, and runs it with
// args. Options among args: [pgx.QueryResultFormats] is honoured (runText
// asks for text); a [pgx.QueryExecMode] is ignored, as guarded queries
// always use the extended protocol. The returned rows check the command tag
// and the session's state once read to the end or closed; their Err reports
// a broken rule.
func (g *guardedTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if g.tainted {
		return nil, fmt.Errorf("%w: the build's connection was closed after a query that broke the rules", ErrNotReadOnly)
	}
	if err := refuseNames(sql); err != nil {
		return nil, err
	}
	var formats pgx.QueryResultFormats
	params := make([]any, 0, len(args))
	for _, a := range args {
		switch a := a.(type) {
		case pgx.QueryExecMode:
		case pgx.QueryResultFormats:
			formats = a
		case pgx.QueryResultFormatsByOID, pgx.QueryRewriter:
			return nil, fmt.Errorf("site: guarded query: unsupported option %T", a)
		default:
			params = append(params, a)
		}
	}
	pc := g.conn.PgConn()
	// The unnamed statement: parsed and described, not run. A string of
	// several statements fails here ("cannot insert multiple commands into
	// a prepared statement").
	sd, err := pc.Prepare(ctx, "", sql, nil)
	if err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && strings.Contains(pgErr.Message, "multiple commands") {
			return nil, fmt.Errorf("%w: one statement per query: %w", ErrNotReadOnly, err)
		}
		return nil, err
	}
	if len(sd.Fields) == 0 {
		return nil, fmt.Errorf("%w: the statement returns no rows, so it is not a query "+
			"(SELECT, VALUES, TABLE or WITH ... SELECT); it was not run", ErrNotReadOnly)
	}
	var eqb pgx.ExtendedQueryBuilder
	if err := eqb.Build(g.conn.TypeMap(), sd, params); err != nil {
		return nil, fmt.Errorf("site: guarded query: %w", err)
	}
	if formats == nil {
		formats = eqb.ResultFormats
	}
	rr := pc.ExecStatement(ctx, sd, eqb.ParamValues, eqb.ParamFormats, formats)
	return &guardedRows{Rows: pgx.RowsFromResultReader(g.conn.TypeMap(), rr), g: g, ctx: ctx}, nil
}

// QueryRow runs a guarded query and returns its first row.
func (g *guardedTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	rows, err := g.Query(ctx, sql, args...)
	return &guardedRow{rows: rows, err: err}
}

// Exec runs a guarded query and discards its rows: a statement that
// returns no rows is refused.
func (g *guardedTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	rows, err := g.Query(ctx, sql, args...)
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	for rows.Next() {
	}
	rows.Close()
	return rows.CommandTag(), rows.Err()
}

var errRefused = fmt.Errorf("%w: the build's transaction only runs queries", ErrNotReadOnly)

// Begin is refused: no savepoint in the build's transaction.
func (g *guardedTx) Begin(context.Context) (pgx.Tx, error) { return nil, errRefused }

// Commit is refused: the build's transaction is only ever rolled back.
func (g *guardedTx) Commit(context.Context) error { return errRefused }

// SendBatch is refused.
func (g *guardedTx) SendBatch(context.Context, *pgx.Batch) pgx.BatchResults { return errBatch{} }

// CopyFrom is refused.
func (g *guardedTx) CopyFrom(context.Context, pgx.Identifier, []string, pgx.CopyFromSource) (int64, error) {
	return 0, errRefused
}

// Prepare is refused.
func (g *guardedTx) Prepare(context.Context, string, string) (*pgconn.StatementDescription, error) {
	return nil, errRefused
}

// check compares the session's state with the state at the start of the
// build, and returns an error naming the first difference.
func (g *guardedTx) check(ctx context.Context) error {
	s, err := readState(ctx, g.conn)
	if err != nil {
		return fmt.Errorf("site: check the session state after the query: %w", err)
	}
	b := g.base
	switch {
	case !s.txStart.Equal(b.txStart):
		return fmt.Errorf("%w: the query ended the build's transaction", ErrNotReadOnly)
	case s.user != b.user || s.sessionUser != b.sessionUser:
		return fmt.Errorf("%w: the query changed the role from %s (session %s) to %s (session %s)",
			ErrNotReadOnly, b.user, b.sessionUser, s.user, s.sessionUser)
	case s.xid != nil:
		return fmt.Errorf("%w: the query wrote (it was given a transaction id)", ErrNotReadOnly)
	case s.settings != b.settings:
		return fmt.Errorf("%w: the query changed %s", ErrNotReadOnly, cmp.Or(g.changedSettings(ctx), "a setting"))
	case s.advisory != b.advisory:
		return fmt.Errorf("%w: the query took an advisory lock", ErrNotReadOnly)
	case s.channels != b.channels:
		return fmt.Errorf("%w: the query listens to a channel", ErrNotReadOnly)
	case s.prepared != b.prepared:
		return fmt.Errorf("%w: the query prepared a statement", ErrNotReadOnly)
	}
	return nil
}

// checkSettings compares every setting with the build's start. Build calls
// it after the last query.
func (g *guardedTx) checkSettings(ctx context.Context) error {
	if g.tainted {
		return fmt.Errorf("site: %w: the build's connection was closed after a query that broke the rules", ErrNotReadOnly)
	}
	if changed := g.changedSettings(ctx); changed != "" {
		return fmt.Errorf("site: %w: a query of the build changed %s", ErrNotReadOnly, changed)
	}
	return nil
}

// changedSettings names the settings that differ from the build's start,
// e.g. `the setting statement_timeout ("60000" -> "0")`, or returns "".
func (g *guardedTx) changedSettings(ctx context.Context) string {
	now, err := readSettings(ctx, g.conn)
	if err != nil {
		return fmt.Sprintf("a setting (reading them: %v)", err)
	}
	// Only the settings the session had: a query that calls a PL/pgSQL
	// function loads it, and with it settings of its own (plpgsql.*).
	var diff []string
	for _, name := range slices.Sorted(maps.Keys(g.settings)) {
		if was := g.settings[name]; now[name] != was {
			diff = append(diff, fmt.Sprintf("%s (%q -> %q)", name, was, now[name]))
		}
	}
	if len(diff) == 0 {
		return ""
	}
	return "the setting " + strings.Join(diff, ", ")
}

// taint ends the build's connection after a query that failed or broke a
// rule. It rolls back, resets the session (DISCARD ALL releases session
// advisory locks, stops listening and resets settings, at once rather than
// whenever the server notices the connection closed), and closes the
// connection, so that the pool does not take it back.
func (g *guardedTx) taint(ctx context.Context) {
	if g.tainted {
		return
	}
	g.tainted = true
	ctx = context.WithoutCancel(ctx)
	for _, sql := range []string{"ROLLBACK", "DISCARD ALL"} {
		if _, err := g.conn.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol); err != nil {
			break
		}
	}
	_ = g.conn.Close(ctx) // nothing to keep
}

// guardedRows are the rows of a guarded query. Once read or closed, they
// check the command tag and the session's state.
type guardedRows struct {
	pgx.Rows
	g    *guardedTx
	ctx  context.Context
	done bool
	err  error
}

// Next advances to the next row; after the last one it runs the checks.
func (r *guardedRows) Next() bool {
	if r.done {
		return false
	}
	if r.Rows.Next() {
		return true
	}
	r.finish()
	return false
}

// Close closes the rows and runs the checks.
func (r *guardedRows) Close() { r.finish() }

// Err returns the query's error, or the broken rule.
func (r *guardedRows) Err() error {
	if r.err != nil {
		return r.err
	}
	return r.Rows.Err()
}

func (r *guardedRows) finish() {
	if r.done {
		return
	}
	r.done = true
	r.Rows.Close()
	if err := r.Rows.Err(); err != nil {
		var pgErr *pgconn.PgError
		switch {
		case errors.As(err, &pgErr) && pgErr.Code == "25006": // read_only_sql_transaction
			r.err = fmt.Errorf("%w: %w", ErrNotReadOnly, err)
		case errors.As(err, &pgErr) && pgErr.Code == "42501": // insufficient_privilege
			r.err = fmt.Errorf("%w: %w", ErrForbidden, err)
		}
		r.g.taint(r.ctx)
		return
	}
	if tag := r.Rows.CommandTag(); !tag.Select() {
		r.err = fmt.Errorf("%w: the statement ran as %s, not as a SELECT", ErrNotReadOnly, tag)
	} else {
		r.err = r.g.check(r.ctx)
	}
	if r.err != nil {
		r.g.taint(r.ctx)
	}
}

// guardedRow is the row of QueryRow.
type guardedRow struct {
	rows pgx.Rows
	err  error
}

// Scan reads the first row into dest, or returns [pgx.ErrNoRows].
func (r *guardedRow) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	r.rows.Close()
	return r.rows.Err()
}

// errBatch is the refused batch of [guardedTx.SendBatch].
type errBatch struct{}

func (errBatch) Exec() (pgconn.CommandTag, error) { return pgconn.CommandTag{}, errRefused }
func (errBatch) Query() (pgx.Rows, error)         { return nil, errRefused }
func (errBatch) QueryRow() pgx.Row                { return &guardedRow{err: errRefused} }
func (errBatch) Close() error                     { return errRefused }
func (errBatch) Tx() pgx.Tx                       { return nil }
