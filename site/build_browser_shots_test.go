package site

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color/palette"
	"image/draw"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/jobpulse/jobpulse/site/browsertest"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// chartScreens are the screens every chart kind is seen on: a phone and a
// laptop, light and dark.
var chartScreens = []struct {
	width int
	dark  bool
}{{390, false}, {390, true}, {1366, false}, {1366, true}}

// shotsDir holds the reviewed screenshots of every chart kind on every
// screen of chartScreens, as kind-width-theme.png. `go test -run
// TestBrowserChartScreens ./site/ -args -update` rewrites them: look at
// each before committing it.
const shotsDir = "testdata/charts"

// navPages are pages beside the chart page, so that the navigation is
// wider than a phone.
var navPages = []string{"Companies", "Locations", "Roles", "Salaries", "Skills", "Sources", "Trends", "Method"}

// TestBrowserChartScreens draws every kind of chart in headless Chromium
// on each of chartScreens and checks what a reader sees:
//   - until it is drawn, an ECharts chart holds a placeholder of its
//     height, and keeps that height when drawn (the page does not move);
//   - no two labels overlap, and none leaves its chart;
//   - a legend lies clear of the plot;
//   - an axis of whole numbers (counts) has whole ticks;
//   - where the navigation or a heatmap scrolls sideways, a cue says so;
//   - each chart looks as its reviewed screenshot in testdata/charts,
//     within a small tolerance for antialiasing.
//
// JOBPULSE_SCREENSHOT_DIR=dir keeps the screenshots taken, for review.
func TestBrowserChartScreens(t *testing.T) {
	echarts := realECharts(t)
	browserCtx := browsertest.Start(t)
	pool := pgtest.New(t)
	files := map[string]string{"index.md": chartKindsContent()}
	for i, title := range navPages {
		files[strings.ToLower(title)+".md"] = fmt.Sprintf("---\ntitle: %s\nnav: %d\n---\nA page.\n", title, i+1)
	}
	dir := t.TempDir()
	writeTree(t, dir, files)
	cfg := testConfig(t)
	cfg.Content, cfg.ECharts = dir, echarts
	if _, err := Build(context.Background(), pool, cfg, nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(cfg.Out)))
	defer srv.Close()
	keep := os.Getenv("JOBPULSE_SCREENSHOT_DIR")

	for _, screen := range chartScreens {
		theme := "light"
		if screen.dark {
			theme = "dark"
		}
		t.Run(fmt.Sprintf("%d-%s", screen.width, theme), func(t *testing.T) {
			ctx, cancel := chromedp.NewContext(browserCtx)
			defer cancel()
			w := browsertest.WatchTab(ctx)
			ctx, cancelTime := context.WithTimeout(ctx, 90*time.Second)
			defer cancelTime()
			if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
					Width: int64(screen.width), Height: 800, DeviceScaleFactor: 1, Mobile: screen.width < 500}); err != nil {
					return err
				}
				// Reduced motion: ECharts draws at once, so that a screenshot
				// never catches a chart half-way through its animation (on a
				// busy machine the charts-drawn check passes mid-animation).
				_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
					Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: theme},
						{Name: "prefers-reduced-motion", Value: "reduce"}}})
				return err
			}), chromedp.Navigate(srv.URL+"/")); err != nil {
				t.Fatal(err)
			}
			// Charts below the first screen are not drawn yet: each holds
			// its placeholder.
			waiting, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](placeholderProblems))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range waiting {
				t.Error(p)
			}
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](strings.Replace(chartsDrawn, "%d", strconv.Itoa(len(chartBlocks)-staticKinds), 1))); err != nil {
				t.Fatalf("charts not all drawn: %v (console: %q)", err, w.All())
			}
			problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.scrollTo(0, 0), `+readingProblems))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range problems {
				t.Error(p)
			}
			if screen.width < 500 {
				more, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
					`[...document.querySelectorAll('.site-nav, .heat-wrap')].map(e => (e.closest('.scroll-cue') || e).getAttribute('data-more') || '')`))
				if err != nil || len(more) != 2 || more[0] != "right" || more[1] != "right" {
					t.Errorf("on a phone the navigation and the heatmap scroll to the right, with a cue: data-more %q (%v)", more, err)
				}
			}
			for i, block := range chartBlocks {
				kind, _, _ := strings.Cut(strings.TrimPrefix(block, "type: "), "\n")
				name := fmt.Sprintf("%s-%d-%s.png", kind, screen.width, theme)
				// A chart ECharts draws may still be settling on a busy
				// machine (a frame late): a screenshot that differs is
				// taken again, a few times, and the last one must match.
				var mismatch string
				for try := 0; try < 5; try++ {
					if try > 0 {
						time.Sleep(time.Second)
					}
					shot, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.JSPath(fmt.Sprintf(
						`document.querySelectorAll('figure.chart-block')[%d]`, i))))
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					if keep != "" {
						if err := os.WriteFile(filepath.Join(keep, name), shot, 0o644); err != nil {
							t.Fatal(err)
						}
					}
					if mismatch = compareShot(t, name, shot); mismatch == "" {
						break
					}
				}
				if mismatch != "" {
					t.Error(mismatch + " (5 screenshots a second apart)")
				}
			}
			checkQuiet(t, ctx, w)
		})
	}
}

// chartKindsContent is the page of every chart kind of
// TestBrowserChartKinds, with its title.
func chartKindsContent() string {
	var body strings.Builder
	body.WriteString(chartKindsPage)
	for _, b := range chartBlocks {
		kind, _, _ := strings.Cut(strings.TrimPrefix(b, "type: "), "\n")
		body.WriteString("\n```chart\n" + b + "\ntitle: A " + kind + " chart\n```\n")
	}
	return body.String()
}

// placeholderProblems lists the ECharts charts that are not drawn yet and
// do not hold a placeholder of their height.
const placeholderProblems = `(() => {
	const out = [];
	document.querySelectorAll('div.chart[data-chart]').forEach(d => {
		if (d.hasAttribute('_echarts_instance_')) return;
		const want = +d.getAttribute('data-height');
		const got = d.getBoundingClientRect().height;
		if (Math.abs(got - want) > 1) out.push(d.getAttribute('aria-label') + ': before it is drawn, ' + got + ' px high, want ' + want);
	});
	return out;
})()`

// readingProblems lists what a reader could not read on the page: labels
// that overlap or leave their chart, a legend on the plot, an ECharts chart
// whose height changed when drawn, a count axis with fractional ticks.
const readingProblems = `(() => {
	const out = [];
	const hits = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
		Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
	const rect = (l, t, w, h) => ({left: l, top: t, right: l + w, bottom: t + h});
	// Turned labels are quadrilaterals (corners c): two overlap unless an
	// edge of one separates them (by more than a pixel's tolerance).
	const apart = (p, q) => [p, q].some(poly => poly.some((a, i) => {
		const b = poly[(i + 1) % poly.length];
		const n = [b[1] - a[1], a[0] - b[0]], len = Math.hypot(n[0], n[1]) || 1;
		const proj = c => (c[0] * n[0] + c[1] * n[1]) / len;
		const pp = p.map(proj), qq = q.map(proj);
		return Math.min(...pp) >= Math.max(...qq) - 1 || Math.min(...qq) >= Math.max(...pp) - 1;
	}));
	const overlaps = (name, labels) => {
		for (let i = 0; i < labels.length; i++)
			for (let j = i + 1; j < labels.length; j++)
				if (labels[i].c && labels[j].c ? !apart(labels[i].c, labels[j].c) : hits(labels[i].r, labels[j].r))
					out.push(name + ': labels "' + labels[i].text + '" and "' + labels[j].text + '" overlap');
	};
	document.querySelectorAll('figure.chart-block').forEach(fig => {
		const name = fig.querySelector('figcaption').textContent;
		const div = fig.querySelector('div.chart[data-chart]');
		if (!div) {
			const labels = [];
			fig.querySelectorAll('.bar-label, .bar-value, .legend li, .column .bar-label, .line-ticks span, .line-x span, .heat th, .heat td, .heat-scale span').forEach(e => {
				const r = e.getBoundingClientRect();
				if (r.width > 0 && e.textContent.trim() !== '') labels.push({text: e.textContent.trim(), r: r});
			});
			overlaps(name, labels);
			const legend = fig.querySelector('.legend'), plot = fig.querySelector('.line-plot');
			if (legend && plot && legend.getBoundingClientRect().bottom > plot.getBoundingClientRect().top)
				out.push(name + ': the legend lies on the plot');
			const box = fig.getBoundingClientRect();
			labels.forEach(l => {
				if (!l.r || fig.querySelector('.heat')) return;
				if (l.r.left < box.left - 1 || l.r.right > box.right + 1) out.push(name + ': label "' + l.text + '" leaves the chart');
			});
			return;
		}
		const box = div.getBoundingClientRect();
		if (Math.abs(box.height - +div.getAttribute('data-height')) > 1)
			out.push(name + ': drawn ' + box.height + ' px high, its placeholder was ' + div.getAttribute('data-height'));
		const chart = echarts.getInstanceByDom(div);
		const labels = [];
		chart.getZr().storage.getDisplayList(true).forEach(el => {
			// ECharts draws each line of a label as a tspan.
			if (el.type !== 'tspan' || el.ignore || el.invisible || !el.style || !el.style.text) return;
			const l = el.getBoundingRect();
			if (l.width <= 0 || l.height <= 0) return;
			const m = el.transform || [1, 0, 0, 1, 0, 0];
			const c = [[l.x, l.y], [l.x + l.width, l.y], [l.x + l.width, l.y + l.height], [l.x, l.y + l.height]].map(
				([x, y]) => [box.left + m[0] * x + m[2] * y + m[4], box.top + m[1] * x + m[3] * y + m[5]]);
			labels.push({text: String(el.style.text), c: c});
			if (c.some(([x, y]) => x < box.left - 1 || x > box.right + 1 || y < box.top - 1 || y > box.bottom + 1))
				out.push(name + ': label "' + el.style.text + '" leaves the chart');
		});
		overlaps(name, labels);
		const model = chart.getModel();
		const legend = model.getComponent('legend'), grid = model.getComponent('grid');
		if (legend && legend.get('show') && grid && grid.coordinateSystem) {
			const g = chart.getViewOfComponentModel(legend).group;
			const lb = g.getBoundingRect().clone();
			if (g.transform) lb.applyTransform(g.transform);
			const gr = grid.coordinateSystem.getRect();
			if (lb.width > 0 && hits(rect(lb.x, lb.y, lb.width, lb.height), rect(gr.x, gr.y, gr.width, gr.height)))
				out.push(name + ': the legend lies on the plot');
		}
		const series = chart.getOption().series || [];
		const values = axis => series.flatMap(s => (s.data || []).map(d => {
			const v = d && typeof d === 'object' && 'value' in d ? d.value : d;
			return Array.isArray(v) ? v[axis === 'xAxis' ? 0 : 1] : v;
		})).filter(v => typeof v === 'number');
		['xAxis', 'yAxis'].forEach(axisName => {
			const m = model.getComponent(axisName);
			if (!m || !m.axis || m.axis.type !== 'value') return;
			const vs = values(series.some(s => s.type === 'scatter') ? axisName : 'value');
			if (vs.length === 0 || !vs.every(Number.isInteger)) return;
			const ticks = m.axis.scale.getTicks().map(t => t.value);
			if (!ticks.every(Number.isInteger)) out.push(name + ': ' + axisName + ' counts in whole numbers but has ticks ' + ticks.join(', '));
		});
	});
	return out;
})()`

// compareShot compares a screenshot with its reviewed reference in
// shotsDir, or writes it there with -update. Two screenshots match when
// they have the same size and at most maxShotDiff of their pixels differ
// by more than shotTolerance in a channel: antialiasing moves a few
// pixels, a moved label or a changed colour moves many.
//
// Screenshots are kept in 256 colours (Plan 9's palette), a third of the
// bytes of the browser's, and compared in them. It returns what differs,
// or "" when they match.
func compareShot(t *testing.T, name string, shot []byte) string {
	t.Helper()
	shot, err := quantize(shot)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	file := filepath.Join(shotsDir, name)
	if *update {
		if err := os.MkdirAll(shotsDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, shot, 0o644); err != nil {
			t.Fatal(err)
		}
		return ""
	}
	want, err := os.ReadFile(file)
	if err != nil {
		return fmt.Sprintf("%s: no reviewed screenshot (%v): run with -args -update, look at it, and commit it", name, err)
	}
	if diff, err := shotDiff(want, shot); err != nil {
		return fmt.Sprintf("%s: %v", name, err)
	} else if diff > maxShotDiff {
		return fmt.Sprintf("%s: %.2f%% of the pixels differ from the reviewed screenshot (at most %.2f%%): look at it with JOBPULSE_SCREENSHOT_DIR, and update it with -args -update if it is right",
			name, 100*diff, 100*maxShotDiff)
	}
	return ""
}

// quantize returns the PNG in Plan 9's 256 colours, compressed the most.
func quantize(b []byte) ([]byte, error) {
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	p := image.NewPaletted(img.Bounds(), palette.Plan9)
	draw.Draw(p, p.Bounds(), img, img.Bounds().Min, draw.Src)
	var out bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, p); err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	return out.Bytes(), nil
}

const (
	maxShotDiff   = 0.005
	shotTolerance = 48 // of 255
)

// shotDiff returns the share of pixels of two PNGs that differ by more
// than shotTolerance in a channel.
func shotDiff(a, b []byte) (float64, error) {
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		return 0, fmt.Errorf("reviewed screenshot: %w", err)
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return 0, fmt.Errorf("screenshot: %w", err)
	}
	// A chart that lies at a fraction of a pixel is a pixel taller or
	// wider in one screenshot than in another: the common part is compared.
	sa, sb := ia.Bounds().Size(), ib.Bounds().Size()
	if abs(sa.X-sb.X) > 2 || abs(sa.Y-sb.Y) > 2 {
		return 1, fmt.Errorf("screenshot is %v, the reviewed one %v", sb, sa)
	}
	differ := 0
	size := image.Pt(min(sa.X, sb.X), min(sa.Y, sb.Y))
	for y := range size.Y {
		for x := range size.X {
			if pixelsDiffer(ia, ib, image.Pt(ia.Bounds().Min.X+x, ia.Bounds().Min.Y+y), image.Pt(ib.Bounds().Min.X+x, ib.Bounds().Min.Y+y)) {
				differ++
			}
		}
	}
	return float64(differ) / float64(size.X*size.Y), nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// pixelsDiffer reports whether pixel pa of a and pb of b differ by more
// than shotTolerance in a channel.
func pixelsDiffer(a, b image.Image, pa, pb image.Point) bool {
	r1, g1, b1, a1 := a.At(pa.X, pa.Y).RGBA()
	r2, g2, b2, a2 := b.At(pb.X, pb.Y).RGBA()
	for _, d := range [][2]uint32{{r1, r2}, {g1, g2}, {b1, b2}, {a1, a2}} {
		x, y := int(d[0]>>8), int(d[1]>>8)
		if x-y > shotTolerance || y-x > shotTolerance {
			return true
		}
	}
	return false
}
