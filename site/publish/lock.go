package publish

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"
)

// lockKey names the publish lock of a target, beside the manifest: a file
// of a folder target (held with flock), an object of a bucket target
// (created with a conditional PUT). It is no content: the listing, the plan,
// the uploads and the deletes never see it, and a build's file of that name
// is never published. It exists only while a publish holds it.
const lockKey = ".jobpulse-lock"

// LockLease is how long a bucket target's lock object holds without
// being renewed; the holder renews it every third of it. A publish whose
// process died leaves its lock object behind: once expired, the next
// publish takes it over. An hour is far beyond the minute a nightly
// publish of thousands of files takes, and beyond any clock skew between
// two machines; a crashed publish blocks the next ones for an hour at most,
// which a nightly job never notices. A folder target needs no lease: the
// system frees the flock of a dead process at once.
const LockLease = time.Hour

// ErrLocked is returned (inside a [*LockedError]) by [Publish]
// when another publish holds the target's lock.
var ErrLocked = errors.New("site: another publish to the target holds its lock")

// errLockRace tells that the lock changed hands between two steps of an
// attempt (released, taken over): the attempt is made again at once.
var errLockRace = errors.New("site: publish lock changed hands, try again")

// LockHolder is what a publish lock says of the publish that holds
// it: who, where and since when, and until when for a lock object.
type LockHolder struct {
	// Holder names the publish, e.g. "jobpulse publish host pid 4242".
	Holder string `json:"holder"`
	// Host and PID are where it runs.
	Host string `json:"host"`
	PID  int    `json:"pid"`
	// Since is when it took the lock, or last renewed it.
	Since time.Time `json:"since"`
	// Expires is when a lock object not renewed is stale (zero for a
	// folder's lock, which dies with its process).
	Expires time.Time `json:"expires,omitzero"`
}

// String describes the holder in one line.
func (h LockHolder) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q", h.Holder)
	if !h.Since.IsZero() {
		fmt.Fprintf(&b, " since %s", h.Since.UTC().Format(time.RFC3339))
	}
	if !h.Expires.IsZero() {
		fmt.Fprintf(&b, ", its lock expiring at %s unless renewed", h.Expires.UTC().Format(time.RFC3339))
	}
	return b.String()
}

// newLockHolder names this process's publish: holder, or "jobpulse publish
// <host> pid <pid>".
func newLockHolder(holder string) LockHolder {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown-host"
	}
	if holder == "" {
		holder = fmt.Sprintf("jobpulse publish %s pid %d", host, os.Getpid())
	}
	return LockHolder{Holder: holder, Host: host, PID: os.Getpid()}
}

// parseLockHolder reads a lock's content; nil when it says nothing (being
// written, or not ours).
func parseLockHolder(b []byte) *LockHolder {
	var h LockHolder
	if err := json.Unmarshal(b, &h); err != nil || h.Holder == "" {
		return nil
	}
	return &h
}

// LockedError says that another publish holds the target's lock,
// and which one when the lock tells. It matches [ErrLocked] with
// errors.Is.
type LockedError struct {
	Target string
	Holder *LockHolder // nil when the lock did not say
	Waited time.Duration
}

func (e *LockedError) Error() string {
	msg := ErrLocked.Error() + " (" + e.Target + ")"
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

// lockRequest is what a publish asks of a target's lock.
type lockRequest struct {
	// wait is how long to wait while another publish holds the lock.
	wait time.Duration
	// me is this publish, as the lock tells it to others.
	me LockHolder
	// lost is called if the lock is taken from this publish while held.
	lost func(error)
	// log is told when the publish starts waiting.
	log *slog.Logger
}

// lockAttempt tries once to take a lock. It returns the release function,
// or the holder (nil when unknown) and [ErrLocked] when another
// publish holds it, or errLockRace to be called again at once.
type lockAttempt func(ctx context.Context) (release func(context.Context) error, holder *LockHolder, err error)

// acquireLock makes attempts until one takes the lock, polling up to wait
// while another publish holds it; past wait it returns a
// [*LockedError] naming the last holder seen.
func acquireLock(ctx context.Context, target string, req lockRequest, try lockAttempt) (func(context.Context) error, error) {
	start, wait, told := time.Now(), req.wait, false
	pause := 50 * time.Millisecond
	for races := 0; ; {
		release, holder, err := try(ctx)
		switch {
		case err == nil:
			return release, nil
		case errors.Is(err, errLockRace) && races < 100:
			races++
			continue
		case !errors.Is(err, ErrLocked):
			return nil, fmt.Errorf("site: publish lock of %s: %w", target, err)
		}
		left := wait - time.Since(start)
		if left <= 0 {
			return nil, &LockedError{Target: target, Holder: holder, Waited: wait}
		}
		if !told {
			told = true
			h := "unknown"
			if holder != nil {
				h = holder.String()
			}
			req.log.Info("waiting for the publish lock", "target", target, "holder", h, "wait", wait)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("site: publish lock of %s: waiting: %w", target, context.Cause(ctx))
		case <-time.After(min(pause, left)):
		}
		pause = min(2*pause, 2*time.Second)
	}
}
