package s3test_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/internal/objstore"
	"github.com/jobpulse/jobpulse/internal/objstore/s3test"
)

func TestMain(m *testing.M) { s3test.Main(m) }

func TestServer(t *testing.T) {
	srv := s3test.Start(t)
	srv.Setenv(t)
	ctx := context.Background()
	client, err := objstore.NewClient(ctx) // the standard chain, pointed at srv
	if err != nil {
		t.Fatal(err)
	}
	bucket := srv.NewBucket(t, "TestServer_Website")
	put := func(key, body, contentType string) {
		t.Helper()
		_, err := client.PutObject(ctx, &s3.PutObjectInput{
			Bucket:      aws.String(bucket),
			Key:         aws.String(key),
			Body:        strings.NewReader(body),
			ContentType: aws.String(contentType),
		})
		if err != nil {
			t.Fatalf("put %s: %v\n%s", key, err, srv.Logs())
		}
	}
	put("index.html", "<h1>home</h1>", "text/html; charset=utf-8")
	put("roles/index.html", "<h1>roles</h1>", "text/html; charset=utf-8")
	put("app.css", "body{}", "text/css; charset=utf-8")
	srv.EnableWebsite(t, bucket)

	type page struct {
		Status      int
		ContentType string
		Body        string
	}
	tests := []struct {
		name string
		path string
		want page
	}{
		{name: "root serves index", path: "", want: page{200, "text/html; charset=utf-8", "<h1>home</h1>"}},
		{name: "folder serves index", path: "roles/", want: page{200, "text/html; charset=utf-8", "<h1>roles</h1>"}},
		{name: "asset", path: "app.css", want: page{200, "text/css; charset=utf-8", "body{}"}},
		{name: "missing", path: "nope.html", want: page{Status: 404}},
	}
	web := srv.WebsiteClient()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := web.Get(srv.WebsiteURL(bucket) + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			got := page{Status: resp.StatusCode}
			if resp.StatusCode == http.StatusOK {
				got.ContentType = resp.Header.Get("Content-Type")
				got.Body = string(body)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("GET /%s mismatch (-want +got):\n%s\n%s", tt.path, diff, srv.Logs())
			}
		})
	}
}
