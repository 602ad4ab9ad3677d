package site

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"golang.org/x/sync/errgroup"
)

// outFile is one file of the built site: a slash-separated path relative to
// the site root, and its bytes.
type outFile struct {
	Path string
	Data []byte
}

// writeSite writes files into a new temporary folder next to out and then
// swaps it in place of out, so a failed build never leaves half a site. An
// existing out must be empty or look like a built site (hold index.html):
// the build never replaces a folder it did not make.
func writeSite(out string, files []outFile) (err error) {
	out = filepath.Clean(out)
	if err := checkReplaceable(out); err != nil {
		return err
	}
	parent, base := filepath.Dir(out), filepath.Base(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("site: create %s: %w", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".build-")
	if err != nil {
		return fmt.Errorf("site: create temporary folder next to %s: %w", out, err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("site: chmod %s: %w", tmp, err)
	}
	// Folders first, each once, then the files, by a few writers at once:
	// a site of 10,000 pages is mostly system calls.
	seen := make(map[string]bool, len(files))
	dirs := map[string]bool{".": true}
	for _, f := range files {
		if !fs.ValidPath(f.Path) || f.Path == "." || seen[f.Path] {
			return fmt.Errorf("site: write %s: invalid or duplicate output path", f.Path)
		}
		seen[f.Path] = true
		if err := mkdirs(tmp, path.Dir(f.Path), dirs); err != nil {
			return fmt.Errorf("site: write %s: %w", f.Path, err)
		}
	}
	var g errgroup.Group
	g.SetLimit(4)
	for _, f := range files {
		g.Go(func() error {
			if err := os.WriteFile(filepath.Join(tmp, filepath.FromSlash(f.Path)), f.Data, 0o644); err != nil {
				return fmt.Errorf("site: write %s: %w", f.Path, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return swapIn(tmp, out)
}

// mkdirs creates the folder dir (slash-separated, under root) and its
// parents, those not in done yet, and adds them to done.
func mkdirs(root, dir string, done map[string]bool) error {
	if done[dir] {
		return nil
	}
	if err := mkdirs(root, path.Dir(dir), done); err != nil {
		return err
	}
	if err := os.Mkdir(filepath.Join(root, filepath.FromSlash(dir)), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	done[dir] = true
	return nil
}

// checkReplaceable refuses to replace an out that is not a folder of ours.
func checkReplaceable(out string) error {
	st, err := os.Stat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("site: site.out %s: %w", out, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("site: site.out %s: exists and is not a folder", out)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("site: site.out %s: %w", out, err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
		return fmt.Errorf("site: site.out %s: exists, is not empty and holds no index.html, so it is not a built site; "+
			"the build replaces site.out as a whole: choose another folder or empty it", out)
	}
	return nil
}

// swapIn moves the finished folder tmp to out, moving the previous site aside
// first and removing it once the new one is in place.
func swapIn(tmp, out string) error {
	old := ""
	if _, err := os.Lstat(out); err == nil {
		old = tmp + ".old"
		if err := os.Rename(out, old); err != nil {
			return fmt.Errorf("site: move previous site %s aside: %w", out, err)
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			_ = os.Rename(old, out) // put the previous site back
		}
		return fmt.Errorf("site: move new site into %s: %w", out, err)
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("site: remove previous site %s: %w", old, err)
		}
	}
	return nil
}
