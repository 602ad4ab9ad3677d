package site

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/jobpulse/jobpulse/templates"
)

// assetsDir is the folder of assets, in the templates and in the built site.
const assetsDir = "assets"

// echartsFile is the logical name of ECharts among the assets.
const echartsFile = "echarts.min.js"

// echartsInPackage is where npm puts echarts.min.js inside a templates folder.
var echartsInPackage = filepath.Join("node_modules", "echarts", "dist", echartsFile)

// assetSet holds the site's assets under content-hashed names.
type assetSet struct {
	paths map[string]string // logical name (style.css) -> site path (assets/style.<hash>.css)
	out   []outFile
}

// loadAssets reads every file under assets/ of the templates (named root in
// messages), and ECharts (see [findECharts]) unless the templates have their
// own assets/echarts.min.js. A symbolic link among the assets is read only
// when templatesFS resolves it (a folder's root follows links that stay
// inside it); the walk never descends through a linked folder.
func loadAssets(templatesFS fs.FS, root string, cfg BuildConfig) (*assetSet, error) {
	a := &assetSet{paths: map[string]string{}}
	err := fs.WalkDir(templatesFS, assetsDir, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("site: read templates %s: %w", displayPath(root, assetsDir), err)
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		data, err := fs.ReadFile(templatesFS, name)
		if err != nil {
			return fmt.Errorf("site: read asset %s: %w", displayPath(root, name), unwrapPath(err))
		}
		a.add(strings.TrimPrefix(name, assetsDir+"/"), data)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if _, ok := a.paths[echartsFile]; ok {
		return a, nil // the templates ship their own
	}
	data, err := readECharts(cfg)
	if err != nil {
		return nil, err
	}
	a.add(echartsFile, data)
	return a, nil
}

// add stores an asset under its hashed name.
func (a *assetSet) add(name string, data []byte) {
	sum := sha256.Sum256(data)
	p := path.Join(assetsDir, hashedName(name, hex.EncodeToString(sum[:])[:12]))
	a.paths[name] = p
	a.out = append(a.out, outFile{Path: p, Data: data})
}

// hashedName puts the hash after the first part of the file name:
// echarts.min.js becomes echarts.<hash>.min.js, site.js site.<hash>.js.
func hashedName(name, hash string) string {
	dir, file := path.Split(name)
	if i := strings.IndexByte(file, '.'); i > 0 {
		return dir + file[:i] + "." + hash + file[i:]
	}
	return dir + file + "." + hash
}

// path returns the site path of an asset by logical name.
func (a *assetSet) path(name string) (string, error) {
	p, ok := a.paths[name]
	if !ok {
		return "", fmt.Errorf("no asset %q in the templates' %s folder", name, assetsDir)
	}
	return p, nil
}

// files returns the assets to write.
func (a *assetSet) files() []outFile {
	return append([]outFile(nil), a.out...)
}

// embeddedECharts is the bundle of ECharts built into the binary
// (templates/echarts/echarts.min.js, made by go generate ./templates), nil
// when it was built without one. Tests take it away to see the lookup
// beside the binary.
var embeddedECharts = templates.ECharts()

// readECharts returns ECharts as findECharts finds it.
func readECharts(cfg BuildConfig) ([]byte, error) {
	file, err := findECharts(cfg)
	if err != nil {
		return nil, err
	}
	if file == "" {
		return embeddedECharts, nil
	}
	data, err := readEChartsFile(file, cfg)
	if err != nil {
		return nil, fmt.Errorf("site: read ECharts %s: %w", file, unwrapPath(err))
	}
	return data, nil
}

// findECharts finds ECharts: site.echarts when set (and then only there);
// else the npm package in the templates folder when templates come from a
// folder; else the bundle built into the binary, for which it returns "";
// else the npm package in ./templates and echarts.min.js beside the
// executable (a binary built without the bundle, run in the checkout).
func findECharts(cfg BuildConfig) (string, error) {
	if cfg.ECharts != "" {
		if _, err := os.Stat(cfg.ECharts); err != nil {
			return "", fmt.Errorf("site: site.echarts %q: %w", cfg.ECharts, err)
		}
		return cfg.ECharts, nil
	}
	var candidates []string
	if cfg.Templates != "" {
		candidates = append(candidates, filepath.Join(cfg.Templates, echartsInPackage))
		if isFile(candidates[0]) {
			return candidates[0], nil
		}
	}
	if embeddedECharts != nil {
		return "", nil
	}
	candidates = append(candidates, filepath.Join("templates", echartsInPackage))
	if exe, err := os.Executable(); err == nil {
		dir := filepath.Dir(exe)
		candidates = append(candidates, filepath.Join(dir, "templates", echartsInPackage), filepath.Join(dir, echartsFile))
	}
	for _, c := range candidates {
		if isFile(c) {
			return c, nil
		}
	}
	return "", fmt.Errorf("site: %w: this jobpulse was built without its ECharts bundle, and found none beside it (looked in %s): "+
		"in the jobpulse checkout run `npm ci --prefix templates && go generate ./templates` and build jobpulse again, "+
		"or set site.echarts to the path of an echarts.min.js", ErrNoECharts, strings.Join(candidates, ", "))
}

// CheckECharts reports whether a build with this configuration finds
// ECharts (see [BuildConfig.ECharts]), so that a command can say so before
// it starts work that the build would then fail. The error wraps
// [ErrNoECharts] and says how to get ECharts.
func (c BuildConfig) CheckECharts() error {
	if c.Templates != "" && isFile(filepath.Join(c.Templates, assetsDir, echartsFile)) {
		return nil // the templates ship their own
	}
	_, err := findECharts(c)
	return err
}

// isFile reports whether name is a regular file (following links).
func isFile(name string) bool {
	st, err := os.Stat(name)
	return err == nil && st.Mode().IsRegular()
}

// readEChartsFile reads the file findECharts found. site.echarts is the
// operator's own path and read as given; the npm package inside a templates
// folder is read without leaving that folder, as the assets are, so that a
// link planted in node_modules cannot publish a file from elsewhere.
func readEChartsFile(file string, cfg BuildConfig) ([]byte, error) {
	dir, ok := strings.CutSuffix(file, string(filepath.Separator)+echartsInPackage)
	if cfg.ECharts != "" || !ok {
		return os.ReadFile(file)
	}
	f, err := openFolder("the templates folder", dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadFile(filepath.ToSlash(echartsInPackage))
}

// unwrapPath drops the *fs.PathError around err when it is the only thing
// naming the file, for messages that name it already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ErrNoECharts means the build found no ECharts to serve with the site: the
// binary carries no bundle of it and none is installed beside it.
var ErrNoECharts = errors.New("echarts.min.js not found")
