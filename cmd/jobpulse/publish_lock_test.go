package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestPublishCommandLock holds a folder target's publish lock as another
// process would: publish refuses at once naming the holder and writes
// nothing; --wait with a negative duration is refused; then two publishes
// of two builds, with --wait, started at once both complete, and the target
// holds one build whole, with its manifest.
func TestPublishCommandLock(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "www")
	builds := map[string]string{}
	for _, v := range []string{"a", "b"} {
		src := filepath.Join(dir, "public-"+v)
		builds[v] = src
		for i := range 20 {
			name := filepath.Join(src, fmt.Sprintf("p%02d", i), "index.html")
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, []byte("<h1>build "+v+"</h1>"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(src, "index.html"), []byte("<h1>home "+v+"</h1>"), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	if err := os.MkdirAll(target, 0o755); err != nil {
		t.Fatal(err)
	}
	lock, err := os.OpenFile(filepath.Join(target, ".jobpulse-lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	holder, _ := json.Marshal(map[string]any{"holder": "jobpulse publish other-host pid 4242", "host": "other-host", "pid": 4242, "since": time.Now()})
	if _, err := lock.Write(holder); err != nil {
		t.Fatal(err)
	}
	out, err := jobpulse(t, "publish", "--site.out", builds["a"], "--publish.target", target)
	if err == nil || !strings.Contains(err.Error(), `"jobpulse publish other-host pid 4242"`) || !strings.Contains(err.Error(), "refused, nothing written") {
		t.Errorf("publish while another holds the lock: got %v, want refused naming the holder\n%s", err, out)
	}
	if entries, _ := os.ReadDir(target); len(entries) != 1 {
		t.Errorf("target after a refused publish holds %d entries, want only the other publish's lock", len(entries))
	}
	_, err = jobpulse(t, "publish", "--site.out", builds["a"], "--publish.target", target, "--wait", "-1s")
	if err == nil || !strings.Contains(err.Error(), "--wait -1s: must not be negative") {
		t.Errorf("publish --wait -1s: got %v, want refused", err)
	}
	os.Remove(lock.Name())
	lock.Close()

	var wg sync.WaitGroup
	errs := map[string]error{}
	var mu sync.Mutex
	for v, src := range builds {
		wg.Go(func() {
			out, err := jobpulse(t, "publish", "--site.out", src, "--publish.target", target, "--wait", "1m")
			if err != nil {
				err = fmt.Errorf("%w\n%s", err, out)
			}
			mu.Lock()
			errs[v] = err
			mu.Unlock()
		})
	}
	wg.Wait()
	for v, err := range errs {
		if err != nil {
			t.Errorf("publish of build %s, one of two at once with --wait: %v", v, err)
		}
	}
	home, err := os.ReadFile(filepath.Join(target, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	v := strings.TrimSuffix(strings.TrimPrefix(string(home), "<h1>home "), "</h1>")
	for i := range 20 {
		b, _ := os.ReadFile(filepath.Join(target, fmt.Sprintf("p%02d", i), "index.html"))
		if string(b) != "<h1>build "+v+"</h1>" {
			t.Errorf("p%02d/index.html = %q beside the home page of build %s", i, b, v)
		}
	}
	manifest, err := os.ReadFile(filepath.Join(target, ".jobpulse-site"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Files map[string]struct {
			ETag string `json:"etag"`
		} `json:"files"`
	}
	if err := json.Unmarshal(manifest, &m); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(target, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("mtime:%d", st.ModTime().UnixNano()); m.Files["index.html"].ETag != want {
		t.Errorf("manifest's index.html is %s, the file on the target %s: the manifest is another publish's", m.Files["index.html"].ETag, want)
	}
	if _, err := os.Stat(filepath.Join(target, ".jobpulse-lock")); !os.IsNotExist(err) {
		t.Errorf(".jobpulse-lock after the publishes: %v, want it removed", err)
	}
}
