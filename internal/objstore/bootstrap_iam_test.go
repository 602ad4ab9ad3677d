package objstore_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/objstore"
	"github.com/jobpulse/jobpulse/internal/objstore/s3test"
	"github.com/jobpulse/jobpulse/site/publish"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestPipelinePolicyGolden compares the whole policy with testdata.
func TestPipelinePolicyGolden(t *testing.T) {
	for _, tc := range []struct {
		name   string
		access objstore.PipelineAccess
	}{
		{"everything", objstore.PipelineAccess{
			LakeBucket: "acme-lake", LakePrefix: "jobpulse",
			SiteBucket: "acme-site", SitePrefix: "jobs",
			CloudFrontDistribution: "E2EXAMPLE", AccountID: "123456789012",
			RDS: &objstore.RDSUser{Region: "eu-west-1", ResourceID: "db-ABCDEFGHIJKLMNOPQRSTUVWXY1", User: "jobpulse"},
		}},
		{"buckets only, no prefixes", objstore.PipelineAccess{LakeBucket: "acme-lake", SiteBucket: "acme-site"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := objstore.PipelinePolicy(tc.access)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(p, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "iam-"+strings.ReplaceAll(strings.ReplaceAll(tc.name, ",", ""), " ", "-")+".json")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to write it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)+"\n"); diff != "" {
				t.Errorf("%s (-want +got):\n%s", golden, diff)
			}
			// It parses back as a policy, every statement an Allow with
			// actions and resources.
			var back objstore.Policy
			dec := json.NewDecoder(strings.NewReader(string(got)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&back); err != nil {
				t.Fatal(err)
			}
			for _, s := range back.Statement {
				if s.Effect != "Allow" || len(s.Action) == 0 || len(s.Resource) == 0 || s.Principal != nil {
					t.Errorf("statement %s: %+v", s.Sid, s)
				}
			}
		})
	}
}

func TestPipelinePolicyErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		access objstore.PipelineAccess
	}{
		{"nothing", objstore.PipelineAccess{}},
		{"bad bucket", objstore.PipelineAccess{LakeBucket: "Bad_Bucket"}},
		{"rds without resource id", objstore.PipelineAccess{RDS: &objstore.RDSUser{Region: "eu-west-1", User: "jobpulse"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := objstore.PipelinePolicy(tc.access); err == nil {
				t.Error("no error")
			}
		})
	}
}

// call is one S3 or CloudFront request, as the IAM action it needs and the ARN it acts on.
type call struct {
	Action, Resource, Prefix string
}

// recorder is a reverse proxy in front of versitygw that records the IAM
// action of every request.
type recorder struct {
	mu    sync.Mutex
	calls []call
}

func (rc *recorder) proxy(t *testing.T, target string) *httptest.Server {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body []byte
		if r.Method == http.MethodPost {
			body, _ = io.ReadAll(r.Body)
			r.Body = io.NopCloser(strings.NewReader(string(body)))
		}
		rc.mu.Lock()
		rc.calls = append(rc.calls, actionsOf(t, r, body)...)
		rc.mu.Unlock()
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// cloudFront is a stand-in for CloudFront that records CreateInvalidation
// as the IAM action it needs, on the distribution of account.
func (rc *recorder) cloudFront(t *testing.T, account string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		dist, ok := strings.CutPrefix(r.URL.Path, "/2020-05-31/distribution/")
		dist, ok2 := strings.CutSuffix(dist, "/invalidation")
		if r.Method != http.MethodPost || !ok || !ok2 {
			t.Errorf("unmapped CloudFront request %s %s", r.Method, r.URL)
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		rc.mu.Lock()
		rc.calls = append(rc.calls, call{"cloudfront:CreateInvalidation", "arn:aws:cloudfront::" + account + ":distribution/" + dist, ""})
		rc.mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `<?xml version="1.0"?><Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Id>I1</Id><Status>InProgress</Status></Invalidation>`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// actionsOf maps a path-style S3 request to the IAM actions it needs.
func actionsOf(t *testing.T, r *http.Request, body []byte) []call {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	q := r.URL.Query()
	obj := "arn:aws:s3:::" + bucket + "/" + key
	switch {
	case key == "" && r.Method == http.MethodGet && q.Get("list-type") == "2":
		return []call{{"s3:ListBucket", "arn:aws:s3:::" + bucket, q.Get("prefix")}}
	case key == "" && r.Method == http.MethodPost && q.Has("delete"):
		var del struct {
			Object []struct{ Key string }
		}
		if err := xml.Unmarshal(body, &del); err != nil {
			t.Errorf("DeleteObjects body: %v", err)
		}
		var out []call
		for _, o := range del.Object {
			out = append(out, call{"s3:DeleteObject", "arn:aws:s3:::" + bucket + "/" + o.Key, ""})
		}
		return out
	case key != "" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		return []call{{"s3:GetObject", obj, ""}}
	case key != "" && r.Method == http.MethodDelete && q.Has("uploadId"):
		return []call{{"s3:AbortMultipartUpload", obj, ""}}
	case key != "" && r.Method == http.MethodDelete:
		return []call{{"s3:DeleteObject", obj, ""}}
	case key != "" && (r.Method == http.MethodPut || r.Method == http.MethodPost):
		return []call{{"s3:PutObject", obj, ""}} // PutObject and the multipart calls
	}
	t.Errorf("unmapped S3 request %s %s", r.Method, r.URL)
	return nil
}

// allows reports whether a statement of p allows c.
func allows(p objstore.Policy, c call) (string, bool) {
	for _, s := range p.Statement {
		if !slices.Contains(s.Action, c.Action) || !slices.ContainsFunc(s.Resource, func(pat string) bool { return glob(pat, c.Resource) }) {
			continue
		}
		if cond, ok := s.Condition["StringLike"]["s3:prefix"]; ok && !slices.ContainsFunc(cond, func(pat string) bool { return glob(pat, c.Prefix) }) {
			continue
		}
		return s.Sid, true
	}
	return "", false
}

// glob matches IAM's * wildcard (any run of characters, "/" included).
func glob(pattern, s string) bool {
	ok, _ := path.Match(strings.ReplaceAll(pattern, "/", "\x00"), strings.ReplaceAll(s, "/", "\x00"))
	return ok
}

// failureOnly are actions the pipeline needs only when something fails, so
// a successful run does not show them.
var failureOnly = map[string]bool{
	"s3:AbortMultipartUpload": true, // the publisher aborts a multipart upload whose part failed
}

// TestPipelinePolicyUsed runs the lake and the publisher against versitygw
// through a recorder, and checks that the policy allows every call they make
// and that every action of every statement is used.
func TestPipelinePolicyUsed(t *testing.T) {
	srv := s3test.Start(t)
	lakeBucket := srv.NewBucket(t, "lake")
	siteBucket := srv.NewBucket(t, "site")
	rec := &recorder{}
	proxy := rec.proxy(t, srv.Endpoint)
	srv.Setenv(t)
	t.Setenv("AWS_ENDPOINT_URL_S3", proxy.URL)
	const account, distribution = "123456789012", "E2EXAMPLE1AB2C"
	t.Setenv("AWS_ENDPOINT_URL_CLOUDFRONT", rec.cloudFront(t, account).URL)
	ctx := context.Background()

	// The lake: write a page and a manifest, write one again (refused), read
	// and list them as ingest and replay do.
	lake, err := ingest.OpenLake(ctx, "s3://"+lakeBucket+"/jobpulse")
	if err != nil {
		t.Fatal(err)
	}
	raw := "raw/source=remotive/date=2026-11-29/run=20261129T013000Z-3f9a/page-0001.json"
	meta := ingest.Meta{Source: "remotive", URL: "https://remotive.com/api/remote-jobs", FetchedAt: time.Now().UTC(), Status: 200, ContentType: "application/json"}
	for _, k := range []string{raw, "runs/run=20261129T013000Z-3f9a.json"} {
		if err := lake.Put(ctx, k, []byte(`{"jobs":[]}`), meta); err != nil {
			t.Fatal(err)
		}
		if _, _, err := lake.Get(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	if err := lake.Put(ctx, raw, []byte(`{}`), meta); err == nil {
		t.Error("a second put of the same key succeeded")
	}
	for _, p := range []string{"runs/", "raw/source=remotive/"} {
		if _, err := lake.List(ctx, p); err != nil {
			t.Fatal(err)
		}
	}

	// The site: publish, then publish again without one page (a delete,
	// which is invalidated on CloudFront).
	dir := t.TempDir()
	for name, body := range map[string]string{"index.html": "<p>home", "404.html": "<p>gone", "roles/index.html": "<p>roles", "assets/site.css": "p{}"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A file past the publisher's multipart threshold (16 MiB).
	if err := os.WriteFile(filepath.Join(dir, "data.json"), make([]byte, 17<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	pub := publish.DefaultConfig()
	pub.Source, pub.Target, pub.CloudFrontDistribution = dir, "s3://"+siteBucket+"/www", distribution
	if _, err := publish.Publish(ctx, pub, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "roles/index.html")); err != nil {
		t.Fatal(err)
	}
	if res, err := publish.Publish(ctx, pub, nil); err != nil || res.Invalidation == nil {
		t.Fatalf("publish with a delete: invalidation %v, err %v, want an invalidation", res.Invalidation, err)
	}

	p, err := objstore.PipelinePolicy(objstore.PipelineAccess{LakeBucket: lakeBucket, LakePrefix: "jobpulse", SiteBucket: siteBucket, SitePrefix: "www",
		CloudFrontDistribution: distribution, AccountID: account})
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{} // "Sid action"
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, c := range rec.calls {
		sid, ok := allows(p, c)
		if !ok {
			t.Errorf("the policy does not allow %s on %s (prefix %q)", c.Action, c.Resource, c.Prefix)
			continue
		}
		used[sid+" "+c.Action] = true
	}
	for _, s := range p.Statement {
		for _, a := range s.Action {
			if !used[s.Sid+" "+a] && !failureOnly[a] {
				t.Errorf("statement %s allows %s, which no call used", s.Sid, a)
			}
		}
	}
}
