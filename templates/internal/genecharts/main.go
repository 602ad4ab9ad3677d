// Command genecharts writes the bundle of ECharts that the jobpulse binary
// embeds (templates/echarts/echarts.min.js): only the parts of the pinned
// npm package that the site's charts use ([templates.EChartsParts]),
// bundled and minified with esbuild's Go API, so that a page with a chart
// loads what it draws and not all of ECharts.
//
// It is run by go generate in templates, after npm installed the package:
//
//	npm ci --prefix templates
//	go generate ./templates
//
// The bundle is a classic script that sets window.echarts, as the full
// dist/echarts.min.js does, so that templates/assets/site.js loads either.
// It begins with the license notice of dist/echarts.min.js and a line naming
// the ECharts version and the parts (see [templates.EChartsHeader]), by
// which a test tells a stale bundle. Nothing is written when the bundle
// is unchanged.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/jobpulse/jobpulse/templates"
)

func main() {
	dir := flag.String("dir", ".", "the templates folder: package-lock.json and node_modules/echarts")
	out := flag.String("out", filepath.FromSlash(templates.EChartsBundle), "the bundle to write (a relative path is in -dir)")
	flag.Parse()
	if err := run(*dir, *out); err != nil {
		log.Fatal(err)
	}
}

func run(dir, out string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("genecharts: %w", err)
	}
	version, err := installedVersion(dir)
	if err != nil {
		return err
	}
	full := filepath.Join(dir, "node_modules", "echarts", "dist", "echarts.min.js")
	fullJS, err := os.ReadFile(full)
	if err != nil {
		return fmt.Errorf("genecharts: read %s: %w", full, err)
	}
	bundle, err := bundle(dir, version, licenseNotice(fullJS))
	if err != nil {
		return err
	}
	path := out
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, out)
	}
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, bundle) {
		fmt.Printf("genecharts: %s is up to date (%s; echarts %s's echarts.min.js: %s)\n", out, size(len(bundle)), version, size(len(fullJS)))
		return nil
	}
	if err := os.WriteFile(path, bundle, 0o644); err != nil {
		return fmt.Errorf("genecharts: write %s: %w", path, err)
	}
	fmt.Printf("genecharts: wrote %s (%s; echarts %s's echarts.min.js: %s)\n", out, size(len(bundle)), version, size(len(fullJS)))
	return nil
}

// installedVersion returns the version of node_modules/echarts, which must
// be the one package-lock.json pins: a bundle is never made from another.
func installedVersion(dir string) (string, error) {
	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	if err == nil {
		err = json.Unmarshal(b, &lock)
	}
	if err != nil {
		return "", fmt.Errorf("genecharts: read %s: %w", filepath.Join(dir, "package-lock.json"), err)
	}
	pinned := lock.Packages["node_modules/echarts"].Version
	if pinned == "" {
		return "", fmt.Errorf("genecharts: %s pins no echarts", filepath.Join(dir, "package-lock.json"))
	}
	var pkg struct {
		Version string `json:"version"`
	}
	file := filepath.Join(dir, "node_modules", "echarts", "package.json")
	b, err = os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("genecharts: ECharts is not installed (no %s): run `npm ci --prefix templates` first: %w", file, err)
	}
	if err == nil {
		err = json.Unmarshal(b, &pkg)
	}
	if err != nil {
		return "", fmt.Errorf("genecharts: read %s: %w", file, err)
	}
	if pkg.Version != pinned {
		return "", fmt.Errorf("genecharts: node_modules holds echarts %s, package-lock.json pins %s: run `npm ci --prefix templates` first", pkg.Version, pinned)
	}
	return pinned, nil
}

// entry is the bundle's source: echarts/core with the parts installed, and
// everything echarts/core exports, which becomes window.echarts.
func entry() string {
	var b strings.Builder
	b.WriteString("import * as core from 'echarts/core';\n")
	for _, p := range templates.EChartsParts {
		fmt.Fprintf(&b, "import { %s } from '%s';\n", strings.Join(p.Names, ", "), p.Module)
	}
	fmt.Fprintf(&b, "core.use([%s]);\n", strings.Join(templates.EChartsPartNames(), ", "))
	b.WriteString("export * from 'echarts/core';\n")
	return b.String()
}

// bundle builds the entry with esbuild: one minified script that assigns
// the global echarts, ECharts' development checks left out as in its own
// dist files, the license comments of the sources kept at its end.
func bundle(dir, version, notice string) ([]byte, error) {
	res := api.Build(api.BuildOptions{
		Stdin: &api.StdinOptions{
			Contents:   entry(),
			ResolveDir: dir,
			Sourcefile: "jobpulse-echarts.js",
			Loader:     api.LoaderJS,
		},
		Bundle:            true,
		Format:            api.FormatIIFE,
		GlobalName:        "echarts",
		Platform:          api.PlatformBrowser,
		Target:            api.ES2017,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Define:            map[string]string{"process.env.NODE_ENV": `"production"`},
		LegalComments:     api.LegalCommentsEndOfFile,
		Banner:            map[string]string{"js": notice + templates.EChartsHeader(version)},
		Charset:           api.CharsetUTF8,
		LogLevel:          api.LogLevelSilent,
		Write:             false,
	})
	if len(res.Errors) > 0 {
		msgs := api.FormatMessages(res.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage})
		return nil, fmt.Errorf("genecharts: esbuild: %s", strings.Join(msgs, "\n"))
	}
	if len(res.OutputFiles) != 1 {
		return nil, fmt.Errorf("genecharts: esbuild wrote %d files, want 1", len(res.OutputFiles))
	}
	return res.OutputFiles[0].Contents, nil
}

// licenseNotice returns the comment dist/echarts.min.js starts with (the
// Apache License notice), with a line break after it.
func licenseNotice(fullJS []byte) string {
	s := string(fullJS)
	start := strings.Index(s, "/*")
	end := strings.Index(s, "*/")
	if start < 0 || end < start || strings.TrimSpace(s[:start]) != "" {
		return "/*! ECharts: Apache License 2.0, https://www.apache.org/licenses/LICENSE-2.0 */\n"
	}
	return s[start:end+2] + "\n"
}

// size formats a byte count in KB.
func size(n int) string {
	return fmt.Sprintf("%.0f KB", float64(n)/1000)
}
