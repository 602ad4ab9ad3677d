package site

import (
	"maps"
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
	built := map[string]string{"public/index.html": "new", "public/a/b/index.html": "b", "public/" + buildMarker: buildMarkerNote}
	with := func(m map[string]string, kv ...string) map[string]string {
		m = maps.Clone(m)
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	// legacy is a site built before the marker existed, as the build writes it.
	legacy := map[string]string{
		"public/index.html": "old", "public/404.html": "nf", "public/search.json": "[]", "public/sitemap.xml": "x",
		"public/about/index.html": "a", "public/roles/data-engineer/index.html": "r",
		"public/assets/echarts.0123456789ab.min.js": "e", "public/assets/style.89abcdef0123.css": "s",
		"public/assets/img/logo.0123456789ab.svg": "l", "public/assets/LICENSE.0123456789ab": "l",
	}
	tests := []struct {
		name   string
		before map[string]string // files under the parent folder before
		files  []outFile
		want   map[string]string // files under the parent folder after
		err    string
	}{
		{name: "new folder", files: files, want: built},
		{name: "empty folder", files: files, before: map[string]string{}, want: built},
		{name: "replaces a built site", files: files,
			before: map[string]string{"public/index.html": "old", "public/stale.html": "stale", "public/" + buildMarker: "x", "other.txt": "keep"},
			want:   with(built, "other.txt", "keep")},
		{name: "replaces a site built before the marker", files: files, before: legacy, want: built},
		{name: "refuses a folder that is not a site", files: files,
			before: map[string]string{"public/notes.txt": "mine"},
			want:   map[string]string{"public/notes.txt": "mine"}, err: "holds notes.txt, which no build writes"},
		{name: "refuses a folder of pages alone", files: files,
			before: map[string]string{"public/index.html": "mine", "public/about/index.html": "a"},
			want:   map[string]string{"public/index.html": "mine", "public/about/index.html": "a"}, err: "holds no 404.html"},
		{name: "refuses a site with a file of someone else's", files: files,
			before: with(legacy, "public/notes.txt", "mine"), want: with(legacy, "public/notes.txt", "mine"),
			err: "holds notes.txt, which no build writes"},
		{name: "refuses an unhashed asset", files: files,
			before: with(legacy, "public/assets/data.db", "mine"), want: with(legacy, "public/assets/data.db", "mine"),
			err: "holds assets/data.db, which no build writes"},
		{name: "refuses pages without ECharts", files: files,
			before: map[string]string{"public/index.html": "mine", "public/404.html": "nf", "public/search.json": "[]", "public/about/index.html": "a"},
			want:   map[string]string{"public/index.html": "mine", "public/404.html": "nf", "public/search.json": "[]", "public/about/index.html": "a"},
			err:    "holds no assets/echarts.<hash>.min.js"},
		{name: "bad path leaves nothing", files: []outFile{{Path: "index.html"}, {Path: "../x"}},
			before: map[string]string{"public/index.html": "old", "public/" + buildMarker: "x"},
			want:   map[string]string{"public/index.html": "old", "public/" + buildMarker: "x"}, err: "invalid or duplicate"},
		{name: "the marker is not a page", files: []outFile{{Path: "index.html"}, {Path: buildMarker}},
			want: map[string]string{}, err: "invalid or duplicate"},
		{name: "duplicate path", files: []outFile{{Path: "index.html"}, {Path: "index.html"}},
			want: map[string]string{}, err: "invalid or duplicate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			writeTree(t, parent, tt.before)
			if tt.before != nil {
				if err := os.MkdirAll(filepath.Join(parent, "public"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
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
