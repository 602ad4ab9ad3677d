package publish

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/jobpulse/jobpulse/internal/objstore/s3test"
)

func TestInvalidationPaths(t *testing.T) {
	tests := []struct {
		name         string
		prefix       string
		changed      []string
		pending      []string
		limit        int
		want         []string
		wantWildcard bool
	}{
		{name: "nothing", limit: 30},
		{
			name: "files and folders", limit: 30,
			changed: []string{"robots.txt", "roles/backend/index.html", "index.html", "data/roles.json"},
			want:    []string{"/", "/data/roles.json", "/index.html", "/robots.txt", "/roles/backend/", "/roles/backend/index.html"},
		},
		{
			name: "under a prefix", prefix: "www", limit: 30,
			changed: []string{"index.html", "roles/index.html"},
			want:    []string{"/www/", "/www/index.html", "/www/roles/", "/www/roles/index.html"},
		},
		{
			name: "escaped", limit: 30,
			changed: []string{"roles/c++ dev/index.html", "odd*name.txt"},
			want:    []string{"/odd%2Aname.txt", "/roles/c++%20dev/", "/roles/c++%20dev/index.html"},
		},
		{
			name: "merged with pending", limit: 30,
			changed: []string{"a.txt"}, pending: []string{"/b.txt", "/a.txt"},
			want: []string{"/a.txt", "/b.txt"},
		},
		{
			name: "at the limit", limit: 2,
			changed: []string{"roles/index.html"},
			want:    []string{"/roles/", "/roles/index.html"},
		},
		{
			name: "past the limit", limit: 2,
			changed: []string{"roles/index.html", "a.txt"},
			want:    []string{"/*"}, wantWildcard: true,
		},
		{
			name: "past the limit under a prefix", prefix: "site/blog", limit: 1,
			changed: []string{"a.txt", "b.txt"},
			want:    []string{"/site/blog/*"}, wantWildcard: true,
		},
		{
			name: "limit 0", limit: 0,
			changed: []string{"a.txt"},
			want:    []string{"/*"}, wantWildcard: true,
		},
		{
			name: "pending wildcard", limit: 30,
			changed: []string{"a.txt"}, pending: []string{"/*"},
			want: []string{"/*"}, wantWildcard: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, wildcard := invalidationPaths(tt.prefix, tt.changed, tt.pending, tt.limit)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" || wildcard != tt.wantWildcard {
				t.Errorf("invalidationPaths: wildcard %v, want %v; paths mismatch (-want +got):\n%s", wildcard, tt.wantWildcard, diff)
			}
		})
	}
}

// fakeCloudFront answers CreateInvalidation like CloudFront, after checking
// the request, and records the invalidations.
type fakeCloudFront struct {
	t    *testing.T
	mu   sync.Mutex
	got  []invalidationRequest
	refs map[string]bool
	fail bool // answer 403 AccessDenied
}

// invalidationRequest is one CreateInvalidation the fake received.
type invalidationRequest struct {
	Distribution string
	Paths        []string
}

// startFakeCloudFront starts the fake and points the SDK's CloudFront
// endpoint at it (AWS_ENDPOINT_URL_CLOUDFRONT).
func startFakeCloudFront(t *testing.T) *fakeCloudFront {
	f := &fakeCloudFront{t: t, refs: map[string]bool{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ENDPOINT_URL_CLOUDFRONT", srv.URL)
	return f
}

// requests returns the invalidations received since the last call.
func (f *fakeCloudFront) requests() []invalidationRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	got := f.got
	f.got = nil
	return got
}

func (f *fakeCloudFront) setFail(fail bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = fail
}

const cloudFrontNS = "http://cloudfront.amazonaws.com/doc/2020-05-31/"

func (f *fakeCloudFront) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	bad := func(format string, args ...any) {
		f.t.Errorf("fake CloudFront: %s %s: %s", r.Method, r.URL.Path, fmt.Sprintf(format, args...))
		http.Error(w, "bad request", http.StatusBadRequest)
	}
	dist, ok := strings.CutPrefix(r.URL.Path, "/2020-05-31/distribution/")
	dist, ok2 := strings.CutSuffix(dist, "/invalidation")
	if r.Method != http.MethodPost || !ok || !ok2 || dist == "" {
		bad("not a CreateInvalidation")
		return
	}
	if auth := r.Header.Get("Authorization"); !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") || !strings.Contains(auth, "/cloudfront/aws4_request") {
		bad("not signed for cloudfront: %q", auth)
		return
	}
	var batch struct {
		XMLName         xml.Name `xml:"InvalidationBatch"`
		CallerReference string   `xml:"CallerReference"`
		Quantity        int      `xml:"Paths>Quantity"`
		Items           []string `xml:"Paths>Items>Path"`
	}
	body, _ := io.ReadAll(r.Body)
	if err := xml.Unmarshal(body, &batch); err != nil {
		bad("body %q: %v", body, err)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case batch.XMLName.Space != cloudFrontNS:
		bad("namespace %q, want %q", batch.XMLName.Space, cloudFrontNS)
		return
	case batch.Quantity != len(batch.Items) || batch.Quantity == 0:
		bad("Quantity %d for %d paths", batch.Quantity, len(batch.Items))
		return
	case batch.CallerReference == "" || f.refs[batch.CallerReference]:
		bad("CallerReference %q empty or used before", batch.CallerReference)
		return
	}
	f.refs[batch.CallerReference] = true
	if f.fail {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, `<?xml version="1.0"?><ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: cloudfront:CreateInvalidation</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`, cloudFrontNS)
		return
	}
	f.got = append(f.got, invalidationRequest{Distribution: dist, Paths: batch.Items})
	id := fmt.Sprintf("I%dEXAMPLE", len(f.refs))
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("Location", "https://cloudfront.amazonaws.com/2020-05-31/distribution/"+dist+"/invalidation/"+id)
	w.WriteHeader(http.StatusCreated)
	var items strings.Builder
	for _, p := range batch.Items {
		xml.EscapeText(&items, []byte(p))
	}
	fmt.Fprintf(w, `<?xml version="1.0"?><Invalidation xmlns="%s"><Id>%s</Id><Status>InProgress</Status><CreateTime>2026-11-29T08:00:00Z</CreateTime><InvalidationBatch><Paths><Quantity>%d</Quantity><Items><Path>%s</Path></Items></Paths><CallerReference>%s</CallerReference></InvalidationBatch></Invalidation>`,
		cloudFrontNS, id, batch.Quantity, items.String(), batch.CallerReference)
}

// TestPublishInvalidation publishes to a bucket prefix step by step, and
// checks the invalidations a fake CloudFront receives.
func TestPublishInvalidation(t *testing.T) {
	srv := s3test.Start(t)
	srv.Setenv(t)
	cf := startFakeCloudFront(t)
	target := "s3://" + srv.NewBucket(t, t.Name()) + "/www"
	src := t.TempDir()
	writeSource(t, src, tinySite)
	const dist = "E2EXAMPLE1AB2C"

	tests := []struct {
		name    string
		change  func(t *testing.T)
		limit   int
		dryRun  bool
		fail    bool
		want    []string // paths of the one invalidation; nil: none
		plan    []string // paths of the plan, when not want
		wantErr bool
	}{
		{name: "first publish: all new, none", want: nil},
		{name: "unchanged republish, none", want: nil},
		{
			name: "updates and deletes, not new files",
			change: func(t *testing.T) {
				writeSource(t, src, map[string]string{
					"roles/backend/index.html":  "<h1>Backend v2</h1>",
					"robots.txt":                "User-agent: *\nDisallow:\n",
					"roles/frontend/index.html": "<h1>Frontend</h1>", // new
				})
				removeSource(t, src, "data/roles.json")
			},
			want: []string{"/www/data/roles.json", "/www/robots.txt", "/www/roles/backend/", "/www/roles/backend/index.html"},
		},
		{
			name:   "dry run, none",
			change: func(t *testing.T) { writeSource(t, src, map[string]string{"index.html": "<h1>Jobs v2</h1>"}) },
			dryRun: true,
			plan:   []string{"/www/", "/www/index.html"},
		},
		{
			name: "the root page gives its folder",
			want: []string{"/www/", "/www/index.html"},
		},
		{
			name: "past the limit, a wildcard", limit: 2,
			change: func(t *testing.T) {
				writeSource(t, src, map[string]string{"roles/index.html": "<h1>Roles v2</h1>", "robots.txt": "User-agent: *\n"})
			},
			want: []string{"/www/*"},
		},
		{
			name:    "server error: published, kept for later",
			change:  func(t *testing.T) { writeSource(t, src, map[string]string{"robots.txt": "User-agent: bot\n"}) },
			fail:    true,
			plan:    []string{"/www/robots.txt"},
			wantErr: true,
		},
		{
			name: "the next publish invalidates what is pending",
			want: []string{"/www/robots.txt"},
		},
		{name: "then nothing is pending", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.change != nil {
				tt.change(t)
			}
			cf.setFail(tt.fail)
			cfg := publishConfig(src, target)
			cfg.CloudFrontDistribution, cfg.DryRun = dist, tt.dryRun
			if tt.limit > 0 {
				cfg.InvalidationLimit = tt.limit
			}
			res, err := Publish(context.Background(), cfg, nil)
			switch {
			case tt.wantErr && !errors.Is(err, ErrInvalidation):
				t.Fatalf("Publish: err = %v, want ErrInvalidation", err)
			case tt.wantErr && (!strings.Contains(err.Error(), "the site is published") || !strings.Contains(err.Error(), "AccessDenied") || !strings.Contains(err.Error(), dist)):
				t.Errorf("Publish: error %q does not say the site is published, the distribution and the server's answer", err)
			case tt.wantErr:
				t.Logf("the error reads: %v", err)
			case err != nil:
				t.Fatalf("Publish: %v", err)
			}
			wantPlan := tt.want
			if tt.plan != nil {
				wantPlan = tt.plan
			}
			if diff := cmp.Diff(wantPlan, res.Plan.Invalidate, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("plan's invalidation mismatch (-want +got):\n%s", diff)
			}
			var want []invalidationRequest
			if tt.want != nil {
				want = []invalidationRequest{{Distribution: dist, Paths: tt.want}}
			}
			if diff := cmp.Diff(want, cf.requests()); diff != "" {
				t.Errorf("invalidations mismatch (-want +got):\n%s", diff)
			}
			switch inv := res.Invalidation; {
			case tt.wantErr:
				if inv == nil || inv.ID != "" || inv.Error == "" || inv.Distribution != dist {
					t.Errorf("result invalidation = %+v, want the failed request", inv)
				}
			case tt.want == nil && inv != nil:
				t.Errorf("result invalidation = %+v, want none", inv)
			case tt.want != nil && (inv == nil || inv.ID == "" || !cmp.Equal(inv.Paths, tt.want) || inv.Wildcard != strings.HasSuffix(tt.want[0], "*")):
				t.Errorf("result invalidation = %+v, want an id and paths %v", inv, tt.want)
			}
		})
	}
}

// TestPublishInvalidationFolder checks that a folder target invalidates
// nothing, even with a distribution configured.
func TestPublishInvalidationFolder(t *testing.T) {
	cf := startFakeCloudFront(t)
	src, target := t.TempDir(), filepath.Join(t.TempDir(), "out")
	writeSource(t, src, tinySite)
	cfg := publishConfig(src, target)
	cfg.CloudFrontDistribution = "E2EXAMPLE1AB2C"
	for _, step := range []string{"first", "changed"} {
		if step == "changed" {
			writeSource(t, src, map[string]string{"index.html": "<h1>v2</h1>"})
		}
		res, err := Publish(context.Background(), cfg, nil)
		if err != nil {
			t.Fatalf("%s publish: %v", step, err)
		}
		if res.Invalidation != nil {
			t.Errorf("%s publish: invalidation %+v on a folder target", step, res.Invalidation)
		}
	}
	if got := cf.requests(); len(got) > 0 {
		t.Errorf("invalidations for a folder target: %v", got)
	}
}

func removeSource(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
		t.Fatal(err)
	}
}
