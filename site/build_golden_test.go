package site

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// TestBuildGolden builds each site of testdata/sites/*.txtar against a fresh
// database and compares the output with testdata/golden/<site>/. An archive
// holds seed.sql (run first), content/... and optionally templates/...; its
// comment may set "sample: true" and "base_url: URL". Run with -update to
// rewrite the golden files.
func TestBuildGolden(t *testing.T) {
	archives, err := filepath.Glob("testdata/sites/*.txtar")
	if err != nil || len(archives) == 0 {
		t.Fatalf("no archives in testdata/sites: %v", err)
	}
	for _, archive := range archives {
		name := strings.TrimSuffix(filepath.Base(archive), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(archive)
			if err != nil {
				t.Fatal(err)
			}
			pool := pgtest.New(t)
			dir := t.TempDir()
			files := map[string]string{}
			var seed string
			for _, f := range ar.Files {
				if f.Name == "seed.sql" {
					seed = string(f.Data)
					continue
				}
				files[f.Name] = string(f.Data)
			}
			writeTree(t, dir, files)
			if seed != "" {
				if _, err := pool.Exec(context.Background(), seed); err != nil {
					t.Fatalf("seed.sql: %v", err)
				}
			}

			cfg := testConfig(t)
			cfg.Content = filepath.Join(dir, "content")
			if _, err := os.Stat(filepath.Join(dir, "templates")); err == nil {
				cfg.Templates = filepath.Join(dir, "templates")
			}
			settings := archiveSettings(string(ar.Comment))
			cfg.Sample = settings["sample"] == "true"
			cfg.BaseURL = settings["base_url"]

			if _, err := Build(context.Background(), pool, cfg, nil); err != nil {
				t.Fatalf("build: %v", err)
			}
			got := readTree(t, cfg.Out)

			// The same data gives the same bytes: build again over the first.
			if _, err := Build(context.Background(), pool, cfg, nil); err != nil {
				t.Fatalf("second build: %v", err)
			}
			if diff := cmp.Diff(got, readTree(t, cfg.Out)); diff != "" {
				t.Errorf("second build differs (-first +second):\n%s", diff)
			}

			golden := filepath.Join("testdata", "golden", name)
			if *update {
				if err := os.RemoveAll(golden); err != nil {
					t.Fatal(err)
				}
				writeTree(t, golden, got)
				return
			}
			if diff := cmp.Diff(readTree(t, golden), got); diff != "" {
				t.Errorf("output differs from %s (-want +got); run with -update if intended:\n%s", golden, diff)
			}
		})
	}
}

// archiveSettings reads "key: value" lines from an archive's comment.
func archiveSettings(comment string) map[string]string {
	settings := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(comment))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ": ")
		if ok && !strings.Contains(k, " ") {
			settings[k] = strings.TrimSpace(v)
		}
	}
	return settings
}
