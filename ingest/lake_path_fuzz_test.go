package ingest

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/internal/objstore"
)

// Keys are made from text that comes from outside: source names from the
// configuration, run ids read back from manifests, page names. Whatever
// they hold, a raw page's key stays under raw/source=<source>/date=/run=/,
// the folder lake never touches a file outside its folder, and an S3 key
// stays under the lake's prefix.

// FuzzLakeKey checks, for any source, date, run id and name, the key that
// RawKey makes, the file the folder lake maps it to and the S3 object key;
// and for any string taken as a key (name), that ValidateKey only accepts
// keys that name a file inside the lake.
func FuzzLakeKey(f *testing.F) {
	for _, s := range [][3]string{
		{"remotive", "20261129T012823Z-3f9a", "page-0001.json"},
		{"board", "r1", "detail-0123456789abcdef.html"},
		{"../../etc", "../..", "../../../runs/run=x.json"},
		{"a/../../../..", "r", "passwd"},
		{"", "", ""},
		{".", ".", "."},
		{"..", "..", ".."},
		{`a\..\..\b`, "r\x00", "x\x00y"},
		{"/abs", "/abs", "/abs"},
		{"source=a/date=2026-01-01", "run=b/c", "d/e"},
		{"C:", "C:x", `C:\Windows\system32`},
		{"%2F", "%00", "%2E%2E"},
		{"日本語", "\u202e", strings.Repeat("n", 300)},
	} {
		f.Add(s[0], s[1], s[2], int64(1795829303), "prefix/p")
	}
	f.Add("remotive", "r", "p", int64(-62135596800-86400), "")
	f.Add("remotive", "r", "p", int64(253402300800), "a/./b")
	f.Fuzz(func(t *testing.T, source, runID, name string, unix int64, prefix string) {
		date := time.Unix(unix, 0)
		key := RawKey(source, date, runID, name)
		if err := ValidateKey(key); err != nil {
			t.Fatalf("RawKey(%q, %v, %q, %q) = %q: %v", source, date, runID, name, key, err)
		}
		parts := strings.Split(key, "/")
		want := []string{"raw", "source=" + keySegment.Replace(source), "date=" + date.UTC().Format(time.DateOnly),
			"run=" + keySegment.Replace(runID)}
		if len(parts) != 5 || !cmp.Equal(parts[:4], want) {
			t.Fatalf("RawKey(%q, %v, %q, %q) = %q: not raw/source=/date=/run=/name", source, date, runID, name, key)
		}
		// What jobpulse makes is kept as it is.
		if plainSegment(source) && parts[1] != "source="+source || plainSegment(runID) && parts[3] != "run="+runID ||
			plainSegment(name) && name != "" && name != "." && name != ".." && parts[4] != name {
			t.Fatalf("RawKey(%q, %v, %q, %q) = %q: changed a plain part", source, date, runID, name, key)
		}
		checkLocal(t, key)
		if m := ManifestKey(runID); ValidateKey(m) != nil || strings.Count(m, "/") != 1 || !strings.HasPrefix(m, "runs/run=") {
			t.Fatalf("ManifestKey(%q) = %q: not one key under runs/", runID, m)
		}

		// Any string as a key: valid only when it names a file inside.
		if ValidateKey(name) == nil {
			checkLocal(t, name)
		}

		// The S3 key, under a prefix that parses.
		if _, pfx, err := objstore.ParseURL("s3://lake/" + prefix); err == nil {
			full := objstore.JoinKey(pfx, key)
			if pfx != "" && !strings.HasPrefix(full, pfx+"/") || path.Clean(full) != full ||
				strings.TrimPrefix(full, pfx+"/") != key && pfx != "" {
				t.Fatalf("S3 key of %q under prefix %q = %q: not under the prefix", key, pfx, full)
			}
		}
	})
}

// plainSegment reports whether s can be a key segment as it is.
func plainSegment(s string) bool { return !strings.ContainsAny(s, "/\\\x00") }

// checkLocal checks that a valid key is clean and that the folder lake
// maps it to a file inside its folder.
func checkLocal(t *testing.T, key string) {
	t.Helper()
	if path.Clean(key) != key || path.IsAbs(key) || key == ".." || strings.HasPrefix(key, "../") {
		t.Fatalf("valid key %q is not a clean relative path", key)
	}
	p, err := keyPath(key)
	if err != nil {
		if validateFolderKey(key) == nil {
			t.Fatalf("keyPath(%q): %v", key, err)
		}
		return
	}
	root := filepath.FromSlash("/lake/root")
	if full := filepath.Join(root, p); !filepath.IsLocal(p) || !strings.HasPrefix(full, root+string(filepath.Separator)) {
		t.Fatalf("key %q maps to %s, outside %s", key, full, root)
	}
}

// TestFolderLakeStaysInside writes and reads hostile keys, and keys through
// symbolic links that point out of the lake: nothing outside the folder is
// written or read.
func TestFolderLakeStaysInside(t *testing.T) {
	ctx := context.Background()
	top := t.TempDir()
	dir, outside := filepath.Join(top, "lake"), filepath.Join(top, "outside")
	for _, d := range []string{dir, outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	secret := filepath.Join(outside, "secret")
	if err := os.WriteFile(secret, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A link in the lake to the outside folder, one to a file outside, and
	// the lake reached through a link to its folder.
	for _, l := range [][2]string{{outside, filepath.Join(dir, "out")}, {secret, filepath.Join(dir, "secret.json")},
		{dir, filepath.Join(top, "link")}} {
		if err := os.Symlink(l[0], l[1]); err != nil {
			t.Fatal(err)
		}
	}
	lake, err := NewFolderLake(filepath.Join(top, "link"))
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, key string
		ok        bool
	}{
		{name: "plain", key: "raw/source=a/date=2026-11-29/run=r/page-0001.json", ok: true},
		{name: "made from hostile parts", key: RawKey("../../outside", time.Unix(0, 0), "../..", "../secret"), ok: true},
		{name: "dot-dot", key: "../outside/x"},
		{name: "dot-dot inside", key: "raw/../../outside/x"},
		{name: "absolute", key: secret},
		{name: "backslashes", key: `raw\..\..\outside\x`},
		{name: "NUL", key: "raw/x\x00y"},
		{name: "through a link to a folder outside", key: "out/x"},
		{name: "link to a file outside", key: "secret.json"},
		{name: "overlong name", key: "raw/" + strings.Repeat("n", 300)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := lake.Put(ctx, tt.key, []byte("evil"), Meta{})
			if (err == nil) != tt.ok {
				t.Errorf("Put(%q) = %v, want ok %v", tt.key, err, tt.ok)
			}
			body, _, err := lake.Get(ctx, tt.key)
			if (err == nil) != tt.ok || err == nil && string(body) != "evil" {
				t.Errorf("Get(%q) = %q, %v; want ok %v", tt.key, body, err, tt.ok)
			}
		})
	}
	entries, err := os.ReadDir(outside)
	if err != nil || len(entries) != 1 {
		t.Errorf("the folder outside the lake holds %v (%v), want only secret", entries, err)
	}
	if b, err := os.ReadFile(secret); err != nil || string(b) != "secret" {
		t.Errorf("the file outside the lake reads %q, %v", b, err)
	}
	if entries, _ := os.ReadDir(top); len(entries) != 3 {
		t.Errorf("the lake's parent folder holds %d entries, want lake, outside, link", len(entries))
	}
}
