package site

import (
	"context"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// A templated page makes a page per value of a column, at a URL made from
// the value: values from outside (titles, companies, tags) must never make
// a file outside the output folder, or a name the file system refuses.

// hostileValues are values of a templated page's parameter aimed at its
// output path.
var hostileValues = []string{
	"Backend Engineer", "../../etc/passwd", "/etc/passwd", "..", ".", "", "a/b", `a\b`, `..\..\x`, `C:\Windows`,
	"C:", "CON", "NUL.txt", "%2e%2e%2f", "日本語", "\u202egnp.exe", "go", "\u202ego", "C++", "c-plus-plus",
	strings.Repeat("a", 300), strings.Repeat("é", 200), strings.Repeat("ab ", 100) + "/..",
	"x\x00y", "\xff\xfe", "index.html", "-", "--a--",
}

// FuzzPageSlug checks, for any two values of a templated page's parameter,
// that each gets a URL path segment that stays one segment of a path inside
// the output folder, no longer than a file name may be, and that two
// different values never share one. It checks the page path of a content
// file name too.
func FuzzPageSlug(f *testing.F) {
	for _, v := range hostileValues {
		f.Add(v, "Backend Engineer")
		f.Add(v, v+" ")
	}
	f.Add("roles/[role].md", "x")
	f.Add("a/index.md", "x")
	f.Add("a\\..\\..\\b.md", "x")
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, v := range []string{a, b} {
			if s := slug(v); s != "" && !slugForm.MatchString(s) {
				t.Fatalf("slug(%q) = %q: not lower-case letters and digits between single dashes", v, s)
			}
		}
		segs := pageSlugs([]string{a, b})
		for i, s := range segs {
			checkSegment(t, []string{a, b}[i], s)
		}
		if a != b && segs[0] == segs[1] {
			t.Fatalf("values %q and %q both make /%s/", a, b, segs[0])
		}
		// A content file name, as loadPages finds them (no hidden file or
		// folder), makes an output path inside the output folder.
		if fs.ValidPath(a) && path.Ext(a) == ".md" && !strings.HasPrefix(a, ".") && !strings.Contains(a, "/.") {
			url, out := pageURL(a)
			if !fs.ValidPath(out) || !filepath.IsLocal(filepath.FromSlash(out)) || path.Base(out) != "index.html" ||
				url != "/"+strings.TrimSuffix(out, "index.html") {
				t.Fatalf("pageURL(%q) = %q, %q: not a page inside the output folder", a, url, out)
			}
		}
	})
}

// slugForm is what slug returns (when not empty).
var slugForm = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// checkSegment checks the URL path segment s made from value v: one name,
// of a file system's length, making a path inside the output folder.
func checkSegment(t *testing.T, v, s string) {
	t.Helper()
	out := path.Join("roles", s, "index.html")
	switch {
	case s == "" || s == "." || s == "..":
		t.Fatalf("value %q makes the segment %q", v, s)
	case len(s) > 255:
		t.Fatalf("value %q makes a segment of %d bytes, longer than a file name may be", v, len(s))
	case strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789-_") != "":
		t.Fatalf("value %q makes the segment %q: not lower-case letters, digits, - and _", v, s)
	case out != "roles/"+s+"/index.html" || !fs.ValidPath(out) || !filepath.IsLocal(filepath.FromSlash(out)):
		t.Fatalf("value %q makes the path %q, not inside roles/", v, out)
	}
}

// TestTemplatedPagePaths builds a templated page over the hostile values:
// every page is written, inside the output folder, under a valid name.
func TestTemplatedPagePaths(t *testing.T) {
	pool := pgtest.New(t)
	seedRun(t, pool, false, nil)
	var values []string
	for _, v := range hostileValues {
		if !strings.ContainsRune(v, 0) && !strings.Contains(v, "\xff") { // PostgreSQL text holds neither
			values = append(values, "('"+strings.ReplaceAll(v, "'", "''")+"')")
		}
	}
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	writeTree(t, content, map[string]string{
		"index.md": testPage("title: Home\n", "# Home\n"),
		"roles/[role].md": testPage("title: \"{role}\"\npages: roles\nqueries:\n  roles: SELECT DISTINCT role FROM (VALUES "+
			strings.Join(values, ", ")+") AS v (role)\n", "# {role}\n"),
	})
	cfg := testConfig(t)
	cfg.Out = filepath.Join(dir, "out", "public")
	cfg.Content = content
	res, err := Build(context.Background(), pool, cfg, nil)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if want := 1 + len(values); res.Pages != want {
		t.Errorf("built %d pages, want %d", res.Pages, want)
	}
	pages := 0
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(cfg.Out, p)
		if err != nil {
			return err
		}
		switch {
		case strings.HasPrefix(p, content+string(filepath.Separator)):
		case !filepath.IsLocal(rel) || !fs.ValidPath(filepath.ToSlash(rel)):
			t.Errorf("the build wrote %s, outside %s", p, cfg.Out)
		case strings.HasPrefix(rel, "roles"+string(filepath.Separator)) && d.Name() == "index.html":
			pages++
			if seg := filepath.Base(filepath.Dir(rel)); len(seg) > 255 {
				t.Errorf("page folder of %d bytes", len(seg))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages != len(values) {
		t.Errorf("found %d pages under roles/, want %d", pages, len(values))
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "out")); len(entries) != 1 {
		t.Errorf("the output's parent holds %d entries, want public only", len(entries))
	}
}
