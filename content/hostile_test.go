package content_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/net/html"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/site"
	"github.com/jobpulse/jobpulse/site/browsertest"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// The hostile corpus (testdata/hostile, see its README.md) is two nights
// of a Remotive-shaped and a Remote OK-shaped API whose titles, companies,
// descriptions, tags, locations, salaries, ids and URLs carry script tags,
// event handlers, javascript:, data: and vbscript: links, broken and
// overlong UTF-8, bidi controls, SQL quotes, Go template and ECharts
// formatter syntax, strings that end a script element or a comment, very
// long words and, put in by hostileServer for the markers below, strings of
// 1 MiB. Every payload that could run sets window.__pwned or calls alert.
var hostileMarkers = map[string]string{
	"@@1MB-WORD@@":   strings.Repeat("Megabyte", 1<<20/8),
	"@@1MB-MARKUP@@": strings.Repeat("<img/src=x/onerror=window.__pwned=1>", 1<<20/36+1),
}

// hostileShown are texts of the corpus as the report must show them, as
// text, on a page: the path of the page, and the whole text of a heading
// or table cell there.
var hostileShown = []struct{ page, text string }{
	{"changes/index.html", `<script>window.__pwned=1;alert('title')</script> Senior Backend Engineer`},
	{"changes/index.html", `<script>window.__pwned=1;alert('gone')</script> Backend Engineer, gone`},
	{"roles/backend-engineer/index.html", "Backend Engineer </script><script>window.__pwned=1</script><!-- ]]> \u2028\u2029 end"},
	{"roles/backend-engineer/index.html", `{{.}} {{template "base.html" .}} Backend Engineer {{define "x"}}{{end}}`},
	{"roles/backend-engineer/index.html", `[click](javascript:window.__pwned=1) **Backend Engineer** &lt;script&gt;window.__pwned=1&lt;/script&gt; &amp;amp; <b>bold</b> # h1`},
	{"roles/data-engineer/index.html", `"><svg onload=window.__pwned=1> Data Engineer '; DROP TABLE postings; --`},
	{"companies/index.html", `Robert'); DROP TABLE postings;-- " onmouseover="window.__pwned=1" x="`},
	{"companies/index.html", `{a|rich}{b} ${overview.open} :::if totals.new > 0 function(params){return window.__pwned=1}`},
	{"sources/index.html", `job <img src=x onerror="window.__pwned=1;alert('remoteok id')"> has no position (title)`},
}

// TestHostileContent ingests the hostile corpus, served on 127.0.0.1 as the
// sources, over two nights, builds the embedded report (every page must
// build), and opens every page of the site in headless Chromium at a phone's
// and a desktop's width, scrolled to the end so that every chart is drawn.
// On every page: no dialog opens, window.__pwned stays undefined, nothing is
// written to the console, no link leads anywhere but http(s), no element has
// an event handler attribute or is one the payloads make (img, iframe, ...),
// the page is no wider than the screen and no table cell either (long words
// wrap). The phone sees the site as served, under its Content-Security-
// Policy; the desktop bypasses it, so that the escaping alone is tested.
// Texts of the corpus must be shown as they are, as text (hostileShown).
func TestHostileContent(t *testing.T) {
	echarts := installedECharts(t)
	browsertest.Path(t) // fail before the ingest when there is no Chromium
	pool := pgtest.New(t)
	ctx := context.Background()

	start := time.Now()
	srv := hostileServer(t, filepath.Join("testdata", "hostile"))
	lake, err := ingest.NewFolderLake(filepath.Join(t.TempDir(), "lake"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for i, night := range []struct {
		files string
		want  map[string][2]int // postings read and records rejected, per source
	}{
		{"-first", map[string][2]int{"remotive": {2, 0}, "remoteok": {0, 0}}},
		{"", map[string][2]int{"remotive": {13, 2}, "remoteok": {3, 2}}},
	} {
		srv.night.Store(&night.files)
		got, err := hostileNight(ctx, pool, lake, srv.Server, now.Add(time.Duration(i-1)*24*time.Hour))
		if err != nil {
			t.Fatalf("night %d: %v", i+1, err)
		}
		if diff := cmp.Diff(night.want, got); diff != "" {
			t.Errorf("night %d: postings and rejects per source (-want +got):\n%s", i+1, diff)
		}
	}
	loaded := time.Since(start)

	cfg := site.DefaultBuildConfig()
	cfg.Out = filepath.Join(t.TempDir(), "public")
	cfg.ECharts = echarts
	res, err := site.Build(ctx, pool, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	pages := builtPages(t, cfg.Out)
	t.Logf("hostile corpus: 2 nights ingested in %s; %d pages (%d files, %d bytes) built in %s; heaviest %v",
		loaded.Round(time.Millisecond), res.Pages, res.Files, res.Bytes, res.Duration.Round(time.Millisecond), res.Heaviest)
	checkSearchIndex(t, cfg.Out)
	checkDataFiles(t, cfg.Out)
	checkFeed(t, cfg.Out, hostileShown[0].text, hostileShown[1].text)

	web := httptest.NewServer(http.FileServer(http.Dir(cfg.Out)))
	defer web.Close()
	browserCtx := browsertest.Start(t)
	for _, vp := range []viewport{
		{name: "phone", width: 390, height: 844, scale: 2, mobile: true},
		{name: "desktop", width: 1280, height: 900, scale: 1, bypassCSP: true},
	} {
		t.Run(vp.name, func(t *testing.T) {
			start := time.Now()
			tab := openTab(t, browserCtx, vp)
			shown := map[string][]string{}
			for _, s := range hostileShown {
				shown[s.page] = append(shown[s.page], s.text)
			}
			for _, p := range pages {
				tab.check(t, web.URL, p, vp.width, shown[p])
			}
			tab.checkSearchBox(t, web.URL)
			t.Logf("%d pages at %dx%d in %s", len(pages), vp.width, vp.height, time.Since(start).Round(time.Millisecond))
		})
	}
}

// hostileSource serves the corpus as Remotive's and Remote OK's APIs.
type hostileSource struct {
	*httptest.Server
	night atomic.Pointer[string] // the suffix of the files of the night: "-first" or ""
}

// hostileServer serves dir's remotive<night>.json at /remotive/api/remote-jobs
// and remoteok<night>.json at /remoteok/api, with the markers of
// [hostileMarkers] replaced.
func hostileServer(t *testing.T, dir string) *hostileSource {
	t.Helper()
	s := &hostileSource{}
	serve := func(name string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			body, err := os.ReadFile(filepath.Join(dir, name+*s.night.Load()+".json"))
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			for marker, text := range hostileMarkers {
				body = bytes.ReplaceAll(body, []byte(marker), []byte(text))
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write(body) //nolint:errcheck // the client sees a short body
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /remotive/api/remote-jobs", serve("remotive"))
	mux.HandleFunc("GET /remoteok/api", serve("remoteok"))
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// hostileNight runs one ingest of both sources served by srv into lake and pool,
// started at started, as `jobpulse ingest` does, and returns the postings
// read and the records rejected per source.
func hostileNight(ctx context.Context, pool *pgxpool.Pool, lake ingest.Lake, srv *httptest.Server, started time.Time) (map[string][2]int, error) {
	logger := slog.New(slog.DiscardHandler)
	fetcher := ingest.NewFetcher(ingest.DefaultFetchConfig(), srv.Client(), logger)
	sources := []ingest.Source{
		ingest.NewRemotive(ingest.RemotiveConfig{Enabled: true, URL: srv.URL + "/remotive"}, fetcher),
		ingest.NewRemoteOK(ingest.RemoteOKConfig{Enabled: true, URL: srv.URL + "/remoteok"}, fetcher),
	}
	run := warehouse.Run{ID: warehouse.NewRunID(started), StartedAt: started}
	bySource := map[string]ingest.Source{}
	for i, r := range ingest.Fetch(ctx, lake, sources, run.ID, started, nil, logger) {
		if r.Err != nil {
			return nil, fmt.Errorf("fetch %s: %w", r.Source, r.Err)
		}
		bySource[r.Source] = sources[i]
		run.Sources = append(run.Sources, warehouse.SourceRun{Source: r.Source, Status: warehouse.SourceOK, Pages: len(r.Keys), LakeKeys: r.Keys})
	}
	run.FinishedAt = started.Add(time.Minute)
	run, _, err := warehouse.LoadStream(ctx, pool, ingest.ReadRun(lake, bySource, run, nil))
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	if run.Status != warehouse.RunOK {
		return nil, fmt.Errorf("load: run status %s", run.Status)
	}
	counts := map[string][2]int{}
	for _, s := range run.Sources {
		if s.Status != warehouse.SourceOK {
			return nil, fmt.Errorf("load: source %s: status %s (%s)", s.Source, s.Status, s.Error)
		}
		counts[s.Source] = [2]int{s.Postings, s.Rejected}
	}
	return counts, nil
}

// builtPages lists the HTML pages of the built site, by path from its root.
func builtPages(t *testing.T, out string) []string {
	t.Helper()
	var pages []string
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".html") {
			rel, _ := filepath.Rel(out, p)
			pages = append(pages, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range hostileShown {
		if !slices.Contains(pages, s.page) {
			t.Errorf("no page %s (pages: %s)", s.page, strings.Join(pages, " "))
		}
	}
	return pages
}

// checkSearchIndex checks that the site's search index is JSON, that it
// holds the page of the skill Go (the tag "golang" of the corpus) with its
// aliases from the warehouse (search_names), no page titled by a hostile
// tag (only the skills table makes skills, so a tag it does not know has no
// page), and no name longer than the index keeps: the company of 1 MiB of
// markup is cut.
func checkSearchIndex(t *testing.T, out string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "search.json"))
	if err != nil {
		t.Fatal(err)
	}
	var index struct {
		Pages []struct {
			Title   string   `json:"title"`
			URL     string   `json:"url"`
			Aliases []string `json:"aliases"`
		} `json:"pages"`
	}
	if err := json.Unmarshal(b, &index); err != nil {
		t.Fatalf("search.json: %v", err)
	}
	if len(b) > 1<<20 {
		t.Errorf("search.json is %d bytes: a hostile name went in whole", len(b))
	}
	found := false
	for _, e := range index.Pages {
		switch {
		case !strings.HasPrefix(e.URL, "skills/"):
		case e.Title == "Go":
			found = true
			if !slices.Contains(e.Aliases, "golang") {
				t.Errorf("search.json: Go has aliases %q, want golang among them", e.Aliases)
			}
		case strings.Contains(e.Title, "<script>alert('tag')</script>"), strings.Contains(e.Title, "\u202e"),
			strings.Contains(e.Title, "日本語"):
			t.Errorf("search.json has a page for a tag no skill names: %q at %s", e.Title, e.URL)
		}
		if len(e.Title) > 210 {
			t.Errorf("search.json has a name of %d bytes at %s", len(e.Title), e.URL)
		}
	}
	if !found {
		t.Errorf("search.json has no page titled Go")
	}
}

// checkSearchBox types words of hostile company names into the search box
// of the home page: each result is the name as text, and nothing runs.
func (tb *tab) checkSearchBox(t *testing.T, base string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Navigate(base+"/")); err != nil {
		t.Fatalf("search box: %v", err)
	}
	for _, c := range []struct{ typed, want string }{
		{"script pwned", "<script>window.__pwned=1</script>"},
		{"drop table", "Robert'); DROP TABLE postings;--"},
		{"img onerror", `<img src=x onerror="window.__pwned=1;alert('company')">`},
	} {
		err := chromedp.Do(ctx, chromedp.Steps(
			chromedp.Evaluate[chromedp.Void](`document.getElementById('site-search-q').value = ''`),
			chromedp.SendKeys("#site-search-q", c.typed),
			chromedp.Poll[chromedp.Void](`[...document.querySelectorAll('#site-search-results .search-title')]
				.some(e => e.textContent.includes(`+jsQuote(c.want)+`))`),
		))
		if err != nil {
			got, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](
				`document.getElementById('site-search-results').textContent.slice(0, 500)`))
			t.Errorf("search box: typed %q, want a result showing %q: %v (shown: %q)", c.typed, c.want, err, got)
		}
	}
	st, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[
		document.querySelectorAll('#site-search-results *:not(li):not(a):not(span)').length,
		window.__pwned === undefined ? 0 : 1]`))
	if err != nil || len(st) != 2 || st[0] != 0 || st[1] != 0 {
		t.Errorf("search box: elements of a payload in the results, or a payload ran: %v (%v)", st, err)
	}
	if p := tb.Take(); len(p) > 0 {
		t.Errorf("search box: console or dialogs:\n%s", strings.Join(p, "\n"))
	}
}

// jsQuote returns s as a JavaScript string literal.
func jsQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// checkDataFiles checks every data file of the site: each CSV file parses
// (RFC 4180) with a header and records of its length, and no field a
// spreadsheet would run as a formula (one starting with =, +, -, @, a tab
// or a carriage return that is not a number); each JSON file is an array
// of objects.
func checkDataFiles(t *testing.T, out string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch {
		case strings.HasSuffix(p, ".csv"):
			files++
			recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
			if err != nil || len(recs) == 0 {
				t.Errorf("%s: %v (%d records)", rel, err, len(recs))
			}
			for i, rec := range recs {
				for _, f := range rec {
					if _, num := strconv.ParseFloat(f, 64); f != "" && strings.ContainsRune("=+-@\t\r", rune(f[0])) && num != nil {
						t.Errorf("%s: record %d has a formula: %q", rel, i+1, f)
					}
				}
			}
		case strings.HasSuffix(p, ".json") && rel != "search.json" && rel != filepath.Join("data", "index.json"):
			var rows []map[string]any
			if err := json.Unmarshal(b, &rows); err != nil {
				t.Errorf("%s: %v", rel, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Errorf("no CSV file in the site")
	}
}

// checkFeed checks that the site's feed is well-formed XML whose entries'
// HTML holds no element nor attribute the payloads make, and that it shows
// each of titles as text.
func checkFeed(t *testing.T, out string, titles ...string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "changes.atom"))
	if err != nil {
		t.Fatal(err)
	}
	var feed struct {
		Entries []struct {
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	if err := dec.Decode(&feed); err != nil {
		t.Fatalf("changes.atom: %v", err)
	}
	if len(feed.Entries) == 0 {
		t.Fatalf("changes.atom has no entry")
	}
	var text strings.Builder
	for _, e := range feed.Entries {
		doc, err := html.Parse(strings.NewReader(e.Content))
		if err != nil {
			t.Fatal(err)
		}
		for n := range doc.Descendants() {
			switch n.Type {
			case html.TextNode:
				text.WriteString(n.Data)
			case html.ElementNode:
				switch n.Data {
				case "script", "img", "svg", "iframe", "object", "embed", "style":
					t.Errorf("changes.atom: an entry holds <%s>", n.Data)
				}
				for _, a := range n.Attr {
					if strings.HasPrefix(a.Key, "on") || (a.Key == "href" && !safeHref(a.Val)) {
						t.Errorf("changes.atom: <%s %s=%q>", n.Data, a.Key, a.Val)
					}
				}
			}
		}
	}
	for _, s := range titles {
		if !strings.Contains(text.String(), s) {
			t.Errorf("changes.atom does not show %q as text", s)
		}
	}
}

// safeHref reports whether a link of the feed leads to an http(s) URL or
// is relative (to a page of the site).
func safeHref(href string) bool {
	u, err := url.Parse(href)
	return err == nil && (u.Scheme == "" && !strings.HasPrefix(href, "//") || u.Scheme == "http" || u.Scheme == "https")
}

// viewport is a screen the pages are opened on.
type viewport struct {
	name          string
	width, height int64
	scale         float64
	mobile        bool
	bypassCSP     bool // ignore the pages' Content-Security-Policy
}

// tab is a browser tab that records what pages write to the console and
// the dialogs they open (which it dismisses).
type tab struct {
	ctx context.Context
	*browsertest.Watch
}

// openTab opens a tab of browserCtx set to the viewport vp.
func openTab(t *testing.T, browserCtx context.Context, vp viewport) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	tb := &tab{ctx: ctx, Watch: browsertest.WatchTab(ctx)}
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: vp.width, Height: vp.height, DeviceScaleFactor: vp.scale, Mobile: vp.mobile}); err != nil {
		t.Fatalf("viewport %s: %v", vp.name, err)
	}
	if _, err := chromedp.Call(ctx, cdppage.BringToFront, cdp.Empty{}); err != nil {
		t.Fatalf("bring the tab to the front: %v", err)
	}
	if vp.bypassCSP {
		if _, err := chromedp.Call(ctx, cdppage.SetBypassCSP, cdppage.SetBypassCSPParams{Enabled: true}); err != nil {
			t.Fatalf("bypass CSP: %v", err)
		}
	}
	return tb
}

// scrollThrough scrolls the page down half a screen at a time, two frames
// apart so that the page sees each position (its charts are drawn when they
// come near the screen), until the end of the page is on screen.
const scrollThrough = `(async () => {
	const frames = () => new Promise(r => {
		requestAnimationFrame(() => requestAnimationFrame(r));
		setTimeout(r, 500); // a page that draws no frames is not waited for
	});
	await frames();
	while (window.scrollY + window.innerHeight < document.documentElement.scrollHeight - 2) {
		const y = window.scrollY;
		window.scrollBy(0, window.innerHeight / 2);
		await frames();
		if (window.scrollY === y) {
			break;
		}
	}
	return true;
})()`

// chartsDrawn is true once ECharts has drawn every chart of the page on a
// canvas of non-zero size.
const chartsDrawn = `[...document.querySelectorAll('div.chart[data-chart]')].every(d =>
	d.hasAttribute('_echarts_instance_') && [...d.querySelectorAll('canvas')].some(c => {
		const r = c.getBoundingClientRect();
		return r.width > 0 && r.height > 0;
	}))`

// chartState says where the page is scrolled to and which charts are drawn.
const chartState = `'scrolled to ' + window.scrollY + ' + ' + window.innerHeight + ' of ' +
	document.documentElement.scrollHeight + '; ECharts ' + typeof window.echarts + '; charts: ' +
	[...document.querySelectorAll('div.chart[data-chart]')].map(d => d.getAttribute('data-chart') + ' ' +
		(d.hasAttribute('_echarts_instance_') ? 'drawn' : 'not drawn') + ' at ' +
		Math.round(d.getBoundingClientRect().top + window.scrollY) + ', ' +
		[...d.querySelectorAll('canvas')].map(c => c.width + 'x' + c.height).join(' ')).join('; ')`

// pageState is what a page looks like once drawn; pageStateJS computes it.
type pageState struct {
	Pwned      bool     `json:"pwned"`
	Overflow   []int    `json:"overflow"`   // the page's width and the screen's, when the page is wider
	BadLinks   []string `json:"badLinks"`   // <a> that lead to anything but http(s), or that html/template defused
	Handlers   []string `json:"handlers"`   // elements with an on* attribute
	Foreign    []string `json:"foreign"`    // elements that payloads make and the site never does
	WideCells  []string `json:"wideCells"`  // cells and headings wider than the screen
	Reversed   []string `json:"reversed"`   // paragraphs whose text an unclosed bidi control reverses
	NotVisible []string `json:"notVisible"` // texts of hostileShown not shown as a cell or heading
}

const pageStateJS = `((want, width) => {
	const s = {pwned: typeof window.__pwned !== 'undefined', overflow: [], badLinks: [], handlers: [], foreign: [],
		wideCells: [], reversed: [], notVisible: []};
	const short = (x) => String(x).slice(0, 120);
	const wide = Math.max(document.documentElement.scrollWidth, window.innerWidth);
	if (wide > width + 1) {
		s.overflow = [wide, width];
	}
	for (const a of document.querySelectorAll('a')) {
		// ZgotmplZ is what html/template writes for a URL it finds unsafe:
		// the build should never give it one.
		if (!a.hasAttribute('href') || (a.protocol !== 'http:' && a.protocol !== 'https:') ||
				a.getAttribute('href').includes('ZgotmplZ')) {
			s.badLinks.push(short(a.getAttribute('href')));
		}
	}
	for (const e of document.querySelectorAll('*')) {
		for (const at of e.attributes) {
			if (at.name.toLowerCase().startsWith('on')) {
				s.handlers.push(short(e.tagName + ' ' + at.name + '=' + at.value));
			}
		}
	}
	for (const e of document.querySelectorAll('img, iframe, frame, object, embed, base, textarea, style, b, ' +
			'meta[http-equiv="refresh"], svg:not(.bar-track):not(.column-track):not(.line-plot), script:not([src]):not([type="application/json"])')) {
		if (!e.closest('div.chart')) { // ECharts' own
			s.foreign.push(short(e.outerHTML));
		}
	}
	for (const e of document.querySelectorAll('script[src]')) {
		if (new URL(e.src).origin !== location.origin) {
			s.foreign.push(short(e.outerHTML));
		}
	}
	for (const e of document.querySelectorAll('td, th, h1, h2, figcaption, li, p')) {
		if (e.getBoundingClientRect().width > width) {
			s.wideCells.push(short(e.tagName + ': ' + e.textContent));
		}
	}
	// A right-to-left override from outside must not reverse the site's
	// text after it: a text node that opens a bidi embedding, override or
	// isolate and does not close it must be the last visible text of its
	// paragraph (its block, or an element that isolates it, such as <bdi>).
	const open = (t) => {
		let depth = 0;
		for (const c of t) {
			if ('\u202a\u202b\u202d\u202e\u2066\u2067\u2068'.includes(c)) {
				depth++;
			} else if ((c === '\u202c' || c === '\u2069') && depth > 0) {
				depth--;
			}
		}
		return depth > 0;
	};
	const boundary = (e) => {
		for (; e.parentElement; e = e.parentElement) {
			const st = getComputedStyle(e);
			if (!st.display.startsWith('inline') || st.unicodeBidi.includes('isolate') || st.unicodeBidi === 'plaintext') {
				return e;
			}
		}
		return e;
	};
	const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = texts.nextNode(); n; n = texts.nextNode()) {
		if (!open(n.nodeValue) || n.parentElement.closest('script')) {
			continue;
		}
		const block = boundary(n.parentElement);
		const after = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
		after.currentNode = n;
		for (let m = after.nextNode(); m; m = after.nextNode()) {
			if (m.nodeValue.trim() !== '' && !m.parentElement.closest('.visually-hidden, script') &&
					m.parentElement.getClientRects().length > 0) {
				s.reversed.push(short(block.textContent));
				break;
			}
		}
	}
	const shown = [...document.querySelectorAll('td, h1')].filter(e => e.getClientRects().length > 0)
		.map(e => e.textContent);
	for (const w of want) {
		if (!shown.includes(w)) {
			s.notVisible.push(w);
		}
	}
	return s;
})`

// check opens the page at path of the site at base, scrolls it to its end
// until every chart is drawn, and checks it (see [TestHostileContent]);
// want are texts of the corpus the page must show as a cell or a heading.
func (tb *tab) check(t *testing.T, base, path string, width int64, want []string) {
	t.Helper()
	step := func(what string, a chromedp.Action[chromedp.Void]) bool {
		t.Helper()
		ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(ctx, a); err != nil {
			t.Errorf("%s: %s: %v (console: %q)", path, what, err, tb.Take())
			return false
		}
		return true
	}
	if !step("load", chromedp.Navigate(base+"/"+strings.TrimSuffix(path, "index.html"))) ||
		!step("scroll", chromedp.Evaluate[chromedp.Void](scrollThrough, chromedp.EvalAwaitPromise)) {
		return
	}
	if !step("draw the charts", chromedp.Poll[chromedp.Void](chartsDrawn)) {
		state, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](chartState))
		t.Errorf("%s: %s", path, state)
	}
	wantJS, _ := json.Marshal(append([]string{}, want...))
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	st, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](fmt.Sprintf("%s(%s, %d)", pageStateJS, wantJS, width)))
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	if st.Pwned {
		t.Errorf("%s: window.__pwned is set: a payload ran", path)
	}
	if len(st.Overflow) > 0 {
		t.Errorf("%s: the page is %d pixels wide on a screen of %d", path, st.Overflow[0], st.Overflow[1])
	}
	for _, l := range []struct {
		what string
		list []string
	}{
		{"links that lead elsewhere than http(s)", st.BadLinks},
		{"event handler attributes", st.Handlers},
		{"elements of a payload", st.Foreign},
		{"wider than the screen", st.WideCells},
		{"text reversed by a bidi control", st.Reversed},
	} {
		if len(l.list) > 0 {
			t.Errorf("%s: %s: %q", path, l.what, l.list)
		}
	}
	for _, w := range st.NotVisible {
		t.Errorf("%s: %.200q is not shown as text", path, w)
	}
	if p := tb.Take(); len(p) > 0 {
		t.Errorf("%s: console or dialogs:\n%s", path, strings.Join(p, "\n"))
	}
}
