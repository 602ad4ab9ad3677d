package publish

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// planChanges returns the items of a plan that are not unchanged, as
// key -> "action: reason".
func planChanges(p *Plan) map[string]string {
	got := map[string]string{}
	for _, it := range p.Items {
		if it.Action != ActionUnchanged {
			got[it.Key] = string(it.Action) + ": " + it.Reason
		}
	}
	return got
}

// testPublishPlan changes a published site step by step; at each step a dry
// run must plan exactly the expected changes with their reasons and write
// nothing, the publish must carry them out, and a dry run after it must
// find nothing left to do.
func testPublishPlan(t *testing.T, b publishBackend) {
	src := t.TempDir()
	target := b.newTarget(t)
	writeSource(t, src, tinySite)
	cfg := publishConfig(src, target)
	all := map[string]string{}
	for k := range tinySite {
		all[k] = "upload: new"
	}
	steps := []struct {
		name       string
		change     func(t *testing.T, cfg *Config)
		want       map[string]string
		wantFolder map[string]string // when it differs from want on a folder
		bucketOnly bool
	}{
		{name: "first publish", want: all},
		{name: "same build", want: map[string]string{}},
		{
			name: "content changed",
			change: func(t *testing.T, _ *Config) {
				writeSource(t, src, map[string]string{"roles/index.html": "<h1>ROLES</h1>"})
			},
			want: map[string]string{"roles/index.html": "update: content changed"},
		},
		{
			name: "Cache-Control changed",
			change: func(t *testing.T, cfg *Config) {
				cfg.CacheControl = []CacheRule{{Pattern: "data/*.json", Value: "public, max-age=60"}}
			},
			want:       map[string]string{"data/roles.json": "update: Cache-Control changed"},
			wantFolder: map[string]string{},
		},
		{
			name:   "changed on the target",
			change: func(t *testing.T, _ *Config) { b.write(t, target, "robots.txt", "User-agent: -\n") }, // same size
			want:   map[string]string{"robots.txt": "update: changed on the target"},
		},
		{
			name: "new and removed files",
			change: func(t *testing.T, _ *Config) {
				writeSource(t, src, map[string]string{"places/index.html": "<h1>places</h1>"})
				if err := os.Remove(filepath.Join(src, "roles", "backend", "index.html")); err != nil {
					t.Fatal(err)
				}
			},
			want: map[string]string{"places/index.html": "upload: new", "roles/backend/index.html": "delete: gone from the build"},
		},
		{
			name:       "gzip",
			bucketOnly: true,
			change:     func(t *testing.T, cfg *Config) { cfg.Gzip = true },
			want: map[string]string{
				"index.html": "update: Content-Encoding changed", "roles/index.html": "update: Content-Encoding changed",
				"places/index.html": "update: Content-Encoding changed", "robots.txt": "update: Content-Encoding changed",
				"data/roles.json": "update: Content-Encoding changed", "assets/site.0123456789ab.css": "update: Content-Encoding changed",
				"assets/echarts.abcdef012345.min.js": "update: Content-Encoding changed",
			},
		},
	}
	ctx := context.Background()
	for _, st := range steps {
		if st.bucketOnly && !b.headers {
			continue
		}
		if st.change != nil {
			st.change(t, &cfg)
		}
		want := st.want
		if !b.headers && st.wantFolder != nil {
			want = st.wantFolder
		}
		before := b.read(t, target)
		dry := cfg
		dry.DryRun = true
		res, err := Publish(ctx, dry, nil)
		if err != nil {
			t.Fatalf("%s: dry run: %v", st.name, err)
		}
		if diff := cmp.Diff(want, planChanges(res.Plan)); diff != "" {
			t.Errorf("%s: plan mismatch (-want +got):\n%s", st.name, diff)
		}
		if diff := cmp.Diff(before, b.read(t, target), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: the dry run wrote to the target (-before +after):\n%s", st.name, diff)
		}
		if _, err := Publish(ctx, cfg, nil); err != nil {
			t.Fatalf("%s: publish: %v", st.name, err)
		}
		res, err = Publish(ctx, dry, nil)
		if err != nil {
			t.Fatalf("%s: dry run after the publish: %v", st.name, err)
		}
		if got := planChanges(res.Plan); len(got) != 0 {
			t.Errorf("%s: left to do after the publish: %v", st.name, got)
		}
	}
}

// testPublishMaxDeletes is the case of issue 13, point 9: a 7-file build
// published over a 31-file site with publish.max_deletes 5 would delete 24
// objects. The publish must be refused from the plan, before any upload:
// ErrTooManyDeletes naming 24 and 5, and the live site (its index.html,
// 404.html, search.json and manifest among them) unchanged byte for byte.
// With a high enough limit the same build then goes through.
func testPublishMaxDeletes(t *testing.T, b publishBackend) {
	src := t.TempDir()
	target := b.newTarget(t)
	big := map[string]string{
		"index.html":  "<h1>home of the big site</h1>",
		"404.html":    "<h1>not found, big site</h1>",
		"search.json": `{"pages":31}`,
	}
	for i := range 28 {
		big[fmt.Sprintf("roles/role-%02d/index.html", i)] = fmt.Sprintf("<h1>role %d</h1>", i)
	}
	writeSource(t, src, big)
	publishOK(t, src, target)
	live := b.read(t, target)
	if len(live) != 32 { // 31 files and the manifest
		t.Fatalf("big site published as %d objects, want 31 and the manifest", len(live))
	}

	if err := os.RemoveAll(src); err != nil {
		t.Fatal(err)
	}
	small := map[string]string{
		"index.html":  "<h1>home of the small build</h1>",
		"404.html":    "<h1>not found, small build</h1>",
		"search.json": `{"pages":7}`,
	}
	for i := range 4 {
		small[fmt.Sprintf("roles/role-%02d/index.html", i)] = fmt.Sprintf("<h1>role %d, small</h1>", i)
	}
	writeSource(t, src, small)
	cfg := publishConfig(src, target)
	cfg.MaxDeletes = 5
	res, err := Publish(context.Background(), cfg, nil)
	if !errors.Is(err, ErrTooManyDeletes) || !strings.Contains(err.Error(), "24 objects are gone from the build, the limit is 5: nothing was written") {
		t.Errorf("Publish over the delete limit: got %v, want ErrTooManyDeletes naming 24 and 5 and that nothing was written", err)
	}
	checkResult(t, "over the limit", Result{DeletesRefused: 24}, res)
	if diff := cmp.Diff(live, b.read(t, target)); diff != "" {
		t.Errorf("live site changed by a refused publish (-before +after):\n%s", diff)
	}

	cfg.MaxDeletes = 24
	res, err = Publish(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, "within the limit", Result{Uploaded: 7, Deleted: 24, Bytes: size(small, keysOf(small)...)}, res)
	checkPublished(t, b, target, small)
}

// testPublishRedirect publishes a redirect: an object with a redirect
// location in a bucket (the website test follows it), a page with a refresh
// in a folder; a changed target is published again.
func testPublishRedirect(t *testing.T, b publishBackend) {
	src := t.TempDir()
	target := b.newTarget(t)
	writeSource(t, src, map[string]string{"index.html": "<h1>home</h1>"})
	cfg := publishConfig(src, target)
	cfg.Redirects = []Redirect{{Path: "old/", To: "/roles/"}}
	if _, err := Publish(context.Background(), cfg, nil); err != nil {
		t.Fatal(err)
	}
	got := b.read(t, target)["old/index.html"]
	if b.headers {
		if got.Body != "" {
			t.Errorf("redirect object body = %q, want empty", got.Body)
		}
	} else if !strings.Contains(got.Body, `content="0; url=/roles/"`) {
		t.Errorf("redirect page = %q, want a refresh to /roles/", got.Body)
	}

	cfg.Redirects[0].To = "/places/"
	cfg.DryRun = true
	res, err := Publish(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"old/index.html": "update: redirect changed"}
	if !b.headers {
		want["old/index.html"] = "update: content changed"
	}
	if diff := cmp.Diff(want, planChanges(res.Plan)); diff != "" {
		t.Errorf("plan after a changed redirect mismatch (-want +got):\n%s", diff)
	}

	// A redirect may not hide a page of the build.
	cfg.DryRun = false
	cfg.Redirects = []Redirect{{Path: "index.html", To: "/x/"}}
	if _, err := Publish(context.Background(), cfg, nil); err == nil || !strings.Contains(err.Error(), "is a file of the built site") {
		t.Errorf("redirect over a page: got %v, want refused", err)
	}
}
