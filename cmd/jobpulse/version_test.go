package main

import (
	"os/exec"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionOf(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	const rev = "48d6464c7bf54b3efdce9f84003ce19da5039d8a"
	tests := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{name: "a tagged release",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"},
				Settings: vcs("vcs", "git", "vcs.revision", rev, "vcs.time", "2026-12-05T00:39:05Z", "vcs.modified", "false")},
			want: "v1.2.0 (commit " + rev + ", 2026-12-05T00:39:05Z; go1.26.8)"},
		{name: "a commit with changes",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261205003905-48d6464c7bf5+dirty"},
				Settings: vcs("vcs.revision", rev, "vcs.time", "2026-12-05T00:39:05Z", "vcs.modified", "true")},
			want: "v0.0.0-20261205003905-48d6464c7bf5+dirty (commit " + rev + ", 2026-12-05T00:39:05Z, modified; go1.26.8)"},
		{name: "without version control",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			want: "(devel) (commit unknown: built without version control information; go1.26.8)"},
		{name: "no main version", info: &debug.BuildInfo{},
			want: "(devel) (commit unknown: built without version control information)"},
		{name: "no build information", want: "(unknown: built without module information)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionOf(tt.info, tt.info != nil); got != tt.want {
				t.Errorf("versionOf = %q\nwant        %q", got, tt.want)
			}
		})
	}
}

// TestBinaryVersion builds the binary and checks that --version names the
// version and commit Go recorded in it (go version -m), and, when Go
// recorded a commit, that it is the checkout's (Go records none with
// -buildvcs=false, nor in a git worktree, whose .git is a file).
func TestBinaryVersion(t *testing.T) {
	bin := buildBinary(t)
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("jobpulse --version: %v\n%s", err, out)
	}
	got := string(out)
	meta, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatalf("go version -m: %v", err)
	}
	field := func(re string) string {
		if m := regexp.MustCompile(`(?m)^\s+` + re + `\s*$`).FindStringSubmatch(string(meta)); m != nil {
			return m[1]
		}
		return ""
	}
	modVersion := field(`mod\s+github.com/jobpulse/jobpulse\s+(\S+)(?:\s+\S+)?`)
	if modVersion == "" || !strings.HasPrefix(got, "jobpulse "+modVersion+" (") || strings.Count(got, "\n") != 1 {
		t.Errorf("jobpulse --version = %q, want one line starting %q", got, "jobpulse "+modVersion+" (")
	}
	rev := field(`build\s+vcs.revision=(\S+)`)
	if rev == "" {
		if !strings.Contains(got, "commit unknown") {
			t.Errorf("jobpulse --version = %q: Go recorded no commit, want it to say so", got)
		}
		return
	}
	if !strings.Contains(got, "commit "+rev) {
		t.Errorf("jobpulse --version = %q, want commit %s", got, rev)
	}
	if head, err := exec.Command("git", "rev-parse", "HEAD").Output(); err == nil && strings.TrimSpace(string(head)) != rev {
		t.Errorf("the binary records commit %s, the checkout is at %s", rev, head)
	}
}
