package testenv

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// realCaptures is the folder of the real captures, relative to the module
// root: public responses and pages copied byte for byte, with their
// provenance in its README.md.
var realCaptures = filepath.Join("ingest", "testdata", "real")

// RealCapture returns the bytes of the real capture name (a slash-separated
// path such as "remotive/remote-jobs.json") under ingest/testdata/real, the
// one copy every package's tests read. A capture that is missing fails the
// test: captures are part of the repository, so that is a bug, never a skip.
func RealCapture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(captureRoot(t), filepath.FromSlash(name)))
	if err != nil {
		t.Fatalf("testenv: real capture %s: %v", name, err)
	}
	return b
}

// RealCaptureDir returns the absolute path of the folder of real captures
// name (such as "fake-jobs", or "." for all of them) under
// ingest/testdata/real, for tests that serve or list a whole folder. A folder that is missing fails the test, as in
// [RealCapture].
func RealCaptureDir(t testing.TB, name string) string {
	t.Helper()
	dir := filepath.Join(captureRoot(t), filepath.FromSlash(name))
	if fi, err := os.Stat(dir); err != nil {
		t.Fatalf("testenv: real capture folder %s: %v", name, err)
	} else if !fi.IsDir() {
		t.Fatalf("testenv: real capture folder %s: not a folder", name)
	}
	return dir
}

// captureRoot returns the absolute path of ingest/testdata/real.
func captureRoot(t testing.TB) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatalf("testenv: real captures: %v", err)
	}
	return filepath.Join(root, realCaptures)
}

// moduleRoot returns the folder holding go.mod: two folders above this
// source file when the build kept its path (it does not change when a test
// changes its working folder), else the first folder holding go.mod above
// the working folder (go test starts in the package's folder).
func moduleRoot() (string, error) {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		root := filepath.Join(filepath.Dir(file), "..", "..")
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			return root, nil
		}
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working folder: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working folder")
		}
		dir = parent
	}
}
