package ingest_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/ingest"
)

func TestFolderLake(t *testing.T) {
	runLakeTests(t, func(t *testing.T) ingest.Lake {
		lake, err := ingest.NewFolderLake(filepath.Join(t.TempDir(), "lake"))
		if err != nil {
			t.Fatal(err)
		}
		return lake
	})
}

// TestFolderLakeFiles checks the files a Put leaves: the object under its
// key, the metadata in a sidecar, nothing else.
func TestFolderLakeFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	lake, err := ingest.NewFolderLake(dir)
	if err != nil {
		t.Fatal(err)
	}
	key := "raw/source=remotive/date=2026-11-29/run=r1/page-0001.json"
	meta := ingest.Meta{Source: "remotive", Status: 200, FetchedAt: time.Date(2026, 11, 29, 1, 2, 3, 0, time.UTC)}
	if err := lake.Put(ctx, key, []byte(`{"a":1}`), meta); err != nil {
		t.Fatal(err)
	}
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	want := []string{key, key + ".meta.json"}
	if diff := cmp.Diff(want, files); diff != "" {
		t.Errorf("files mismatch (-want +got):\n%s", diff)
	}
	sidecar, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(key)+".meta.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got ingest.Meta
	if err := json.Unmarshal(sidecar, &got); err != nil {
		t.Fatal(err)
	}
	meta.Size = 7
	meta.SHA256 = hexSHA256([]byte(`{"a":1}`))
	if diff := cmp.Diff(meta, got); diff != "" {
		t.Errorf("sidecar mismatch (-want +got):\n%s", diff)
	}
}

// TestFolderLakeLeftovers checks what a crash can leave behind: a temporary
// file is not a key, and an object without its sidecar still reads.
func TestFolderLakeLeftovers(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	lake, err := ingest.NewFolderLake(dir)
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "raw"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "raw", ".tmp-123"), []byte("partial"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "raw", "orphan.json"), []byte("body"), 0o644))

	keys, err := lake.List(ctx, "")
	must(err)
	if diff := cmp.Diff([]string{"raw/orphan.json"}, keys); diff != "" {
		t.Errorf("List mismatch (-want +got):\n%s", diff)
	}
	body, meta, err := lake.Get(ctx, "raw/orphan.json")
	must(err)
	want := ingest.Meta{Size: 4, SHA256: hexSHA256([]byte("body"))}
	if diff := cmp.Diff(want, meta); diff != "" || string(body) != "body" {
		t.Errorf("Get of an object without sidecar: body %q, meta (-want +got):\n%s", body, diff)
	}
}

func TestFolderLakeReservedKeys(t *testing.T) {
	ctx := context.Background()
	lake, err := ingest.NewFolderLake(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		key  string
	}{
		{name: "sidecar name", key: "raw/page.json.meta.json"},
		{name: "temporary name", key: "raw/.tmp-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := lake.Put(ctx, tt.key, []byte("x"), ingest.Meta{})
			if err == nil || errors.Is(err, ingest.ErrExist) {
				t.Errorf("Put(%q): got %v, want a reserved key error", tt.key, err)
			}
		})
	}
	if _, err := lake.List(ctx, "../"); err == nil {
		t.Error(`List("../") succeeded, want an invalid prefix error`)
	}
}

func TestOpenLakeFolder(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data", "lake")
	lake, err := ingest.OpenLake(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := lake.(*ingest.FolderLake); !ok || lake.String() != dir {
		t.Fatalf("OpenLake(%q) = %T %s, want *ingest.FolderLake %s", dir, lake, lake, dir)
	}
	if err := lake.Put(ctx, "a/b", []byte("x"), ingest.Meta{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "a", "b")); err != nil {
		t.Error(err)
	}
}
