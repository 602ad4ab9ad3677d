package content_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/jobpulse/jobpulse/site/browsertest"
)

// TestReportSearch types what readers type into the search box of the
// report built from sample data, in headless Chromium: a country's code or
// its name in another language, a skill's other name, a role as job titles
// say it, a company. The entity named comes first. The aliases come from
// the normalizer's tables through the warehouse (search_names) and the
// pages' search queries.
func TestReportSearch(t *testing.T) {
	out := buildReport(t)
	web := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer web.Close()
	browserCtx := browsertest.Start(t)
	ctx, cancel := chromedp.NewContext(browserCtx)
	defer cancel()
	w := browsertest.WatchTab(ctx)
	ctx, cancelTime := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelTime()
	if _, err := chromedp.Run(ctx, chromedp.Navigate(web.URL+"/skills/")); err != nil {
		t.Fatal(err)
	}
	const first = `(() => {
		const a = document.querySelector('#site-search-results a');
		return a ? a.querySelector('.search-title').textContent + ' @ ' + new URL(a.href).pathname : '';
	})()`
	for _, c := range []struct{ typed, want string }{
		{"usa", "United States @ /locations/united-states/"},
		{"US", "United States @ /locations/united-states/"},
		{"Deutschland", "Germany @ /locations/germany/"},
		{"allemagne", "Germany @ /locations/germany/"},
		{"golang", "Go @ /skills/go/"},
		{"k8s", "Kubernetes @ /skills/kubernetes/"},
		{"frontend developer", "Frontend Engineer @ /roles/frontend-engineer/"},
		{"Frontend-Entwickler", "Frontend Engineer @ /roles/frontend-engineer/"},
		{"acme", "Acme Analytics (sample) @ /companies/"},
	} {
		err := chromedp.Do(ctx, chromedp.Steps(
			chromedp.Evaluate[chromedp.Void](`document.getElementById('site-search-q').value = ''`),
			chromedp.SendKeys("#site-search-q", c.typed),
		))
		if err != nil {
			t.Fatalf("type %q: %v (console: %q)", c.typed, err, w.All())
		}
		pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, err = chromedp.Run(pctx, chromedp.Poll[bool](first+` === `+jsQuote(c.want)))
		cancel()
		if err != nil {
			got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](
				`[...document.querySelectorAll('#site-search-results li')].map(li => li.textContent).join(' | ')`))
			t.Errorf("typed %q: first result is not %q; results: %q", c.typed, c.want, got)
		}
	}
	if p := w.Take(); len(p) > 0 {
		t.Errorf("console or dialogs: %q", p)
	}
}
