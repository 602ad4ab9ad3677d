package site

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/jobpulse/jobpulse/templates"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// secret is what the files outside the content and templates folders hold:
// it must never reach the built site, nor an error message.
const secret = "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI-not-for-the-site"

// linkSite is a content folder whose page reads a query file, beside a
// copy of the embedded templates.
var linkSite = map[string]string{
	"content/index.md":      "---\ntitle: Home\nqueries:\n  n: n.sql\n---\n\n# Home\n\n```table\nquery: n\n```\n",
	"content/queries/n.sql": "SELECT 1 AS n\n",
	"outside/secret.txt":    secret + "\n",
	"outside/secret.sql":    "SELECT '" + secret + "' AS s\n",
	"outside/secret.md":     "---\ntitle: " + secret + "\n---\n\n" + secret + "\n",
	"outside/queries/n.sql": "SELECT '" + secret + "' AS n\n",
}

// TestBuildRefusesLinksOut plants symbolic links in site.content and
// site.templates that lead out of them (issue 13, point 2: a link to
// /proc/self/environ among the assets was published as
// assets/env.<hash>.txt, with DATABASE_URL and the AWS keys in it). Each
// fails the build with ErrOutsideFolder, naming the link, and writes
// nothing: site.out is not created and no temporary folder is left. A
// relative link that stays inside its folder is followed.
func TestBuildRefusesLinksOut(t *testing.T) {
	pool := pgtest.New(t)
	tests := []struct {
		name string
		link string // the link, under the test folder
		to   string // its target, as written in the link
		page string // if set, replaces content/index.md
		want string // part of the error; "" when the build succeeds
	}{
		{name: "asset to /proc/self/environ", link: "templates/assets/env.txt", to: "/proc/self/environ",
			want: "templates/assets/env.txt points to /proc/self/environ"},
		{name: "asset to a file outside", link: "templates/assets/leak.txt", to: "../../outside/secret.txt",
			want: "templates/assets/leak.txt points to ../../outside/secret.txt"},
		{name: "folder of assets outside", link: "templates/assets/more", to: "../../outside",
			want: "templates/assets/more points to ../../outside"},
		{name: "layout", link: "templates/layouts/leak.html", to: "../../outside/secret.txt",
			want: "templates/layouts/leak.html points to"},
		{name: "ECharts in node_modules", link: "templates/node_modules/echarts/dist/echarts.min.js", to: "../../../../outside/secret.txt",
			want: "templates/node_modules/echarts/dist/echarts.min.js points to"},
		{name: "query file", link: "content/queries/leak.sql", to: "../../outside/secret.sql",
			page: "---\ntitle: Home\nqueries:\n  s: leak.sql\n---\n\n# Home\n\n```table\nquery: s\n```\n",
			want: "content/queries/leak.sql points to ../../outside/secret.sql"},
		{name: "page", link: "content/leak.md", to: "../outside/secret.md",
			want: "content/leak.md points to ../outside/secret.md"},
		{name: "queries folder", link: "content/queries", to: "../outside/queries",
			want: "content/queries points to ../outside/queries"},
		{name: "absolute link inside", link: "content/queries/abs.sql", to: "$DIR/content/queries/n.sql",
			page: "---\ntitle: Home\nqueries:\n  s: abs.sql\n---\n\n# Home\n\n```table\nquery: s\n```\n",
			want: "content/queries/abs.sql points to"},
		{name: "relative link inside is followed", link: "content/queries/alias.sql", to: "n.sql",
			page: "---\ntitle: Home\nqueries:\n  s: alias.sql\n---\n\n# Home\n\n```table\nquery: s\n```\n"},
		{name: "asset link inside is followed", link: "templates/assets/alias.css", to: "style.css"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, linkSite)
			if tt.page != "" {
				writeTree(t, dir, map[string]string{"content/index.md": tt.page})
			}
			if err := os.CopyFS(filepath.Join(dir, "templates"), templates.FS); err != nil {
				t.Fatal(err)
			}
			link := filepath.Join(dir, filepath.FromSlash(tt.link))
			if err := os.RemoveAll(link); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(strings.ReplaceAll(tt.to, "$DIR", dir), link); err != nil {
				t.Fatal(err)
			}
			cfg := testConfig(t)
			cfg.Content, cfg.Templates = filepath.Join(dir, "content"), filepath.Join(dir, "templates")
			if strings.Contains(tt.link, "node_modules") {
				cfg.ECharts = "" // found in the templates folder
			}

			_, err := Build(context.Background(), pool, cfg, nil)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("build: %v", err)
				}
				return
			}
			if err == nil || !errors.Is(err, ErrOutsideFolder) || !strings.Contains(err.Error(), dir+string(filepath.Separator)+filepath.FromSlash(tt.want)) {
				t.Fatalf("build: %v\nwant an error wrapping ErrOutsideFolder with %q", err, tt.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("the error shows the secret: %v", err)
			}
			left, rerr := os.ReadDir(filepath.Dir(cfg.Out))
			if rerr != nil || len(left) != 0 {
				t.Errorf("after the failed build, the folder of site.out holds %v (%v), want nothing", left, rerr)
			}
		})
	}
}

// TestBuildRefusesFIFO checks that a content file that is not a regular
// file (here a FIFO, which nothing writes to) fails the build at once,
// naming it, instead of blocking it forever.
func TestBuildRefusesFIFO(t *testing.T) {
	pool := pgtest.New(t)
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"index.md": "---\ntitle: Home\nqueries:\n  s: fifo.sql\n---\n\n# Home\n"})
	fifo := filepath.Join(dir, "queries", "fifo.sql")
	if err := os.MkdirAll(filepath.Dir(fifo), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t)
	cfg.Content = dir
	_, err := Build(context.Background(), pool, cfg, nil)
	if err == nil || !strings.Contains(err.Error(), fifo) || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("build: %v\nwant an error naming %s, not a regular file", err, fifo)
	}
}
