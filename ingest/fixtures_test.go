package ingest

import (
	"os"
	"path/filepath"
	"testing"
)

// realFixture reads a file of ../shared/fixtures/real (beside the module root).
func realFixture(t testing.TB, name string) []byte {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("fixtures: no go.mod above the test's folder")
		}
		dir = parent
	}
	b, err := os.ReadFile(filepath.Join(dir, "..", "shared", "fixtures", "real", name))
	if err != nil {
		t.Fatalf("fixtures: %v (the real captures live in ../shared/fixtures/real beside the checkout)", err)
	}
	return b
}
