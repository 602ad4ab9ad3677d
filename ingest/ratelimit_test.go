package ingest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeClock is a clock for a [HostLimiter] that never sleeps for real: sleep
// records the wait and, when advance is set, moves the clock by it.
type fakeClock struct {
	mu      sync.Mutex
	t       time.Time
	advance bool
	sleeps  []time.Duration
	err     error // returned by sleep, e.g. context.Canceled
}

func newFakeClock(advance bool) *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 29, 3, 0, 0, 0, time.UTC), advance: advance}
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	if c.advance {
		c.t = c.t.Add(d)
	}
	return c.err
}

func (c *fakeClock) limiter() *HostLimiter { return newHostLimiter(c.now, c.sleep) }

func TestHostLimiterWait(t *testing.T) {
	type call struct {
		url      string
		interval time.Duration
		pause    time.Duration // clock moves by this before the call
	}
	const s = time.Second
	tests := []struct {
		name       string
		advance    bool // the fake sleep moves the clock
		calls      []call
		wantSleeps []time.Duration
	}{
		{
			name:       "first call to a host does not wait",
			advance:    true,
			calls:      []call{{url: "https://remotive.com/api/remote-jobs", interval: 30 * s}},
			wantSleeps: nil,
		},
		{
			name:    "calls to one host are spaced, Remotive's 2 a minute",
			advance: true,
			calls: []call{
				{url: "https://remotive.com/api/remote-jobs?category=data", interval: 30 * s},
				{url: "https://remotive.com/api/remote-jobs?category=design", interval: 30 * s},
				{url: "https://remotive.com/api/remote-jobs?category=qa", interval: 30 * s, pause: 10 * s},
			},
			wantSleeps: []time.Duration{30 * s, 20 * s},
		},
		{
			name:    "hosts are independent, ports and case included",
			advance: true,
			calls: []call{
				{url: "https://remoteOK.com/api", interval: s},
				{url: "https://www.arbeitnow.com/api/job-board-api?page=1", interval: s},
				{url: "http://127.0.0.1:8080/api", interval: s},
				{url: "http://127.0.0.1:8081/api", interval: s},
				{url: "https://remoteok.com/api", interval: s},
			},
			wantSleeps: []time.Duration{s},
		},
		{
			name:    "enough time passed, no wait",
			advance: true,
			calls: []call{
				{url: "https://remotive.com/a", interval: 30 * s},
				{url: "https://remotive.com/b", interval: 30 * s, pause: 45 * s},
			},
		},
		{
			name:    "zero interval never waits",
			advance: true,
			calls:   []call{{url: "http://h/a"}, {url: "http://h/b"}, {url: "http://h/c"}},
		},
		{
			name:    "callers at the same instant queue up",
			advance: false,
			calls: []call{
				{url: "http://h/1", interval: 30 * s},
				{url: "http://h/2", interval: 30 * s},
				{url: "http://h/3", interval: 30 * s},
			},
			wantSleeps: []time.Duration{30 * s, 60 * s},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock(tt.advance)
			l := clock.limiter()
			for _, c := range tt.calls {
				clock.t = clock.t.Add(c.pause)
				if err := l.Wait(context.Background(), c.url, c.interval); err != nil {
					t.Fatalf("Wait(%s): %v", c.url, err)
				}
			}
			if diff := cmp.Diff(tt.wantSleeps, clock.sleeps); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHostLimiterErrors(t *testing.T) {
	clock := newFakeClock(false)
	clock.err = context.Canceled
	l := clock.limiter()
	if err := l.Wait(context.Background(), "https://remotive.com/a", time.Minute); err != nil {
		t.Fatalf("first Wait: %v", err)
	}
	if err := l.Wait(context.Background(), "https://remotive.com/b", time.Minute); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait during a cancelled sleep = %v, want context.Canceled", err)
	}
	for _, bad := range []string{"/api/remote-jobs", "::", ""} {
		if err := l.Wait(context.Background(), bad, time.Second); err == nil {
			t.Errorf("Wait(%q) succeeded, want an error", bad)
		}
	}
}

func TestHostLimiterRealClock(t *testing.T) {
	l := NewHostLimiter()
	ctx, cancel := context.WithCancel(context.Background())
	for range 3 {
		if err := l.Wait(ctx, "http://127.0.0.1:1/", time.Millisecond); err != nil {
			t.Fatalf("Wait: %v", err)
		}
	}
	cancel()
	if err := l.Wait(ctx, "http://127.0.0.1:1/", time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait with a cancelled context = %v, want context.Canceled", err)
	}
}
