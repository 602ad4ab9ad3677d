package site

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// publishTarget is where [Publish] writes a site: a folder or a bucket
// prefix. Keys are slash paths relative to the target.
type publishTarget interface {
	// list returns every object under the target with its size and
	// version (ETag, or modification time in a folder).
	list(ctx context.Context) (map[string]remoteObject, error)
	// get returns the content of the object at key.
	get(ctx context.Context, key string) ([]byte, error)
	// put writes f at f.key, replacing what is there, and returns the
	// version and size of the object written.
	put(ctx context.Context, f *buildFile) (putResult, error)
	// delete removes the objects at keys and returns how many it removed.
	delete(ctx context.Context, keys []string) (int, error)
	// keepsHeaders tells whether the target stores Content-Type,
	// Cache-Control, Content-Encoding and redirects (a bucket does).
	keepsHeaders() bool
	// String names the target for logs and errors.
	String() string
}

// remoteObject is what a listing tells of an object of the target.
type remoteObject struct {
	size int64
	etag string // the ETag without quotes; in a folder, mtimeVersion
}

// putResult is what an upload wrote.
type putResult struct {
	etag string
	size int64
}

// publishTmpPrefix starts the name of a file being written to a folder
// target. A leftover (after a crash) is not in the build, so the next
// publish deletes it.
const publishTmpPrefix = ".tmp-publish-"

// folderTarget publishes to a folder, such as the one `jobpulse serve`
// serves. A file is replaced by writing a temporary file and renaming it, so
// a reader never sees half a file.
//
// A folder has no ETag: the manifest keeps each file's modification time
// instead (see [mtimeVersion]). A file whose size and modification time are
// those the manifest recorded, and whose recorded sha256 is the build's, is
// unchanged; comparing costs one directory walk and no read of the target.
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

func (t *folderTarget) keepsHeaders() bool { return false }

// mtimeVersion is the version of a file in a folder target: its
// modification time, which any rewrite changes.
func mtimeVersion(fi fs.FileInfo) string {
	return "mtime:" + strconv.FormatInt(fi.ModTime().UnixNano(), 10)
}

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
		obj := remoteObject{size: -1} // not a regular file: always replaced
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			obj = remoteObject{size: info.Size(), etag: mtimeVersion(info)}
		}
		objs[filepath.ToSlash(rel)] = obj
		return nil
	})
	if err != nil {
		return nil, err
	}
	return objs, nil
}

func (t *folderTarget) get(ctx context.Context, key string) ([]byte, error) {
	return os.ReadFile(t.file(key))
}

func (t *folderTarget) file(key string) string {
	return filepath.Join(t.root, filepath.FromSlash(key))
}

func (t *folderTarget) put(ctx context.Context, f *buildFile) (putResult, error) {
	if err := ctx.Err(); err != nil {
		return putResult{}, err
	}
	dst := t.file(f.key)
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return putResult{}, err
	}
	src, err := f.open()
	if err != nil {
		return putResult{}, err
	}
	defer src.Close()
	tmp, err := os.CreateTemp(dir, publishTmpPrefix+"*")
	if err != nil {
		return putResult{}, err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	_, err = io.Copy(tmp, src)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	var fi fs.FileInfo
	if err == nil {
		fi, err = tmp.Stat()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return putResult{}, err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return putResult{}, err
	}
	return putResult{etag: mtimeVersion(fi), size: fi.Size()}, nil
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
