package publish

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/internal/objstore/s3test"
)

// webPage is a response of the website endpoint.
type webPage struct {
	Status       int
	ContentType  string
	CacheControl string
	Location     string
	Body         string
}

// websiteBucket returns a new bucket set up as a website with index.html
// and 404.html, and a function that GETs a path of it.
func websiteBucket(t *testing.T, srv *s3test.Server) (string, func(t *testing.T, path string) webPage) {
	t.Helper()
	bucket := srv.NewBucket(t, "site")
	srv.EnableWebsite(t, bucket)
	_, err := srv.Client(t).PutBucketWebsite(context.Background(), &s3.PutBucketWebsiteInput{
		Bucket: aws.String(bucket),
		WebsiteConfiguration: &types.WebsiteConfiguration{
			IndexDocument: &types.IndexDocument{Suffix: aws.String("index.html")},
			ErrorDocument: &types.ErrorDocument{Key: aws.String("404.html")},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	web := srv.WebsiteClient()
	get := func(t *testing.T, path string) webPage {
		t.Helper()
		resp, err := web.Get(strings.TrimSuffix(srv.WebsiteURL(bucket), "/") + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return webPage{resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"),
			resp.Header.Get("Location"), string(body)}
	}
	return bucket, get
}

// TestPublishWebsite publishes a site to a bucket and reads it back through
// the S3 website endpoint, as a browser would.
func TestPublishWebsite(t *testing.T) {
	srv := s3test.Start(t)
	srv.Setenv(t)
	bucket, get := websiteBucket(t, srv)
	src := t.TempDir()
	writeSource(t, src, tinySite)
	writeSource(t, src, map[string]string{"404.html": "<h1>not found</h1>"})
	cfg := publishConfig(src, "s3://"+bucket)
	cfg.Redirects = []Redirect{{Path: "old/", To: "/roles/"}}
	if _, err := Publish(context.Background(), cfg, nil); err != nil {
		t.Fatal(err)
	}
	const html = "text/html; charset=utf-8"
	tests := []struct {
		name string
		path string
		want webPage
	}{
		{name: "home", path: "/", want: webPage{200, html, CacheRevalidate, "", tinySite["index.html"]}},
		{name: "folder index", path: "/roles/", want: webPage{200, html, CacheRevalidate, "", tinySite["roles/index.html"]}},
		{name: "nested page", path: "/roles/backend/", want: webPage{200, html, CacheRevalidate, "", tinySite["roles/backend/index.html"]}},
		{name: "stylesheet", path: "/assets/site.0123456789ab.css", want: webPage{200, "text/css; charset=utf-8", CacheImmutable, "", tinySite["assets/site.0123456789ab.css"]}},
		{name: "script", path: "/assets/echarts.abcdef012345.min.js", want: webPage{200, "text/javascript; charset=utf-8", CacheImmutable, "", tinySite["assets/echarts.abcdef012345.min.js"]}},
		{name: "data", path: "/data/roles.json", want: webPage{200, "application/json", CacheRevalidate, "", tinySite["data/roles.json"]}},
		{name: "text", path: "/robots.txt", want: webPage{200, "text/plain; charset=utf-8", CacheRevalidate, "", tinySite["robots.txt"]}},
		{name: "missing page", path: "/nowhere/", want: webPage{404, html, CacheRevalidate, "", "<h1>not found</h1>"}},
		{name: "redirect", path: "/old/", want: webPage{301, "", "", "/roles/", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := get(t, tt.path)
			if tt.want.Status == 301 {
				got.ContentType, got.CacheControl, got.Body = "", "", "" // the server's own
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("GET %s mismatch (-want +got):\n%s", tt.path, diff)
			}
		})
	}
}

// stylesheet finds the stylesheet a page links to.
var stylesheet = regexp.MustCompile(`href=(/assets/[^ >]+\.css)`)

// TestPublishWebsiteFailedUpload publishes a site, then a new version of it
// through a proxy that fails some uploads: the publish fails, deletes
// nothing, and the website still serves whole pages with their assets. A
// publish without failures then completes the new version.
func TestPublishWebsiteFailedUpload(t *testing.T) {
	v1 := map[string]string{
		"index.html":                   "<!doctype html><link rel=stylesheet href=/assets/site.11111111aaaa.css><h1>v1</h1>",
		"roles/index.html":             "<!doctype html><link rel=stylesheet href=/assets/site.11111111aaaa.css><h1>roles v1</h1>",
		"assets/site.11111111aaaa.css": "h1{color:red}",
		"data/roles.json":              `{"v":1}`,
	}
	v2 := map[string]string{
		"index.html":                   "<!doctype html><link rel=stylesheet href=/assets/site.22222222bbbb.css><h1>v2</h1>",
		"roles/index.html":             "<!doctype html><link rel=stylesheet href=/assets/site.22222222bbbb.css><h1>roles v2</h1>",
		"assets/site.22222222bbbb.css": "h1{color:blue}",
		"data/roles.json":              `{"v":2}`,
	}
	tests := []struct {
		name string
		fail string // key whose PUT fails
	}{
		{name: "an asset fails", fail: "assets/site.22222222bbbb.css"},
		{name: "a data file fails", fail: "data/roles.json"},
		{name: "a page fails", fail: "roles/index.html"},
		{name: "the home page fails", fail: "index.html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := s3test.Start(t)
			srv.Setenv(t)
			bucket, get := websiteBucket(t, srv)
			src := t.TempDir()
			writeSource(t, src, v1)
			publishOK(t, src, "s3://"+bucket)

			writeSource(t, src, v2)
			if err := removeFile(src, "assets/site.11111111aaaa.css"); err != nil {
				t.Fatal(err)
			}
			bad := "/" + bucket + "/" + tt.fail
			requests := proxyS3(t, srv, func(r *http.Request) bool { return r.Method == http.MethodPut && r.URL.Path == bad })
			_, err := Publish(context.Background(), publishConfig(src, "s3://"+bucket), nil)
			if err == nil || !strings.Contains(err.Error(), "publish "+tt.fail+" to") {
				t.Fatalf("Publish: got %v, want the upload of %s to fail", err, tt.fail)
			}
			for _, r := range requests() {
				if r == "DELETE /"+bucket+"/"+lockKey {
					continue // the publish lock, released
				}
				if strings.HasPrefix(r, "DELETE") || strings.HasPrefix(r, "POST /"+bucket+"?delete") || r == "POST /"+bucket {
					t.Errorf("request %s after a failed upload, want no delete", r)
				}
			}
			for _, page := range []string{"/", "/roles/"} {
				p := get(t, page)
				m := stylesheet.FindStringSubmatch(p.Body)
				if p.Status != 200 || m == nil {
					t.Errorf("GET %s = %d %q, want a page with its stylesheet", page, p.Status, p.Body)
					continue
				}
				if css := get(t, m[1]); css.Status != 200 {
					t.Errorf("GET %s: its stylesheet %s = %d, want 200: the site is not whole", page, m[1], css.Status)
				}
			}
			if css := get(t, "/assets/site.11111111aaaa.css"); css.Status != 200 {
				t.Errorf("old stylesheet after a failed publish = %d, want kept", css.Status)
			}

			// Without the failure, the publish completes and drops v1.
			t.Setenv("AWS_ENDPOINT_URL_S3", srv.Endpoint)
			publishOK(t, src, "s3://"+bucket)
			if p := get(t, "/"); p.Body != v2["index.html"] {
				t.Errorf("home after the second publish = %q, want v2", p.Body)
			}
			if css := get(t, "/assets/site.11111111aaaa.css"); css.Status != 404 {
				t.Errorf("old stylesheet after a complete publish = %d, want 404", css.Status)
			}
		})
	}
}
