package publish

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// tinySite is a small built site: pages, hashed assets, data.
var tinySite = map[string]string{
	"index.html":                         "<!doctype html><title>Jobs</title><link rel=stylesheet href=/assets/site.0123456789ab.css><h1>Jobs</h1>",
	"roles/index.html":                   "<!doctype html><title>Roles</title><h1>Roles</h1>",
	"roles/backend/index.html":           "<!doctype html><title>Backend</title><h1>Backend</h1>",
	"assets/site.0123456789ab.css":       "body{margin:0}",
	"assets/echarts.abcdef012345.min.js": "var echarts={};",
	"data/roles.json":                    `{"roles":[]}`,
	"robots.txt":                         "User-agent: *\n",
}

// publishedObject is a published file as a test reads it back.
type publishedObject struct {
	Body         string
	ContentType  string // "" on a folder, which keeps no headers
	CacheControl string
}

// publishBackend runs the publish tests on one kind of target.
type publishBackend struct {
	// newTarget returns a new, empty location: a folder or an s3:// URL.
	// Sub-locations are made by appending "/name".
	newTarget func(t *testing.T) string
	// read returns every object under location, by key relative to it.
	read func(t *testing.T, location string) map[string]publishedObject
	// write puts an object at location/key, bypassing Publish.
	write func(t *testing.T, location, key, body string)
	// failing returns a location that acts as location, except that
	// uploading key fails.
	failing func(t *testing.T, location, key string) string
	// hold takes the target's publish lock as another publish named holder
	// would, until the returned function is called.
	hold func(t *testing.T, location, holder string) (release func())
	// headers is whether the target keeps Content-Type and Cache-Control.
	headers bool
}

func writeSource(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// wantPublished is what a target holds after publishing files, beside the
// marker (which testPublishMarker checks).
func wantPublished(b publishBackend, files map[string]string) map[string]publishedObject {
	want := map[string]publishedObject{}
	for k, body := range files {
		o := publishedObject{Body: body}
		if b.headers {
			o.ContentType = contentTypeOf(k, []byte(body))
			o.CacheControl = cacheControlOf(k, o.ContentType, nil)
		}
		want[k] = o
	}
	return want
}

// publishConfig is the default configuration for src and target.
func publishConfig(src, target string) Config {
	cfg := DefaultConfig()
	cfg.Source, cfg.Target = src, target
	return cfg
}

func publishOK(t *testing.T, src, target string) Result {
	t.Helper()
	res, err := Publish(context.Background(), publishConfig(src, target), nil)
	if err != nil {
		t.Fatalf("Publish(%s -> %s): %v", src, target, err)
	}
	return res
}

func checkResult(t *testing.T, step string, want, got Result) {
	t.Helper()
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Result{}, "Plan")); diff != "" {
		t.Errorf("%s: result mismatch (-want +got):\n%s", step, diff)
	}
}

func checkPublished(t *testing.T, b publishBackend, location string, files map[string]string) {
	t.Helper()
	got := b.read(t, location)
	delete(got, MarkerKey)
	if diff := cmp.Diff(wantPublished(b, files), got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("published objects at %s mismatch (-want +got):\n%s", location, diff)
	}
}

func size(files map[string]string, keys ...string) int64 {
	var n int64
	for _, k := range keys {
		n += int64(len(files[k]))
	}
	return n
}

func keysOf(files map[string]string) []string {
	var keys []string
	for k := range files {
		keys = append(keys, k)
	}
	return keys
}

// runPublishTests is the contract of Publish, on every kind of target.
func runPublishTests(t *testing.T, b publishBackend) {
	tests := []struct {
		name string
		run  func(t *testing.T, b publishBackend)
	}{
		{"Incremental", testPublishIncremental},
		{"PrefixIsolation", testPublishPrefixIsolation},
		{"NoDeleteAfterFailedUpload", testPublishFailedUpload},
		{"Marker", testPublishMarker},
		{"Plan", testPublishPlan},
		{"MaxDeletes", testPublishMaxDeletes},
		{"Redirect", testPublishRedirect},
		{"Lock", testPublishLock},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, b) })
	}
}

// testPublishIncremental publishes a build, the same build, a changed file,
// a removed file: each time only what changed goes up.
func testPublishIncremental(t *testing.T, b publishBackend) {
	src := t.TempDir()
	target := b.newTarget(t)
	files := map[string]string{}
	for k, v := range tinySite {
		files[k] = v
	}
	writeSource(t, src, files)
	b.write(t, target, MarkerKey, "published by jobpulse before")
	b.write(t, target, "old/stale.html", "<p>from an older build</p>")

	res := publishOK(t, src, target)
	checkResult(t, "first publish", Result{Uploaded: len(files), Deleted: 1, Bytes: size(files, keysOf(files)...)}, res)
	checkPublished(t, b, target, files)

	res = publishOK(t, src, target)
	checkResult(t, "same build again", Result{Unchanged: len(files)}, res)

	// Same size, new content: only the hash tells.
	files["roles/index.html"] = "<!doctype html><title>Roles</title><h1>ROLES</h1>"
	writeSource(t, src, map[string]string{"roles/index.html": files["roles/index.html"]})
	res = publishOK(t, src, target)
	checkResult(t, "one changed file", Result{Uploaded: 1, Unchanged: len(files) - 1, Bytes: size(files, "roles/index.html")}, res)
	checkPublished(t, b, target, files)

	delete(files, "roles/backend/index.html")
	if err := os.RemoveAll(filepath.Join(src, "roles", "backend")); err != nil {
		t.Fatal(err)
	}
	res = publishOK(t, src, target)
	checkResult(t, "one removed file", Result{Unchanged: len(files), Deleted: 1}, res)
	checkPublished(t, b, target, files)
}

// testPublishPrefixIsolation publishes to site/blog and checks that
// site/blog2/ and site/blog.html, which share the prefix as a string, are
// never touched.
func testPublishPrefixIsolation(t *testing.T, b publishBackend) {
	src := t.TempDir()
	base := b.newTarget(t)
	neighbours := map[string]string{
		"site/blog2/index.html": "<p>another site</p>",
		"site/blog.html":        "<p>a page beside the folder</p>",
		"top.txt":               "top",
	}
	for k, v := range neighbours {
		b.write(t, base, k, v)
	}
	site := map[string]string{"index.html": "<h1>blog</h1>", "post/index.html": "<h1>post</h1>"}
	writeSource(t, src, site)
	res := publishOK(t, src, base+"/site/blog")
	checkResult(t, "publish to a prefix", Result{Uploaded: 2, Bytes: size(site, "index.html", "post/index.html")}, res)

	if err := os.RemoveAll(filepath.Join(src, "post")); err != nil {
		t.Fatal(err)
	}
	res = publishOK(t, src, base+"/site/blog")
	checkResult(t, "publish with a removed page", Result{Unchanged: 1, Deleted: 1}, res)

	got := b.read(t, base)
	for k, v := range neighbours {
		if got[k].Body != v {
			t.Errorf("neighbour %s changed: got %q, want %q", k, got[k].Body, v)
		}
	}
	if _, ok := got["site/blog/post/index.html"]; ok {
		t.Error("site/blog/post/index.html was not deleted")
	}
	if got["site/blog/index.html"].Body != "<h1>blog</h1>" {
		t.Errorf("site/blog/index.html = %q", got["site/blog/index.html"].Body)
	}
}

// testPublishMarker checks that a publish marks its target as jobpulse's,
// and that a target holding other files and no marker is refused whole:
// publishing there would delete them.
func testPublishMarker(t *testing.T, b publishBackend) {
	src := t.TempDir()
	writeSource(t, src, map[string]string{"index.html": "<h1>home</h1>"})
	target := b.newTarget(t)
	publishOK(t, src, target)
	m := parseManifest([]byte(b.read(t, target)[MarkerKey].Body))
	if got, want := slices.Sorted(maps.Keys(m.Files)), []string{"index.html"}; !cmp.Equal(want, got) || m.Version != manifestVersion {
		t.Errorf("manifest after the first publish: version %d, keys %q; want version %d, keys %q", m.Version, got, manifestVersion, want)
	}

	foreign := b.newTarget(t)
	b.write(t, foreign, "thesis.txt", "years of work")
	_, err := Publish(context.Background(), publishConfig(src, foreign), nil)
	if !errors.Is(err, ErrNotOurs) {
		t.Fatalf("Publish to a foreign target: got %v, want ErrNotOurs", err)
	}
	got := b.read(t, foreign)
	if len(got) != 1 || got["thesis.txt"].Body != "years of work" {
		t.Errorf("foreign target after a refused publish = %v, want it untouched", got)
	}
}

// testPublishFailedUpload checks that a failed upload leaves stale objects
// in place: deletes happen only after every upload succeeded.
func testPublishFailedUpload(t *testing.T, b publishBackend) {
	src := t.TempDir()
	target := b.newTarget(t)
	b.write(t, target, MarkerKey, "published by jobpulse before")
	b.write(t, target, "stale.html", "<p>stale</p>")
	writeSource(t, src, map[string]string{"index.html": "<h1>home</h1>", "broken.html": "<h1>x</h1>"})
	failing := b.failing(t, target, "broken.html")
	_, err := Publish(context.Background(), publishConfig(src, failing), nil)
	if err == nil || !strings.Contains(err.Error(), "publish broken.html to") {
		t.Fatalf("Publish: got %v, want the upload of broken.html to fail", err)
	}
	if got := b.read(t, target)["stale.html"].Body; got != "<p>stale</p>" {
		t.Errorf("stale.html after a failed publish = %q, want it kept", got)
	}
}

func TestPublishValidate(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		cfg     Config
		wantErr string // "" for valid
	}{
		{name: "bad options", cfg: Config{Source: "public", Target: "s3://reports", Workers: 0, MaxDeletes: -2,
			CacheControl: []CacheRule{{Pattern: "[", Value: "x"}, {Pattern: "*.css"}},
			Redirects:    []Redirect{{Path: "../up", To: "/"}, {Path: "old/", To: "example.org"}, {Path: "a", To: "/b"}, {Path: "/a", To: "/c"}}},
			wantErr: "site: publish.workers: 0 is not between 1 and 256\n" +
				"site: publish.max_deletes: -2: want a count, or -1 for no limit\n" +
				`site: publish.cache_control[0]: pattern "[" is not a glob` + "\n" +
				`site: publish.cache_control[1]: pattern "*.css" has no value` + "\n" +
				`site: publish.redirects[0]: path "../up" is not a clean key of the site` + "\n" +
				`site: publish.redirects[1]: to "example.org": want a path starting with / or an http(s) URL` + "\n" +
				`site: publish.redirects[3]: path "/a" is redirected twice`},
		{name: "folder", cfg: Config{Source: dir + "/public", Target: dir + "/www"}},
		{name: "bucket", cfg: Config{Source: "public", Target: "s3://reports/jobs"}},
		{name: "no source", cfg: Config{Target: "s3://reports"}, wantErr: "site: site.out is empty: set the built site folder to publish"},
		{name: "no target", cfg: Config{Source: "public"}, wantErr: "site: publish.target is empty: set a folder or an s3://bucket[/prefix] URL"},
		{name: "bad bucket", cfg: Config{Source: "public", Target: "s3://Reports"}, wantErr: `site: publish.target "s3://Reports": objstore: parse "s3://Reports": bucket name "Reports": invalid character 'R' at 0`},
		{name: "target is source", cfg: Config{Source: "public", Target: "./public/"}, wantErr: `site: publish.target "./public/" overlaps site.out "public": publish to a folder of its own`},
		{name: "target holds source", cfg: Config{Source: "public", Target: "."}, wantErr: `site: publish.target "." overlaps site.out "public": publish to a folder of its own`},
		{name: "target inside source", cfg: Config{Source: "public", Target: "public/www"}, wantErr: `site: publish.target "public/www" overlaps site.out "public": publish to a folder of its own`},
		{name: "sibling with shared prefix", cfg: Config{Source: "public", Target: "public2"}},
		{name: "cloudfront", cfg: Config{Source: "public", Target: "s3://reports", CloudFrontDistribution: "E2EXAMPLE1AB2C", InvalidationLimit: 100}},
		{name: "bad cloudfront", cfg: Config{Source: "public", Target: "s3://reports", CloudFrontDistribution: "e2/x", InvalidationLimit: 3001},
			wantErr: "site: publish.invalidation_limit: 3001 is not between 0 and 3000\n" +
				`site: publish.cloudfront_distribution: "e2/x" is not a distribution id (upper-case letters and digits, e.g. E2EXAMPLE1AB2C)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.cfg.Workers == 0 && tt.name != "bad options" {
				tt.cfg.Workers, tt.cfg.MaxDeletes = DefaultWorkers, DefaultMaxDeletes
			}
			err := tt.cfg.Validate()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tt.wantErr, got); diff != "" {
				t.Errorf("Validate() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPublishEmptyBuild(t *testing.T) {
	target := t.TempDir()
	writeSource(t, target, map[string]string{"index.html": "keep"})
	_, err := Publish(context.Background(), publishConfig(t.TempDir(), target), nil)
	if err == nil {
		t.Fatal("Publish of an empty build succeeded, want an error")
	}
	if b, _ := os.ReadFile(filepath.Join(target, "index.html")); string(b) != "keep" {
		t.Errorf("target changed by a refused publish: index.html = %q", b)
	}
}

func TestPublishHeaders(t *testing.T) {
	rules := []CacheRule{{Pattern: "*.pdf", Value: "no-store"}, {Pattern: "data/big/*.json", Value: "public, max-age=60"}}
	tests := []struct {
		name         string
		key          string
		head         string
		contentType  string
		cacheControl string
		class        int
	}{
		{name: "home", key: "index.html", contentType: "text/html; charset=utf-8", cacheControl: CacheRevalidate, class: classEntry},
		{name: "404", key: "404.html", contentType: "text/html; charset=utf-8", cacheControl: CacheRevalidate, class: classEntry},
		{name: "nested page", key: "roles/backend/index.html", contentType: "text/html; charset=utf-8", cacheControl: CacheRevalidate, class: classPage},
		{name: "hashed css", key: "assets/site.0123456789ab.css", contentType: "text/css; charset=utf-8", cacheControl: CacheImmutable, class: classAsset},
		{name: "hashed echarts", key: "assets/echarts.abcdef012345.min.js", contentType: "text/javascript; charset=utf-8", cacheControl: CacheImmutable, class: classAsset},
		{name: "plain js", key: "app.js", contentType: "text/javascript; charset=utf-8", cacheControl: CacheDefault, class: classAsset},
		{name: "json", key: "data/roles.json", contentType: "application/json", cacheControl: CacheRevalidate, class: classData},
		{name: "json by rule", key: "data/big/all.json", contentType: "application/json", cacheControl: "public, max-age=60", class: classData},
		{name: "rule on the name", key: "docs/report.pdf", contentType: "application/pdf", cacheControl: "no-store", class: classAsset},
		{name: "csv", key: "data/roles.csv", contentType: "text/csv; charset=utf-8", cacheControl: CacheRevalidate, class: classData},
		{name: "data file of a page", key: "roles/backend-engineer/companies.json", contentType: "application/json", cacheControl: CacheRevalidate, class: classData},
		{name: "atom feed", key: "changes.atom", contentType: "application/atom+xml; charset=utf-8", cacheControl: CacheRevalidate, class: classData},
		{name: "upper-case extension", key: "LOGO.PNG", contentType: "image/png", cacheControl: CacheDefault, class: classAsset},
		{name: "svg", key: "icon.svg", contentType: "image/svg+xml", cacheControl: CacheDefault, class: classAsset},
		{name: "text", key: "robots.txt", contentType: "text/plain; charset=utf-8", cacheControl: CacheRevalidate, class: classData},
		{name: "xml", key: "sitemap.xml", contentType: "application/xml; charset=utf-8", cacheControl: CacheRevalidate, class: classData},
		{name: "woff2", key: "assets/inter.0a1b2c3d4e5f.woff2", contentType: "font/woff2", cacheControl: CacheImmutable, class: classAsset},
		{name: "no extension, html", key: "CNAME", head: "<!DOCTYPE html><html>", contentType: "text/html; charset=utf-8", cacheControl: CacheRevalidate, class: classPage},
		{name: "no extension, binary", key: "blob", head: "\x00\x01\x02", contentType: "application/octet-stream", cacheControl: CacheDefault, class: classAsset},
		{name: "word that is not a hash", key: "assets/deadbeef.css", contentType: "text/css; charset=utf-8", cacheControl: CacheDefault, class: classAsset},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := contentTypeOf(tt.key, []byte(tt.head))
			got := fmt.Sprintf("%s | %s | %s", ct, cacheControlOf(tt.key, ct, rules), classNames[publishClass(tt.key, ct)])
			want := fmt.Sprintf("%s | %s | %s", tt.contentType, tt.cacheControl, classNames[tt.class])
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("headers of %s mismatch (-want +got):\n%s", tt.key, diff)
			}
		})
	}
}
