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
