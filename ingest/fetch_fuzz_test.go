package ingest

import (
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
