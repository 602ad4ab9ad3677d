package ingest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// bearer is a transport that adds a token, as an oauth2 client's does.
type bearer struct{ base http.RoundTripper }

func (b bearer) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer t0ken")
	return b.base.RoundTrip(req)
}

// TestFetcherAnyClient builds a fetcher on a client whose transport is not
// an *http.Transport (an oauth2 client's): every attempt, retries included,
// goes through it, and every response is kept.
func TestFetcherAnyClient(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer t0ken" {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		if calls.Add(1) == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, `{"resultats":[]}`)
	}))
	defer srv.Close()
	cfg := DefaultFetchConfig()
	cfg.RetryDelay = time.Millisecond
	client := &http.Client{Transport: bearer{http.DefaultTransport}, Timeout: time.Nanosecond}
	var kept []string
	keep := func(_ context.Context, p RawPage) error {
		kept = append(kept, p.Name+" "+http.StatusText(p.Meta.Status))
		return nil
	}
	if err := NewFetcher(cfg, client, slog.New(slog.DiscardHandler)).Get(context.Background(), "ft", srv.URL+"/offres", "page-0001.json", keep); err != nil {
		t.Fatalf("Get: %v", err)
	}
	want := []string{"page-0001.attempt-1.json Service Unavailable", "page-0001.json OK"}
	if diff := cmp.Diff(want, kept); diff != "" {
		t.Errorf("pages kept (-want +got):\n%s", diff)
	}
}

// TestHostLimiterTurns checks the turns at a host: one at a time unless
// allowed more, hosts apart, and a wait that ends with its context.
func TestHostLimiterTurns(t *testing.T) {
	l := NewHostLimiter()
	ctx := context.Background()
	r1, err := l.Acquire(ctx, "http://a.example/x")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Acquire(ctx, "http://A.example:80/y"); err != nil {
		t.Fatal(err) // another host: a.example:80 is not a.example
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := l.Acquire(short, "http://a.example/z"); err == nil {
		t.Error("a second request at once at a.example got its turn")
	}
	r1()
	r2, err := l.Acquire(ctx, "http://a.example/z")
	if err != nil {
		t.Fatalf("after the first ended: %v", err)
	}
	r2()
	l.AllowConcurrent("B.example", 2)
	for range 2 {
		if _, err := l.Acquire(ctx, "http://b.example/"); err != nil {
			t.Fatalf("b.example allows two at once: %v", err)
		}
	}
	if _, err := l.Acquire(ctx, "/no/host"); err == nil {
		t.Error("Acquire without a host succeeded")
	}
}
