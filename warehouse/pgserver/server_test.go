package pgserver_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgserver"
)

// serverDir returns a data folder path for a managed server in a new folder
// that the server's unprivileged user can enter when tests run as root. Any
// server left running there is stopped at the end of the test.
func serverDir(t *testing.T) string {
	t.Helper()
	parent, err := os.MkdirTemp(os.TempDir(), "jobpulse-servertest-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(parent, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(parent, "pg")
	t.Cleanup(func() {
		if err := pgserver.Stop(context.Background(), dir, nil); err != nil {
			t.Errorf("stop leftover server: %v", err)
		}
		os.RemoveAll(parent)
	})
	return dir
}

// openManaged opens the warehouse on a managed server in dir, or ends the
// test when PostgreSQL is not installed.
func openManaged(t *testing.T, dir string) *warehouse.Warehouse {
	t.Helper()
	w, err := warehouse.Open(context.Background(), warehouse.Config{DataDir: dir, Database: "jp"}, nil)
	if errors.Is(err, pgserver.ErrNoPostgres) {
		testenv.Missing(t, "PostgreSQL server binaries: %v", err)
	}
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return w
}

// serverRunning reports whether a server runs in dir, by its postmaster.pid.
func serverRunning(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "postmaster.pid"))
	return err == nil
}

// TestServerStartReuseRestart starts a managed server, reuses it from a second
// Open, stops it, starts it again and finds the data still there. As root it
// also checks the server runs as an unprivileged user.
func TestServerStartReuseRestart(t *testing.T) {
	ctx := context.Background()
	dir := serverDir(t)

	w1 := openManaged(t, dir)
	if err := warehouse.Migrate(ctx, w1.Pool); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC)
	run := warehouse.Run{ID: "20261129T010000Z-0001", StartedAt: start, FinishedAt: start.Add(time.Minute), Status: warehouse.RunOK,
		Sources: []warehouse.SourceRun{{Source: "remotive", Status: warehouse.SourceOK}}}
	p := ingest.Posting{Source: "remotive", SourceID: "1", Title: "Go Engineer", Fingerprint: fmt.Sprintf("%032x", 1)}
	if _, err := warehouse.Load(ctx, w1.Pool, run, []ingest.Posting{p}); err != nil {
		t.Fatal(err)
	}
	port := w1.Pool.Config().ConnConfig.Port

	// A second Open while the server runs reuses it, and its Close leaves it
	// running for the first.
	w2 := openManaged(t, dir)
	if got := w2.Pool.Config().ConnConfig.Port; got != port {
		t.Errorf("second Open: port %d, want the running server's %d", got, port)
	}
	if err := w2.Close(ctx); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := w1.Pool.Ping(ctx); err != nil {
		t.Fatalf("server gone after the second Open closed: %v", err)
	}
	if err := w1.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if serverRunning(dir) {
		t.Fatal("server still running after the Open that started it closed")
	}

	// Start again: same port, data kept.
	w3 := openManaged(t, dir)
	defer w3.Close(ctx)
	if got := w3.Pool.Config().ConnConfig.Port; got != port {
		t.Errorf("restart: port %d, want the persisted %d", got, port)
	}
	var titles []string
	rows, err := w3.Pool.Query(ctx, "SELECT title FROM postings")
	if err == nil {
		for rows.Next() {
			var s string
			if err = rows.Scan(&s); err != nil {
				break
			}
			titles = append(titles, s)
		}
		rows.Close()
		err = rows.Err()
	}
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Go Engineer"}, titles); diff != "" {
		t.Errorf("postings after restart (-want +got):\n%s", diff)
	}

	// The password file is private; as root the folder belongs to an
	// unprivileged user, since PostgreSQL refuses to run as root.
	fi, err := os.Stat(filepath.Join(dir, "jobpulse-password"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("password file mode %v, want 0600", fi.Mode().Perm())
	}
	if os.Geteuid() == 0 {
		fi, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if uid := fi.Sys().(*syscall.Stat_t).Uid; uid == 0 {
			t.Errorf("data folder owned by root; want the unprivileged server user")
		}
	}
	conf, err := os.ReadFile(filepath.Join(dir, "jobpulse.conf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"listen_addresses = '127.0.0.1'", "unix_socket_directories = ''"} {
		if !strings.Contains(string(conf), want) {
			t.Errorf("jobpulse.conf lacks %q:\n%s", want, conf)
		}
	}
}

// TestServerConcurrentStart starts the same new server from several
// goroutines at once: one initialises and starts it, all use it.
func TestServerConcurrentStart(t *testing.T) {
	ctx := context.Background()
	dir := serverDir(t)
	const n = 4
	servers := make([]*pgserver.Server, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { servers[i], errs[i] = pgserver.Start(ctx, dir, nil) })
	}
	wg.Wait()
	for i, err := range errs {
		if errors.Is(err, pgserver.ErrNoPostgres) {
			testenv.Missing(t, "PostgreSQL server binaries: %v", err)
		}
		if err != nil {
			t.Fatalf("start %d: %v", i, err)
		}
	}
	for i, s := range servers {
		if s.Port() != servers[0].Port() {
			t.Errorf("server %d on port %d, server 0 on %d", i, s.Port(), servers[0].Port())
		}
	}
	for i, s := range servers {
		if err := s.Close(ctx); err != nil {
			t.Errorf("close %d: %v", i, err)
		}
	}
	if serverRunning(dir) {
		t.Error("server still running after every user closed it")
	}
}

// TestServerNoBinaries hides every PostgreSQL install and expects an error
// that says how to get one.
func TestServerNoBinaries(t *testing.T) {
	empty := t.TempDir()
	t.Setenv("PATH", empty)
	defer pgserver.SetPgLibDir(empty)()
	_, err := pgserver.Start(context.Background(), filepath.Join(empty, "pg"), nil)
	if !errors.Is(err, pgserver.ErrNoPostgres) {
		t.Fatalf("Start without binaries: %v, want ErrNoPostgres", err)
	}
	for _, want := range []string{"apt-get install postgresql", "DATABASE_URL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

// TestServerUnreachableFolder runs as root only: a data folder under a folder
// the server's user cannot enter (a checkout under /root) is kept in a folder
// of its own under /var/lib/jobpulse instead, the same one each time, and the
// folder's mode is left alone.
func TestServerUnreachableFolder(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root runs the server as another user")
	}
	ctx := context.Background()
	closed := t.TempDir() // mode 0700, owned by root
	if err := os.Chmod(closed, 0o700); err != nil {
		t.Fatal(err)
	}
	wanted := filepath.Join(closed, "data", "pg")
	s, err := pgserver.Start(ctx, wanted, nil)
	if errors.Is(err, pgserver.ErrNoPostgres) {
		testenv.Missing(t, "PostgreSQL server binaries: %v", err)
	}
	if err != nil {
		t.Fatalf("Start under a 0700 root folder: %v", err)
	}
	used := s.Dir()
	t.Cleanup(func() { os.RemoveAll(used) })
	if !strings.HasPrefix(used, "/var/lib/jobpulse/pg-") {
		t.Errorf("server folder = %s, want one under /var/lib/jobpulse", used)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	again, err := pgserver.Start(ctx, wanted, nil)
	if err != nil {
		t.Fatalf("second Start: %v", err)
	}
	if again.Dir() != used {
		t.Errorf("second start used %s, want the same folder %s", again.Dir(), used)
	}
	if err := again.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(closed); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("folder mode changed: %v %v", fi.Mode(), err)
	}
}

// TestServerForeignFolder checks that a warehouse.data folder holding other
// files is refused before anything in it changes owner.
func TestServerForeignFolder(t *testing.T) {
	dir := serverDir(t)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	doc := filepath.Join(dir, "thesis.txt")
	if err := os.WriteFile(doc, []byte("years of work"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := pgserver.Start(context.Background(), dir, nil)
	if err == nil || !strings.Contains(err.Error(), "not a data folder jobpulse made") {
		t.Fatalf("Start on a foreign folder: err = %v", err)
	}
	fi, err := os.Stat(doc)
	if err != nil {
		t.Fatal(err)
	}
	if st := fi.Sys().(*syscall.Stat_t); int(st.Uid) != os.Geteuid() {
		t.Errorf("%s changed owner to uid %d", doc, st.Uid)
	}
}

// TestServerStartedElsewhere checks that a server started outside jobpulse
// (pg_ctl by hand) in a jobpulse folder is reused and left running on Close.
func TestServerStartedElsewhere(t *testing.T) {
	ctx := context.Background()
	dir := serverDir(t)
	s, err := pgserver.Start(ctx, dir, nil)
	if errors.Is(err, pgserver.ErrNoPostgres) {
		testenv.Missing(t, "PostgreSQL server binaries: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}

	pgCtl, err := exec.LookPath("pg_ctl")
	if err != nil {
		found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
		if len(found) == 0 {
			testenv.Missing(t, "pg_ctl not found")
		}
		pgCtl = found[len(found)-1]
	}
	cmd := exec.Command(pgCtl, "start", "-D", dir, "-l", filepath.Join(dir, "postgres.log"), "-w", "-s")
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st := fi.Sys().(*syscall.Stat_t); os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: st.Uid, Gid: st.Gid}}
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pg_ctl start: %v: %s", err, out)
	}

	s, err = pgserver.Start(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if !serverRunning(dir) {
		t.Error("Close stopped a server that jobpulse did not start")
	}
}
