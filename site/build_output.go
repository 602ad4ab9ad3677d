package site

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/jobpulse/jobpulse/site/publish"
)

// outFile is one file of the built site: a slash-separated path relative to
// the site root, and its bytes.
type outFile struct {
	Path string
	Data []byte
}

// writeSite writes files into a new temporary folder next to out and then
// swaps it in place of out, so a failed build never leaves half a site. An
// existing out must be empty or hold the marker the build writes (see
// [checkReplaceable]): the build never replaces a folder it did not make.
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
	if err := os.WriteFile(filepath.Join(tmp, buildMarker), []byte(buildMarkerNote), 0o644); err != nil {
		return fmt.Errorf("site: write %s: %w", buildMarker, err)
	}
	// Folders first, each once, then the files, by a few writers at once:
	// a site of 10,000 pages is mostly system calls.
	seen := make(map[string]bool, len(files))
	dirs := map[string]bool{".": true}
	for _, f := range files {
		if !fs.ValidPath(f.Path) || f.Path == "." || f.Path == buildMarker || seen[f.Path] {
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

// buildMarker marks a folder as written by the build: the build only
// replaces a site.out that holds it (or is empty, or missing). It is the
// name publish uses for its manifest, which publish never takes from the
// build (see readBuild), so the marker is never uploaded.
const buildMarker = publish.MarkerKey

// buildMarkerNote is the marker's content, for a person who finds it.
const buildMarkerNote = "This folder was written by `jobpulse build` (site.out). The next build replaces it as a whole:\n" +
	"do not keep anything else in it.\n"

// ErrOutNotOurs is wrapped by the error of a build whose site.out holds
// files and was not written by jobpulse: the build replaces site.out as a
// whole and would delete them.
var ErrOutNotOurs = errors.New("site.out was not built by jobpulse")

// checkReplaceable refuses to replace an out that is not a folder of ours:
// it must be missing, empty, hold the marker, or look exactly like a build
// made before the marker existed (see [legacyBuild]).
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
	if st, err := os.Lstat(filepath.Join(out, buildMarker)); err == nil && st.Mode().IsRegular() {
		return nil
	}
	why, err := legacyBuild(out)
	if err != nil {
		return fmt.Errorf("site: site.out %s: %w", out, err)
	}
	if why == "" {
		return nil
	}
	return fmt.Errorf("site: site.out %s: %w: it is not empty, has no %s marker and %s. "+
		"The build replaces site.out as a whole and would delete what it holds: set site.out (--site.out) to a new or empty folder; "+
		"or, if it is an older jobpulse build, move out what you added, or create an empty file %s to let the build replace all of it",
		out, ErrOutNotOurs, buildMarker, why, filepath.Join(out, buildMarker))
}

// legacyFiles are files every build writes at the top of the site.
var legacyFiles = []string{"index.html", notFoundFile, searchFile}

// hashedAsset matches the base name of an asset as the build names it
// (see hashedName): style.0123456789ab.css, echarts.0123456789ab.min.js.
var hashedAsset = regexp.MustCompile(`^[^.]+\.[0-9a-f]{12}(\.[^/]*)?$`)

// legacyBuild says why out, a folder without the marker, is not a site
// built before the marker existed; "" when it is one. Such a site holds
// index.html, 404.html, search.json and a hashed ECharts, and nothing a
// build does not write: pages (index.html in folders), hashed assets under
// assets/, sitemap.xml. A folder of anyone else's (notes, a database, a
// hand-written site) fails this, so ./public folders built by earlier
// versions keep working and no other folder is ever replaced.
func legacyBuild(out string) (string, error) {
	why, echarts := "", false
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(out, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			why = fmt.Sprintf("holds %s, which is not a regular file", rel)
			return fs.SkipAll
		}
		dir, base := path.Split(rel)
		switch {
		case dir == "" && (base == "sitemap.xml" || slices.Contains(legacyFiles, base)):
		case base == "index.html":
		case strings.HasPrefix(dir, assetsDir+"/") && hashedAsset.MatchString(base):
			echarts = echarts || (dir == assetsDir+"/" && strings.HasPrefix(base, "echarts.") && strings.HasSuffix(base, ".min.js"))
		default:
			why = fmt.Sprintf("holds %s, which no build writes", rel)
			return fs.SkipAll
		}
		return nil
	})
	if err != nil || why != "" {
		return why, err
	}
	for _, f := range legacyFiles {
		if st, err := os.Lstat(filepath.Join(out, f)); err != nil || !st.Mode().IsRegular() {
			return fmt.Sprintf("holds no %s", f), nil
		}
	}
	if !echarts {
		why = fmt.Sprintf("holds no %s/echarts.<hash>.min.js", assetsDir)
	}
	return why, nil
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
