// Package browsertest starts the headless Chromium that tests drive to see
// the built site as a reader does, and records what its pages write to the
// console and the dialogs they open. It is for tests only.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/jobpulse/jobpulse/internal/testenv"
)

// chromiumPath is Debian's chromium package.
const chromiumPath = "/usr/bin/chromium"

// Path returns the path of Chromium, or ends the test with
// [testenv.Missing] when there is none.
func Path(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err == nil {
		return chromiumPath
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		testenv.Missing(t, "Chromium: %s not found: apt-get install chromium", chromiumPath)
	}
	return p
}

// Start starts a fresh headless Chromium for the test, with a profile of its
// own and opts added to its options, and returns its context. The browser
// ends with the test.
func Start(t testing.TB, opts ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts = append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Path(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	}, opts...)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	return ctx
}

// A Watch records what the pages of a tab write to the console (errors,
// exceptions and warnings) and the dialogs they open, which it dismisses.
type Watch struct {
	mu       sync.Mutex
	problems []string
}

// WatchTab subscribes a new Watch to the console and dialogs of the tab ctx.
func WatchTab(ctx context.Context) *Watch {
	w := &Watch{}
	console := chromedp.Console(ctx)
	dialogs := chromedp.Events(ctx, cdppage.JavascriptDialogOpening)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException || m.Type == chromedp.ConsoleWarning {
				w.Add(m.String())
			}
		}
	}()
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			w.Add("dialog " + string(ev.Type) + ": " + ev.Message)
			_, _ = chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	return w
}

// Add records a problem.
func (w *Watch) Add(s string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.problems = append(w.problems, s)
}

// All returns the problems recorded so far.
func (w *Watch) All() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.problems...)
}

// Take returns the problems recorded so far and forgets them.
func (w *Watch) Take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	p := w.problems
	w.problems = nil
	return p
}
