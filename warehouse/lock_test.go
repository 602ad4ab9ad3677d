package warehouse_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// holderName returns the application_name of the run lock's holder, or ""
// when nobody holds it.
func holderName(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	h, err := warehouse.RunLockHolder(context.Background(), pool)
	if err != nil {
		t.Fatal(err)
	}
	if h == nil {
		return ""
	}
	return h.Application
}

// TestRunLock checks that a second session is refused while the first holds
// the run lock, that the refusal names the holder, that a waiting session
// gets the lock once it is released, and that the lock does not stand in the
// way of the load and migration locks.
func TestRunLock(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)

	first, err := warehouse.AcquireRunLock(ctx, pool, "jobpulse run test-first", 0)
	if err != nil {
		t.Fatalf("first lock: %v", err)
	}
	defer first.Release(ctx)
	if err := first.Check(ctx); err != nil {
		t.Errorf("Check of a held lock: %v", err)
	}

	tests := []struct {
		name string
		wait time.Duration
	}{
		{name: "refused at once", wait: 0},
		{name: "refused after waiting", wait: 50 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			second, err := warehouse.AcquireRunLock(ctx, pool, "jobpulse run test-second", tt.wait)
			if err == nil {
				second.Release(ctx)
				t.Fatal("second lock taken while the first holds it")
			}
			var locked *warehouse.LockedError
			if !errors.Is(err, warehouse.ErrLocked) || !errors.As(err, &locked) || locked.Holder == nil {
				t.Fatalf("err = %v, want a LockedError naming the holder", err)
			}
			got := struct {
				PID         uint32
				Application string
				Waited      time.Duration
			}{uint32(locked.Holder.PID), locked.Holder.Application, locked.Waited}
			want := got
			want.PID, want.Application, want.Waited = first.PID(), "jobpulse run test-first", tt.wait
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("holder (-want +got):\n%s", diff)
			}
			if !strings.Contains(err.Error(), `"jobpulse run test-first"`) || locked.Holder.Since.IsZero() {
				t.Errorf("error %q should name the holder and when it connected", err)
			}
		})
	}

	// The run lock is not the load lock nor the migrations' lock: a run
	// holding it can load and migrate.
	if err := warehouse.Migrate(ctx, pool); err != nil {
		t.Errorf("migrate under the run lock: %v", err)
	}
	load(t, pool, testRun("20261128T012823Z-lock", t1), posting("a", "Go Developer", 1))

	// A session waiting for the lock gets it when the holder lets go.
	got := make(chan error, 1)
	go func() {
		l, err := warehouse.AcquireRunLock(ctx, pool, "jobpulse run test-waiter", time.Hour)
		if err == nil {
			err = l.Release(ctx)
		}
		got <- err
	}()
	waitFor(t, pool, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
	if err := first.Release(ctx); err != nil {
		t.Fatalf("release: %v", err)
	}
	if err := <-got; err != nil {
		t.Errorf("waiting session: %v", err)
	}
	if err := first.Release(ctx); err != nil {
		t.Errorf("second release: %v", err)
	}
	if name := holderName(t, pool); name != "" {
		t.Errorf("lock held by %q after every release", name)
	}
}

// TestRunLockFreedWithSession checks that the lock dies with its session: a
// process that dies (here its backend, terminated) leaves no lock behind, the
// next run proceeds, and the lost lock's Check says it is lost.
func TestRunLockFreedWithSession(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	dead, err := warehouse.AcquireRunLock(ctx, pool, "jobpulse run test-dead", 0)
	if err != nil {
		t.Fatal(err)
	}
	var terminated bool
	if err := pool.QueryRow(ctx, "SELECT pg_terminate_backend($1)", int64(dead.PID())).Scan(&terminated); err != nil || !terminated {
		t.Fatalf("pg_terminate_backend: %v, %v", terminated, err)
	}
	waitFor(t, pool, "SELECT 1 - count(*) FROM pg_stat_activity WHERE application_name = 'jobpulse run test-dead'")

	next, err := warehouse.AcquireRunLock(ctx, pool, "jobpulse run test-next", 0)
	if err != nil {
		t.Fatalf("lock after its holder's session died: %v", err)
	}
	if name := holderName(t, pool); name != "jobpulse run test-next" {
		t.Errorf("holder = %q, want the new run", name)
	}
	if err := dead.Check(ctx); err == nil {
		t.Error("Check of a lock whose session was terminated: no error")
	}
	if err := dead.Release(ctx); err != nil {
		t.Errorf("release of a lost lock: %v", err)
	}
	if err := next.Release(ctx); err != nil {
		t.Error(err)
	}
}

// waitFor polls query until it returns a positive count; it gives up after
// a minute, a bound for a hung test, not a timing assertion.
func waitFor(t *testing.T, pool *pgxpool.Pool, query string) {
	t.Helper()
	ctx := context.Background()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var n int
		if err := pool.QueryRow(ctx, query).Scan(&n); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		if n > 0 {
			return
		}
	}
	t.Fatalf("still false after a minute: %s", query)
}
