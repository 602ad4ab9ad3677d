package site

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// publishTarget is where [Publish] writes a site: a folder or a bucket
// prefix. Keys are slash paths relative to the target.
type publishTarget interface {
	// list returns every object under the target. It may leave out the
	// sha256 and headers, which stat returns.
	list(ctx context.Context) (map[string]remoteObject, error)
	// stat returns everything the target knows of the object at key.
	stat(ctx context.Context, key string) (remoteObject, error)
	// put writes f at f.key, replacing what is there.
	put(ctx context.Context, f buildFile) error
	// delete removes the objects at keys and returns how many it removed.
	delete(ctx context.Context, keys []string) (int, error)
	// String names the target for logs and errors.
	String() string
}

// publishTmpPrefix starts the name of a file being written to a folder
// target. A leftover (after a crash) is not in the build, so the next
// publish deletes it.
const publishTmpPrefix = ".tmp-publish-"

// folderTarget publishes to a folder, such as the one `jobpulse serve`
// serves. A file is replaced by writing a temporary file and renaming it, so
// a reader never sees half a file.
type folderTarget struct {
	root string // absolute
}

func newFolderTarget(dir string) (*folderTarget, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("site: publish.target %q: %w", dir, err)
	}
	if st, err := os.Stat(abs); err == nil && !st.IsDir() {
		return nil, fmt.Errorf("site: publish.target %q is a file, not a folder", dir)
	}
	return &folderTarget{root: abs}, nil
}

func (t *folderTarget) String() string { return t.root }

func (t *folderTarget) list(ctx context.Context) (map[string]remoteObject, error) {
	objs := map[string]remoteObject{}
	err := filepath.WalkDir(t.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == t.root && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll // not created yet
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(t.root, p)
		if err != nil {
			return err
		}
		size := int64(-1) // not a regular file: always replaced
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			size = info.Size()
		}
		objs[filepath.ToSlash(rel)] = remoteObject{size: size}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return objs, nil
}

func (t *folderTarget) stat(ctx context.Context, key string) (remoteObject, error) {
	f, err := os.Open(t.file(key))
	if errors.Is(err, fs.ErrNotExist) {
		return remoteObject{size: -1}, nil // removed since listed: upload
	}
	if err != nil {
		return remoteObject{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return remoteObject{}, err
	}
	return remoteObject{size: n, sha256: hex.EncodeToString(h.Sum(nil))}, nil
}

func (t *folderTarget) file(key string) string {
	return filepath.Join(t.root, filepath.FromSlash(key))
}

func (t *folderTarget) put(ctx context.Context, f buildFile) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	dst := t.file(f.key)
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	src, err := f.open()
	if err != nil {
		return err
	}
	defer src.Close()
	tmp, err := os.CreateTemp(dir, publishTmpPrefix+"*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	_, err = io.Copy(tmp, src)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

func (t *folderTarget) delete(ctx context.Context, keys []string) (int, error) {
	n := 0
	for _, key := range keys {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		p := t.file(key)
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return n, err
		}
		n++
		t.pruneEmpty(filepath.Dir(p))
	}
	return n, nil
}

// pruneEmpty removes dir and its parents while they are empty, up to (not
// including) the root.
func (t *folderTarget) pruneEmpty(dir string) {
	for dir != t.root && strings.HasPrefix(dir, t.root+string(filepath.Separator)) {
		if os.Remove(dir) != nil { // not empty, or gone
			return
		}
		dir = filepath.Dir(dir)
	}
}
