package pgserver

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// runAs is the unprivileged user the managed server runs as when jobpulse
// runs as root, since PostgreSQL refuses to run as root.
type runAs struct {
	name     string
	uid, gid uint32
	groups   []uint32 // supplementary groups
}

// credential returns the process credential that runs a program as u.
func (u *runAs) credential() *syscall.Credential {
	return &syscall.Credential{Uid: u.uid, Gid: u.gid, Groups: u.groups}
}

// chooseUser returns who runs the server for data folder dir: nil (ourselves)
// unless we are root. As root: the owner of an existing folder if that is not
// root (a folder a normal user created stays theirs), else the user postgres if
// it exists, else nobody. That user must be able to enter every folder above
// dir; if not, the error names the folder and the fix. Ancestors are never
// changed behind the user's back. An error wraps errUnreachable when that
// user cannot reach dir.
func chooseUser(dir string) (*runAs, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	var as *runAs
	if fi, err := os.Stat(dir); err == nil {
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid != 0 {
			as = &runAs{name: "uid " + strconv.Itoa(int(st.Uid)), uid: st.Uid, gid: st.Gid}
			if u, err := user.LookupId(strconv.Itoa(int(st.Uid))); err == nil {
				as = userFrom(u)
			}
		}
	}
	for _, name := range []string{"postgres", "nobody"} {
		if as != nil {
			break
		}
		if u, err := user.Lookup(name); err == nil {
			as = userFrom(u)
		}
	}
	if as == nil || as.uid == 0 {
		return nil, fmt.Errorf("warehouse: PostgreSQL cannot run as root and neither user postgres nor nobody exists: " +
			"create one (e.g. apt-get install postgresql creates postgres) or set DATABASE_URL")
	}
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return nil, fmt.Errorf("warehouse: server folder %s: %w", dir, err)
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && !as.canEnter(fi.Mode(), st) {
			return nil, fmt.Errorf("%w: PostgreSQL cannot run as root, so it runs as user %s, who cannot enter %s "+
				"(mode %s, owner uid %d) above the data folder %s: choose a warehouse.data folder that user can reach "+
				"(e.g. under /var/lib or /srv), or allow it with: chmod o+x %s",
				errUnreachable, as.name, d, fi.Mode().Perm(), st.Uid, dir, d)
		}
		if d == filepath.Dir(d) {
			break
		}
	}
	return as, nil
}

// userFrom converts a looked-up user, with its groups.
func userFrom(u *user.User) *runAs {
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	as := &runAs{name: u.Username, uid: uint32(uid), gid: uint32(gid)}
	ids, _ := u.GroupIds()
	for _, id := range ids {
		if g, err := strconv.ParseUint(id, 10, 32); err == nil {
			as.groups = append(as.groups, uint32(g))
		}
	}
	return as
}

// errUnreachable is wrapped by chooseUser's error when the server's user
// cannot reach the data folder.
var errUnreachable = errors.New("warehouse: data folder unreachable")

// canEnter reports whether u may search (enter) a folder with this mode and owner.
func (u *runAs) canEnter(mode fs.FileMode, st *syscall.Stat_t) bool {
	perm := mode.Perm()
	switch {
	case st.Uid == u.uid:
		return perm&0o100 != 0
	case st.Gid == u.gid || slices.Contains(u.groups, st.Gid):
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}

// own gives path to the server's user when we run as root; a no-op otherwise.
func (s *Server) own(path string) error {
	if s.as == nil {
		return nil
	}
	if err := os.Lchown(path, int(s.as.uid), int(s.as.gid)); err != nil {
		return fmt.Errorf("warehouse: give %s to user %s: %w", path, s.as.name, err)
	}
	return nil
}

// ownTree gives the data folder and everything in it to the server's user
// when we run as root and the folder belongs to someone else.
func (s *Server) ownTree() error {
	if s.as == nil {
		return nil
	}
	fi, err := os.Stat(s.dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("warehouse: server folder %s: %w", s.dir, err)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid == s.as.uid {
		return nil
	}
	return filepath.WalkDir(s.dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("warehouse: give %s to user %s: %w", path, s.as.name, err)
		}
		return s.own(path)
	})
}

// processAlive reports whether a process with this pid exists and is not a
// zombie (a dead process its parent has not reaped yet).
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // no /proc: trust kill
	}
	// The state follows the command name, which is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(b, ')')
	return i < 0 || i+2 >= len(b) || b[i+2] != 'Z'
}

// isPostgres reports whether pid is a PostgreSQL server process, as far as
// /proc tells; without /proc it assumes so.
func isPostgres(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	if err != nil {
		return true
	}
	name := strings.TrimSpace(string(b))
	return name == "postgres" || name == "postmaster"
}

// lockFile opens path and takes a flock on it (syscall.LOCK_EX or LOCK_SH),
// waiting until it gets it or ctx ends. Closing the file releases the lock.
func lockFile(ctx context.Context, path string, how int) (*os.File, error) {
	for {
		f, err := tryLockFile(path, how)
		if err != nil || f != nil {
			return f, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// tryLockFile is [lockFile] without waiting: it returns nil, nil when another
// holder prevents the lock.
func tryLockFile(path string, how int) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	switch {
	case err == nil:
		return f, nil
	case errors.Is(err, syscall.EWOULDBLOCK):
		f.Close()
		return nil, nil
	default:
		f.Close()
		return nil, fmt.Errorf("flock %s: %w", path, err)
	}
}

// newPassword returns a random password for the server role.
func newPassword() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("warehouse: generate password: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// freePort returns a TCP port on 127.0.0.1 that is free now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("warehouse: choose a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// portFree reports whether port can be bound on 127.0.0.1.
func portFree(port int) bool {
	if port <= 0 {
		return false
	}
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}
