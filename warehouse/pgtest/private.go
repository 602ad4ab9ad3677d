package pgtest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgserver"
)

// privateDatabase is the migrated database a [PrivateServer] holds.
const privateDatabase = "jobpulse"

// PrivateServer is a managed PostgreSQL server that belongs to one test, in
// a temporary folder of its own, so that the test may crash it
// ([PrivateServer.Kill]) and start it again ([PrivateServer.Restart]) without
// disturbing the server other tests share. It is stopped and its folder
// removed when the test ends; the server and folder of a test process that
// was killed are removed by the next test process that starts the shared
// server (see [New]).
type PrivateServer struct {
	t      testing.TB
	dir    string           // data folder
	srv    *pgserver.Server // the server started last
	killed bool             // srv was killed and not restarted yet
}

// Private starts a private server for t, with one database, migrated and
// empty, whose connection string is [PrivateServer.URL]. It always starts a
// server of its own from the PostgreSQL binaries installed (never the one of
// [EnvURL]); without them the test ends through [testenv.Missing].
func Private(t testing.TB) *PrivateServer {
	t.Helper()
	root, err := os.MkdirTemp(os.TempDir(), dirPrefix+strconv.Itoa(os.Getpid())+"-private-")
	if err == nil {
		// Our own folder: the server's unprivileged user (as root) must enter it.
		err = os.Chmod(root, 0o755)
	}
	if err != nil {
		t.Fatalf("pgtest: private server: temporary folder: %v", err)
	}
	p := &PrivateServer{t: t, dir: filepath.Join(root, "pg")}
	t.Cleanup(func() {
		if err := p.close(); err != nil {
			t.Errorf("pgtest: %v", err)
			return
		}
		os.RemoveAll(root)
	})
	p.start()
	ctx := context.Background()
	if err := warehouse.CreateDatabase(ctx, p.srv.ConnString("postgres"), privateDatabase); err != nil {
		t.Fatalf("pgtest: private server: %v", err)
	}
	migrate(t, p.URL())
	return p
}

// URL returns the connection string of the server's migrated database. It
// stays the same across [PrivateServer.Restart].
func (p *PrivateServer) URL() string { return p.srv.ConnString(privateDatabase) }

// Kill crashes the server: SIGKILL to the postmaster, then to every process
// it had started (backends, checkpointer, WAL writer...), as a power cut or
// the kernel's OOM killer would end it, and waits until they are all gone.
// Nothing is flushed or shut down cleanly; [PrivateServer.Restart] then runs
// PostgreSQL's crash recovery.
func (p *PrivateServer) Kill() {
	p.t.Helper()
	pid, err := postmaster(p.srv.Dir())
	if err != nil || pid == 0 {
		p.t.Fatalf("pgtest: kill private server: no postmaster running in %s (%v)", p.srv.Dir(), err)
	}
	// Stopped first, the postmaster forks no new backend while its
	// children are listed; SIGKILL ends a stopped process too.
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		p.t.Fatalf("pgtest: stop postmaster %d: %v", pid, err)
	}
	children := childrenOf(pid)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		p.t.Fatalf("pgtest: kill postmaster %d: %v", pid, err)
	}
	for _, c := range children {
		_ = syscall.Kill(c, syscall.SIGKILL) // it may have ended on its own
	}
	// Wait until they are reaped too: PostgreSQL refuses to start while the
	// pid in postmaster.pid exists, even as a zombie.
	deadline := time.Now().Add(time.Minute)
	for _, q := range append([]int{pid}, children...) {
		for !gone(q) {
			if time.Now().After(deadline) {
				p.t.Fatalf("pgtest: kill private server: process %d still exists a minute after SIGKILL "+
					"(a zombie that no init process reaps?)", q)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	p.killed = true
}

// Restart starts the server again after [PrivateServer.Kill]: PostgreSQL
// replays its write-ahead log (crash recovery) before it accepts
// connections. It returns once the server answers.
func (p *PrivateServer) Restart() {
	p.t.Helper()
	if !p.killed {
		p.t.Fatalf("pgtest: restart private server: it was not killed")
	}
	old := p.srv
	p.start()
	p.killed = false
	// Release the killed server's use of the folder. The new server uses
	// it now, so Close leaves that one running and stops nothing.
	if err := old.Close(context.Background()); err != nil {
		p.t.Fatalf("pgtest: restart private server: %v", err)
	}
}

// start starts (or, after a crash, restarts) the server in p.dir.
func (p *PrivateServer) start() {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, err := pgserver.Start(ctx, p.dir, slog.New(slog.DiscardHandler))
	if errors.Is(err, pgserver.ErrNoPostgres) {
		testenv.Missing(p.t, "PostgreSQL: %v", err)
	}
	if err != nil {
		p.t.Fatalf("pgtest: private server: %v", err)
	}
	p.srv = srv
}

// close stops the server, if it runs.
func (p *PrivateServer) close() error {
	if p.srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err := p.srv.Close(ctx)
	if p.killed {
		err = nil // a killed server cannot be stopped: only its use ends
	}
	if err != nil {
		return fmt.Errorf("stop private server in %s: %w", p.dir, err)
	}
	return nil
}

// postmaster reads the postmaster's pid from postmaster.pid in dir; 0 when
// there is none.
func postmaster(dir string) (int, error) {
	b, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		return 0, fmt.Errorf("%s/postmaster.pid: %w", dir, err)
	}
	return pid, nil
}

// childrenOf returns the processes whose parent is pid, from /proc.
func childrenOf(pid int) []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// Fields after the command name (in parentheses): state, ppid, ...
		i := strings.LastIndexByte(string(b), ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			out = append(out, child)
		}
	}
	return out
}

// gone reports whether no process (not even a zombie) has this pid.
func gone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
