package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jobpulse/jobpulse/site"
	"github.com/jobpulse/jobpulse/templates"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// TestBuildGuards runs `jobpulse build` as issue 13 did (points 2 and 5),
// on a real warehouse, and checks that the command reaches the site's
// guards: `--site.out docs` on a folder of the operator's fails and keeps
// every file; a templates folder with a link to /proc/self/environ among
// its assets fails naming the link, and no site is written.
func TestBuildGuards(t *testing.T) {
	dbURL := pgtest.URL(t)
	echarts := echartsPath(t)
	dir := t.TempDir()
	t.Chdir(dir)
	common := []string{"--warehouse.url=" + dbURL, "--site.echarts=" + echarts}

	t.Run("site.out of the operator's", func(t *testing.T) {
		mine := map[string]string{"index.html": "<h1>my docs</h1>", "notes.txt": "do not lose", "sub/data.db": "\x00db"}
		for name, data := range mine {
			p := filepath.Join("docs", filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out, err := jobpulse(t, append([]string{"build", "--site.out", "docs"}, common...)...)
		if !errors.Is(err, site.ErrOutNotOurs) || !strings.Contains(err.Error(), "site.out docs") || !strings.Contains(err.Error(), "notes.txt") {
			t.Fatalf("build --site.out docs: %v, want an error wrapping site.ErrOutNotOurs naming docs and notes.txt\n%s", err, out)
		}
		for name, data := range mine {
			if b, err := os.ReadFile(filepath.Join("docs", filepath.FromSlash(name))); err != nil || string(b) != data {
				t.Errorf("docs/%s after the refused build: %q, %v; want %q", name, b, err, data)
			}
		}
	})

	t.Run("a link out of site.templates", func(t *testing.T) {
		if err := os.CopyFS("tpl", templates.FS); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("/proc/self/environ", filepath.Join("tpl", "assets", "env.txt")); err != nil {
			t.Fatal(err)
		}
		out, err := jobpulse(t, append([]string{"build", "--site.out", "public", "--site.templates", "tpl"}, common...)...)
		if !errors.Is(err, site.ErrOutsideFolder) || !strings.Contains(err.Error(), filepath.Join("tpl", "assets", "env.txt")) {
			t.Fatalf("build with a link to /proc/self/environ: %v, want an error wrapping site.ErrOutsideFolder naming the link\n%s", err, out)
		}
		if _, err := os.Stat("public"); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("public after the failed build: %v, want none", err)
		}
	})
}
