package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBuildConfigValidate(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "echarts.min.js")
	writeTree(t, dir, map[string]string{"echarts.min.js": "x"})
	tests := []struct {
		name string
		edit func(*BuildConfig)
		want string // part of the error; "" for none
	}{
		{name: "default", edit: func(*BuildConfig) {}},
		{name: "all set", edit: func(c *BuildConfig) {
			c.Content, c.Templates, c.ECharts, c.BaseURL = dir, dir, file, "https://jobs.example.org/"
		}},
		{name: "no out", edit: func(c *BuildConfig) { c.Out = "" }, want: "site.out is empty"},
		{name: "out is the working folder", edit: func(c *BuildConfig) { c.Out = "./" }, want: `site.out "./"`},
		{name: "out is the root", edit: func(c *BuildConfig) { c.Out = "/" }, want: `site.out "/"`},
		{name: "content missing", edit: func(c *BuildConfig) { c.Content = filepath.Join(dir, "nope") }, want: "site.content"},
		{name: "content is a file", edit: func(c *BuildConfig) { c.Content = file }, want: "site.content"},
		{name: "templates missing", edit: func(c *BuildConfig) { c.Templates = filepath.Join(dir, "nope") }, want: "site.templates"},
		{name: "out is the content", edit: func(c *BuildConfig) { c.Content, c.Out = dir, dir }, want: "same folder as site.content"},
		{name: "echarts missing", edit: func(c *BuildConfig) { c.ECharts = filepath.Join(dir, "nope.js") }, want: "site.echarts"},
		{name: "echarts is a folder", edit: func(c *BuildConfig) { c.ECharts = dir }, want: "site.echarts"},
		{name: "relative base URL", edit: func(c *BuildConfig) { c.BaseURL = "/reports/" }, want: "site.base_url"},
		{name: "base URL scheme", edit: func(c *BuildConfig) { c.BaseURL = "javascript:alert(1)" }, want: "site.base_url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultBuildConfig()
			tt.edit(&cfg)
			err := cfg.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Validate() = %v, want an error with %q", err, tt.want)
			}
		})
	}
}

func TestWriteSite(t *testing.T) {
	files := []outFile{{Path: "index.html", Data: []byte("new")}, {Path: "a/b/index.html", Data: []byte("b")}}
	tests := []struct {
		name   string
		before map[string]string // files under the parent folder before
		files  []outFile
		want   map[string]string // files under the parent folder after
		err    string
	}{
		{name: "new folder", files: files,
			want: map[string]string{"public/index.html": "new", "public/a/b/index.html": "b"}},
		{name: "replaces a built site", files: files,
			before: map[string]string{"public/index.html": "old", "public/stale.html": "stale", "other.txt": "keep"},
			want:   map[string]string{"public/index.html": "new", "public/a/b/index.html": "b", "other.txt": "keep"}},
		{name: "refuses a folder that is not a site", files: files,
			before: map[string]string{"public/notes.txt": "mine"},
			want:   map[string]string{"public/notes.txt": "mine"}, err: "not a built site"},
		{name: "bad path leaves nothing", files: []outFile{{Path: "index.html"}, {Path: "../x"}},
			before: map[string]string{"public/index.html": "old"},
			want:   map[string]string{"public/index.html": "old"}, err: "invalid or duplicate"},
		{name: "duplicate path", files: []outFile{{Path: "index.html"}, {Path: "index.html"}},
			want: map[string]string{}, err: "invalid or duplicate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			writeTree(t, parent, tt.before)
			err := writeSite(filepath.Join(parent, "public"), tt.files)
			if (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("writeSite() = %v, want error %q", err, tt.err)
			}
			if diff := cmp.Diff(tt.want, readTree(t, parent)); diff != "" {
				t.Errorf("files after (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWriteSitePermissions checks that the swapped-in folder is readable by
// a web server, not left with the 0700 of a temporary folder.
func TestWriteSitePermissions(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if err := writeSite(out, []outFile{{Path: "index.html", Data: []byte("x")}}); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o755 {
		t.Errorf("%s: mode %v, want 0755", out, st.Mode().Perm())
	}
}
