package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/site/publish"
)

// TestPublishCommand runs publish on a folder: a dry run, a publish with
// --json, then a publish whose deletes exceed the limit.
func TestPublishCommand(t *testing.T) {
	dir := t.TempDir()
	src, target := filepath.Join(dir, "public"), filepath.Join(dir, "www")
	for name, body := range map[string]string{"index.html": "<h1>home</h1>", "a.html": "a", "b.html": "b"} {
		if err := os.MkdirAll(src, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	common := []string{"--site.out", src, "--publish.target", target}

	out, err := jobpulse(t, append([]string{"publish", "--dry-run"}, common...)...)
	if err != nil {
		t.Fatalf("publish --dry-run: %v\n%s", err, out)
	}
	for _, want := range []string{"upload    a.html (new)\n", "upload    index.html (new)\n", ": 3 to upload, 0 to update, 0 to delete, 0 unchanged (dry run: nothing written)\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("publish --dry-run output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Errorf("target after a dry run: %v, want none", err)
	}

	out, err = jobpulse(t, append([]string{"publish", "--json"}, common...)...)
	if err != nil {
		t.Fatalf("publish --json: %v\n%s", err, out)
	}
	var rep struct {
		Publish struct {
			Uploaded int `json:"uploaded"`
			Plan     struct {
				Items []publish.PlanItem `json:"items"`
			} `json:"plan"`
		} `json:"publish"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("publish --json output: %v\n%s", err, out)
	}
	want := []publish.PlanItem{
		{Key: "a.html", Action: publish.ActionUpload, Reason: "new", Size: 1},
		{Key: "b.html", Action: publish.ActionUpload, Reason: "new", Size: 1},
		{Key: "index.html", Action: publish.ActionUpload, Reason: "new", Size: 13},
	}
	if diff := cmp.Diff(want, rep.Publish.Plan.Items); diff != "" || rep.Publish.Uploaded != 3 {
		t.Errorf("publish --json: uploaded %d, plan mismatch (-want +got):\n%s", rep.Publish.Uploaded, diff)
	}

	for _, name := range []string{"a.html", "b.html"} {
		if err := os.Remove(filepath.Join(src, name)); err != nil {
			t.Fatal(err)
		}
	}
	out, err = jobpulse(t, append([]string{"publish", "--publish.max_deletes=1"}, common...)...)
	if err == nil || !strings.Contains(err.Error(), "2 objects are gone from the build, the limit is 1") {
		t.Errorf("publish over the delete limit: got %v, want refused", err)
	}
	if !strings.Contains(out, "2 deletes refused: more than publish.max_deletes (1)") {
		t.Errorf("publish over the delete limit: output lacks the refused deletes:\n%s", out)
	}
}

// TestPublishConfigLists reads publish.cache_control and publish.redirects
// from the configuration file, and rejects a bad rule naming its key.
func TestPublishConfigLists(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		want    publish.Config
		wantErr string
	}{
		{
			name: "lists",
			yaml: "publish:\n  gzip: true\n  cache_control:\n    - {pattern: \"*.pdf\", value: no-store}\n    - {pattern: \"data/*.json\", value: \"public, max-age=60\"}\n  redirects:\n    - {path: old.html, to: /new/}\n",
			want: publish.Config{
				Workers: publish.DefaultWorkers, MaxDeletes: publish.DefaultMaxDeletes, Gzip: true, InvalidationLimit: publish.DefaultInvalidationLimit,
				CacheControl: []publish.CacheRule{{Pattern: "*.pdf", Value: "no-store"}, {Pattern: "data/*.json", Value: "public, max-age=60"}},
				Redirects:    []publish.Redirect{{Path: "old.html", To: "/new/"}},
			},
		},
		{
			name:    "bad pattern",
			yaml:    "publish:\n  cache_control:\n    - {pattern: \"[\", value: no-store}\n",
			wantErr: `site: publish.cache_control[0]: pattern "[" is not a glob`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "jobpulse.yaml")
			if err := os.WriteFile(file, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := newRootCommand()
			cfg, err := loadConfig(file, cmd.PersistentFlags())
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("loadConfig: got %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, cfg.Publish); diff != "" {
				t.Errorf("publish configuration mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPublishReportInvalidation checks what the summary, text and JSON,
// says of the CloudFront invalidation.
func TestPublishReportInvalidation(t *testing.T) {
	plan := &publish.Plan{Target: "s3://site/www", Invalidate: []string{"/www/", "/www/index.html"}}
	ok := &publish.Invalidation{Distribution: "E2EXAMPLE", ID: "I1EXAMPLE", Paths: plan.Invalidate, CallerReference: "jobpulse-x"}
	tests := []struct {
		name     string
		res      publish.Result
		err      error
		wantText string
		wantJSON *publish.Invalidation
	}{
		{
			name:     "paths",
			res:      publish.Result{Uploaded: 1, Plan: plan, Invalidation: ok},
			wantText: "  invalidated 2 paths on CloudFront distribution E2EXAMPLE (invalidation I1EXAMPLE)\n",
			wantJSON: ok,
		},
		{
			name:     "wildcard",
			res:      publish.Result{Uploaded: 40, Plan: plan, Invalidation: &publish.Invalidation{Distribution: "E2EXAMPLE", ID: "I2", Paths: []string{"/www/*"}, Wildcard: true}},
			wantText: "  invalidated /www/* on CloudFront distribution E2EXAMPLE (invalidation I2)\n",
			wantJSON: &publish.Invalidation{Distribution: "E2EXAMPLE", ID: "I2", Paths: []string{"/www/*"}, Wildcard: true},
		},
		{
			name:     "failed",
			res:      publish.Result{Uploaded: 1, Plan: plan, Invalidation: &publish.Invalidation{Distribution: "E2EXAMPLE", Paths: plan.Invalidate, Error: "AccessDenied"}},
			err:      publish.ErrInvalidation,
			wantText: "  CloudFront invalidation of 2 paths on distribution E2EXAMPLE FAILED: the site is published; the next publish invalidates them\n",
			wantJSON: &publish.Invalidation{Distribution: "E2EXAMPLE", Paths: plan.Invalidate, Error: "AccessDenied"},
		},
		{
			name:     "publish failed before",
			res:      publish.Result{Plan: plan},
			err:      errors.New("site: publish index.html: boom"),
			wantText: "  CloudFront: 2 paths not invalidated, as the publish failed: the next publish invalidates them\n",
		},
		{
			name:     "dry run",
			res:      publish.Result{Plan: plan, DryRun: true},
			wantText: "  a publish would invalidate 2 paths on CloudFront\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := report{Publish: &publishReport{Source: "public", Target: "s3://site/www", Result: tt.res}}
			var text bytes.Buffer
			if err := rep.write(&text, false, tt.err); !errors.Is(err, tt.err) {
				t.Errorf("write: err = %v, want %v", err, tt.err)
			}
			if !strings.Contains(text.String(), tt.wantText) {
				t.Errorf("text summary lacks %q:\n%s", tt.wantText, text.String())
			}
			var js bytes.Buffer
			_ = rep.write(&js, true, tt.err)
			var got struct {
				Publish struct {
					Invalidation *publish.Invalidation `json:"invalidation"`
				} `json:"publish"`
			}
			if err := json.Unmarshal(js.Bytes(), &got); err != nil {
				t.Fatalf("JSON summary: %v\n%s", err, js.String())
			}
			if diff := cmp.Diff(tt.wantJSON, got.Publish.Invalidation); diff != "" {
				t.Errorf("JSON invalidation mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
