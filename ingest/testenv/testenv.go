// Package testenv decides what a test does when a real part it needs
// (PostgreSQL, the local S3 server, Chromium) is missing: it skips on a
// developer's machine and fails in CI, where nothing may be skipped.
package testenv

import (
	"os"
	"testing"
)

// Strict reports whether missing parts fail tests instead of skipping them:
// true when CI=true or JOBPULSE_TEST_STRICT=1.
func Strict() bool {
	return os.Getenv("CI") == "true" || os.Getenv("JOBPULSE_TEST_STRICT") == "1"
}

// Missing ends the test because a real part is missing: t.Fatalf under
// [Strict], t.Skipf otherwise. The message should say what is missing and how
// to provide it.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if Strict() {
		t.Fatalf("required for this test (CI=true or JOBPULSE_TEST_STRICT=1): "+format, args...)
	}
	t.Skipf(format, args...)
}
