package pgserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// pgLibDir holds Debian's and Ubuntu's versioned PostgreSQL installs,
// <version>/bin. A variable so that tests can hide the installed ones.
var pgLibDir = "/usr/lib/postgresql"

// initialize creates the data folder with initdb unless it exists. The work
// happens in a hidden sibling folder that is renamed into place once complete,
// so an interrupted init never leaves a half-made data folder behind.
func (s *Server) initialize(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(s.dir, "PG_VERSION")); err == nil {
		return s.readPassword() // also checks the folder is ours
	}
	if entries, err := os.ReadDir(s.dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("warehouse: %s exists, is not empty and is not a PostgreSQL data folder: "+
			"point warehouse.data to an empty or missing folder", s.dir)
	}
	parent, base := filepath.Dir(s.dir), filepath.Base(s.dir)
	for _, pattern := range []string{".init-*", ".pw-*"} { // left by an interrupted init; we hold the lock
		stale, _ := filepath.Glob(filepath.Join(parent, "."+base+pattern))
		for _, p := range stale {
			_ = os.RemoveAll(p)
		}
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".init-")
	if err != nil {
		return fmt.Errorf("warehouse: init server in %s: %w", s.dir, err)
	}
	defer os.RemoveAll(tmp)
	if err := s.own(tmp); err != nil {
		return err
	}
	password, err := newPassword()
	if err != nil {
		return err
	}
	pwf, err := os.CreateTemp(parent, "."+base+".pw-")
	if err != nil {
		return fmt.Errorf("warehouse: init server in %s: %w", s.dir, err)
	}
	defer os.Remove(pwf.Name())
	_, err = pwf.WriteString(password + "\n")
	if cerr := pwf.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = s.own(pwf.Name())
	}
	if err != nil {
		return fmt.Errorf("warehouse: init server in %s: write password: %w", s.dir, err)
	}

	s.logger.Info("creating PostgreSQL data folder", slog.String("bin", s.bin))
	out, err := s.command(ctx, "initdb", "-D", tmp, "-U", serverRole, "--pwfile="+pwf.Name(),
		"--auth=scram-sha-256", "--encoding=UTF8", "--locale=C").CombinedOutput()
	if err != nil {
		return fmt.Errorf("warehouse: init server in %s: initdb: %w:\n%s", s.dir, err, bytes.TrimSpace(out))
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	if err := s.writeConf(tmp, port); err != nil {
		return err
	}
	conf := filepath.Join(tmp, "postgresql.conf")
	f, err := os.OpenFile(conf, os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString("\n# jobpulse: listen on 127.0.0.1 only, on the port chosen at init.\ninclude '" + confFile + "'\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("warehouse: init server in %s: %w", s.dir, err)
	}
	if err := s.writeFile(filepath.Join(tmp, passwordFile), []byte(password+"\n"), 0o600); err != nil {
		return err
	}
	if err := os.Remove(s.dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("warehouse: init server in %s: %w", s.dir, err)
	}
	if err := os.Rename(tmp, s.dir); err != nil {
		return fmt.Errorf("warehouse: init server in %s: %w", s.dir, err)
	}
	return nil
}

// writeConf writes jobpulse.conf, our part of the server's settings, into dir.
func (s *Server) writeConf(dir string, port int) error {
	conf := fmt.Sprintf("# Written by jobpulse: settings of its managed PostgreSQL server.\n"+
		"listen_addresses = '127.0.0.1'\n"+
		"port = %d\n"+
		"unix_socket_directories = ''  # TCP only: no socket path limits, no /var/run permissions\n", port)
	return s.writeFile(filepath.Join(dir, confFile), []byte(conf), 0o600)
}

var confPortRE = regexp.MustCompile(`(?m)^\s*port\s*=\s*(\d+)`)

// confPort returns the port persisted in jobpulse.conf.
func (s *Server) confPort() (int, error) {
	path := filepath.Join(s.dir, confFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("warehouse: read %s: %w", path, err)
	}
	m := confPortRE.FindSubmatch(b)
	if m == nil {
		return 0, fmt.Errorf("warehouse: read %s: no port setting", path)
	}
	return strconv.Atoi(string(m[1]))
}

// writeFile writes a file the server's user owns.
func (s *Server) writeFile(path string, data []byte, perm os.FileMode) error {
	if err := os.WriteFile(path, data, perm); err != nil {
		return fmt.Errorf("warehouse: write %s: %w", path, err)
	}
	return s.own(path)
}

// command returns a PostgreSQL program of s.bin to run as the server's user,
// in its own session so that a terminal's Ctrl-C reaches jobpulse, which then
// stops the server cleanly, and not the server directly.
func (s *Server) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(s.bin, name), args...)
	cmd.Dir = filepath.Dir(s.dir)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") { // PGDATA, PGPORT, PGOPTIONS... would change what the tools do
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if s.as != nil {
		cmd.SysProcAttr.Credential = s.as.credential()
	}
	return cmd
}

// waitReady waits until the server accepts a connection, for up to timeout.
// Authentication failures end the wait at once.
func (s *Server) waitReady(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		conn, err := pgx.Connect(cctx, s.ConnString("postgres"))
		if err == nil {
			err = conn.Close(cctx)
			cancel()
			return err
		}
		cancel()
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && strings.HasPrefix(pgErr.Code, "28") {
			return err // wrong password: waiting will not help
		}
		if time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// logTail returns the last lines of the server log written after offset
// from, for error messages.
func logTail(path string, from int64) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	if from <= int64(len(b)) {
		b = b[from:]
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return strings.Join(lines, "\n")
}

// findBinDir returns the folder of the PostgreSQL binaries to use: the first
// candidate (PATH, pg_config --bindir, /usr/lib/postgresql/*/bin newest first),
// or, when the data folder exists, the first whose major version created it.
func findBinDir(dataDir string) (string, error) {
	cands := candidateBinDirs()
	if len(cands) == 0 {
		return "", ErrNoPostgres
	}
	b, err := os.ReadFile(filepath.Join(dataDir, "PG_VERSION"))
	if err != nil {
		return cands[0], nil
	}
	want := strings.TrimSpace(string(b))
	var seen []string
	for _, dir := range cands {
		v := binVersion(dir)
		if v == want {
			return dir, nil
		}
		seen = append(seen, fmt.Sprintf("%s (PostgreSQL %s)", dir, v))
	}
	return "", fmt.Errorf("warehouse: %s was created by PostgreSQL %s, but only other versions are installed: %s: "+
		"install PostgreSQL %s (e.g. apt-get install postgresql-%s) or use another warehouse.data folder: %w",
		dataDir, want, strings.Join(seen, ", "), want, want, ErrNoPostgres)
}

// candidateBinDirs lists folders holding postgres, initdb and pg_ctl, in order
// of preference, without duplicates.
func candidateBinDirs() []string {
	var dirs []string
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if p, err := filepath.EvalSymlinks(p); err == nil {
			dirs = append(dirs, filepath.Dir(p))
		}
	}
	if p, err := exec.LookPath("pg_config"); err == nil {
		if out, err := exec.Command(p, "--bindir").Output(); err == nil {
			dirs = append(dirs, strings.TrimSpace(string(out)))
		}
	}
	versioned, _ := filepath.Glob(filepath.Join(pgLibDir, "*", "bin"))
	sort.SliceStable(versioned, func(i, j int) bool {
		return versionKey(versioned[i]) > versionKey(versioned[j])
	})
	dirs = append(dirs, versioned...)

	var out []string
	seen := map[string]bool{}
	for _, d := range dirs {
		if r, err := filepath.EvalSymlinks(d); err == nil {
			d = r
		}
		if seen[d] || !hasBinaries(d) {
			continue
		}
		seen[d] = true
		out = append(out, d)
	}
	return out
}

// versionKey orders /usr/lib/postgresql/<version>/bin folders: 16 > 15 > 9.6.
func versionKey(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

// hasBinaries reports whether dir holds executable postgres, initdb and pg_ctl.
func hasBinaries(dir string) bool {
	for _, name := range []string{"postgres", "initdb", "pg_ctl"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

var versionRE = regexp.MustCompile(`\(PostgreSQL\) (\d+)(?:\.(\d+))?`)

// binVersion returns the major version of the binaries in dir as PG_VERSION
// spells it ("15", or "9.6" before version 10), or "unknown".
func binVersion(dir string) string {
	out, err := exec.Command(filepath.Join(dir, "pg_ctl"), "--version").Output()
	m := versionRE.FindSubmatch(out)
	if err != nil || m == nil {
		return "unknown"
	}
	if major, _ := strconv.Atoi(string(m[1])); major < 10 && len(m[2]) > 0 {
		return string(m[1]) + "." + string(m[2])
	}
	return string(m[1])
}
