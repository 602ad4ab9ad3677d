package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/site/publish"
	"github.com/jobpulse/jobpulse/templates"
)

// buildBinary builds jobpulse as the README says (go build ./cmd/jobpulse)
// into a temporary folder and returns its path.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "jobpulse")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// bareEnv is the environment without the JOBPULSE_* variables and
// DATABASE_URL of the machine: the binary runs with nothing configured.
func bareEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "JOBPULSE_") && !strings.HasPrefix(kv, "DATABASE_URL=") {
			env = append(env, kv)
		}
	}
	return env
}

// TestBinaryCarriesReport builds the binary and runs demo, then serve, in a
// folder outside the checkout with nothing configured: the site must carry
// the ECharts bundle built into the binary, and serve must send it and the
// pages with the headers of a publish, compressed.
func TestBinaryCarriesReport(t *testing.T) {
	bundle := templates.ECharts()
	if bundle == nil {
		testenv.Missing(t, "no ECharts bundle to build into jobpulse: run `npm ci --prefix templates && go generate ./templates`")
	}
	bin := buildBinary(t)
	away := t.TempDir()
	// As root, the PostgreSQL server demo starts runs as an unprivileged
	// user, who must be able to reach its data folder.
	for _, d := range []string{away, filepath.Dir(away)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}

	demo := exec.Command(bin, "demo", "--no-serve", "--days", "2", "--jobs", "60", "--log.level", "warn")
	demo.Dir, demo.Env = away, bareEnv()
	out, err := demo.CombinedOutput()
	if err != nil && bytes.Contains(out, []byte("no PostgreSQL server binaries")) {
		testenv.Missing(t, "PostgreSQL: %s", out)
	}
	if err != nil {
		t.Fatalf("jobpulse demo --no-serve in %s: %v\n%s", away, err, out)
	}
	public := filepath.Join(away, "data", "demo", "public")
	assets, err := filepath.Glob(filepath.Join(public, "assets", "echarts.*.min.js"))
	if err != nil || len(assets) != 1 {
		t.Fatalf("the demo site holds %v (%v), want one assets/echarts.<hash>.min.js", assets, err)
	}
	if got, err := os.ReadFile(assets[0]); err != nil || !bytes.Equal(got, bundle) {
		t.Fatalf("%s is not the bundle built into jobpulse (%d bytes, want %d; %v)", assets[0], len(got), len(bundle), err)
	}
	echartsPath := "/assets/" + filepath.Base(assets[0])
	// A page with a chart ECharts draws names the bundle.
	chartPage := ""
	filepath.WalkDir(public, func(p string, d os.DirEntry, err error) error {
		if err == nil && chartPage == "" && d.Name() == "index.html" {
			if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(echartsPath[1:])) {
				rel, _ := filepath.Rel(public, filepath.Dir(p))
				chartPage = "/" + strings.TrimPrefix(filepath.ToSlash(rel)+"/", "./")
			}
		}
		return nil
	})
	if chartPage == "" {
		t.Fatalf("no page of the demo site names %s", echartsPath)
	}

	serve := exec.Command(bin, "serve", "--site.out", public, "--serve.addr", "127.0.0.1:0")
	serve.Dir, serve.Env = away, bareEnv()
	stdout, err := serve.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	serve.Stderr = &stderr
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	t.Cleanup(func() {
		serve.Process.Kill()
		<-exited
	})
	lines := bufio.NewReader(stdout)
	first, err := lines.ReadString('\n')
	go func() { io.Copy(io.Discard, lines); exited <- serve.Wait() }()
	m := regexp.MustCompile(`at (http://127\.0\.0\.1:\d+)/`).FindStringSubmatch(first)
	if err != nil || m == nil {
		t.Fatalf("jobpulse serve said %q (%v), want the address it serves at; stderr: %s", first, err, stderr.String())
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 30 * time.Second}
	for _, c := range []struct{ path, cache string }{
		{"/", publish.CacheRevalidate},
		{chartPage, publish.CacheRevalidate},
		{echartsPath, publish.CacheImmutable},
	} {
		req, _ := http.NewRequest(http.MethodGet, m[1]+c.path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", c.path, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != c.cache || resp.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("GET %s: %d, Cache-Control %q, Content-Encoding %q; want 200, %q, gzip", c.path, resp.StatusCode,
				resp.Header.Get("Cache-Control"), resp.Header.Get("Content-Encoding"), c.cache)
			continue
		}
		body = gunzipBytes(t, body)
		if c.path == echartsPath && !bytes.Equal(body, bundle) {
			t.Errorf("GET %s: %d bytes once decompressed, not the bundle", c.path, len(body))
		}
		if c.path == chartPage && !bytes.Contains(body, []byte(echartsPath[1:])) {
			t.Errorf("GET %s: the page does not name %s", c.path, echartsPath)
		}
	}

	// Ctrl+C stops serve, which exits 0.
	if err := serve.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		exited <- err // for the cleanup
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Errorf("jobpulse serve after an interrupt: %v; stderr: %s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Errorf("jobpulse serve did not stop on an interrupt")
	}
}

// gunzipBytes decompresses a gzip body.
func gunzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("body is not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip body: %v", err)
	}
	return out
}
