package publish

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// servedSite is a built site for the serve tests: a page, a folder's page,
// hashed and unhashed assets, data, the 404 page and the build's marker.
var servedSite = map[string]string{
	"index.html":                    "<!doctype html><title>home</title>" + strings.Repeat("<p>jobs</p>", 200),
	"404.html":                      "<!doctype html><title>not found</title>" + strings.Repeat("<p>gone</p>", 100),
	"roles/index.html":              "<!doctype html><title>roles</title>",
	"assets/site.0123456789ab.js":   strings.Repeat("console.log('x');\n", 100),
	"assets/style.0123456789ab.css": strings.Repeat("body{margin:0}\n", 100),
	"data/roles.csv":                "role,postings\nBackend Engineer,9\n",
	"data/roles.json":               `[{"role":"Backend Engineer","postings":9}]`,
	"logo.png":                      "\x89PNG\r\n\x1a\nnot really",
	"guide.pdf":                     "%PDF-1.4",
	".jobpulse-site":                buildMarkerNote,
}

// buildMarkerNote stands for the marker a build leaves in site.out.
const buildMarkerNote = "This folder was written by `jobpulse build` (site.out).\n"

// serveGet asks srv for p with the given request headers.
func serveGet(t *testing.T, srv *httptest.Server, method, p string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+p, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	// The transport would ask for gzip itself and decompress silently:
	// a request that sets Accept-Encoding gets the body as sent.
	client := &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// gunzip decompresses a gzip body.
func gunzip(t *testing.T, b []byte) []byte {
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

// TestHandler serves a built site on 127.0.0.1 and checks each answer's
// status, headers and body, decompressed where it came compressed.
func TestHandler(t *testing.T) {
	dir := t.TempDir()
	writeSource(t, dir, servedSite)
	rules := []CacheRule{{Pattern: "*.pdf", Value: "no-store"}}
	srv := httptest.NewServer(Handler(dir, rules))
	t.Cleanup(srv.Close)
	gz := map[string]string{"Accept-Encoding": "gzip, deflate, br"}

	type answer struct {
		Status       int
		ContentType  string
		CacheControl string
		Encoding     string
		Vary         string
		Location     string
		Body         string // decompressed
	}
	tests := []struct {
		name   string
		method string
		path   string
		header map[string]string
		want   answer
	}{
		{name: "home, gzip", path: "/", header: gz,
			want: answer{200, "text/html; charset=utf-8", CacheRevalidate, "gzip", "Accept-Encoding", "", servedSite["index.html"]}},
		{name: "home, no Accept-Encoding", path: "/index.html",
			want: answer{200, "text/html; charset=utf-8", CacheRevalidate, "", "Accept-Encoding", "", servedSite["index.html"]}},
		{name: "gzip refused with q=0", path: "/", header: map[string]string{"Accept-Encoding": "gzip;q=0, *"},
			want: answer{200, "text/html; charset=utf-8", CacheRevalidate, "", "Accept-Encoding", "", servedSite["index.html"]}},
		{name: "any encoding", path: "/", header: map[string]string{"Accept-Encoding": "*"},
			want: answer{200, "text/html; charset=utf-8", CacheRevalidate, "gzip", "Accept-Encoding", "", servedSite["index.html"]}},
		{name: "folder", path: "/roles/", header: gz,
			want: answer{200, "text/html; charset=utf-8", CacheRevalidate, "gzip", "Accept-Encoding", "", servedSite["roles/index.html"]}},
		{name: "folder without its slash", path: "/roles?x=1",
			want: answer{Status: 301, ContentType: "text/html; charset=utf-8", Location: "/roles/?x=1"}},
		{name: "hashed script", path: "/assets/site.0123456789ab.js", header: gz,
			want: answer{200, "text/javascript; charset=utf-8", CacheImmutable, "gzip", "Accept-Encoding", "", servedSite["assets/site.0123456789ab.js"]}},
		{name: "hashed style", path: "/assets/style.0123456789ab.css", header: gz,
			want: answer{200, "text/css; charset=utf-8", CacheImmutable, "gzip", "Accept-Encoding", "", servedSite["assets/style.0123456789ab.css"]}},
		{name: "csv", path: "/data/roles.csv", header: gz,
			want: answer{200, "text/csv; charset=utf-8", CacheRevalidate, "gzip", "Accept-Encoding", "", servedSite["data/roles.csv"]}},
		{name: "json", path: "/data/roles.json", header: gz,
			want: answer{200, "application/json", CacheRevalidate, "gzip", "Accept-Encoding", "", servedSite["data/roles.json"]}},
		{name: "image, not compressed", path: "/logo.png", header: gz,
			want: answer{200, "image/png", CacheDefault, "", "", "", servedSite["logo.png"]}},
		{name: "a rule of publish.cache_control", path: "/guide.pdf", header: gz,
			want: answer{200, "application/pdf", "no-store", "", "", "", servedSite["guide.pdf"]}},
		{name: "the build's marker", path: "/.jobpulse-site",
			want: answer{200, "text/plain; charset=utf-8", cacheNever, "", "Accept-Encoding", "", buildMarkerNote}},
		{name: "missing: the site's 404 page", path: "/roles/nope/", header: gz,
			want: answer{404, "text/html; charset=utf-8", CacheRevalidate, "gzip", "Accept-Encoding", "", servedSite["404.html"]}},
		{name: "missing, HEAD", method: http.MethodHead, path: "/nope.html",
			want: answer{404, "text/html; charset=utf-8", CacheRevalidate, "", "Accept-Encoding", "", ""}},
		{name: "HEAD", method: http.MethodHead, path: "/data/roles.csv", header: gz,
			want: answer{200, "text/csv; charset=utf-8", CacheRevalidate, "gzip", "Accept-Encoding", "", ""}},
		{name: "out of the folder", path: "/../../etc/passwd", header: gz,
			want: answer{404, "text/html; charset=utf-8", CacheRevalidate, "gzip", "Accept-Encoding", "", servedSite["404.html"]}},
		{name: "POST", method: http.MethodPost, path: "/",
			want: answer{Status: 405, ContentType: "text/plain; charset=utf-8", Body: "405 method not allowed\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := serveGet(t, srv, cmpOr(tt.method, http.MethodGet), tt.path, tt.header)
			if resp.Header.Get("Content-Encoding") == "gzip" && len(body) > 0 {
				body = gunzip(t, body)
			}
			got := answer{resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"),
				resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"), resp.Header.Get("Location"), string(body)}
			if tt.want.Status == 301 || tt.want.Status == 405 {
				got.Body, tt.want.Body = "", "" // Go's own words
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s", cmpOr(tt.method, "GET"), tt.path, diff)
			}
		})
	}
}

// cmpOr returns s, or def when s is empty.
func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// TestHandlerAsPublished checks that serve gives every file of a built
// site the Content-Type and Cache-Control that a publish of it gives.
func TestHandlerAsPublished(t *testing.T) {
	dir := t.TempDir()
	writeSource(t, dir, servedSite)
	rules := []CacheRule{{Pattern: "*.pdf", Value: "no-store"}, {Pattern: "data/*.json", Value: "public, max-age=60"}}
	files, err := walkBuild(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := addHeaders(Config{CacheControl: rules, Gzip: true}, true, files); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(dir, rules))
	t.Cleanup(srv.Close)
	for key, f := range files {
		if key == MarkerKey {
			continue // publish replaces it with its manifest (see TestHandler)
		}
		resp, _ := serveGet(t, srv, http.MethodGet, "/"+key, map[string]string{"Accept-Encoding": "gzip"})
		got := [3]string{resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"), resp.Header.Get("Content-Encoding")}
		want := [3]string{f.contentType, f.cacheControl, f.contentEncoding}
		if resp.StatusCode != 200 || got != want {
			t.Errorf("%s: served %d %q, published %q", key, resp.StatusCode, got, want)
		}
	}
}

// TestHandlerConditional checks ranges and If-Modified-Since, and that a
// build that replaces the folder is served at once.
func TestHandlerConditional(t *testing.T) {
	dir := t.TempDir()
	writeSource(t, dir, servedSite)
	srv := httptest.NewServer(Handler(dir, nil))
	t.Cleanup(srv.Close)

	resp, body := serveGet(t, srv, http.MethodGet, "/data/roles.csv", map[string]string{"Range": "bytes=0-3"})
	if resp.StatusCode != http.StatusPartialContent || string(body) != "role" {
		t.Errorf("range: %d %q, want 206 %q", resp.StatusCode, body, "role")
	}
	resp, _ = serveGet(t, srv, http.MethodGet, "/", nil)
	mod := resp.Header.Get("Last-Modified")
	resp, body = serveGet(t, srv, http.MethodGet, "/", map[string]string{"If-Modified-Since": mod, "Accept-Encoding": "gzip"})
	if resp.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Errorf("If-Modified-Since %s: %d with %d bytes, want 304 and none", mod, resp.StatusCode, len(body))
	}

	// A build writes a new folder and renames it over the old one.
	next := dir + ".next"
	writeSource(t, next, map[string]string{"index.html": "new site"})
	old := dir + ".old"
	if err := os.Rename(dir, old); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(next, dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(old) })
	if _, body := serveGet(t, srv, http.MethodGet, "/", nil); string(body) != "new site" {
		t.Errorf("after a new build: %q, want the new site", body)
	}
}

// TestHandlerStaysInside checks that a symbolic link leading out of the
// site's folder is served as missing.
func TestHandlerStaysInside(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "public")
	writeSource(t, base, map[string]string{"secret.txt": "secret", "public/index.html": "home", "public/404.html": "not found"})
	if err := os.Symlink(filepath.Join("..", "secret.txt"), filepath.Join(dir, "leak.txt")); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
	if err := os.Symlink("index.html", filepath.Join(dir, "home.html")); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(dir, nil))
	t.Cleanup(srv.Close)
	if resp, body := serveGet(t, srv, http.MethodGet, "/leak.txt", nil); resp.StatusCode != 404 || string(body) != "not found" {
		t.Errorf("a link out of the folder: %d %q, want 404 and the 404 page", resp.StatusCode, body)
	}
	if resp, body := serveGet(t, srv, http.MethodGet, "/home.html", nil); resp.StatusCode != 200 || string(body) != "home" {
		t.Errorf("a link inside the folder: %d %q, want 200 %q", resp.StatusCode, body, "home")
	}
}

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want bool
	}{
		{name: "none", in: nil, want: false},
		{name: "gzip", in: []string{"gzip"}, want: true},
		{name: "browser", in: []string{"gzip, deflate, br, zstd"}, want: true},
		{name: "upper case, spaces", in: []string{" GZIP ;q=0.5"}, want: true},
		{name: "q=0", in: []string{"gzip;q=0"}, want: false},
		{name: "q=0.0 then star", in: []string{"gzip;q=0.0, *"}, want: false},
		{name: "star", in: []string{"*"}, want: true},
		{name: "star q=0", in: []string{"*;q=0"}, want: false},
		{name: "identity only", in: []string{"identity"}, want: false},
		{name: "br only", in: []string{"br"}, want: false},
		{name: "two headers", in: []string{"br", "gzip"}, want: true},
		{name: "bad q", in: []string{"gzip;q=x"}, want: false},
		{name: "x-gzip", in: []string{"x-gzip"}, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := acceptsGzip(tt.in); got != tt.want {
				t.Errorf("acceptsGzip(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
