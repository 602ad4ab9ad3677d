// Package pgtest gives each test a fresh PostgreSQL database, migrated and
// empty, and drops it when the test ends.
//
// With JOBPULSE_TEST_DATABASE_URL set (a connection string to a server where
// the user may create databases) the databases are made on that server.
// Otherwise one managed server per test process is started with
// [pgserver.Start] in a temporary folder under [os.TempDir] (this works
// as root too: the server then runs as an unprivileged user). A package using
// pgtest should stop that server when its tests end:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// A server left behind by a test process that was killed is stopped, and its
// folder removed, the next time a test process starts one. When PostgreSQL is
// not installed, tests end through [testenv.Missing]: skipped locally, failed
// in CI.
package pgtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgserver"
)

// EnvURL names the environment variable with the connection string of a
// server to create test databases on, instead of a managed one.
const EnvURL = "JOBPULSE_TEST_DATABASE_URL"

// dirPrefix starts the names of the temporary folders of managed test
// servers; the process id follows, so stale ones can be recognised.
const dirPrefix = "jobpulse-pgtest-"

var (
	setupOnce sync.Once
	adminURL  string           // connection string to the server's maintenance database
	server    *pgserver.Server // managed server of this process, if any
	serverDir string           // its temporary folder
	setupErr  error
	stopMu    sync.Mutex   // guards server against Main's signal handler
	databases atomic.Int64 // numbers the databases of this process
)

// Main runs the tests, stops the managed server that [New] or [URL] started
// (if any) and exits with the tests' exit code: [testenv.Main] with [Stop].
// Call it from TestMain.
func Main(m *testing.M) { testenv.Main(m, Stop) }

// Stop stops the managed server of this process, if one was started, and
// removes its folder. [Main] calls it.
func Stop() error {
	stopMu.Lock()
	defer stopMu.Unlock()
	if server == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err := server.Close(ctx)
	server = nil
	if err == nil {
		err = os.RemoveAll(serverDir)
	}
	if err != nil {
		return fmt.Errorf("pgtest: stop server in %s: %w", serverDir, err)
	}
	return nil
}

// New returns a pool on a fresh, migrated, empty database for this test. The
// pool is closed and the database dropped when the test ends.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	return connect(t, URL(t))
}

// NewEmpty is [New] without migrations: an empty database, for tests of
// [warehouse.Migrate] itself.
func NewEmpty(t testing.TB) *pgxpool.Pool {
	t.Helper()
	return connect(t, createDatabase(t))
}

// URL returns the connection string of a fresh, migrated, empty database for
// this test, dropped when the test ends.
func URL(t testing.TB) string {
	t.Helper()
	u := createDatabase(t)
	migrate(t, u)
	return u
}

// migrate applies the warehouse's migrations to the database at u.
func migrate(t testing.TB, u string) {
	t.Helper()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, u)
	if err != nil {
		t.Fatalf("pgtest: connect: %v", err)
	}
	defer pool.Close()
	if err := warehouse.Migrate(ctx, pool); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
}

// connect opens a pool on u, closed when the test ends.
func connect(t testing.TB, u string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), u)
	if err != nil {
		t.Fatalf("pgtest: connect: %v", err)
	}
	t.Cleanup(pool.Close) // cleanups run last-registered first: before the drop
	return pool
}

// createDatabase creates a uniquely named database, dropped (with any
// sessions still on it) when the test ends, and returns its connection string.
func createDatabase(t testing.TB) string {
	t.Helper()
	admin := serverURL(t)
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := fmt.Sprintf("jobpulse_test_%d_%d_%s", os.Getpid(), databases.Add(1), hex.EncodeToString(b))
	ctx := context.Background()
	if err := warehouse.CreateDatabase(ctx, admin, name); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, admin)
		if err == nil {
			_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
			conn.Close(ctx)
		}
		if err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	u, err := withDatabase(admin, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return u
}

// serverURL returns the connection string of the server test databases are
// made on, starting the managed server on first use.
func serverURL(t testing.TB) string {
	t.Helper()
	setupOnce.Do(setup)
	if errors.Is(setupErr, pgserver.ErrNoPostgres) {
		testenv.Missing(t, "PostgreSQL: %v (or set %s)", setupErr, EnvURL)
	}
	if setupErr != nil {
		t.Fatalf("pgtest: %v", setupErr)
	}
	return adminURL
}

// setup finds or starts the server for this test process.
func setup() {
	if u := os.Getenv(EnvURL); u != "" {
		adminURL = u
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	removeStale(ctx)
	dir, err := os.MkdirTemp(os.TempDir(), dirPrefix+strconv.Itoa(os.Getpid())+"-")
	if err == nil {
		// Our own folder: open it so that the server's unprivileged user
		// can enter it when tests run as root.
		err = os.Chmod(dir, 0o755)
	}
	if err != nil {
		setupErr = fmt.Errorf("pgtest: temporary folder: %w", err)
		return
	}
	logger := slog.New(slog.DiscardHandler)
	srv, err := pgserver.Start(ctx, filepath.Join(dir, "pg"), logger)
	if err != nil {
		os.RemoveAll(dir)
		setupErr = err
		return
	}
	stopMu.Lock()
	server, serverDir, adminURL = srv, dir, srv.ConnString("postgres")
	stopMu.Unlock()
}

// removeStale stops the servers of test processes that are gone and removes
// their folders.
func removeStale(ctx context.Context) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	for _, dir := range dirs {
		pidText, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(dir), dirPrefix), "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid == os.Getpid() || alive(pid) {
			continue
		}
		if err := pgserver.Stop(ctx, filepath.Join(dir, "pg"), nil); err == nil {
			os.RemoveAll(dir)
		}
	}
}

// alive reports whether a process with this pid exists and is not a zombie.
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // no /proc: trust kill
	}
	i := bytes.LastIndexByte(b, ')') // the state follows the command name
	return i < 0 || i+2 >= len(b) || b[i+2] != 'Z'
}

// withDatabase returns connString with its database replaced by name. It
// accepts both URLs and keyword/value strings.
func withDatabase(connString, name string) (string, error) {
	if strings.HasPrefix(connString, "postgres://") || strings.HasPrefix(connString, "postgresql://") {
		u, err := url.Parse(connString)
		if err != nil {
			return "", fmt.Errorf("%s: not a connection URL: %w", EnvURL, err)
		}
		u.Path = "/" + name
		u.RawPath = ""
		return u.String(), nil
	}
	return connString + " dbname=" + name, nil // later keywords win
}
