package ingest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Names the folder lake reserves next to its objects.
const (
	// metaSuffix ends the name of the sidecar file holding an object's [Meta].
	metaSuffix = ".meta.json"
	// tmpPrefix starts the name of a file being written.
	tmpPrefix = ".tmp-"
)

var _ Lake = (*FolderLake)(nil)

// FolderLake is a [Lake] in a folder: the object with key k is the file
// <dir>/k, and its metadata is the JSON sidecar file <dir>/k.meta.json.
//
// Put never overwrites and never leaves a partial object under its final
// name: the body is written to a temporary file, synced, then hard-linked to
// its name, which fails when the name is taken. Keys whose last segment ends
// with ".meta.json" or starts with ".tmp-" are reserved.
//
// Every file operation goes through an [os.Root] on the folder, so nothing
// outside it is ever read or written: a key cannot climb out of it (see
// [ValidateKey]), and a symbolic link inside the folder that points out of
// it is refused. The folder itself may be a link.
type FolderLake struct {
	dir string
}

// NewFolderLake returns the lake in dir, creating the folder if needed.
func NewFolderLake(dir string) (*FolderLake, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("lake: folder %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("lake: create folder %s: %w", abs, err)
	}
	return &FolderLake{dir: abs}, nil
}

// String returns the lake's folder.
func (l *FolderLake) String() string { return l.dir }

// validateFolderKey checks key with [ValidateKey] and rejects the names the
// folder lake reserves.
func validateFolderKey(key string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	base := path.Base(key)
	if strings.HasSuffix(base, metaSuffix) || strings.HasPrefix(base, tmpPrefix) {
		return fmt.Errorf("lake: invalid key %q: name reserved by the folder lake", key)
	}
	return nil
}

// keyPath returns the path of key's file relative to the lake's folder, in
// the system's form. It is local (filepath.IsLocal): it names a file inside
// the folder, also on systems with drive letters and reserved names.
func keyPath(key string) (string, error) {
	if err := validateFolderKey(key); err != nil {
		return "", err
	}
	p := filepath.FromSlash(key)
	if !filepath.IsLocal(p) {
		return "", fmt.Errorf("lake: invalid key %q: not a path inside the lake", key)
	}
	return p, nil
}

// Put stores body under key. It fails with [ErrExist] when key is taken.
func (l *FolderLake) Put(ctx context.Context, key string, body []byte, meta Meta) error {
	name, err := keyPath(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("lake: put %s: %w", key, err)
	}
	meta, err = fillMeta(key, meta, body)
	if err != nil {
		return err
	}
	sidecar, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return fmt.Errorf("lake: put %s: encode metadata: %w", key, err)
	}
	root, err := os.OpenRoot(l.dir)
	if err != nil {
		return fmt.Errorf("lake: put %s: %w", key, err)
	}
	defer root.Close()
	dir := filepath.Dir(name)
	if err := root.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("lake: put %s: %w", key, err)
	}
	if _, err := root.Lstat(name); err == nil {
		return fmt.Errorf("lake: put %s: %w", key, ErrExist)
	}

	tmpBody, err := writeTemp(root, dir, body)
	if err != nil {
		return fmt.Errorf("lake: put %s: %w", key, err)
	}
	defer root.Remove(tmpBody)
	tmpMeta, err := writeTemp(root, dir, sidecar)
	if err != nil {
		return fmt.Errorf("lake: put %s: %w", key, err)
	}
	defer root.Remove(tmpMeta)

	// The link claims the key: exactly one of concurrent writers succeeds.
	if err := root.Link(tmpBody, name); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("lake: put %s: %w", key, ErrExist)
		}
		return fmt.Errorf("lake: put %s: %w", key, err)
	}
	if err := root.Rename(tmpMeta, name+metaSuffix); err != nil {
		return fmt.Errorf("lake: put %s: metadata: %w", key, err)
	}
	if err := syncDir(root, dir); err != nil {
		return fmt.Errorf("lake: put %s: %w", key, err)
	}
	return nil
}

// fillMeta returns meta with the body's size and sha256 filled in. A sha256
// the caller gave must be the body's.
func fillMeta(key string, meta Meta, body []byte) (Meta, error) {
	sum := sha256.Sum256(body)
	h := hex.EncodeToString(sum[:])
	if meta.SHA256 != "" && !strings.EqualFold(meta.SHA256, h) {
		return Meta{}, fmt.Errorf("lake: put %s: metadata sha256 %s is not the body's %s", key, meta.SHA256, h)
	}
	meta.SHA256 = h
	meta.Size = int64(len(body))
	return meta, nil
}

// writeTemp writes data to a new temporary file in dir (relative to root),
// syncs it and returns its name, relative to root.
func writeTemp(root *os.Root, dir string, data []byte) (string, error) {
	var f *os.File
	var name string
	for range 10 {
		var b [8]byte
		_, _ = rand.Read(b[:]) // never fails
		name = filepath.Join(dir, tmpPrefix+hex.EncodeToString(b[:]))
		var err error
		f, err = root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", err
		}
	}
	if f == nil {
		return "", fmt.Errorf("create a temporary file in %s: %w", dir, fs.ErrExist)
	}
	_, err := f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		root.Remove(name)
		return "", err
	}
	return name, nil
}

// syncDir makes the entries just created in dir (relative to root) durable.
func syncDir(root *os.Root, dir string) error {
	d, err := root.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, fs.ErrInvalid) {
		return err
	}
	return nil
}

// Get returns the body and metadata stored under key, or [ErrNotFound].
//
// An object whose sidecar is missing (a Put interrupted by a crash between
// its two steps) is returned with the size and sha256 of its body as its
// only metadata.
func (l *FolderLake) Get(ctx context.Context, key string) ([]byte, Meta, error) {
	name, err := keyPath(key)
	if err != nil {
		return nil, Meta{}, err
	}
	if err := ctx.Err(); err != nil {
		return nil, Meta{}, fmt.Errorf("lake: get %s: %w", key, err)
	}
	root, err := os.OpenRoot(l.dir)
	if err != nil {
		return nil, Meta{}, fmt.Errorf("lake: get %s: %w", key, err)
	}
	defer root.Close()
	body, err := root.ReadFile(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || isDirErr(root, name) {
			return nil, Meta{}, fmt.Errorf("lake: get %s: %w", key, ErrNotFound)
		}
		return nil, Meta{}, fmt.Errorf("lake: get %s: %w", key, err)
	}
	var meta Meta
	sidecar, err := root.ReadFile(name + metaSuffix)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		meta, _ = fillMeta(key, Meta{}, body)
	case err != nil:
		return nil, Meta{}, fmt.Errorf("lake: get %s: metadata: %w", key, err)
	default:
		if err := json.Unmarshal(sidecar, &meta); err != nil {
			return nil, Meta{}, fmt.Errorf("lake: get %s: decode metadata: %w", key, err)
		}
	}
	return body, meta, nil
}

// isDirErr reports whether name is a folder (reading it fails on most
// systems with an error that is not fs.ErrNotExist).
func isDirErr(root *os.Root, name string) bool {
	fi, err := root.Stat(name)
	return err == nil && fi.IsDir()
}

// List returns the keys that start with prefix, sorted. Sidecars and
// temporary files are not keys.
func (l *FolderLake) List(ctx context.Context, prefix string) ([]string, error) {
	// Walk only the deepest folder the prefix names.
	start := "."
	if i := strings.LastIndex(prefix, "/"); i >= 0 {
		start = prefix[:i]
		if err := ValidateKey(start); err != nil {
			return nil, fmt.Errorf("lake: list %q: invalid prefix: %w", prefix, err)
		}
	}
	if strings.ContainsAny(prefix, "\\\x00") {
		return nil, fmt.Errorf("lake: list %q: invalid prefix", prefix)
	}
	root, err := os.OpenRoot(l.dir)
	if err != nil {
		return nil, fmt.Errorf("lake: list %q in %s: %w", prefix, l.dir, err)
	}
	defer root.Close()
	var keys []string
	err = fs.WalkDir(root.FS(), start, func(key string, d fs.DirEntry, err error) error {
		if err != nil {
			if key == start && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		name := d.Name()
		if strings.HasSuffix(name, metaSuffix) || strings.HasPrefix(name, tmpPrefix) {
			return nil
		}
		if strings.HasPrefix(key, prefix) {
			keys = append(keys, key)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("lake: list %q in %s: %w", prefix, l.dir, err)
	}
	sort.Strings(keys)
	return keys, nil
}
