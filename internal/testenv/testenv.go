// Package testenv decides what a test does when a real part it needs
// (PostgreSQL, the local S3 server, Chromium) is missing: it skips on a
// developer's machine and fails in CI, where nothing may be skipped. It also
// finds the real captures the tests parse ([RealCapture]), kept in the
// repository under ingest/testdata/real.
package testenv

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
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

// Main runs the tests of m, then calls every stop function (stopping the
// servers the tests started), and exits with the tests' code; a stop that
// fails makes a passing run fail. An interrupt or SIGTERM also calls the stop
// functions before exiting. Call it from TestMain, e.g.
//
//	func TestMain(m *testing.M) { testenv.Main(m, pgtest.Stop, s3test.Stop) }
//
// Tests never reach the internet: Main points HTTP_PROXY and HTTPS_PROXY at
// a closed port on 127.0.0.1, so a request that would leave the machine
// fails at once (requests to loopback addresses are never proxied).
func Main(m *testing.M, stops ...func() error) {
	for _, k := range []string{"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"} {
		os.Setenv(k, "http://127.0.0.1:9")
	}
	os.Unsetenv("NO_PROXY")
	os.Unsetenv("no_proxy")
	stopAll := func() (failed bool) {
		for _, stop := range stops {
			if err := stop(); err != nil {
				fmt.Fprintln(os.Stderr, "testenv: stop:", err)
				failed = true
			}
		}
		return failed
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		if _, ok := <-sig; ok {
			stopAll()
			os.Exit(130)
		}
	}()
	code := m.Run()
	signal.Stop(sig)
	if stopAll() && code == 0 {
		code = 1
	}
	os.Exit(code)
}
