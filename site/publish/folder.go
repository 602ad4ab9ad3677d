package publish

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"sync"
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
	// lock takes the target's publish lock for req, and returns the
	// function that releases it.
	lock(ctx context.Context, req lockRequest) (release func(context.Context) error, err error)
	// close frees what the target holds open.
	close() error
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
// Every read, write, rename and delete goes through an [os.Root] on the
// folder, so none can leave it, and publish follows no symbolic link of
// the target at all: the listing does not enter linked folders, a link
// where the build has a folder is replaced by a real folder before anything
// is written there (nothing is ever written through it), a link where the
// build has a file is replaced by the file (the rename replaces the link,
// not what it points to), and a stale link is removed, not what it points
// to. A link out of the target that publish would have to read (the
// manifest) is an error naming it.
//
// A folder has no ETag: the manifest keeps each file's modification time
// instead (see [mtimeVersion]). A file whose size and modification time are
// those the manifest recorded, and whose recorded sha256 is the build's, is
// unchanged; comparing costs one directory walk and no read of the target.
type folderTarget struct {
	path string   // absolute
	root *os.Root // nil while the folder does not exist (a dry run creates none)

	// dirs serialises [folderTarget.mkdirs]: two uploads into a folder
	// that is a link would otherwise race, one removing the link and
	// making the folder, the other (having seen the link) removing the
	// new, still empty folder before the first writes into it.
	dirs sync.Mutex
}

// newFolderTarget opens the folder dir, creating it when create is set (a
// dry run writes nothing, and reads a missing folder as an empty one).
func newFolderTarget(dir string, create bool) (*folderTarget, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("site: publish.target %q: %w", dir, err)
	}
	if st, err := os.Stat(abs); err == nil && !st.IsDir() {
		return nil, fmt.Errorf("site: publish.target %q is a file, not a folder", dir)
	}
	t := &folderTarget{path: abs}
	if create {
		if err := os.MkdirAll(abs, 0o755); err != nil {
			return nil, fmt.Errorf("site: publish.target %q: %w", dir, err)
		}
	}
	if t.root, err = os.OpenRoot(abs); err != nil {
		if !create && errors.Is(err, fs.ErrNotExist) {
			return t, nil
		}
		return nil, fmt.Errorf("site: publish.target %q: %w", dir, err)
	}
	return t, nil
}

func (t *folderTarget) String() string { return t.path }

func (t *folderTarget) keepsHeaders() bool { return false }

func (t *folderTarget) close() error {
	if t.root == nil {
		return nil
	}
	return t.root.Close()
}

// mtimeVersion is the version of a file in a folder target: its
// modification time, which any rewrite changes.
func mtimeVersion(fi fs.FileInfo) string {
	return "mtime:" + strconv.FormatInt(fi.ModTime().UnixNano(), 10)
}

func (t *folderTarget) list(ctx context.Context) (map[string]remoteObject, error) {
	objs := map[string]remoteObject{}
	if t.root == nil {
		return objs, nil // not created yet
	}
	// fs.WalkDir lists a symbolic link as a file and never enters it.
	err := fs.WalkDir(t.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() || p == lockKey {
			return nil
		}
		obj := remoteObject{size: -1} // not a regular file: always replaced
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			obj = remoteObject{size: info.Size(), etag: mtimeVersion(info)}
		}
		objs[p] = obj
		return nil
	})
	if err != nil {
		return nil, err
	}
	return objs, nil
}

func (t *folderTarget) get(ctx context.Context, key string) ([]byte, error) {
	if t.root == nil {
		return nil, fmt.Errorf("%s: %w", key, fs.ErrNotExist)
	}
	fi, err := t.root.Lstat(key)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s): publish never follows a link of its target; remove it", key, fi.Mode().Type())
	}
	return t.root.ReadFile(key)
}

// mkdirs makes dir (a slash path) and its parents in the target as real
// folders: a symbolic link on the way is removed and replaced by a folder,
// so nothing is written through it, wherever it points.
func (t *folderTarget) mkdirs(dir string) error {
	t.dirs.Lock()
	defer t.dirs.Unlock()
	return t.mkdirsLocked(dir)
}

func (t *folderTarget) mkdirsLocked(dir string) error {
	if dir == "." {
		return nil
	}
	if err := t.mkdirsLocked(path.Dir(dir)); err != nil {
		return err
	}
	for range 3 { // another process may be making the same folder
		fi, err := t.root.Lstat(dir)
		switch {
		case err == nil && fi.IsDir():
			return nil
		case err == nil && fi.Mode()&fs.ModeSymlink != 0:
			if err := t.root.Remove(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("replace the symbolic link %s by a folder: %w", dir, err)
			}
		case err == nil:
			return fmt.Errorf("%s is a %s, not a folder", dir, fi.Mode().Type())
		case !errors.Is(err, fs.ErrNotExist):
			return err
		}
		if err := t.root.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	return fmt.Errorf("%s: could not make it a folder", dir)
}

func (t *folderTarget) put(ctx context.Context, f *buildFile) (putResult, error) {
	if err := ctx.Err(); err != nil {
		return putResult{}, err
	}
	dir := path.Dir(f.key)
	if err := t.mkdirs(dir); err != nil {
		return putResult{}, err
	}
	src, err := f.open()
	if err != nil {
		return putResult{}, err
	}
	defer src.Close()
	tmpName := path.Join(dir, publishTmpPrefix+rand.Text())
	tmp, err := t.root.OpenFile(tmpName, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return putResult{}, err
	}
	defer t.root.Remove(tmpName) // fails harmlessly once renamed
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
	// A rename replaces a symbolic link at f.key, never what it points to.
	if err := t.root.Rename(tmpName, f.key); err != nil {
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
		fi, err := t.root.Lstat(key)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return n, err
		case fi.IsDir():
			// A symbolic link listed here was replaced by a folder of the
			// build during this publish: the link is gone, the folder stays.
		default:
			if err := t.root.Remove(key); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return n, err
			}
		}
		n++
		t.pruneEmpty(path.Dir(key))
	}
	return n, nil
}

// pruneEmpty removes dir (a slash path) and its parents while they are
// empty, up to (not including) the root.
func (t *folderTarget) pruneEmpty(dir string) {
	for dir != "." && dir != "/" {
		if t.root.Remove(dir) != nil { // not empty, or gone
			return
		}
		dir = path.Dir(dir)
	}
}
