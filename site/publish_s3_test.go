package site

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/ingest/objstore"
	"github.com/jobpulse/jobpulse/ingest/objstore/s3test"
)

// bucketBackend runs the publish tests on buckets of the local S3 server.
// Publish finds the server through the AWS environment (srv.Setenv).
func bucketBackend(t *testing.T, srv *s3test.Server) publishBackend {
	client := srv.Client(t)
	return publishBackend{
		headers: true,
		newTarget: func(t *testing.T) string {
			return "s3://" + srv.NewBucket(t, t.Name())
		},
		read: func(t *testing.T, location string) map[string]publishedObject {
			t.Helper()
			return readBucket(t, client, location)
		},
		write: func(t *testing.T, location, key, body string) {
			t.Helper()
			bucket, prefix := parseLocation(t, location)
			_, err := client.PutObject(context.Background(), &s3.PutObjectInput{
				Bucket: aws.String(bucket), Key: aws.String(objstore.JoinKey(prefix, key)), Body: strings.NewReader(body),
			})
			if err != nil {
				t.Fatal(err)
			}
		},
		failing: func(t *testing.T, location, key string) string {
			t.Helper()
			bucket, prefix := parseLocation(t, location)
			bad := "/" + bucket + "/" + objstore.JoinKey(prefix, key)
			proxyS3(t, srv, func(r *http.Request) bool { return r.Method == http.MethodPut && r.URL.Path == bad })
			return location
		},
	}
}

func parseLocation(t *testing.T, location string) (bucket, prefix string) {
	t.Helper()
	bucket, prefix, err := objstore.ParseURL(location)
	if err != nil {
		t.Fatal(err)
	}
	return bucket, prefix
}

// readBucket returns the objects under an s3:// location with their headers.
func readBucket(t *testing.T, client *s3.Client, location string) map[string]publishedObject {
	t.Helper()
	ctx := context.Background()
	bucket, prefix := parseLocation(t, location)
	folder := ""
	if prefix != "" {
		folder = prefix + "/"
	}
	got := map[string]publishedObject{}
	pages := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(folder)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, obj := range page.Contents {
			out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: obj.Key})
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(out.Body)
			out.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			got[strings.TrimPrefix(aws.ToString(obj.Key), folder)] = publishedObject{
				Body:         string(body),
				ContentType:  aws.ToString(out.ContentType),
				CacheControl: aws.ToString(out.CacheControl),
			}
		}
	}
	return got
}

// proxyS3 puts a proxy in front of the S3 server for the rest of the test
// (through AWS_ENDPOINT_URL_S3). It refuses the requests fail selects with
// 403 AccessDenied, and returns the paths of the PUT requests it let
// through, in order.
func proxyS3(t *testing.T, srv *s3test.Server, fail func(*http.Request) bool) func() []string {
	t.Helper()
	backend, err := url.Parse(srv.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(backend)
	proxy.ErrorLog = log.New(io.Discard, "", 0) // requests canceled by a failed publish
	var mu sync.Mutex
	var puts []string
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail(r) {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>planted failure</Message></Error>`)
			return
		}
		if r.Method == http.MethodPut {
			mu.Lock()
			puts = append(puts, r.URL.Path)
			mu.Unlock()
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	t.Setenv("AWS_ENDPOINT_URL_S3", front.URL)
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), puts...)
	}
}

func TestPublishBucket(t *testing.T) {
	srv := s3test.Start(t)
	srv.Setenv(t)
	runPublishTests(t, bucketBackend(t, srv))
}

// TestPublishBucketOrder checks that every asset is uploaded before the
// first page.
func TestPublishBucketOrder(t *testing.T) {
	srv := s3test.Start(t)
	srv.Setenv(t)
	bucket := srv.NewBucket(t, t.Name())
	puts := proxyS3(t, srv, func(*http.Request) bool { return false })
	src := t.TempDir()
	writeSource(t, src, tinySite)
	publishOK(t, src, "s3://"+bucket)

	got := puts()
	if len(got) != len(tinySite)+1 {
		t.Fatalf("uploads = %q, want %d and the marker", got, len(tinySite))
	}
	firstPage := -1
	for i, p := range got {
		isPage := strings.HasSuffix(p, ".html")
		if isPage && firstPage < 0 {
			firstPage = i
		}
		if !isPage && firstPage >= 0 {
			t.Errorf("asset %s uploaded after page %s", p, got[firstPage])
		}
	}
}

// TestPublishBucketHeaders checks that an object with the right content but
// the wrong headers, or without our sha256, is uploaded again.
func TestPublishBucketHeaders(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t)
	srv.Setenv(t)
	client := srv.Client(t)
	bucket := srv.NewBucket(t, t.Name())
	src := t.TempDir()
	site := map[string]string{"index.html": "<h1>home</h1>", "app.css": "body{}", "same.txt": "same"}
	writeSource(t, src, site)
	publishOK(t, src, "s3://"+bucket)

	put := func(in *s3.PutObjectInput) {
		t.Helper()
		in.Bucket = aws.String(bucket)
		if _, err := client.PutObject(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	// Right content and sha256, wrong Content-Type.
	css, err := readBuildFile("app.css", src+"/app.css")
	if err != nil {
		t.Fatal(err)
	}
	put(&s3.PutObjectInput{
		Key: aws.String("app.css"), Body: strings.NewReader(site["app.css"]),
		ContentType: aws.String("application/octet-stream"), CacheControl: aws.String(cacheShort),
		Metadata: map[string]string{"sha256": css.sha256},
	})
	// Right content, uploaded by someone else: no sha256 to compare.
	put(&s3.PutObjectInput{Key: aws.String("same.txt"), Body: strings.NewReader(site["same.txt"])})

	res := publishOK(t, src, "s3://"+bucket)
	checkResult(t, "republish", PublishResult{Uploaded: 2, Unchanged: 1, Bytes: size(site, "app.css", "same.txt")}, res)
	checkPublished(t, bucketBackend(t, srv), "s3://"+bucket, site)
}

// TestPublishWebsite publishes a site to a bucket and reads it back through
// the S3 website endpoint, as a browser would.
func TestPublishWebsite(t *testing.T) {
	srv := s3test.Start(t)
	srv.Setenv(t)
	bucket := srv.NewBucket(t, "site")
	srv.EnableWebsite(t, bucket)
	src := t.TempDir()
	writeSource(t, src, tinySite)
	publishOK(t, src, "s3://"+bucket)

	type page struct {
		Status       int
		ContentType  string
		CacheControl string
		Body         string
	}
	tests := []struct {
		name string
		path string
		want page
	}{
		{name: "home", path: "/", want: page{200, "text/html; charset=utf-8", cacheShort, tinySite["index.html"]}},
		{name: "folder index", path: "/roles/", want: page{200, "text/html; charset=utf-8", cacheShort, tinySite["roles/index.html"]}},
		{name: "stylesheet", path: "/assets/site.0123456789ab.css", want: page{200, "text/css; charset=utf-8", cacheImmutable, tinySite["assets/site.0123456789ab.css"]}},
		{name: "script", path: "/assets/echarts.abcdef012345.min.js", want: page{200, "text/javascript; charset=utf-8", cacheImmutable, tinySite["assets/echarts.abcdef012345.min.js"]}},
		{name: "data", path: "/data/roles.json", want: page{200, "application/json", cacheShort, tinySite["data/roles.json"]}},
	}
	web := srv.WebsiteClient()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := web.Get(strings.TrimSuffix(srv.WebsiteURL(bucket), "/") + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			got := page{resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"), string(body)}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("GET %s mismatch (-want +got):\n%s", tt.path, diff)
			}
		})
	}
}
