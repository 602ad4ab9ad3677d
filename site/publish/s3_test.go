package publish

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/internal/objstore"
	"github.com/jobpulse/jobpulse/internal/objstore/s3test"
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
		hold: func(t *testing.T, location, holder string) func() {
			t.Helper()
			// What another machine's publish does: a lock object, live.
			bucket, prefix := parseLocation(t, location)
			now := time.Now()
			body, _ := json.Marshal(LockHolder{Holder: holder, Host: "other-host", PID: 4242, Since: now, Expires: now.Add(LockLease)})
			key := aws.String(objstore.JoinKey(prefix, lockKey))
			if _, err := client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: key, Body: bytes.NewReader(body)}); err != nil {
				t.Fatal(err)
			}
			return func() {
				if _, err := client.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: key}); err != nil {
					t.Error(err)
				}
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
// 403 AccessDenied, and returns the requests it let through, in order, as
// "METHOD /path" (with "?list" for a listing).
func proxyS3(t *testing.T, srv *s3test.Server, fail func(*http.Request) bool) func() []string {
	t.Helper()
	backend, err := url.Parse(srv.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(backend)
	proxy.ErrorLog = log.New(io.Discard, "", 0) // requests canceled by a failed publish
	var mu sync.Mutex
	var seen []string
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail(r) {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>planted failure</Message></Error>`)
			return
		}
		req := r.Method + " " + r.URL.Path
		if r.URL.Query().Has("list-type") {
			req += "?list"
		}
		mu.Lock()
		seen = append(seen, req)
		mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	t.Setenv("AWS_ENDPOINT_URL_S3", front.URL)
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

func TestPublishBucket(t *testing.T) {
	srv := s3test.Start(t)
	srv.Setenv(t)
	runPublishTests(t, bucketBackend(t, srv))
}

// TestPublishBucketOrder checks the upload order: the publish lock, the
// manifest placeholder, assets, data, pages, the root index.html and
// 404.html, the manifest.
func TestPublishBucketOrder(t *testing.T) {
	srv := s3test.Start(t)
	srv.Setenv(t)
	bucket := srv.NewBucket(t, t.Name())
	requests := proxyS3(t, srv, func(*http.Request) bool { return false })
	src := t.TempDir()
	site := map[string]string{"404.html": "<h1>not found</h1>"}
	maps.Copy(site, tinySite)
	writeSource(t, src, site)
	publishOK(t, src, "s3://"+bucket)

	var got []string
	for _, r := range requests() {
		if key, ok := strings.CutPrefix(r, "PUT /"+bucket+"/"); ok {
			got = append(got, classOfKey(key))
		}
	}
	got = slices.Compact(got)
	want := []string{"lock", "manifest", "assets", "data", "pages", "entry pages", "manifest"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("upload order mismatch (-want +got):\n%s", diff)
	}
}

// classOfKey names the upload class of a key, or "manifest", or "lock".
func classOfKey(key string) string {
	switch key {
	case MarkerKey:
		return "manifest"
	case lockKey:
		return "lock"
	}
	return classNames[publishClass(key, contentTypeOf(key, nil))]
}

// TestPublishBucketRequests counts the requests of an unchanged republish:
// the conditional PUT of the publish lock, one listing and one GET of the
// manifest, the DELETE of the lock; no other PUT, no HEAD.
func TestPublishBucketRequests(t *testing.T) {
	srv := s3test.Start(t)
	srv.Setenv(t)
	bucket := srv.NewBucket(t, t.Name())
	src := t.TempDir()
	writeSource(t, src, tinySite)
	publishOK(t, src, "s3://"+bucket)

	requests := proxyS3(t, srv, func(*http.Request) bool { return false })
	res := publishOK(t, src, "s3://"+bucket)
	checkResult(t, "unchanged republish", Result{Unchanged: len(tinySite)}, res)
	want := []string{"PUT /" + bucket + "/" + lockKey, "GET /" + bucket + "?list", "GET /" + bucket + "/" + MarkerKey, "DELETE /" + bucket + "/" + lockKey}
	if diff := cmp.Diff(want, requests()); diff != "" {
		t.Errorf("requests of an unchanged republish mismatch (-want +got):\n%s", diff)
	}
}

// TestPublishBucketObjects checks what an object says of itself: the
// sha256 of its source in x-amz-meta-sha256, and gzip when asked, with
// bytes that do not change from one publish to the next.
func TestPublishBucketObjects(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t)
	srv.Setenv(t)
	client := srv.Client(t)
	bucket := srv.NewBucket(t, t.Name())
	src := t.TempDir()
	page := strings.Repeat("<p>jobs</p>", 100)
	writeSource(t, src, map[string]string{"index.html": page, "logo.png": "\x89PNG"})
	cfg := publishConfig(src, "s3://"+bucket)
	cfg.Gzip = true
	if _, err := Publish(ctx, cfg, nil); err != nil {
		t.Fatal(err)
	}
	type object struct {
		SHA256, ContentEncoding, Body string
	}
	read := func(key string) object {
		t.Helper()
		out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		if err != nil {
			t.Fatal(err)
		}
		defer out.Body.Close()
		var r io.Reader = out.Body
		if aws.ToString(out.ContentEncoding) == "gzip" {
			if r, err = gzip.NewReader(out.Body); err != nil {
				t.Fatal(err)
			}
		}
		body, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return object{out.Metadata[sha256Meta], aws.ToString(out.ContentEncoding), string(body)}
	}
	sum := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
	tests := []struct {
		name string
		key  string
		want object
	}{
		{name: "text, gzipped", key: "index.html", want: object{sum(page), "gzip", page}},
		{name: "binary, as is", key: "logo.png", want: object{sum("\x89PNG"), "", "\x89PNG"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, read(tt.key)); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", tt.key, diff)
			}
		})
	}
	// Rewritten with the same bytes, the gzipped page is the same object.
	writeSource(t, src, map[string]string{"index.html": page})
	res, err := Publish(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, "republish of a rewritten build", Result{Unchanged: 2}, res)
}

// TestPublishBucketMultipart publishes a file larger than the multipart
// threshold: it goes up in parts, reads back whole, and is unchanged the
// next time.
func TestPublishBucketMultipart(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t)
	srv.Setenv(t)
	bucket := srv.NewBucket(t, t.Name())
	oldThreshold, oldPart := multipartThreshold, multipartPartSize
	multipartThreshold, multipartPartSize = 6<<20, 5<<20
	t.Cleanup(func() { multipartThreshold, multipartPartSize = oldThreshold, oldPart })

	big := make([]byte, 11<<20)
	for i := range big {
		big[i] = byte(i * 7 % 251)
	}
	src := t.TempDir()
	writeSource(t, src, map[string]string{"index.html": "<h1>home</h1>", "data/all.bin": string(big)})
	publishOK(t, src, "s3://"+bucket)

	got := readBucket(t, srv.Client(t), "s3://"+bucket)
	if got["data/all.bin"].Body != string(big) {
		t.Errorf("data/all.bin read back differs (%d bytes, want %d)", len(got["data/all.bin"].Body), len(big))
	}
	m := parseManifest([]byte(got[MarkerKey].Body))
	if etag := m.Files["data/all.bin"].ETag; !strings.HasSuffix(etag, "-3") {
		t.Errorf("ETag of data/all.bin = %q, want a multipart ETag of 3 parts", etag)
	}
	res, err := Publish(ctx, publishConfig(src, "s3://"+bucket), nil)
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, "republish", Result{Unchanged: 2}, res)
}

// TestPublishBucketStaleLock leaves the lock object of a publish that died
// an hour and a minute ago (expired): the next publish takes it over,
// publishes, and removes it; a live one beside it is refused (see
// testPublishLock).
func TestPublishBucketStaleLock(t *testing.T) {
	srv := s3test.Start(t)
	srv.Setenv(t)
	client := srv.Client(t)
	bucket := srv.NewBucket(t, t.Name())
	since := time.Now().Add(-LockLease - time.Minute)
	body, _ := json.Marshal(LockHolder{Holder: "jobpulse publish dead-host pid 1", Host: "dead-host", PID: 1, Since: since, Expires: since.Add(LockLease)})
	_, err := client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(lockKey), Body: bytes.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	writeSource(t, src, tinySite)
	publishOK(t, src, "s3://"+bucket)
	got := readBucket(t, client, "s3://"+bucket)
	if _, ok := got[lockKey]; ok {
		t.Errorf("%s still there after a publish that took it over: %s", lockKey, got[lockKey].Body)
	}
	delete(got, MarkerKey)
	delete(got, lockKey)
	if len(got) != len(tinySite) {
		t.Errorf("published %d objects, want %d", len(got), len(tinySite))
	}
}
