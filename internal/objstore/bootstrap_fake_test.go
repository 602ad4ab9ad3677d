package objstore_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// fakeS3 is an httptest server that answers the bucket configuration calls
// as AWS S3 does (every one implemented), keeps what was put, and records
// every request. It checks what versitygw cannot: the calls it does not
// implement, and S3's own errors.
type fakeS3 struct {
	srv *httptest.Server

	mu       sync.Mutex
	buckets  map[string]bool
	config   map[string]string // "bucket?sub" -> body last put
	requests []fakeRequest
	// fail maps "METHOD sub" (e.g. "PUT policy", "HEAD ") to the status and
	// S3 error code to answer instead.
	fail map[string]fakeError
}

type fakeRequest struct {
	Method, Bucket, Sub, Body string
}

type fakeError struct {
	Status int
	Code   string
}

// subresources are the bucket configuration sub-resources the fake knows,
// with the error code of a GET when none was put.
var subresources = map[string]string{
	"publicAccessBlock": "NoSuchPublicAccessBlockConfiguration",
	"encryption":        "ServerSideEncryptionConfigurationNotFoundError",
	"versioning":        "",
	"website":           "NoSuchWebsiteConfiguration",
	"policy":            "NoSuchBucketPolicy",
}

func newFakeS3(t *testing.T) *fakeS3 {
	f := &fakeS3{buckets: map[string]bool{}, config: map[string]string{}, fail: map[string]fakeError{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// client returns an S3 client for the fake in region.
func (f *fakeS3) client(region string) *s3.Client {
	return s3.New(s3.Options{
		Region:           region,
		BaseEndpoint:     aws.String(f.srv.URL),
		UsePathStyle:     true,
		Credentials:      credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		RetryMaxAttempts: 1,
	})
}

func (f *fakeS3) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	bucket := strings.Trim(r.URL.Path, "/")
	sub := ""
	for k := range r.URL.Query() {
		if _, ok := subresources[k]; ok {
			sub = k
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, fakeRequest{Method: r.Method, Bucket: bucket, Sub: sub, Body: string(body)})
	if e, ok := f.fail[r.Method+" "+sub]; ok {
		writeS3Error(w, e.Status, e.Code)
		return
	}
	switch {
	case sub == "" && r.Method == http.MethodHead:
		if !f.buckets[bucket] {
			w.WriteHeader(http.StatusNotFound)
		}
	case sub == "" && r.Method == http.MethodPut:
		if f.buckets[bucket] {
			writeS3Error(w, http.StatusConflict, "BucketAlreadyOwnedByYou")
			return
		}
		f.buckets[bucket] = true
	case !f.buckets[bucket]:
		writeS3Error(w, http.StatusNotFound, "NoSuchBucket")
	case r.Method == http.MethodPut:
		f.config[bucket+"?"+sub] = string(body)
	case r.Method == http.MethodGet:
		got, ok := f.config[bucket+"?"+sub]
		switch {
		case ok && sub == "policy":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, got)
		case ok:
			w.Header().Set("Content-Type", "application/xml")
			io.WriteString(w, got)
		case sub == "versioning":
			io.WriteString(w, `<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>`)
		default:
			writeS3Error(w, http.StatusNotFound, subresources[sub])
		}
	default:
		writeS3Error(w, http.StatusMethodNotAllowed, "MethodNotAllowed")
	}
}

func writeS3Error(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>fake %s</Message></Error>`, code, code)
}

// take returns the requests recorded so far and forgets them.
func (f *fakeS3) take() []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.requests
	f.requests = nil
	return r
}

// writes returns the PUT bodies of reqs by sub-resource ("" for the bucket).
func writes(reqs []fakeRequest) map[string]string {
	m := map[string]string{}
	for _, r := range reqs {
		if r.Method == http.MethodPut {
			m[r.Sub] = r.Body
		}
	}
	return m
}
