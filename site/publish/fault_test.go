package publish

import (
	"context"
	"crypto/sha256"
	"fmt"
	"maps"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/internal/objstore"
	"github.com/jobpulse/jobpulse/internal/objstore/s3test"
)

// faultSite returns version v of a site of about 130 files shaped like a
// jobpulse build: content-hashed assets, one data file and one page per
// role, index.html and 404.html. Each page links to its build's stylesheet,
// script and data file. From version 1 to 2 the stylesheet is renamed (so
// every page changes), a third of the data changes, five roles go and five
// come.
func faultSite(v int) map[string]string {
	hash := func(s string) string { return fmt.Sprintf("%x", sha256.Sum256([]byte(s)))[:12] }
	cssBody := fmt.Sprintf("body{margin:0}h1{color:#%d%d%d}", v, v, v)
	css := "assets/site." + hash(cssBody) + ".css"
	const jsBody = "var echarts={init:function(){}};" // unchanged
	js := "assets/echarts." + hash(jsBody) + ".min.js"
	files := map[string]string{
		css:          cssBody,
		js:           jsBody,
		"robots.txt": "User-agent: *\n",
		"404.html":   faultPage("Not found", css, js, "", "<p>no such page</p>"),
	}
	first := 5 * (v - 1)
	var links strings.Builder
	for r := first; r < first+60; r++ {
		slug := fmt.Sprintf("role-%03d", r)
		data := fmt.Sprintf(`{"role":%q,"postings":%d}`, slug, r*7+v*(r%3/2))
		files["data/roles/"+slug+".json"] = data
		files["roles/"+slug+"/index.html"] = faultPage(slug, css, js, "/data/roles/"+slug+".json", "<p>"+strings.Repeat(slug+" ", 50)+"</p>")
		fmt.Fprintf(&links, "<li><a href=/roles/%s/>%s</a>", slug, slug)
	}
	files["roles/index.html"] = faultPage("Roles", css, js, "", "<ul>"+links.String()+"</ul>")
	files["index.html"] = faultPage("Jobs", css, js, "", fmt.Sprintf("<p>version %d</p>", v))
	return files
}

func faultPage(title, css, js, data, body string) string {
	s := fmt.Sprintf(`<!doctype html><title>%s</title><link rel="stylesheet" href="/%s"><script src="/%s"></script>`, title, css, js)
	if data != "" {
		s += fmt.Sprintf(`<div data-src="%s"></div>`, data)
	}
	return s + body
}

// needs finds what a published page loads: its assets and data files.
var needs = regexp.MustCompile(`(?:href|src|data-src)="(/[^"]+)"`)

// TestPublishFaults publishes a new version of a site to a website bucket
// through a proxy that fails, hangs and resets S3 requests, with several
// seeds and with deterministic failures at each step of a publish. Reading
// every object from the server itself afterwards:
//   - a publish that returned nil left exactly the new build;
//   - a publish that failed left a whole site: every object is whole and is
//     the previous build's version or the new one, nothing of the previous
//     build is deleted unless every file of the new one is up, every page's
//     stylesheet, script and data are there, and the home page is served;
//   - a later publish without faults completes with exactly the new build.
func TestPublishFaults(t *testing.T) {
	srv := s3test.Start(t)
	isPut := func(class int) func(*http.Request) bool {
		return func(r *http.Request) bool {
			_, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
			return r.Method == http.MethodPut && key != MarkerKey && publishClass(key, contentTypeOf(key, nil)) == class
		}
	}
	// The random faults run with the production attempts; the planted
	// failures fail whatever the attempts, so two do.
	tests := []struct {
		name     string
		cfg      s3test.FaultConfig
		attempts int
	}{
		{name: "random seed=1", cfg: s3test.FaultConfig{Seed: 1, Rate: 0.25}, attempts: objstore.DefaultMaxAttempts},
		{name: "random seed=2", cfg: s3test.FaultConfig{Seed: 2, Rate: 0.25}, attempts: objstore.DefaultMaxAttempts},
		{name: "random seed=3", cfg: s3test.FaultConfig{Seed: 3, Rate: 0.3}, attempts: objstore.DefaultMaxAttempts},
		{name: "random seed=4", cfg: s3test.FaultConfig{Seed: 4, Rate: 0.5}, attempts: objstore.DefaultMaxAttempts},
		{name: "data uploads fail", cfg: s3test.FaultConfig{Seed: 5, Rate: 1, Match: isPut(classData)}, attempts: 2},
		{name: "page uploads fail", cfg: s3test.FaultConfig{Seed: 6, Rate: 1, Match: isPut(classPage)}, attempts: 2},
		{name: "home page upload fails", cfg: s3test.FaultConfig{Seed: 7, Rate: 1, Match: isPut(classEntry)}, attempts: 2},
		{name: "delete fails", cfg: s3test.FaultConfig{Seed: 8, Rate: 1, Match: func(r *http.Request) bool {
			return r.Method == http.MethodPost && r.URL.Query().Has("delete")
		}}, attempts: 2},
		{name: "manifest fails", cfg: s3test.FaultConfig{Seed: 9, Rate: 1, Match: func(r *http.Request) bool {
			return r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/"+MarkerKey)
		}}, attempts: 2},
	}
	v1, v2 := faultSite(1), faultSite(2)
	var summary []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := objstore.WithClientConfig(context.Background(), objstore.ClientConfig{
				MaxAttempts: tt.attempts, IdleTimeout: 500 * time.Millisecond, AttemptTimeout: 20 * time.Second,
			})
			srv.Setenv(t)
			bucket, get := websiteBucket(t, srv)
			target := "s3://" + bucket
			src := t.TempDir()
			writeSource(t, src, v1)
			publishOK(t, src, target)
			direct := srv.Client(t)
			if diff := cmp.Diff(wantPublished(bucketHeaders, v1), sitePart(readBucket(t, direct, target))); diff != "" {
				t.Fatalf("first publish mismatch (-want +got):\n%s", diff)
			}

			// The new build, published through the faults.
			if err := os.RemoveAll(src); err != nil {
				t.Fatal(err)
			}
			writeSource(t, src, v2)
			proxy := srv.FaultProxy(t, tt.cfg)
			proxy.Setenv(t)
			res, err := Publish(ctx, publishConfig(src, target), nil)
			got := readBucket(t, direct, target)
			if err == nil {
				if diff := cmp.Diff(wantPublished(bucketHeaders, v2), sitePart(got)); diff != "" {
					t.Errorf("publish succeeded, but the site is not the new build (-want +got):\n%s", diff)
				}
			} else {
				checkWhole(t, v1, v2, got)
				if p := get(t, "/"); p.Status != http.StatusOK {
					t.Errorf("after a failed publish, GET / = %d, want 200", p.Status)
				}
			}
			outcome := "completed"
			if err != nil {
				outcome = "failed: " + firstLine(err.Error())
			}
			c := proxy.Counts()
			line := fmt.Sprintf("%s: %v; uploaded %d of %d, deleted %d; %s", tt.name, c, res.Uploaded, len(v2), res.Deleted, outcome)
			t.Log(line)
			summary = append(summary, line)

			// Without faults, the publish completes the new build.
			proxy.SetRate(0)
			if _, err := Publish(ctx, publishConfig(src, target), nil); err != nil {
				t.Fatalf("publish without faults: %v", err)
			}
			if diff := cmp.Diff(wantPublished(bucketHeaders, v2), sitePart(readBucket(t, direct, target))); diff != "" {
				t.Errorf("publish without faults: the site is not the new build (-want +got):\n%s", diff)
			}
			if t.Failed() {
				for _, e := range proxy.Events() {
					t.Log(e)
				}
			}
		})
	}
	t.Logf("%d files per build; outcomes:\n%s", len(v2), strings.Join(summary, "\n"))
}

// bucketHeaders is a backend with headers, for wantPublished.
var bucketHeaders = publishBackend{headers: true}

// sitePart drops the marker from a bucket's objects.
func sitePart(objs map[string]publishedObject) map[string]publishedObject {
	objs = maps.Clone(objs)
	delete(objs, MarkerKey)
	return objs
}

// checkWhole checks the site a failed publish of v2 over v1 left.
func checkWhole(t *testing.T, v1, v2 map[string]string, got map[string]publishedObject) {
	t.Helper()
	old, next := wantPublished(bucketHeaders, v1), wantPublished(bucketHeaders, v2)
	got = sitePart(got)
	for _, key := range slices.Sorted(maps.Keys(got)) {
		o := got[key]
		if o != old[key] && o != next[key] {
			t.Errorf("%s: %d bytes of %s, neither the previous version (%d bytes) nor the new one (%d bytes)",
				key, len(o.Body), o.ContentType, len(old[key].Body), len(next[key].Body))
		}
	}
	var gone, notUp []string
	for key := range old {
		if _, ok := got[key]; !ok {
			gone = append(gone, key)
		}
	}
	for key, o := range next {
		if got[key] != o {
			notUp = append(notUp, key)
		}
	}
	if len(gone) > 0 && len(notUp) > 0 {
		slices.Sort(gone)
		slices.Sort(notUp)
		t.Errorf("previous files deleted (%v) before every new file was up (missing %v)", gone, notUp)
	}
	for _, key := range slices.Sorted(maps.Keys(got)) {
		if !strings.HasSuffix(key, ".html") {
			continue
		}
		for _, m := range needs.FindAllStringSubmatch(got[key].Body, -1) {
			if _, ok := got[strings.TrimPrefix(m[1], "/")]; !ok {
				t.Errorf("%s needs %s, which the bucket does not hold", key, m[1])
			}
		}
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
