package publish

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// signalHandler is a slog handler that closes ch at the first record whose
// message is msg.
type signalHandler struct {
	msg  string
	once *sync.Once
	ch   chan struct{}
}

func (h signalHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h signalHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		h.once.Do(func() { close(h.ch) })
	}
	return nil
}
func (h signalHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h signalHandler) WithGroup(string) slog.Handler      { return h }

// lockSite is version v of a site of 40 files, every file's content naming
// v, so that a target mixing two versions shows.
func lockSite(v string) map[string]string {
	files := map[string]string{
		"index.html":  "<h1>home " + v + "</h1>",
		"404.html":    "<h1>not found " + v + "</h1>",
		"search.json": `{"build":"` + v + `"}`,
	}
	for i := range 37 {
		files[fmt.Sprintf("roles/role-%02d/index.html", i)] = fmt.Sprintf("<h1>role %d of %s</h1>", i, v)
	}
	return files
}

// fromOneBuild checks that the target holds exactly one of the builds, and
// a manifest describing that same build.
func fromOneBuild(t *testing.T, b publishBackend, target string, builds ...map[string]string) {
	t.Helper()
	got := b.read(t, target)
	if _, ok := got[lockKey]; ok {
		t.Errorf("%s left on the target after the publishes", lockKey)
	}
	m := parseManifest([]byte(got[MarkerKey].Body))
	delete(got, MarkerKey)
	delete(got, lockKey)
	for i, files := range builds {
		if !cmp.Equal(wantPublished(b, files), got) {
			continue
		}
		for k, body := range files {
			sum := sha256.Sum256([]byte(body))
			if m.Files[k].SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("the site is build %d, but the manifest's %s is another build's", i, k)
			}
		}
		if len(m.Files) != len(files) {
			t.Errorf("the site is build %d (%d files), the manifest lists %d files", i, len(files), len(m.Files))
		}
		return
	}
	t.Errorf("the target holds no one build: index.html %q, search.json %q", got["index.html"].Body, got["search.json"].Body)
}

// testPublishLock is issue 13, point 10: a publish while another holds the
// target's lock refuses at once naming the holder, having written nothing;
// with a wait it waits, then publishes when the lock is released; two
// publishes of two builds started at once, waiting, both complete and leave
// the site and the manifest of one build. The lock is gone afterwards.
func testPublishLock(t *testing.T, b publishBackend) {
	ctx := context.Background()
	src := t.TempDir()
	target := b.newTarget(t)
	writeSource(t, src, lockSite("v1"))
	publishOK(t, src, target)
	live := b.read(t, target)

	const other = "jobpulse publish other-host pid 4242"
	release := b.hold(t, target, other)
	writeSource(t, src, lockSite("v2"))
	_, err := Publish(ctx, publishConfig(src, target), nil)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), other) || !strings.Contains(err.Error(), "refused, nothing written") {
		t.Errorf("Publish while another holds the lock: got %v, want ErrLocked naming %q", err, other)
	}
	after := b.read(t, target)
	delete(after, lockKey) // the other publish's
	if diff := cmp.Diff(live, after); diff != "" {
		t.Errorf("target changed by a refused publish (-before +after):\n%s", diff)
	}

	// With a wait: the publish waits for the holder, then goes through.
	waiting := signalHandler{msg: "waiting for the publish lock", once: new(sync.Once), ch: make(chan struct{})}
	cfg := publishConfig(src, target)
	cfg.Wait = time.Minute
	done := make(chan error, 1)
	go func() {
		_, err := Publish(ctx, cfg, slog.New(waiting))
		done <- err
	}()
	select {
	case <-waiting.ch:
	case err := <-done:
		t.Fatalf("Publish --wait returned before the lock was released: %v", err)
	}
	release()
	if err := <-done; err != nil {
		t.Fatalf("Publish --wait after the release: %v", err)
	}
	fromOneBuild(t, b, target, lockSite("v2"))

	// Two publishes of two builds at once.
	builds := []map[string]string{lockSite("v3a"), lockSite("v3b")}
	var wg sync.WaitGroup
	errs := make([]error, len(builds))
	start := make(chan struct{})
	for i, files := range builds {
		dir := t.TempDir()
		writeSource(t, dir, files)
		cfg := publishConfig(dir, target)
		cfg.Wait = time.Minute
		wg.Go(func() {
			<-start
			_, errs[i] = Publish(ctx, cfg, nil)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("publish %d of two at once, waiting: %v", i, err)
		}
	}
	fromOneBuild(t, b, target, builds...)
}
