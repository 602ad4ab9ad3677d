package publish

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPublishFolder(t *testing.T) {
	runPublishTests(t, publishBackend{
		newTarget: func(t *testing.T) string { return filepath.Join(t.TempDir(), "www") },
		read: func(t *testing.T, location string) map[string]publishedObject {
			t.Helper()
			got := map[string]publishedObject{}
			err := filepath.WalkDir(location, func(p string, d fs.DirEntry, err error) error {
				if p == location && errors.Is(err, fs.ErrNotExist) {
					return fs.SkipAll // not published yet
				}
				if err != nil || d.IsDir() {
					return err
				}
				b, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				rel, _ := filepath.Rel(location, p)
				got[filepath.ToSlash(rel)] = publishedObject{Body: string(b)}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return got
		},
		write: func(t *testing.T, location, key, body string) {
			t.Helper()
			writeSource(t, location, map[string]string{key: body})
		},
		hold: func(t *testing.T, location, holder string) func() {
			t.Helper()
			// What another process's publish does: a flock on the lock file.
			if err := os.MkdirAll(location, 0o755); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(location, lockKey)
			f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
				t.Fatal(err)
			}
			body, _ := json.Marshal(LockHolder{Holder: holder, Host: "other-host", PID: 4242, Since: time.Now()})
			if _, err := f.Write(body); err != nil {
				t.Fatal(err)
			}
			return func() {
				os.Remove(p)
				f.Close()
			}
		},
		failing: func(t *testing.T, location, key string) string {
			t.Helper()
			// A non-empty folder where the file goes: the rename fails.
			writeSource(t, location, map[string]string{key + "/blocker": "x"})
			return location
		},
	})
}

// TestPublishFolderPrunes checks that deleting the last file of a folder
// removes the folder, and that the files are world-readable for a web server.
func TestPublishFolderPrunes(t *testing.T) {
	src, target := t.TempDir(), filepath.Join(t.TempDir(), "www")
	writeSource(t, src, map[string]string{"index.html": "home", "a/b/c.html": "deep"})
	publishOK(t, src, target)
	st, err := os.Stat(filepath.Join(target, "a", "b", "c.html"))
	if err != nil {
		t.Fatal(err)
	}
	if perm := st.Mode().Perm(); perm != 0o644 {
		t.Errorf("published file mode = %v, want 0644", perm)
	}
	if err := os.RemoveAll(filepath.Join(src, "a")); err != nil {
		t.Fatal(err)
	}
	publishOK(t, src, target)
	if _, err := os.Stat(filepath.Join(target, "a")); !os.IsNotExist(err) {
		t.Errorf("emptied folder a/ still there: %v", err)
	}
}

// removeFile removes the file at key of the folder dir.
func removeFile(dir, key string) error {
	return os.Remove(filepath.Join(dir, filepath.FromSlash(key)))
}

// readLinkTree returns every file and link under dir: a file as its content, a
// link as "-> " and its target.
func readLinkTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.Type()&fs.ModeSymlink != 0 {
			to, err := os.Readlink(p)
			got[filepath.ToSlash(rel)] = "-> " + to
			return err
		}
		b, err := os.ReadFile(p)
		got[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestPublishFolderSymlinks is issue 13, point 7: symbolic links planted in
// a published folder, pointing outside it (a folder where the build has a
// folder, a nested folder, a file where the build has a file, a folder the
// build no longer has), are replaced or removed, and nothing outside the
// target is written, read or deleted; a manifest that is a link out of the
// target is an error naming it, with nothing outside changed either.
func TestPublishFolderSymlinks(t *testing.T) {
	src, target, outside := t.TempDir(), filepath.Join(t.TempDir(), "www"), t.TempDir()
	writeSource(t, outside, map[string]string{
		"keep.txt":          "the operator's file",
		"secret/creds.json": `{"password":"hunter2"}`,
		"sub/notes.md":      "notes",
	})
	before := readLinkTree(t, outside)
	files := map[string]string{
		"index.html":                   "<h1>home</h1>",
		"robots.txt":                   "User-agent: *\n",
		"assets/site.0123456789ab.css": "body{margin:0}",
		"assets/app.0123456789ab.js":   "var a;",
		"roles/index.html":             "<h1>roles</h1>",
		"roles/backend/index.html":     "<h1>backend</h1>",
		"places/index.html":            "<h1>places</h1>",
		"old/index.html":               "<h1>old</h1>",
	}
	writeSource(t, src, files)
	publishOK(t, src, target)

	// An attacker with write access to the folder swaps parts for links.
	link := func(at, to string) {
		t.Helper()
		p := filepath.Join(target, filepath.FromSlash(at))
		if err := os.RemoveAll(p); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(to, p); err != nil {
			t.Fatal(err)
		}
	}
	link("assets", outside)
	link("roles/backend", filepath.Join(outside, "sub"))
	link("robots.txt", filepath.Join(outside, "keep.txt"))
	link("old", filepath.Join(outside, "secret"))
	rel, err := filepath.Rel(target, filepath.Join(outside, "sub"))
	if err != nil {
		t.Fatal(err)
	}
	link("places", rel) // relative, out of the target
	delete(files, "old/index.html")
	if err := os.RemoveAll(filepath.Join(src, "old")); err != nil {
		t.Fatal(err)
	}
	files["assets/site.0123456789ab.css"] = "body{margin:1px}"
	writeSource(t, src, files)

	if _, err := Publish(context.Background(), publishConfig(src, target), nil); err != nil {
		t.Errorf("Publish over planted links: %v", err)
	}
	if diff := cmp.Diff(before, readLinkTree(t, outside)); diff != "" {
		t.Errorf("outside the target changed (-before +after):\n%s", diff)
	}
	got := readLinkTree(t, target)
	delete(got, MarkerKey)
	if diff := cmp.Diff(files, got); diff != "" {
		t.Errorf("target after the publish (-want +got):\n%s", diff)
	}

	// A manifest that links out of the target is never read.
	link(MarkerKey, filepath.Join(outside, "secret", "creds.json"))
	_, err = Publish(context.Background(), publishConfig(src, target), nil)
	if err == nil || !strings.Contains(err.Error(), MarkerKey) {
		t.Errorf("Publish with a linked manifest: got %v, want an error naming %s", err, MarkerKey)
	}
	if diff := cmp.Diff(before, readLinkTree(t, outside)); diff != "" {
		t.Errorf("outside the target changed (-before +after):\n%s", diff)
	}
}
