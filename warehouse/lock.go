package warehouse

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// RunLockKey is the session advisory lock that a whole `jobpulse run`
// (ingest, build, publish) holds, and a `jobpulse ingest` too, so that two
// of them on one database never overlap: "jobrun" in ASCII. It is distinct from the transaction lock each
// load takes ("jobload") and from the migrations' lock ("jobpulse"), so a
// run's own load and migrations never wait for the run that holds it.
//
// In pg_locks it is the row with locktype 'advisory', classid 27247
// (RunLockKey>>32), objid 1651668334 (RunLockKey&0xffffffff) and objsubid 1.
const RunLockKey int64 = 0x6a6f6272756e

// ErrLocked is returned (inside a [*LockedError]) by [AcquireRunLock] when
// another session holds the run lock.
var ErrLocked = errors.New("warehouse: another jobpulse run holds the run lock")

// LockHolder is the session that holds an advisory lock, as pg_locks and
// pg_stat_activity tell it. Fields another role's session hides from a role
// without pg_read_all_stats are left empty.
type LockHolder struct {
	PID         int       `json:"pid"`              // server process of its session
	Application string    `json:"application_name"` // e.g. "jobpulse run host pid 4242"
	Client      string    `json:"client,omitempty"` // client address, empty for a Unix socket
	Since       time.Time `json:"since"`            // when its session connected
}

// String describes the holder in one line.
func (h LockHolder) String() string {
	var b strings.Builder
	if h.Application != "" {
		fmt.Fprintf(&b, "%q, ", h.Application)
	}
	fmt.Fprintf(&b, "server pid %d", h.PID)
	if h.Client != "" {
		fmt.Fprintf(&b, " from %s", h.Client)
	}
	if !h.Since.IsZero() {
		fmt.Fprintf(&b, ", connected since %s", h.Since.UTC().Format(time.RFC3339))
	}
	return b.String()
}

// LockedError says that the run lock is held by another session, and which
// one (when the server would tell: the holder may also have let go between
// the attempt and the question). It matches [ErrLocked] with errors.Is.
type LockedError struct {
	Holder *LockHolder // nil when the holder could not be found
	Waited time.Duration
}

func (e *LockedError) Error() string {
	msg := ErrLocked.Error()
	if e.Holder != nil {
		msg += ": " + e.Holder.String()
	}
	if e.Waited > 0 {
		msg += fmt.Sprintf(" (waited %s)", e.Waited)
	}
	return msg
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// RunLock is the run lock, held by a connection of its own, taken out of the
// pool for the whole run: the lock lives exactly as long as that session, so
// a run whose process dies, or whose connection is cut, frees it at once
// (PostgreSQL ends the session's locks with it). Release it with
// [RunLock.Release].
type RunLock struct {
	conn *pgx.Conn
	pid  uint32
}

// AcquireRunLock takes the run lock on a dedicated session, named
// application (visible to others as pg_stat_activity.application_name, cut to
// 63 bytes). With wait 0 it tries once and, if another session holds the
// lock, returns a [*LockedError] naming it at once; with wait > 0 it waits
// for the lock up to that long (lock_timeout), then does the same. The
// connection comes from pool (so it uses the pool's connection settings,
// credentials hooks included) and leaves it for good.
func AcquireRunLock(ctx context.Context, pool *pgxpool.Pool, application string, wait time.Duration) (*RunLock, error) {
	if wait < 0 {
		return nil, fmt.Errorf("warehouse: run lock: wait %s: must not be negative", wait)
	}
	pc, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("warehouse: run lock: connect: %w", err)
	}
	conn := pc.Hijack()
	l := &RunLock{conn: conn, pid: conn.PgConn().PID()}
	if err := l.acquire(ctx, application, wait); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return l, nil
}

func (l *RunLock) acquire(ctx context.Context, application string, wait time.Duration) error {
	if _, err := l.conn.Exec(ctx, "SELECT set_config('application_name', $1, false)", truncateName(application)); err != nil {
		return fmt.Errorf("warehouse: run lock: set application_name: %w", err)
	}
	if wait == 0 {
		var ok bool
		if err := l.conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", RunLockKey).Scan(&ok); err != nil {
			return fmt.Errorf("warehouse: run lock: %w", err)
		}
		if !ok {
			return l.locked(ctx, 0)
		}
		return nil
	}
	// lock_timeout bounds the wait on the server: it ends with 55P03
	// (lock_not_available) and the session stays usable. A whole number
	// of milliseconds, at least 1 (0 would mean no limit).
	ms := max(wait.Milliseconds(), 1)
	if _, err := l.conn.Exec(ctx, "SELECT set_config('lock_timeout', $1, false)", fmt.Sprintf("%dms", ms)); err != nil {
		return fmt.Errorf("warehouse: run lock: set lock_timeout: %w", err)
	}
	_, err := l.conn.Exec(ctx, "SELECT pg_advisory_lock($1)", RunLockKey)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "55P03" {
		return l.locked(ctx, wait)
	}
	if err != nil {
		return fmt.Errorf("warehouse: run lock: wait: %w", err)
	}
	if _, err := l.conn.Exec(ctx, "RESET lock_timeout"); err != nil {
		return fmt.Errorf("warehouse: run lock: reset lock_timeout: %w", err)
	}
	return nil
}

// locked builds the error for a lock held elsewhere, naming the holder.
func (l *RunLock) locked(ctx context.Context, waited time.Duration) error {
	holder, err := RunLockHolder(ctx, l.conn)
	if err != nil {
		return errors.Join(&LockedError{Waited: waited}, err)
	}
	return &LockedError{Holder: holder, Waited: waited}
}

// runLockHolderSQL finds the session holding the run lock in this database.
const runLockHolderSQL = `SELECT a.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), ''), a.backend_start
	FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
	WHERE l.locktype = 'advisory' AND l.granted
		AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND l.classid::bigint = ($1::bigint >> 32) AND l.objid::bigint = ($1::bigint & 4294967295) AND l.objsubid = 1
	LIMIT 1`

// RunLockHolder returns the session that holds the run lock on the database
// q is connected to, or nil when none does.
func RunLockHolder(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}) (*LockHolder, error) {
	var h LockHolder
	var since *time.Time // NULL for another role's session without pg_read_all_stats
	err := q.QueryRow(ctx, runLockHolderSQL, RunLockKey).Scan(&h.PID, &h.Application, &h.Client, &since)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("warehouse: run lock: find its holder: %w", err)
	}
	if since != nil {
		h.Since = *since
	}
	return &h, nil
}

// PID is the server process id of the lock's session: what
// pg_terminate_backend would end (and with it the lock).
func (l *RunLock) PID() uint32 { return l.pid }

// Check reports whether the lock is still held: an error when its session
// was lost (a dropped connection, a terminated backend), after which another
// run may already hold it. Call it before a step that must not overlap with
// another run, such as publishing.
func (l *RunLock) Check(ctx context.Context) error {
	h, err := RunLockHolder(ctx, l.conn)
	switch {
	case err != nil:
		return fmt.Errorf("warehouse: run lock lost: %w", err)
	case h == nil || uint32(h.PID) != l.pid:
		return errors.New("warehouse: run lock lost: its session no longer holds it")
	}
	return nil
}

// Release lets go of the lock and closes its session. Closing alone would
// free the lock too; the explicit unlock frees it at once, not when the
// server notices the closed socket. A session already lost (its lock went
// with it) is not an error. It is safe to call twice.
func (l *RunLock) Release(ctx context.Context) error {
	if l.conn == nil {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	_, err := l.conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", RunLockKey)
	cerr := l.conn.Close(ctx)
	l.conn = nil
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) { // the server answered: the session lives on until Close
		return fmt.Errorf("warehouse: run lock: release: %w", err)
	}
	if cerr != nil && err == nil {
		return fmt.Errorf("warehouse: run lock: close: %w", cerr)
	}
	return nil
}

// truncateName cuts s to the 63 bytes PostgreSQL keeps of a name, without
// splitting a character.
func truncateName(s string) string {
	if len(s) <= maxIdentifier {
		return s
	}
	return strings.ToValidUTF8(s[:maxIdentifier], "")
}
