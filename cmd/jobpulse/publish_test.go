package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/site"
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
				Items []site.PlanItem `json:"items"`
			} `json:"plan"`
		} `json:"publish"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("publish --json output: %v\n%s", err, out)
	}
	want := []site.PlanItem{
		{Key: "a.html", Action: site.ActionUpload, Reason: "new", Size: 1},
		{Key: "b.html", Action: site.ActionUpload, Reason: "new", Size: 1},
		{Key: "index.html", Action: site.ActionUpload, Reason: "new", Size: 13},
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
		want    site.PublishConfig
		wantErr string
	}{
		{
			name: "lists",
			yaml: "publish:\n  gzip: true\n  cache_control:\n    - {pattern: \"*.pdf\", value: no-store}\n    - {pattern: \"data/*.json\", value: \"public, max-age=60\"}\n  redirects:\n    - {path: old.html, to: /new/}\n",
			want: site.PublishConfig{
				Workers: site.DefaultPublishWorkers, MaxDeletes: site.DefaultMaxDeletes, Gzip: true,
				CacheControl: []site.CacheRule{{Pattern: "*.pdf", Value: "no-store"}, {Pattern: "data/*.json", Value: "public, max-age=60"}},
				Redirects:    []site.Redirect{{Path: "old.html", To: "/new/"}},
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
