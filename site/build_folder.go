package site

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrOutsideFolder is wrapped by the error of a build that met a symbolic
// link in site.content or site.templates leading out of that folder (or an
// absolute one). The build never follows such a link: a link to
// /proc/self/environ or ~/.aws/credentials would otherwise be published as
// an asset, a page or the SQL shown on a page.
var ErrOutsideFolder = errors.New("a symbolic link leads out of the folder")

// errNotRegular is the cause for a content or template file that is not a
// regular file (a FIFO would block the build, a device read without end).
var errNotRegular = errors.New("not a regular file")

// folderFS reads a folder of content or templates without ever leaving it:
// every name is resolved by an [os.Root], which follows a relative symbolic
// link that stays inside the folder and refuses one that leads out of it or
// is absolute. Errors name the file as the user knows it (the folder joined
// with the name) and, for a refused link, the link and where it points.
// Only regular files are read.
type folderFS struct {
	root *os.Root
	fsys fs.FS
	key  string // site.content or site.templates, for messages
	dir  string // the folder as configured
}

var (
	_ fs.ReadFileFS = (*folderFS)(nil)
	_ fs.ReadDirFS  = (*folderFS)(nil)
	_ fs.StatFS     = (*folderFS)(nil)
)

// openFolder opens dir, the value of the setting key, for reading.
func openFolder(key, dir string) (*folderFS, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("site: %s %q: %w", key, dir, err)
	}
	return &folderFS{root: root, fsys: root.FS(), key: key, dir: dir}, nil
}

// Close releases the folder.
func (f *folderFS) Close() error { return f.root.Close() }

// Open opens a file or folder of the tree.
func (f *folderFS) Open(name string) (fs.File, error) {
	file, err := f.fsys.Open(name)
	if err != nil {
		return nil, f.explain("open", name, err)
	}
	return file, nil
}

// ReadFile reads a regular file of the tree.
func (f *folderFS) ReadFile(name string) ([]byte, error) {
	st, err := fs.Stat(f.fsys, name)
	if err != nil {
		return nil, f.explain("read", name, err)
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: f.display(name), Err: fmt.Errorf("%w (%v)", errNotRegular, st.Mode().Type())}
	}
	b, err := fs.ReadFile(f.fsys, name)
	if err != nil {
		return nil, f.explain("read", name, err)
	}
	return b, nil
}

// ReadDir lists a folder of the tree. A symbolic link is listed as such
// (not as a folder), so walks never descend through one.
func (f *folderFS) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(f.fsys, name)
	if err != nil {
		return entries, f.explain("read", name, err)
	}
	return entries, nil
}

// Stat describes a file of the tree, following links that stay inside.
func (f *folderFS) Stat(name string) (fs.FileInfo, error) {
	st, err := fs.Stat(f.fsys, name)
	if err != nil {
		return nil, f.explain("stat", name, err)
	}
	return st, nil
}

// display is a name of the tree as the user knows it.
func (f *folderFS) display(name string) string { return displayPath(f.dir, name) }

// explain turns an error of the root into one that names the file, and,
// when a link on the way leads out of the folder, the link and its target,
// wrapping [ErrOutsideFolder].
func (f *folderFS) explain(op, name string, err error) error {
	if link, target, ok := f.linkOut(name); ok {
		return &fs.PathError{Op: op, Path: f.display(name), Err: fmt.Errorf(
			"%w: %s points to %s; the build reads %s only inside %s, through relative links that stay in it: copy the file into the folder instead",
			ErrOutsideFolder, f.display(link), target, f.key, f.dir)}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &fs.PathError{Op: op, Path: f.display(name), Err: err}
}

// linkOut finds the first symbolic link on the way to name (slash-separated,
// under the folder) that is absolute or resolves out of the folder. It is
// only called once the root has refused name, to say why.
func (f *folderFS) linkOut(name string) (link, target string, ok bool) {
	base, err := filepath.EvalSymlinks(f.dir)
	if err == nil {
		base, err = filepath.Abs(base)
	}
	if err != nil {
		return "", "", false
	}
	parts := strings.Split(name, "/")
	for i := range parts {
		rel := strings.Join(parts[:i+1], "/")
		p := filepath.Join(f.dir, filepath.FromSlash(rel))
		st, err := os.Lstat(p)
		if err != nil {
			return "", "", false
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		to, err := os.Readlink(p)
		if err != nil {
			return "", "", false
		}
		if filepath.IsAbs(to) {
			return rel, to, true
		}
		resolved, err := filepath.EvalSymlinks(p)
		if err != nil {
			// Dangling: judge by where the link says it goes.
			resolved = filepath.Join(filepath.Dir(p), to)
		}
		if resolved, err = filepath.Abs(resolved); err != nil {
			return "", "", false
		}
		if r, err := filepath.Rel(base, resolved); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return rel, to, true
		}
	}
	return "", "", false
}
