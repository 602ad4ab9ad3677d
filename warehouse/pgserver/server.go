package pgserver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ErrNoPostgres means no PostgreSQL server binaries were found for the managed
// server. Errors from [Start] wrap it; check with errors.Is.
var ErrNoPostgres = errors.New("warehouse: no PostgreSQL server binaries (postgres, initdb, pg_ctl) found " +
	"on PATH, through pg_config --bindir or in /usr/lib/postgresql/*/bin: install PostgreSQL " +
	"(e.g. apt-get install postgresql) or set DATABASE_URL to use an existing server")

// Files jobpulse keeps in a managed server's data folder, next to PostgreSQL's own.
const (
	serverRole   = "jobpulse"          // superuser created by initdb
	passwordFile = "jobpulse-password" // the role's password, mode 0600; written last at init
	confFile     = "jobpulse.conf"     // our settings, included from postgresql.conf
	startedFile  = "jobpulse-started"  // pid of the postmaster jobpulse started
	logFile      = "postgres.log"      // server log (pg_ctl -l)
	maxLogSize   = 16 << 20            // rotated to postgres.log.old past this size
	startTimeout = 120                 // seconds pg_ctl waits for start and stop
)

// Server is a PostgreSQL server that jobpulse runs from the binaries installed
// on the machine, with its data in one folder. It listens on 127.0.0.1 only,
// on a port chosen when the folder was created, and accepts the role
// "jobpulse" with a password kept in the folder.
//
// Several [Server] values (in one process or several) may use the same folder:
// the first one starts the server, the others reuse it, and [Server.Close]
// stops it only when the server was started by jobpulse and no other jobpulse
// process still uses it. A server started by someone else is never stopped.
type Server struct {
	dir      string // absolute data folder
	bin      string // folder holding postgres, initdb and pg_ctl
	as       *runAs // unprivileged user to run as when we are root; nil otherwise
	port     int
	password string
	logger   *slog.Logger

	mu    sync.Mutex
	users *os.File // shared lock held while this value uses the server; nil after Close
}

// Start starts the managed PostgreSQL server with its data in dataDir,
// or reuses it when it already runs. On first use it creates the folder with
// initdb (UTF8, locale C, scram-sha-256 authentication) and a generated
// password. As root the server runs as an unprivileged user: the user
// postgres, else nobody (or the owner of an existing folder if not root).
// Concurrent calls, from any process, are serialised by a lock file next to
// the folder. Errors wrap [ErrNoPostgres] when no binaries are installed.
func Start(ctx context.Context, dataDir string, logger *slog.Logger) (*Server, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("warehouse: server folder %s: %w", dataDir, err)
	}
	s := &Server{dir: dir, logger: logger.With(slog.String("data", dir))}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, fmt.Errorf("warehouse: server folder %s: %w", dir, err)
	}
	lock, err := lockFile(ctx, s.lockPath("lock"), syscall.LOCK_EX)
	if err != nil {
		return nil, fmt.Errorf("warehouse: lock server folder %s: %w", dir, err)
	}
	defer lock.Close()

	if s.bin, err = findBinDir(dir); err != nil {
		return nil, err
	}
	s.as, err = chooseUser(dir)
	if errors.Is(err, errUnreachable) && !strings.HasPrefix(dir, fallbackRoot+"/") {
		// Run as root from a folder the server's user cannot reach (a
		// checkout under /root): keep the data in a folder of its own
		// under /var/lib instead, the same one each time for this folder.
		alt := fallbackDir(dir)
		s.logger.Warn("the PostgreSQL user cannot reach the data folder; keeping the data in another",
			slog.String("wanted", dir), slog.String("using", alt), slog.String("why", err.Error()))
		lock.Close()
		return Start(ctx, alt, logger)
	}
	if err != nil {
		return nil, err
	}
	// Only a missing, empty or jobpulse data folder is given to the
	// server's user: a wrong warehouse.data never has its files chowned.
	if err := checkDataFolder(dir); err != nil {
		return nil, err
	}
	if err := s.ownTree(); err != nil {
		return nil, err
	}
	running, err := s.running(ctx)
	if err != nil {
		return nil, err
	}
	if running {
		s.logger.Info("reusing running PostgreSQL server", slog.Int("port", s.port))
	} else {
		if err := s.initialize(ctx); err != nil {
			return nil, err
		}
		if err := s.start(ctx); err != nil {
			// A server that started but could not be recorded or did
			// not answer is stopped, never left running unowned.
			return nil, errors.Join(err, s.stop(context.WithoutCancel(ctx)))
		}
	}
	users, err := lockFile(ctx, s.lockPath("users"), syscall.LOCK_SH)
	if err != nil {
		err = fmt.Errorf("warehouse: lock server folder %s: %w", dir, err)
		if !running {
			err = errors.Join(err, s.stop(context.WithoutCancel(ctx)))
		}
		return nil, err
	}
	s.users = users
	return s, nil
}

// Dir returns the server's absolute data folder.
func (s *Server) Dir() string { return s.dir }

// Port returns the TCP port the server listens on at 127.0.0.1.
func (s *Server) Port() int { return s.port }

// ConnString returns a connection string for database on the server.
func (s *Server) ConnString(database string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(serverRole, s.password),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)),
		Path:     "/" + database,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Close ends this value's use of the server. It stops the server (fast
// shutdown) when jobpulse started it and no other jobpulse process uses it;
// otherwise the server keeps running. Close is safe to call more than once.
func (s *Server) Close(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.users == nil {
		return nil
	}
	// Stopping must finish even when the caller's context is cancelled
	// (an interrupted command): a half-stopped server helps nobody.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*startTimeout*time.Second)
	defer cancel()
	lock, err := lockFile(ctx, s.lockPath("lock"), syscall.LOCK_EX)
	if err != nil {
		return fmt.Errorf("warehouse: lock server folder %s: %w", s.dir, err)
	}
	defer lock.Close()
	s.users.Close()
	s.users = nil

	if !s.startedByJobpulse() {
		s.logger.Debug("leaving PostgreSQL server running: not started by jobpulse")
		return nil
	}
	last, err := tryLockFile(s.lockPath("users"), syscall.LOCK_EX)
	if err != nil {
		return fmt.Errorf("warehouse: lock server folder %s: %w", s.dir, err)
	}
	if last == nil {
		s.logger.Info("leaving PostgreSQL server running: another jobpulse process uses it")
		return nil
	}
	defer last.Close()
	return s.stop(ctx)
}

// running reports whether a server already runs for the folder, and if so
// records its port and password. A postmaster.pid left by a dead server, or
// naming a process that is not PostgreSQL, means not running.
func (s *Server) running(ctx context.Context) (bool, error) {
	pid, port, err := postmasterPID(s.dir)
	if err != nil || pid == 0 || !processAlive(pid) {
		return false, err // PostgreSQL itself removes a stale pid file
	}
	pidPath := filepath.Join(s.dir, "postmaster.pid")
	if !isPostgres(pid) {
		s.logger.Warn("removing stale postmaster.pid naming a process that is not PostgreSQL", slog.Int("pid", pid))
		if err := os.Remove(pidPath); err != nil {
			return false, fmt.Errorf("warehouse: remove stale %s: %w", pidPath, err)
		}
		return false, nil
	}
	if err := s.readPassword(); err != nil {
		return false, err
	}
	s.port = port
	if err := s.waitReady(ctx, 30*time.Second); err != nil {
		return false, fmt.Errorf("warehouse: server for %s (pid %d) runs but does not answer on 127.0.0.1:%d "+
			"(if no PostgreSQL runs for this folder, remove %s): %w", s.dir, pid, port, pidPath, err)
	}
	return true, nil
}

// readPassword reads the role's password from the data folder.
func (s *Server) readPassword() error {
	path := filepath.Join(s.dir, passwordFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("warehouse: %s is a PostgreSQL data folder not created by jobpulse (no %s): "+
			"point warehouse.data to another folder, or set DATABASE_URL to use that server", s.dir, passwordFile)
	} else if err != nil {
		return fmt.Errorf("warehouse: read %s: %w", path, err)
	}
	s.password = strings.TrimSpace(string(b))
	return nil
}

// start starts the initialised server with pg_ctl and waits until it accepts
// connections. When its port is taken by another program it moves to a free
// port (persisted in jobpulse.conf) and tries again.
func (s *Server) start(ctx context.Context) error {
	if err := s.readPassword(); err != nil {
		return err
	}
	port, err := s.confPort()
	if err != nil {
		return err
	}
	logPath := filepath.Join(s.dir, logFile)
	for attempt := 1; ; attempt++ {
		if !portFree(port) {
			old := port
			if port, err = freePort(); err != nil {
				return err
			}
			if err := s.writeConf(s.dir, port); err != nil {
				return err
			}
			s.logger.Warn("server port taken, moving to a free one", slog.Int("old", old), slog.Int("port", port))
		}
		var logStart int64
		if fi, err := os.Stat(logPath); err == nil && fi.Size() > maxLogSize {
			_ = os.Rename(logPath, logPath+".old")
		} else if err == nil {
			logStart = fi.Size()
		}
		s.logger.Info("starting PostgreSQL server", slog.Int("port", port), slog.String("bin", s.bin))
		out, err := s.command(ctx, "pg_ctl", "start", "-D", s.dir, "-l", logPath, "-w", "-s",
			"-t", strconv.Itoa(startTimeout)).CombinedOutput()
		if err == nil {
			break
		}
		tail := logTail(logPath, logStart)
		if attempt < 3 && strings.Contains(tail, "could not bind") {
			port = 0 // taken between our check and the server's bind: choose another
			continue
		}
		return fmt.Errorf("warehouse: start server in %s: %w: %s\nlast lines of %s:\n%s",
			s.dir, err, strings.TrimSpace(string(out)), logPath, tail)
	}
	s.port = port
	// Record which postmaster we started, so that Close stops that one
	// and never a server someone else started later in this folder.
	pid, _, err := postmasterPID(s.dir)
	if err == nil {
		err = s.writeFile(filepath.Join(s.dir, startedFile), []byte(strconv.Itoa(pid)+"\n"), 0o644)
	}
	if err != nil {
		return err
	}
	if err := s.waitReady(ctx, startTimeout*time.Second); err != nil {
		return fmt.Errorf("warehouse: start server in %s: not answering on 127.0.0.1:%d: %w", s.dir, port, err)
	}
	return nil
}

// startedByJobpulse reports whether the running server is the one a
// jobpulse process started, by the pid recorded then.
func (s *Server) startedByJobpulse() bool {
	b, err := os.ReadFile(filepath.Join(s.dir, startedFile))
	if err != nil {
		return false
	}
	started, err := strconv.Atoi(strings.TrimSpace(string(b)))
	pid, _, perr := postmasterPID(s.dir)
	return err == nil && perr == nil && pid != 0 && pid == started
}

// postmasterPID reads the pid and port of the server from postmaster.pid in
// dir; 0, 0 when there is no complete file.
func postmasterPID(dir string) (pid, port int, err error) {
	path := filepath.Join(dir, "postmaster.pid")
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, 0, nil
	} else if err != nil {
		return 0, 0, fmt.Errorf("warehouse: read %s: %w", path, err)
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 4 {
		return 0, 0, nil // being written by a starting server
	}
	pid, err1 := strconv.Atoi(strings.TrimSpace(lines[0]))
	port, err2 := strconv.Atoi(strings.TrimSpace(lines[3]))
	if err1 != nil || err2 != nil {
		return 0, 0, nil
	}
	return pid, port, nil
}

// stop stops the server (fast shutdown: sessions are ended, then a clean
// checkpoint) and waits until it is gone.
func (s *Server) stop(ctx context.Context) error {
	s.logger.Info("stopping PostgreSQL server")
	out, err := s.command(ctx, "pg_ctl", "stop", "-D", s.dir, "-m", "fast", "-w", "-s",
		"-t", strconv.Itoa(startTimeout)).CombinedOutput()
	if err != nil {
		return fmt.Errorf("warehouse: stop server in %s: %w: %s", s.dir, err, strings.TrimSpace(string(out)))
	}
	if err := os.Remove(filepath.Join(s.dir, startedFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("warehouse: stop server in %s: %w", s.dir, err)
	}
	return nil
}

// Stop stops the managed server running in dataDir, if any, whoever
// started it and whoever uses it. It is for cleaning up after a process that
// died without closing its [Server]; normally [Server.Close] decides.
func Stop(ctx context.Context, dataDir string, logger *slog.Logger) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return fmt.Errorf("warehouse: server folder %s: %w", dataDir, err)
	}
	s := &Server{dir: dir, logger: logger.With(slog.String("data", dir))}
	lock, err := lockFile(ctx, s.lockPath("lock"), syscall.LOCK_EX)
	if err != nil {
		return fmt.Errorf("warehouse: lock server folder %s: %w", dir, err)
	}
	defer lock.Close()
	pid, _, err := postmasterPID(dir)
	if err != nil || pid == 0 || !processAlive(pid) || !isPostgres(pid) {
		return err
	}
	if s.as, err = chooseUser(dir); err != nil {
		return err
	}
	if s.bin, err = findBinDir(dir); err != nil {
		return err
	}
	return s.stop(ctx)
}

// lockPath returns the path of a lock file next to the data folder, e.g.
// data/.pg.lock: in the parent, so it exists before the folder does.
func (s *Server) lockPath(kind string) string {
	return filepath.Join(filepath.Dir(s.dir), "."+filepath.Base(s.dir)+"."+kind)
}

// fallbackRoot holds the data folders of servers whose own folder the
// server's user cannot reach when jobpulse runs as root.
const fallbackRoot = "/var/lib/jobpulse"

// fallbackDir returns the folder under [fallbackRoot] that stands in for dir:
// named by a hash of dir, so the same folder is found on the next run.
func fallbackDir(dir string) string {
	sum := sha256.Sum256([]byte(dir))
	return filepath.Join(fallbackRoot, "pg-"+hex.EncodeToString(sum[:6]))
}

// checkDataFolder reports an error unless dir is missing, empty, or a data
// folder that jobpulse made (PG_VERSION and its password file).
func checkDataFolder(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) || (err == nil && len(entries) == 0) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("warehouse: server folder %s: %w", dir, err)
	}
	for _, name := range []string{"PG_VERSION", passwordFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("warehouse: %s is not empty and is not a data folder jobpulse made (no %s): "+
				"point warehouse.data to an empty or missing folder, or set DATABASE_URL", dir, name)
		}
	}
	return nil
}
