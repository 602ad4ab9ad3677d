package site

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// TestBuildOutGuard is issue 13, point 5: `build --site.out docs` on a
// folder holding index.html, notes.txt and sub/data.db exited 0 and deleted
// notes.txt and sub/. The build now refuses it before running a query,
// naming the folder, what gives it away and what to do, and leaves every
// file as it was. A folder the build wrote (with its marker) is replaced as
// before, stale files gone; so is a folder built before the marker existed.
func TestBuildOutGuard(t *testing.T) {
	pool := pgtest.New(t)
	seedRun(t, pool, false, []testPosting{{Title: "Data engineer", Location: "Berlin"}})
	ctx := context.Background()

	t.Run("a folder of the operator's", func(t *testing.T) {
		cfg := homeConfig(t)
		cfg.Out = filepath.Join(t.TempDir(), "docs")
		mine := map[string]string{"index.html": "<h1>my docs</h1>", "notes.txt": "do not lose", "sub/data.db": "\x00db"}
		writeTree(t, cfg.Out, mine)

		_, err := Build(ctx, pool, cfg, nil)
		if !errors.Is(err, ErrOutNotOurs) {
			t.Fatalf("build into %s: %v, want an error wrapping ErrOutNotOurs", cfg.Out, err)
		}
		for _, want := range []string{cfg.Out, "notes.txt", buildMarker, "new or empty folder"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
		}
		if diff := cmp.Diff(mine, readTree(t, cfg.Out)); diff != "" {
			t.Errorf("docs after the refused build (-before +after):\n%s", diff)
		}
		if left, _ := os.ReadDir(filepath.Dir(cfg.Out)); len(left) != 1 {
			t.Errorf("beside docs after the refused build: %v, want docs alone", left)
		}
	})

	t.Run("a folder the build wrote", func(t *testing.T) {
		cfg := homeConfig(t)
		if _, err := Build(ctx, pool, cfg, nil); err != nil {
			t.Fatal(err)
		}
		first := readTree(t, cfg.Out)
		if first[buildMarker] != buildMarkerNote {
			t.Fatalf("the build wrote no %s marker: %v", buildMarker, first[buildMarker])
		}
		writeTree(t, cfg.Out, map[string]string{"stale/index.html": "a page of an older build"})
		if _, err := Build(ctx, pool, cfg, nil); err != nil {
			t.Fatalf("build over a marked build: %v", err)
		}
		if diff := cmp.Diff(first, readTree(t, cfg.Out)); diff != "" {
			t.Errorf("second build (-first +second):\n%s", diff)
		}

		// A ./public of an older jobpulse, before the marker: the same
		// files without it, and without the data files and the feed,
		// which came after it. It is replaced, and gets the marker.
		for name := range first {
			if name == buildMarker || name == feedFile || strings.HasSuffix(name, ".csv") ||
				(strings.HasSuffix(name, ".json") && name != searchFile) || strings.HasPrefix(name, "data/") {
				if err := os.Remove(filepath.Join(cfg.Out, filepath.FromSlash(name))); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := Build(ctx, pool, cfg, nil); err != nil {
			t.Fatalf("build over a build made before the marker: %v", err)
		}
		if diff := cmp.Diff(first, readTree(t, cfg.Out)); diff != "" {
			t.Errorf("build over an unmarked build (-first +second):\n%s", diff)
		}
	})
}
