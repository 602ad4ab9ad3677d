package site

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/jobpulse/jobpulse/site/browsertest"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// browser starts a fresh headless Chromium for the test and returns its
// context (see [browsertest.Start]) in a window of 1280 by 1000.
func browser(t *testing.T) context.Context {
	t.Helper()
	return browsertest.Start(t, chromedp.WindowSize(1280, 1000))
}

// chartsDrawn is true when every chart div holds a drawn canvas or svg of
// non-zero size and ECharts has taken it over. ECharts draws a chart when it
// nears the screen: each evaluation scrolls the page down a little.
const chartsDrawn = `(() => {
	window.scrollBy(0, 300);
	const divs = [...document.querySelectorAll('div.chart[data-chart]')];
	return divs.length === %d && divs.every(d => d.hasAttribute('_echarts_instance_') &&
		[...d.querySelectorAll('canvas, svg')].some(c => {
			const r = c.getBoundingClientRect();
			return r.width > 0 && r.height > 0;
		}));
})()`

// TestBrowserHome serves a home page (homeContent), built with the real
// ECharts, to headless Chromium, in light and dark colour schemes, and
// checks that both charts of the home page are drawn, that a tooltip shows
// on hover, and that nothing goes to the console. JOBPULSE_SCREENSHOT=file.png saves screenshots
// of the page (file.png and file-dark.png).
func TestBrowserHome(t *testing.T) {
	echarts := realECharts(t)
	browserCtx := browser(t)
	pool := pgtest.New(t)
	postings := hostilePostings()
	for _, title := range []string{"Backend Engineer", "Backend Engineer", "Data Analyst", "Product Designer (Remote, EMEA time zones)"} {
		postings = append(postings, testPosting{Title: title, Location: "Europe"})
	}
	seedRun(t, pool, true, postings)
	cfg := homeConfig(t)
	cfg.ECharts = echarts
	if _, err := Build(context.Background(), pool, cfg, nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(cfg.Out)))
	defer srv.Close()

	for _, scheme := range []string{"light", "dark"} {
		t.Run(scheme, func(t *testing.T) {
			ctx, cancel := chromedp.NewContext(browserCtx) // a new tab
			defer cancel()
			w := browsertest.WatchTab(ctx)
			run := func(what string, a chromedp.Action[chromedp.Void]) {
				t.Helper()
				tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
				defer cancel()
				if err := chromedp.Do(tctx, a); err != nil {
					t.Fatalf("%s: %v (console: %q)", what, err, w.All())
				}
			}
			run("emulate "+scheme, func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
				_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
					Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
				return chromedp.Void{}, err
			})
			run("load the home page", chromedp.Navigate(srv.URL+"/"))
			// The bars of the first chart are drawn by the server; the
			// second chart, by ECharts.
			run("wait for the charts", func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
				_, err := chromedp.Poll[bool](`document.querySelectorAll('.bars .bar-row').length > 0 && `+
					strings.Replace(chartsDrawn, "%d", "1", 1))(ctx, tg)
				return chromedp.Void{}, err
			})

			// Hover the first bar of the ECharts chart: ECharts shows its
			// tooltip, drawn on the canvas (see tooltip in chart.go), and
			// says so with an event.
			box, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
				const div = document.querySelector('div.chart');
				div.scrollIntoView({block: 'center'});
				echarts.getInstanceByDom(div).on('showTip', () => { window.jobpulseTip = true; });
				const r = div.getBoundingClientRect();
				return [r.left + r.width / 2, r.top + 30];
			})()`))
			if err != nil || len(box) != 2 {
				t.Fatalf("chart position: %v %v", box, err)
			}
			run("hover", func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
				for _, dx := range []float64{0, 5} { // move twice: ECharts reacts to movement
					if _, err := chromedp.Call(ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{
						Type: input.DispatchMouseEventTypeMouseMoved, X: box[0] + dx, Y: box[1]}); err != nil {
						return chromedp.Void{}, err
					}
				}
				return chromedp.Void{}, nil
			})
			run("wait for the tooltip", func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
				_, err := chromedp.Poll[bool](`window.jobpulseTip === true`)(ctx, tg)
				return chromedp.Void{}, err
			})

			suffix := ""
			if scheme != "light" {
				suffix = "-" + scheme
			}
			screenshot(t, ctx, suffix)
			checkQuiet(t, ctx, w)
		})
	}
}

// openSite serves the built site in out and opens its home page in a new
// tab of browserCtx, watched, with a minute for the test to use it.
func openSite(t *testing.T, browserCtx context.Context, out string) (context.Context, *browsertest.Watch) {
	t.Helper()
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	t.Cleanup(srv.Close)
	ctx, cancelTab := chromedp.NewContext(browserCtx)
	t.Cleanup(cancelTab)
	w := browsertest.WatchTab(ctx)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	t.Cleanup(cancel)
	if _, err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	return ctx, w
}

// screenshot saves a screenshot of the page when JOBPULSE_SCREENSHOT names
// a file (file.png; with a suffix, file<suffix>.png).
func screenshot(t *testing.T, ctx context.Context, suffix string) {
	t.Helper()
	file := os.Getenv("JOBPULSE_SCREENSHOT")
	if file == "" {
		return
	}
	file = strings.TrimSuffix(file, ".png") + suffix + ".png"
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		err = os.WriteFile(file, png, 0o644)
	}
	if err != nil {
		t.Errorf("screenshot: %v", err)
	}
}

// checkQuiet fails the test when the page said anything on its console or
// opened a dialog. A round trip first lets pending messages arrive.
func checkQuiet(t *testing.T, ctx context.Context, w *browsertest.Watch) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`true`)); err != nil {
		t.Fatal(err)
	}
	if p := w.All(); len(p) > 0 {
		t.Errorf("the page reported problems:\n%s", strings.Join(p, "\n"))
	}
}
