package ingest

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzRetryAfter feeds RetryAfter any header a source may send: the wait is
// never negative and never longer than the cap, whatever the text.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"", "0", "120", "-5", "99999999999999999999", "Wed, 21 Oct 2015 07:28:00 GMT",
		"Sun, 06 Nov 1994 08:49:37 GMT", "Monday, 30-Nov-26 10:00:00 GMT", "1e3", " 3", "3 ", "\x00", "Ñ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		if d := RetryAfter(h); d < 0 || d > 5*time.Minute {
			t.Fatalf("RetryAfter(%q) = %v, want within [0, 5m]", h, d)
		}
	})
}

// TestFetchErrorHidesPassword fetches from a source whose URL carries a
// password: the error and the kept page name the source without it.
func TestFetchErrorHidesPassword(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "gone", http.StatusNotFound)
	}))
	defer srv.Close()
	const password = "s3cr3t-pw-4d7e"
	u := strings.Replace(srv.URL, "://", "://me:"+password+"@", 1) + "/jobs"
	f := NewFetcher(FetchConfig{UserAgent: "jobpulse-test", Timeout: 5 * time.Second, MaxBytes: 1 << 20}, nil, slog.New(slog.DiscardHandler))
	var kept []RawPage
	err := f.Get(context.Background(), "src", u, "page.json", func(_ context.Context, p RawPage) error {
		kept = append(kept, p)
		return nil
	})
	if err == nil || strings.Contains(err.Error(), password) {
		t.Fatalf("Get = %v, want an error without the password", err)
	}
	if len(kept) != 1 || strings.Contains(kept[0].Meta.URL+kept[0].Meta.Error, password) {
		t.Fatalf("kept %+v, want one page without the password", kept)
	}
}

// TestRedactURL checks what the lake and the logs keep of a source's
// address: never its password.
func TestRedactURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{name: "plain", in: "https://remotive.com/api/remote-jobs?limit=5", want: "https://remotive.com/api/remote-jobs?limit=5"},
		{name: "password", in: "https://me:s3cr3t-pw@127.0.0.1:8080/jobs", want: "https://me:xxxxx@127.0.0.1:8080/jobs"},
		{name: "user only", in: "https://me@127.0.0.1/jobs", want: "https://me@127.0.0.1/jobs"},
		{name: "not a URL", in: "%zz", want: "%zz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RedactURL(tt.in); got != tt.want {
				t.Errorf("RedactURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
