package ingest

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func testFetcher(maxBytes int64) *Fetcher {
	cfg := DefaultFetchConfig()
	cfg.RetryDelay = time.Millisecond
	cfg.Timeout = 5 * time.Second
	cfg.MaxBytes = maxBytes
	return NewFetcher(cfg, nil, slog.New(slog.DiscardHandler))
}

func TestFetcherGet(t *testing.T) {
	tests := []struct {
		name      string
		handler   func(calls int32, w http.ResponseWriter, r *http.Request)
		wantErr   error // nil: success
		wantPages []string
		wantCalls int32
	}{
		{
			name: "ok",
			handler: func(_ int32, w http.ResponseWriter, _ *http.Request) {
				io.WriteString(w, `{"jobs":[]}`)
			},
			wantPages: []string{"page-0001.json 200 "},
			wantCalls: 1,
		},
		{
			name: "429 with Retry-After, then ok",
			handler: func(calls int32, w http.ResponseWriter, _ *http.Request) {
				if calls == 1 {
					w.Header().Set("Retry-After", "0")
					http.Error(w, "slow down", http.StatusTooManyRequests)
					return
				}
				io.WriteString(w, `{"jobs":[]}`)
			},
			wantPages: []string{
				"page-0001.attempt-1.json 429 unexpected HTTP status 429 Too Many Requests",
				"page-0001.json 200 ",
			},
			wantCalls: 2,
		},
		{
			name: "500 every time gives up after the retries",
			handler: func(_ int32, w http.ResponseWriter, _ *http.Request) {
				http.Error(w, "boom", http.StatusInternalServerError)
			},
			wantErr: ErrStatus,
			wantPages: []string{
				"page-0001.attempt-1.json 500 unexpected HTTP status 500 Internal Server Error",
				"page-0001.attempt-2.json 500 unexpected HTTP status 500 Internal Server Error",
				"page-0001.attempt-3.json 500 unexpected HTTP status 500 Internal Server Error",
				"page-0001.json 500 unexpected HTTP status 500 Internal Server Error",
			},
			wantCalls: 4,
		},
		{
			name: "404 is not retried",
			handler: func(_ int32, w http.ResponseWriter, _ *http.Request) {
				http.NotFound(w, nil)
			},
			wantErr:   ErrStatus,
			wantPages: []string{"page-0001.json 404 unexpected HTTP status 404 Not Found"},
			wantCalls: 1,
		},
		{
			name: "larger than the cap is cut and kept",
			handler: func(_ int32, w http.ResponseWriter, _ *http.Request) {
				io.WriteString(w, strings.Repeat("x", 100))
			},
			wantErr:   ErrTooLarge,
			wantPages: []string{"page-0001.json 200 response larger than fetch.max_bytes (64 bytes)"},
			wantCalls: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "jobpulse/") {
					t.Errorf("User-Agent = %q", ua)
				}
				tt.handler(calls.Add(1), w, r)
			}))
			defer srv.Close()
			var pages []string
			keep := func(_ context.Context, p RawPage) error {
				if p.Meta.Size != int64(len(p.Body)) || len(p.Meta.SHA256) != 64 || p.Meta.URL != srv.URL+"/x" {
					t.Errorf("bad meta %+v", p.Meta)
				}
				pages = append(pages, p.Name+" "+strconv.Itoa(p.Meta.Status)+" "+p.Meta.Error)
				return nil
			}
			err := testFetcher(64).Get(context.Background(), "test", srv.URL+"/x", "page-0001.json", keep)
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Get error = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.wantPages, pages); diff != "" {
				t.Errorf("kept pages (-want +got):\n%s", diff)
			}
			if got := calls.Load(); got != tt.wantCalls {
				t.Errorf("server saw %d requests, want %d", got, tt.wantCalls)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want time.Duration
	}{
		{"absent", "", 0},
		{"seconds", "3", 3 * time.Second},
		{"capped", "86400", 5 * time.Minute},
		{"negative", "-4", 0},
		{"garbage", "soon", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RetryAfter(tt.in); got != tt.want {
				t.Errorf("RetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// TestFetcherPacesRetries checks that every attempt, retries included, waits
// its turn at the host's limiter: a source's rate holds when it retries.
func TestFetcherPacesRetries(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) < 3 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, `{"jobs":[]}`)
	}))
	defer srv.Close()
	var slept []time.Duration
	clock := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	limiter := newHostLimiter(func() time.Time { return clock }, func(_ context.Context, d time.Duration) error {
		slept = append(slept, d)
		clock = clock.Add(d)
		return nil
	})
	keep := func(context.Context, RawPage) error { return nil }
	err := testFetcher(1<<20).Get(context.Background(), "test", srv.URL, "page-0001.json", keep, Pace{limiter, 30 * time.Second})
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	// Three attempts: the first goes at once, each retry waits 30s at the limiter.
	if diff := cmp.Diff([]time.Duration{30 * time.Second, 30 * time.Second}, slept); diff != "" {
		t.Errorf("limiter waits (-want +got):\n%s", diff)
	}
}
