package publish

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// lock takes the publish lock of a folder target: an exclusive flock on
// its file lockKey, holding who took it. The system frees it when the
// process dies. Release removes the file, then lets go of the flock; a
// publish that opened the file before the removal finds, once it gets the
// flock, that the file it holds is no longer the one at lockKey, and tries
// again, so two publishes never both hold the lock.
func (t *folderTarget) lock(ctx context.Context, req lockRequest) (func(context.Context) error, error) {
	if t.root == nil {
		return nil, fmt.Errorf("site: publish lock of %s: the folder is not open", t)
	}
	return acquireLock(ctx, t.String(), req, func(context.Context) (func(context.Context) error, *LockHolder, error) {
		return t.tryLock(req.me)
	})
}

func (t *folderTarget) tryLock(me LockHolder) (func(context.Context) error, *LockHolder, error) {
	// Anything else than a file at the lock's name (a planted link) is no
	// lock: it is removed, never followed.
	if fi, err := t.root.Lstat(lockKey); err == nil && !fi.Mode().IsRegular() {
		if err := t.root.Remove(lockKey); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("remove %s, a %s: %w", lockKey, fi.Mode().Type(), err)
		}
	}
	f, err := t.root.OpenFile(lockKey, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o644)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, nil, errLockRace // a link planted since the check
		}
		return nil, nil, fmt.Errorf("open %s: %w", lockKey, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			b, _ := io.ReadAll(io.LimitReader(f, 4096))
			return nil, parseLockHolder(b), ErrLocked
		}
		return nil, nil, fmt.Errorf("flock %s: %w", lockKey, err)
	}
	held, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("stat %s: %w", lockKey, err)
	}
	if now, err := t.root.Lstat(lockKey); err != nil || !os.SameFile(held, now) {
		f.Close() // released and removed by its holder since we opened it
		return nil, nil, errLockRace
	}
	me.Since = time.Now()
	body, err := json.Marshal(me)
	if err == nil {
		err = f.Truncate(0)
	}
	if err == nil {
		_, err = f.WriteAt(append(body, '\n'), 0)
	}
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("write %s: %w", lockKey, err)
	}
	release := func(context.Context) error {
		rerr := t.root.Remove(lockKey)
		if errors.Is(rerr, fs.ErrNotExist) {
			rerr = nil
		}
		cerr := f.Close() // lets go of the flock
		if err := errors.Join(rerr, cerr); err != nil {
			return fmt.Errorf("site: release the publish lock of %s: %w", t, err)
		}
		return nil
	}
	return release, nil, nil
}
