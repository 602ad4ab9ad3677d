package publish

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/jobpulse/jobpulse/internal/objstore/s3test"
	"github.com/jobpulse/jobpulse/internal/testenv"
)

// The publish benchmark's site is the one the reference tools were measured
// on: /work/shared/bench/gen_site.py makes 10,000 files (9,000 pages, 900
// data files, 100 assets, about 60 MB), the same bytes on every run. It is
// made once and kept under os.TempDir, named by benchSiteVersion: change the
// version when the generator changes.
const (
	benchSiteVersion = "v1"
	benchSiteFiles   = 10_000
)

// benchSettle is how long a step waits before it is timed, as measure.py
// does: the server's LastModified has a resolution of one second, so an
// object written again during the step shows a new LastModified.
const benchSettle = 1500 * time.Millisecond

// benchEndpointEnv names a variable that, when set, points the benchmark at
// a versitygw already running there (with s3test's credentials) instead of
// one started by s3test, so that it publishes to the same server as the
// reference tools it is compared with.
const benchEndpointEnv = "JOBPULSE_BENCH_S3_ENDPOINT"

// BenchmarkPublish10k publishes the 10,000-file site to versitygw on
// 127.0.0.1: first into an empty bucket, then again unchanged, then after
// every file was rewritten with the same bytes (new modification times).
// Hold it against `aws s3 sync`, `hugo deploy` and s3deploy on the same
// server (/work/shared/bench/measure.py). The targets: a first publish no
// slower than the fastest of them; an unchanged or rewritten site sends no
// PUT and is no slower than the fastest; at most 100 MB of memory.
//
// Besides ns/op it reports peak-RSS-MB (the process's peak during the
// publishes), uploads/op (files Publish uploaded) and written/op (objects
// whose ETag or LastModified changed in the bucket's listing, the manifest
// included: every object a PUT reached).
func BenchmarkPublish10k(b *testing.B) {
	dir := benchSite(b)
	srv := benchServer(b)
	srv.Setenv(b)
	client := srv.Client(b)
	cfg := DefaultConfig()

	b.Run("first", func(b *testing.B) {
		cfg := cfg
		cfg.Source = copyBenchSite(b, dir)
		var m benchMeter
		for b.Loop() {
			b.StopTimer()
			cfg.Target = "s3://" + newBenchBucket(b, client)
			m.publish(b, client, cfg)
		}
		m.report(b, benchSiteFiles)
	})
	b.Run("unchanged", func(b *testing.B) {
		cfg := cfg
		cfg.Source = copyBenchSite(b, dir)
		cfg.Target = "s3://" + newBenchBucket(b, client)
		benchPublish(b, cfg)
		var m benchMeter
		for b.Loop() {
			b.StopTimer()
			m.publish(b, client, cfg)
		}
		m.report(b, 0)
	})
	b.Run("rewritten", func(b *testing.B) {
		cfg := cfg
		cfg.Source = copyBenchSite(b, dir)
		cfg.Target = "s3://" + newBenchBucket(b, client)
		benchPublish(b, cfg)
		var m benchMeter
		for b.Loop() {
			b.StopTimer()
			runGenSite(b, "touch", cfg.Source)
			m.publish(b, client, cfg)
		}
		m.report(b, 0)
	})
}

// benchMeter sums what the timed publishes did.
type benchMeter struct {
	n        int
	peak     int64
	uploaded int
	written  int
}

// publish runs one timed publish of cfg. The timer must be stopped on
// entry; it runs again on return, as b.Loop wants it. It lists the bucket
// before and after, untimed, to count the objects written, and measures the
// peak RSS of the publish alone.
func (m *benchMeter) publish(b *testing.B, client *s3.Client, cfg Config) {
	b.Helper()
	bucket := cfg.Target[len("s3://"):]
	_ = exec.Command("sync").Run() // as measure.py: the writes of a set-up are not timed
	time.Sleep(benchSettle)
	before := listVersions(b, client, bucket)
	debug.FreeOSMemory()
	testenv.ResetPeakRSS()
	b.StartTimer()
	res, err := Publish(context.Background(), cfg, nil)
	b.StopTimer()
	m.peak = max(m.peak, testenv.PeakRSS())
	if err != nil {
		b.Fatal(err)
	}
	after := listVersions(b, client, bucket)
	if len(after) != benchSiteFiles+1 {
		b.Fatalf("%s holds %d objects after the publish, want %d and the manifest", bucket, len(after), benchSiteFiles)
	}
	for k, v := range after {
		if before[k] != v {
			m.written++
		}
	}
	m.n++
	m.uploaded += res.Uploaded
	b.StartTimer()
}

// report reports the meter's figures; every publish must have uploaded
// wantUploads files.
func (m *benchMeter) report(b *testing.B, wantUploads int) {
	b.Helper()
	if m.n == 0 {
		return
	}
	if m.uploaded != wantUploads*m.n {
		b.Errorf("uploaded %d files in %d publishes, want %d each", m.uploaded, m.n, wantUploads)
	}
	b.ReportMetric(float64(m.peak)/1e6, "peak-RSS-MB")
	b.ReportMetric(float64(m.uploaded)/float64(m.n), "uploads/op")
	b.ReportMetric(float64(m.written)/float64(m.n), "written/op")
}

// copyBenchSite copies the site into a temporary folder and returns it. A
// step publishes a fresh copy, as measure.py gives each tool, so that every
// side reads files written a moment ago (the kept site may have left the
// page cache since it was made) and may rewrite them.
func copyBenchSite(b *testing.B, dir string) string {
	b.Helper()
	dst := filepath.Join(b.TempDir(), "site")
	if err := os.CopyFS(dst, os.DirFS(dir)); err != nil {
		b.Fatal(err)
	}
	return dst
}

// benchPublish publishes cfg untimed, setting up a step.
func benchPublish(b *testing.B, cfg Config) {
	b.Helper()
	if _, err := Publish(context.Background(), cfg, nil); err != nil {
		b.Fatal(err)
	}
}

// benchServer returns the server to publish to: s3test's, or the one named
// by $JOBPULSE_BENCH_S3_ENDPOINT (started with s3test's credentials).
func benchServer(b *testing.B) *s3test.Server {
	b.Helper()
	if ep := os.Getenv(benchEndpointEnv); ep != "" {
		// Only Endpoint and Dir (for Setenv's empty AWS files) are used.
		return &s3test.Server{Endpoint: ep, Dir: b.TempDir()}
	}
	return s3test.Start(b)
}

// newBenchBucket creates an empty bucket, deleted with its objects when the
// benchmark ends.
func newBenchBucket(b *testing.B, client *s3.Client) string {
	b.Helper()
	ctx := context.Background()
	name := fmt.Sprintf("bench-publish-%d-%d", os.Getpid(), time.Now().UnixNano())
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		b.Fatalf("create bucket %s: %v", name, err)
	}
	b.Cleanup(func() {
		pages := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String(name)})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				b.Logf("list bucket %s: %v", name, err)
				return
			}
			var ids []types.ObjectIdentifier
			for _, o := range page.Contents {
				ids = append(ids, types.ObjectIdentifier{Key: o.Key})
			}
			if len(ids) == 0 {
				continue
			}
			_, err = client.DeleteObjects(ctx, &s3.DeleteObjectsInput{
				Bucket: aws.String(name), Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)},
			})
			if err != nil {
				b.Logf("empty bucket %s: %v", name, err)
				return
			}
		}
		if _, err := client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(name)}); err != nil {
			b.Logf("delete bucket %s: %v", name, err)
		}
	})
	return name
}

// objectVersion is what a listing says of an object: a rewrite changes it.
type objectVersion struct {
	etag     string
	modified time.Time
}

// listVersions lists every object of bucket.
func listVersions(b *testing.B, client *s3.Client, bucket string) map[string]objectVersion {
	b.Helper()
	objs := map[string]objectVersion{}
	pages := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		if err != nil {
			b.Fatalf("list %s: %v", bucket, err)
		}
		for _, o := range page.Contents {
			objs[aws.ToString(o.Key)] = objectVersion{aws.ToString(o.ETag), aws.ToTime(o.LastModified)}
		}
	}
	return objs
}

// benchSite returns the folder of the benchmark's site, making it with
// gen_site.py on first use.
func benchSite(b *testing.B) string {
	b.Helper()
	cache := filepath.Join(os.TempDir(), "jobpulse-bench-site10k-"+benchSiteVersion)
	site := filepath.Join(cache, "site")
	if _, err := os.Stat(filepath.Join(cache, "complete")); err == nil {
		return site
	}
	// Made in a temporary folder, then renamed, so that an interrupted run
	// is never mistaken for the site.
	tmp, err := os.MkdirTemp(os.TempDir(), filepath.Base(cache)+".tmp-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	runGenSite(b, "gen", filepath.Join(tmp, "site"))
	n := 0
	err = filepath.WalkDir(filepath.Join(tmp, "site"), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err != nil || n != benchSiteFiles {
		b.Fatalf("gen_site.py made %d files (%v), want %d", n, err, benchSiteFiles)
	}
	if err := os.WriteFile(filepath.Join(tmp, "complete"), nil, 0o644); err != nil {
		b.Fatal(err)
	}
	os.RemoveAll(cache)
	if err := os.Rename(tmp, cache); err != nil {
		b.Fatal(err)
	}
	return site
}

// runGenSite runs /work/shared/bench/gen_site.py (found beside the module,
// in ../shared/bench) with a command and a folder. It ends the benchmark
// through [testenv.Missing] when python3 or the script is missing.
func runGenSite(b *testing.B, command, dir string) {
	b.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		testenv.Missing(b, "python3 not found: it runs ../shared/bench/gen_site.py, which makes the site (apt-get install python3)")
		return
	}
	script := genSiteScript(b)
	if out, err := exec.Command(python, script, command, dir).CombinedOutput(); err != nil {
		b.Fatalf("%s %s %s: %v\n%s", script, command, dir, err, out)
	}
}

// genSiteScript finds gen_site.py: the folder holding go.mod, then
// ../shared/bench/gen_site.py.
func genSiteScript(b *testing.B) string {
	b.Helper()
	dir, err := os.Getwd()
	if err != nil {
		b.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			b.Fatal("go.mod not found above the package folder")
		}
		dir = parent
	}
	script := filepath.Join(dir, "..", "shared", "bench", "gen_site.py")
	if _, err := os.Stat(script); err != nil {
		testenv.Missing(b, "%s not found: the publish benchmark's site generator (/work/shared/bench)", script)
	}
	return script
}
