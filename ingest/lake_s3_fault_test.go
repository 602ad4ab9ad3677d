package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/objstore"
	"github.com/jobpulse/jobpulse/internal/objstore/s3test"
)

// faultClient is the S3 client configuration of the fault tests: time
// limits short enough that a hung request costs half a second, not a
// minute.
var faultClient = objstore.ClientConfig{MaxAttempts: objstore.DefaultMaxAttempts, IdleTimeout: 500 * time.Millisecond, AttemptTimeout: 20 * time.Second}

// lakeObject is one raw page the fault test writes.
type lakeObject struct {
	key  string
	body []byte
	meta ingest.Meta
}

// want returns the metadata Get should return for o.
func (o lakeObject) want() ingest.Meta {
	m := o.meta
	m.SHA256, m.Size = hexSHA256(o.body), int64(len(o.body))
	return m
}

// faultObjects returns n raw pages of one run, with sizes from empty to
// 96 KiB, and metadata as Fetch writes it.
func faultObjects(seed uint64, n int) []lakeObject {
	rng := rand.New(rand.NewPCG(seed, 7))
	started := time.Date(2026, 11, 29, 2, 0, 0, 0, time.UTC)
	objs := make([]lakeObject, n)
	for i := range objs {
		body := make([]byte, rng.IntN(96<<10))
		for j := range body {
			body[j] = byte(rng.Uint32())
		}
		meta := ingest.Meta{
			Source: "board", URL: fmt.Sprintf("https://board.example/jobs?page=%d&q=développeur", i+1),
			FetchedAt: started.Add(time.Duration(i) * time.Second), Status: 200, ContentType: "application/json",
		}
		name := fmt.Sprintf("page-%04d.json", i+1)
		if i%10 == 9 {
			meta.Status, meta.Error = 503, "unexpected HTTP status 503 Service Unavailable"
			name = fmt.Sprintf("page-%04d.attempt-1.json", i+1)
		}
		objs[i] = lakeObject{key: ingest.RawKey("board", started, fmt.Sprintf("run-%d", seed), name), body: body, meta: meta}
	}
	return objs
}

// TestS3LakeFaults writes a run's raw pages to an S3 lake through a proxy
// that fails, hangs and resets about a quarter of the requests at random,
// with several seeds, and checks against the server itself that the lake
// loses nothing and never holds a partial or overwritten object:
//   - a Put that returned nil left the whole object, bytes and metadata;
//   - a Put that returned an error left nothing or the whole object, and
//     putting it again succeeds or says ErrExist over the same bytes;
//   - a Put of a key nobody else wrote never says ErrExist (its own lost
//     attempt is not someone else's object);
//   - a Put over a taken key never succeeds and never changes the object;
//   - Get and List through the proxy return the truth or an error.
func TestS3LakeFaults(t *testing.T) {
	srv := s3test.Start(t)
	const objects, workers, rate = 200, 16, 0.25
	// The production attempts, where a Put rarely fails; and two attempts,
	// where one in twenty fails and its leftovers and retries are checked.
	tests := []struct {
		seed     uint64
		attempts int
	}{
		{seed: 1, attempts: objstore.DefaultMaxAttempts},
		{seed: 2, attempts: 2},
	}
	for _, tt := range tests {
		seed := tt.seed
		t.Run(fmt.Sprintf("seed=%d,attempts=%d", seed, tt.attempts), func(t *testing.T) {
			cc := faultClient
			cc.MaxAttempts = tt.attempts
			ctx := objstore.WithClientConfig(context.Background(), cc)
			bucket := srv.NewBucket(t, "lake-faults")
			proxy := srv.FaultProxy(t, s3test.FaultConfig{Seed: seed, Rate: rate})
			proxy.Setenv(t)
			lake, err := ingest.OpenLake(ctx, "s3://"+bucket+"/lake") // the production client, through the proxy
			if err != nil {
				t.Fatal(err)
			}
			truth := ingest.NewS3Lake(srv.Client(t), bucket, "lake") // the server itself
			objs := faultObjects(seed, objects)

			// Phase 1: put every object once, as Fetch does, several at once.
			errs := make([]error, len(objs))
			parallel(len(objs), workers, func(i int) { errs[i] = lake.Put(ctx, objs[i].key, objs[i].body, objs[i].meta) })
			var failed []int
			for i, err := range errs {
				switch {
				case err == nil:
				case errors.Is(err, ingest.ErrExist):
					t.Errorf("Put %s: %v: nobody else wrote this key (its own lost attempt taken for another writer's?)", objs[i].key, err)
				default:
					failed = append(failed, i)
					t.Logf("Put failed cleanly: %v", err)
				}
			}
			for i, o := range objs {
				checkObject(t, ctx, truth, o, errs[i] == nil)
			}

			// Phase 2: a rival writer puts other bytes over a tenth of the
			// keys: never nil, never a change.
			var rivals []int
			for i := 0; i < len(objs); i += 10 {
				if errs[i] == nil {
					rivals = append(rivals, i)
				}
			}
			rivalErrs := make([]error, len(rivals))
			parallel(len(rivals), workers, func(j int) {
				o := objs[rivals[j]]
				rivalErrs[j] = lake.Put(ctx, o.key, append([]byte("rival "), o.body...), ingest.Meta{Source: "rival", Status: 200})
			})
			rivalExist := 0
			for j, err := range rivalErrs {
				if err == nil {
					t.Errorf("rival Put of %s succeeded over an existing object", objs[rivals[j]].key)
				}
				if errors.Is(err, ingest.ErrExist) {
					rivalExist++
				}
			}

			// Phase 3: retry each failed Put until it succeeds or says
			// ErrExist, which it may only say over its own bytes.
			retries, retriedExist := 0, 0
			for _, i := range failed {
				o := objs[i]
				for try := 1; ; try++ {
					retries++
					err := lake.Put(ctx, o.key, o.body, o.meta)
					if err == nil {
						break
					}
					if errors.Is(err, ingest.ErrExist) {
						retriedExist++
						break
					}
					if try == 10 {
						t.Fatalf("Put %s still fails after %d retries: %v", o.key, try, err)
					}
				}
			}
			for _, o := range objs {
				checkObject(t, ctx, truth, o, true)
			}
			keys, err := truth.List(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(sortedKeys(objs), keys); diff != "" {
				t.Errorf("keys in the bucket mismatch (-want +got):\n%s", diff)
			}

			// Phase 4: read everything back through the proxy.
			getErrs := make([]error, len(objs))
			parallel(len(objs), workers, func(i int) {
				o := objs[i]
				body, meta, err := lake.Get(ctx, o.key)
				if err != nil {
					getErrs[i] = err
					return
				}
				if !slices.Equal(body, o.body) {
					t.Errorf("Get %s through the proxy: %d bytes, want the %d written", o.key, len(body), len(o.body))
				}
				if diff := cmp.Diff(o.want(), meta); diff != "" {
					t.Errorf("Get %s through the proxy: meta mismatch (-want +got):\n%s", o.key, diff)
				}
			})
			getFailed := 0
			for _, err := range getErrs {
				if err != nil {
					getFailed++
				}
			}
			listFailed := 0
			for range 5 {
				got, err := lake.List(ctx, "raw/")
				if err != nil {
					listFailed++
					continue
				}
				if diff := cmp.Diff(sortedKeys(objs), got); diff != "" {
					t.Errorf("List through the proxy mismatch (-want +got):\n%s", diff)
				}
			}

			c := proxy.Counts()
			lost := 0 // writes done whose answer the client never got
			for _, e := range proxy.Events() {
				if e.Method == "PUT" && (e.Fault == s3test.HangResponse || e.Fault == s3test.ResetResponse) {
					lost++
				}
			}
			t.Logf("seed %d, %d attempts: %d objects (%d MiB); proxy: %v; %d PUT answers lost after the server acted", seed, tt.attempts, len(objs), totalBytes(objs)>>20, c, lost)
			t.Logf("seed %d: Put: %d ok, %d failed cleanly, then %d retries (%d said ErrExist over their own bytes); rival Puts: %d refused (%d ErrExist); Get through faults: %d/%d failed; List: %d/5 failed",
				seed, len(objs)-len(failed), len(failed), retries, retriedExist, len(rivals), rivalExist, getFailed, len(objs), listFailed)
			if c.Faults() == 0 {
				t.Error("the proxy injected no fault")
			}
			if t.Failed() {
				for _, e := range proxy.Events() {
					t.Log(e)
				}
			}
		})
	}
}

// checkObject checks, on the server itself, that the object of o is whole:
// its bytes and metadata are o's. When mustExist is false it may also be
// missing.
func checkObject(t *testing.T, ctx context.Context, truth ingest.Lake, o lakeObject, mustExist bool) {
	t.Helper()
	body, meta, err := truth.Get(ctx, o.key)
	if errors.Is(err, ingest.ErrNotFound) && !mustExist {
		return
	}
	if err != nil {
		t.Errorf("object %s: %v", o.key, err)
		return
	}
	if !slices.Equal(body, o.body) {
		t.Errorf("object %s: %d bytes, want the %d written (partial or overwritten)", o.key, len(body), len(o.body))
	}
	if diff := cmp.Diff(o.want(), meta); diff != "" {
		t.Errorf("object %s: meta mismatch (-want +got):\n%s", o.key, diff)
	}
}

// parallel runs fn(0..n-1) on up to workers goroutines.
func parallel(n, workers int, fn func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				fn(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

func sortedKeys(objs []lakeObject) []string {
	keys := make([]string, len(objs))
	for i, o := range objs {
		keys[i] = o.key
	}
	sort.Strings(keys)
	return keys
}

func totalBytes(objs []lakeObject) int64 {
	var n int64
	for _, o := range objs {
		n += int64(len(o.body))
	}
	return n
}
