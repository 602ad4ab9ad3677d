package site

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
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
