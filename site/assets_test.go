package site

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/content"
	"github.com/jobpulse/jobpulse/templates"
)

func TestHashedName(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{name: "one extension", in: "site.js", want: "site.abc.js"},
		{name: "two extensions", in: "echarts.min.js", want: "echarts.abc.min.js"},
		{name: "in a folder", in: "img/logo.svg", want: "img/logo.abc.svg"},
		{name: "no extension", in: "LICENSE", want: "LICENSE.abc"},
		{name: "dot file", in: ".x", want: ".x.abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hashedName(tt.in, "abc"); got != tt.want {
				t.Errorf("hashedName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLoadAssets(t *testing.T) {
	fsys := fstest.MapFS{
		"assets/site.js":    {Data: []byte("x")},
		"assets/img/a.svg":  {Data: []byte("<svg/>")},
		"assets/.gitignore": {Data: []byte("skip")},
		"layouts/base.html": {Data: []byte("not an asset")},
	}
	a, err := loadAssets(fsys, "templates", BuildConfig{ECharts: stubECharts})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"site.js":        "assets/site.2d711642b726.js", // sha256("x")
		"img/a.svg":      "assets/img/a.",
		"echarts.min.js": "assets/echarts.",
	}
	for name, prefix := range want {
		p, err := a.path(name)
		if err != nil || !strings.HasPrefix(p, prefix) {
			t.Errorf("path(%q) = %q, %v; want prefix %q", name, p, err, prefix)
		}
	}
	if len(a.files()) != 3 {
		t.Errorf("%d files, want 3: %v", len(a.files()), a.paths)
	}
	if _, err := a.path("nope.css"); err == nil {
		t.Error("path of a missing asset: no error")
	}
}

func TestFindECharts(t *testing.T) {
	dir := t.TempDir()
	own := filepath.Join(dir, "tpl", echartsInPackage)
	writeTree(t, dir, map[string]string{filepath.ToSlash(filepath.Join("tpl", echartsInPackage)): "x"})
	tests := []struct {
		name     string
		cfg      BuildConfig
		embedded []byte // the bundle in the binary
		want     string // path found ("" for the bundle), or a part of the error
		err      bool
	}{
		{name: "site.echarts", cfg: BuildConfig{ECharts: stubECharts}, embedded: []byte("bundle"), want: stubECharts},
		{name: "site.echarts missing", cfg: BuildConfig{ECharts: filepath.Join(dir, "nope.js")}, embedded: []byte("bundle"), want: "site.echarts", err: true},
		{name: "templates folder", cfg: BuildConfig{Templates: filepath.Join(dir, "tpl")}, embedded: []byte("bundle"), want: own},
		{name: "the bundle in the binary", cfg: BuildConfig{Templates: dir}, embedded: []byte("bundle"), want: ""},
		{name: "the bundle, embedded templates", cfg: BuildConfig{}, embedded: []byte("bundle"), want: ""},
		{name: "templates folder, no bundle", cfg: BuildConfig{Templates: filepath.Join(dir, "tpl")}, want: own},
		{name: "nowhere", cfg: BuildConfig{Templates: dir}, err: true,
			want: "built without its ECharts bundle, and found none beside it (looked in " + filepath.Join(dir, echartsInPackage) + ", " +
				filepath.Join("templates", echartsInPackage)},
		{name: "nowhere says how", cfg: BuildConfig{Templates: dir}, err: true,
			want: "in the jobpulse checkout run `npm ci --prefix templates && go generate ./templates` and build jobpulse again, or set site.echarts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := embeddedECharts
			embeddedECharts = tt.embedded
			t.Cleanup(func() { embeddedECharts = old })
			got, err := findECharts(tt.cfg)
			if (err != nil) != tt.err {
				t.Fatalf("findECharts = %q, %v; want an error: %v", got, err, tt.err)
			}
			if err != nil {
				if !strings.Contains(err.Error(), tt.want) {
					t.Errorf("findECharts: %v\nwant %q in it", err, tt.want)
				}
				if strings.HasPrefix(tt.name, "nowhere") && !errors.Is(err, ErrNoECharts) {
					t.Errorf("error %v does not wrap ErrNoECharts", err)
				}
				return
			}
			if got != tt.want {
				t.Errorf("findECharts = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestEChartsFromBundle checks that a build with nothing configured serves
// the bundle built into the binary, byte for byte.
func TestEChartsFromBundle(t *testing.T) {
	old := embeddedECharts
	embeddedECharts = []byte("/* the bundle */")
	t.Cleanup(func() { embeddedECharts = old })
	a, err := loadAssets(templates.FS, "templates", BuildConfig{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := a.path(echartsFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range a.files() {
		if f.Path == p && string(f.Data) != "/* the bundle */" {
			t.Errorf("%s holds %q, want the bundle", p, f.Data)
		}
	}
}

// TestEmbeddedTemplates checks that the embedded defaults parse and hold
// what the build needs, and that the embedded content has its home page.
func TestEmbeddedTemplates(t *testing.T) {
	a, err := loadAssets(templates.FS, "templates", BuildConfig{ECharts: stubECharts})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseLayouts(templates.FS, a); err != nil {
		t.Fatal(err)
	}
	want := []string{"echarts.min.js", "favicon.svg", "site.js", "style.css"}
	if diff := cmp.Diff(want, slices.Sorted(maps.Keys(a.paths))); diff != "" {
		t.Errorf("assets (-want +got):\n%s", diff)
	}
	pages, err := loadPages(content.FS, "content")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(pages, func(p *page) bool { return p.url == "/" })
	if i < 0 || len(pages[i].blocks) == 0 {
		t.Errorf("embedded content: want a home page with charts or tables")
	}
}

// TestRoleSlugs checks that every role the normalizer can give
// (ingest/normalize/rules/roles.tsv) makes a slug of its own: the embedded
// report's roles/[role].md fails the build on two roles with one URL.
func TestRoleSlugs(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "ingest", "normalize", "rules", "roles.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	bySlug := map[string]string{}
	for line := range strings.SplitSeq(string(b), "\n") {
		role, _, ok := strings.Cut(line, "\t")
		if !ok || strings.HasPrefix(role, "#") || strings.TrimSpace(role) == "" || role == "-" { // "-": words that name no role
			continue
		}
		s := slug(role)
		if s == "" {
			t.Errorf("role %q makes no slug", role)
		}
		if other, ok := bySlug[s]; ok && other != role {
			t.Errorf("roles %q and %q both make /roles/%s/", other, role, s)
		}
		bySlug[s] = role
	}
	if len(bySlug) < 20 {
		t.Errorf("%d roles read from roles.tsv: the file's format changed?", len(bySlug))
	}
}

// TestCheckECharts checks that a command can learn before any work that
// the build will find no ECharts, and how to get it.
func TestCheckECharts(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"own/assets/echarts.min.js": "x", "bare/layouts/base.html": ""})
	tests := []struct {
		name     string
		cfg      BuildConfig
		embedded []byte
		want     error
	}{
		{name: "the bundle in the binary", cfg: BuildConfig{}, embedded: []byte("bundle")},
		{name: "templates with their own", cfg: BuildConfig{Templates: filepath.Join(dir, "own")}},
		{name: "site.echarts", cfg: BuildConfig{ECharts: stubECharts}},
		{name: "nowhere", cfg: BuildConfig{Templates: filepath.Join(dir, "bare")}, want: ErrNoECharts},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := embeddedECharts
			embeddedECharts = tt.embedded
			t.Cleanup(func() { embeddedECharts = old })
			err := tt.cfg.CheckECharts()
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("CheckECharts = %v, want %v", err, tt.want)
			}
			if err != nil && !strings.Contains(err.Error(), "npm ci --prefix templates && go generate ./templates") {
				t.Errorf("CheckECharts = %v: does not say how to get ECharts", err)
			}
		})
	}
}
