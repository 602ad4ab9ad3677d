package ingest_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/objstore/s3test"
)

// TestMain stops the S3 test server, if a test started one.
func TestMain(m *testing.M) { s3test.Main(m) }

// newLakeFunc returns a new, empty lake for one test.
type newLakeFunc func(t *testing.T) ingest.Lake

// runLakeTests is the contract every [ingest.Lake] implementation passes.
func runLakeTests(t *testing.T, newLake newLakeFunc) {
	tests := []struct {
		name string
		run  func(t *testing.T, lake ingest.Lake)
	}{
		{"RoundTrip", testRoundTrip},
		{"NoOverwrite", testNoOverwrite},
		{"NotFound", testNotFound},
		{"ListSortedWithPrefix", testList},
		{"InvalidKeys", testInvalidKeys},
		{"ConcurrentPutsOneWins", testConcurrentPuts},
		{"HiveLayout", testHiveLayout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, newLake(t))
		})
	}
}

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func testRoundTrip(t *testing.T, lake ingest.Lake) {
	ctx := context.Background()
	fetched := time.Date(2026, 11, 29, 3, 4, 5, 123456789, time.UTC)
	tests := []struct {
		name string
		key  string
		body []byte
		meta ingest.Meta
		want ingest.Meta
	}{
		{
			name: "full metadata",
			key:  "raw/source=remotive/date=2026-11-29/run=r1/page-0001.json",
			body: []byte(`{"jobs":[]}`),
			meta: ingest.Meta{
				Source: "remotive", URL: "https://remotive.com/api/remote-jobs?limit=100",
				FetchedAt: fetched, Status: 200, ContentType: "application/json",
			},
			want: ingest.Meta{
				Source: "remotive", URL: "https://remotive.com/api/remote-jobs?limit=100",
				FetchedAt: fetched, Status: 200, ContentType: "application/json",
				SHA256: hexSHA256([]byte(`{"jobs":[]}`)), Size: 11,
			},
		},
		{
			name: "non-ASCII URL and caller's sha256",
			key:  "raw/source=board/page.html",
			body: []byte("<p>Développeur</p>"),
			meta: ingest.Meta{
				Source: "board", URL: "https://exemple.fr/emplois/développeur?ville=Besançon",
				FetchedAt: fetched, Status: 203, ContentType: "text/html; charset=utf-8",
				SHA256: hexSHA256([]byte("<p>Développeur</p>")),
			},
			want: ingest.Meta{
				Source: "board", URL: "https://exemple.fr/emplois/développeur?ville=Besançon",
				FetchedAt: fetched, Status: 203, ContentType: "text/html; charset=utf-8",
				SHA256: hexSHA256([]byte("<p>Développeur</p>")), Size: int64(len("<p>Développeur</p>")),
			},
		},
		{
			name: "failed response with its error",
			key:  "raw/source=remotive/date=2026-11-29/run=r1/page-0001.attempt-1.json",
			body: []byte("upstream down"),
			meta: ingest.Meta{
				Source: "remotive", URL: "https://remotive.com/api/remote-jobs", FetchedAt: fetched, Status: 502,
				ContentType: "text/plain", Error: "unexpected HTTP status 502 Bad Gateway – réessayez",
			},
			want: ingest.Meta{
				Source: "remotive", URL: "https://remotive.com/api/remote-jobs", FetchedAt: fetched, Status: 502,
				ContentType: "text/plain", Error: "unexpected HTTP status 502 Bad Gateway – réessayez",
				SHA256: hexSHA256([]byte("upstream down")), Size: 13,
			},
		},
		{
			name: "empty body",
			key:  "raw/empty",
			body: []byte{},
			meta: ingest.Meta{Source: "s", Status: 204, ContentType: "text/plain"},
			want: ingest.Meta{Source: "s", Status: 204, ContentType: "text/plain", SHA256: hexSHA256(nil)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := lake.Put(ctx, tt.key, tt.body, tt.meta); err != nil {
				t.Fatalf("Put: %v", err)
			}
			body, meta, err := lake.Get(ctx, tt.key)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if diff := cmp.Diff(tt.body, body, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("body mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, meta); diff != "" {
				t.Errorf("meta mismatch (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("wrong sha256 rejected", func(t *testing.T) {
		err := lake.Put(ctx, "raw/bad-sum", []byte("x"), ingest.Meta{SHA256: hexSHA256([]byte("y"))})
		if err == nil {
			t.Fatal("Put with a sha256 that is not the body's succeeded")
		}
		if _, _, err := lake.Get(ctx, "raw/bad-sum"); !errors.Is(err, ingest.ErrNotFound) {
			t.Errorf("Get after rejected Put: got %v, want ErrNotFound", err)
		}
	})
}

func testNoOverwrite(t *testing.T, lake ingest.Lake) {
	ctx := context.Background()
	key := "raw/source=a/page-1.json"
	if err := lake.Put(ctx, key, []byte("first"), ingest.Meta{Source: "a", Status: 200}); err != nil {
		t.Fatalf("first Put: %v", err)
	}
	err := lake.Put(ctx, key, []byte("second"), ingest.Meta{Source: "b", Status: 500})
	if !errors.Is(err, ingest.ErrExist) {
		t.Fatalf("second Put: got %v, want ErrExist", err)
	}
	body, meta, err := lake.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("%s %s %d", body, meta.Source, meta.Status)
	if diff := cmp.Diff("first a 200", got); diff != "" {
		t.Errorf("object after refused overwrite (-want +got):\n%s", diff)
	}
}

func testNotFound(t *testing.T, lake ingest.Lake) {
	ctx := context.Background()
	if err := lake.Put(ctx, "raw/dir/obj", []byte("x"), ingest.Meta{}); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"raw/missing", "raw/dir", "raw/dir/obj2", "other"} {
		t.Run(key, func(t *testing.T) {
			_, _, err := lake.Get(ctx, key)
			if !errors.Is(err, ingest.ErrNotFound) {
				t.Errorf("Get(%q): got %v, want ErrNotFound", key, err)
			}
		})
	}
}

func testList(t *testing.T, lake ingest.Lake) {
	ctx := context.Background()
	keys := []string{
		"raw/source=b/date=2026-11-29/run=1/page-0002.json",
		"raw/source=a/date=2026-11-29/run=1/page-0001.json",
		"raw/source=ab/date=2026-11-29/run=1/page-0001.json",
		"raw/source=a/date=2026-11-28/run=0/page-0001.json",
		"raw/source=a/date=2026-11-29/run=1/page-0010.json",
		"top.json",
	}
	for _, k := range keys {
		if err := lake.Put(ctx, k, []byte(k), ingest.Meta{ContentType: "application/json"}); err != nil {
			t.Fatalf("Put %s: %v", k, err)
		}
	}
	tests := []struct {
		name   string
		prefix string
		want   []string
	}{
		{name: "all", prefix: "", want: []string{
			"raw/source=a/date=2026-11-28/run=0/page-0001.json",
			"raw/source=a/date=2026-11-29/run=1/page-0001.json",
			"raw/source=a/date=2026-11-29/run=1/page-0010.json",
			"raw/source=ab/date=2026-11-29/run=1/page-0001.json",
			"raw/source=b/date=2026-11-29/run=1/page-0002.json",
			"top.json",
		}},
		{name: "folder prefix", prefix: "raw/source=a/", want: []string{
			"raw/source=a/date=2026-11-28/run=0/page-0001.json",
			"raw/source=a/date=2026-11-29/run=1/page-0001.json",
			"raw/source=a/date=2026-11-29/run=1/page-0010.json",
		}},
		{name: "string prefix", prefix: "raw/source=a", want: []string{
			"raw/source=a/date=2026-11-28/run=0/page-0001.json",
			"raw/source=a/date=2026-11-29/run=1/page-0001.json",
			"raw/source=a/date=2026-11-29/run=1/page-0010.json",
			"raw/source=ab/date=2026-11-29/run=1/page-0001.json",
		}},
		{name: "partition", prefix: "raw/source=a/date=2026-11-29/", want: []string{
			"raw/source=a/date=2026-11-29/run=1/page-0001.json",
			"raw/source=a/date=2026-11-29/run=1/page-0010.json",
		}},
		{name: "partial name", prefix: "raw/source=a/date=2026-11-29/run=1/page-001", want: []string{
			"raw/source=a/date=2026-11-29/run=1/page-0010.json",
		}},
		{name: "whole key", prefix: "top.json", want: []string{"top.json"}},
		{name: "nothing", prefix: "raw/source=c/", want: nil},
		{name: "missing folder", prefix: "nope/deeper/", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := lake.List(ctx, tt.prefix)
			if err != nil {
				t.Fatalf("List(%q): %v", tt.prefix, err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("List(%q) mismatch (-want +got):\n%s", tt.prefix, diff)
			}
		})
	}
}

func testInvalidKeys(t *testing.T, lake ingest.Lake) {
	ctx := context.Background()
	for _, key := range []string{"", "/abs", "../escape", "a/../../b", "a/./b", "a//b", "dir/", `a\b`, "a\x00b", ".", ".."} {
		t.Run(fmt.Sprintf("%q", key), func(t *testing.T) {
			err := lake.Put(ctx, key, []byte("x"), ingest.Meta{})
			if err == nil || errors.Is(err, ingest.ErrExist) {
				t.Errorf("Put(%q): got %v, want an invalid key error", key, err)
			}
			_, _, err = lake.Get(ctx, key)
			if err == nil || errors.Is(err, ingest.ErrNotFound) {
				t.Errorf("Get(%q): got %v, want an invalid key error", key, err)
			}
		})
	}
	keys, err := lake.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 0 {
		t.Errorf("invalid Puts stored objects: %q", keys)
	}
}

func testConcurrentPuts(t *testing.T, lake ingest.Lake) {
	ctx := context.Background()
	const writers = 16
	key := "raw/source=race/page-0001.json"
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			body := fmt.Appendf(nil, "writer %02d", i)
			errs[i] = lake.Put(ctx, key, body, ingest.Meta{Source: fmt.Sprintf("w%02d", i), Status: 200})
		})
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Errorf("writers %d and %d both succeeded", winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, ingest.ErrExist):
			t.Errorf("writer %d: got %v, want nil or ErrExist", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no writer succeeded")
	}
	body, meta, err := lake.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("writer %02d w%02d", winner, winner)
	if diff := cmp.Diff(want, string(body)+" "+meta.Source); diff != "" {
		t.Errorf("stored object is not the winner's (-want +got):\n%s", diff)
	}
}

func testHiveLayout(t *testing.T, lake ingest.Lake) {
	ctx := context.Background()
	// 23:30 in New York on the 29th is the 30th in UTC: the partition date is UTC.
	start := time.Date(2026, 11, 29, 23, 30, 0, 0, time.FixedZone("EST", -5*60*60))
	key := ingest.RawKey("remotive", start, "20261130T043000Z-1", "page-0001.json")
	want := "raw/source=remotive/date=2026-11-30/run=20261130T043000Z-1/page-0001.json"
	if diff := cmp.Diff(want, key); diff != "" {
		t.Fatalf("RawKey mismatch (-want +got):\n%s", diff)
	}
	if err := lake.Put(ctx, key, []byte("{}"), ingest.Meta{Source: "remotive"}); err != nil {
		t.Fatal(err)
	}
	got, err := lake.List(ctx, "raw/source=remotive/date=2026-11-30/")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{want}, got); diff != "" {
		t.Errorf("List of the partition mismatch (-want +got):\n%s", diff)
	}
}
