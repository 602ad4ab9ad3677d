package ingest_test

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/objstore/s3test"
)

func TestS3Lake(t *testing.T) {
	srv := s3test.Start(t)
	client := srv.Client(t)
	runLakeTests(t, func(t *testing.T) ingest.Lake {
		return ingest.NewS3Lake(client, srv.NewBucket(t, "lake"), "lake/v1")
	})
}

// TestS3LakeObjects checks the objects a Put leaves in the bucket: under the
// lake's prefix, with the metadata as user metadata, and nothing outside the
// prefix is listed.
func TestS3LakeObjects(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t)
	client := srv.Client(t)
	bucket := srv.NewBucket(t, "lake-objects")
	lake := ingest.NewS3Lake(client, bucket, "/lake/")
	if got, want := lake.String(), "s3://"+bucket+"/lake"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	key := "raw/source=remotive/date=2026-11-29/run=r1/page-0001.json"
	meta := ingest.Meta{
		Source: "remotive", URL: "https://remotive.com/api?q=é", Status: 200,
		FetchedAt: time.Date(2026, 11, 29, 1, 2, 3, 0, time.UTC), ContentType: "application/json",
	}
	if err := lake.Put(ctx, key, []byte(`{"a":1}`), meta); err != nil {
		t.Fatal(err)
	}
	// A sibling prefix that shares the lake's prefix as a string.
	_, err := client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String("lake2/raw/other.json"), Body: strings.NewReader("x"),
	})
	if err != nil {
		t.Fatal(err)
	}

	head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("lake/" + key)})
	if err != nil {
		t.Fatalf("object is not under the lake's prefix: %v", err)
	}
	wantMeta := map[string]string{
		"source":     "remotive",
		"url":        "=?utf-8?q?https://remotive.com/api=3Fq=3D=C3=A9?=",
		"status":     "200",
		"fetched-at": "2026-11-29T01:02:03Z",
		"sha256":     hexSHA256([]byte(`{"a":1}`)),
	}
	if diff := cmp.Diff(wantMeta, head.Metadata); diff != "" {
		t.Errorf("user metadata mismatch (-want +got):\n%s", diff)
	}
	if got := aws.ToString(head.ContentType); got != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", got)
	}

	keys, err := lake.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{key}, keys); diff != "" {
		t.Errorf("List mismatch (-want +got):\n%s", diff)
	}
}

// TestS3LakeWithoutConditionalWrites runs Put against a server that answers
// 501 Not Implemented to If-None-Match, as some S3-compatible servers do: a
// proxy in front of versitygw. Put falls back to HeadObject, and still never
// overwrites.
func TestS3LakeWithoutConditionalWrites(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t)
	target, err := url.Parse(srv.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ErrorLog = log.New(io.Discard, "", 0)
	var refused atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && r.Header.Get("If-None-Match") != "" {
			refused.Add(1)
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusNotImplemented)
			w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>NotImplemented</Code>` +
				`<Message>A header you provided implies functionality that is not implemented</Message></Error>`))
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer front.Close()

	cfg := srv.Config()
	cfg.BaseEndpoint = aws.String(front.URL)
	client := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	lake := ingest.NewS3Lake(client, srv.NewBucket(t, "lake-fallback"), "")

	if err := lake.Put(ctx, "a.json", []byte("first"), ingest.Meta{}); err != nil {
		t.Fatalf("first Put: %v", err)
	}
	if err := lake.Put(ctx, "a.json", []byte("second"), ingest.Meta{}); !errors.Is(err, ingest.ErrExist) {
		t.Fatalf("second Put: got %v, want ErrExist", err)
	}
	if err := lake.Put(ctx, "b.json", []byte("third"), ingest.Meta{}); err != nil {
		t.Fatalf("third Put: %v", err)
	}
	body, _, err := lake.Get(ctx, "a.json")
	if err != nil || string(body) != "first" {
		t.Errorf("Get: %q, %v; want \"first\"", body, err)
	}
	if n := refused.Load(); n != 1 {
		t.Errorf("conditional writes tried %d times, want 1 (then remembered)", n)
	}
}

func TestOpenLakeS3(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t)
	srv.Setenv(t)
	bucket := srv.NewBucket(t, "open-lake")
	lake, err := ingest.OpenLake(ctx, "s3://"+bucket+"/data/lake/")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := lake.(*ingest.S3Lake); !ok || lake.String() != "s3://"+bucket+"/data/lake" {
		t.Fatalf("OpenLake = %T %s, want *ingest.S3Lake s3://%s/data/lake", lake, lake, bucket)
	}
	if err := lake.Put(ctx, "a/b.json", []byte("{}"), ingest.Meta{}); err != nil {
		t.Fatal(err)
	}
	_, err = srv.Client(t).HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("data/lake/a/b.json")})
	if err != nil {
		t.Errorf("object not at data/lake/a/b.json: %v", err)
	}
	if _, err := ingest.OpenLake(ctx, "s3://Bad_Bucket"); err == nil {
		t.Error("OpenLake of an invalid bucket name succeeded")
	}
}
