package site

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// hostile are texts a job board could send to break out of the page.
var hostile = []string{
	`</script><script>alert(1)</script>`,
	`"onmouseover=alert(1)`,
	`javascript:alert(1)`,
	`{{.}}`,
	`<img src=x onerror=alert(1)>`,
	`' onclick='alert(1)`,
	`<!-- x`,
}

// hostilePostings gives every hostile text a posting as title and as
// location, each once, so all appear among the top titles and some among
// the top locations.
func hostilePostings() []testPosting {
	var ps []testPosting
	for i, h := range hostile {
		ps = append(ps, testPosting{Title: h, Location: hostile[len(hostile)-1-i]})
	}
	return ps
}

// TestBuildHostile builds the default site over postings with hostile titles
// and locations, and checks in the parsed output that they stay text: in
// tables, in chart JSON, and nowhere as markup, script or link.
func TestBuildHostile(t *testing.T) {
	pool := pgtest.New(t)
	seedRun(t, pool, false, hostilePostings())
	cfg := testConfig(t)
	if _, err := Build(context.Background(), pool, cfg, nil); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(cfg.Out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}

	var (
		cells       []string // text of every table cell
		jsonStrings []string // every string in the chart options
		scripts     []string // src of every script with one
		jsonBlocks  int
	)
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("<%s> has event handler attribute %s=%q", n.Data, a.Key, a.Val)
			}
			if (a.Key == "href" || a.Key == "src") && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
				t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
			}
		}
		switch n.Data {
		case "img", "iframe", "object", "embed":
			t.Errorf("unexpected <%s> element: hostile markup got through", n.Data)
		case "td":
			cells = append(cells, nodeText(n))
		case "script":
			typ, src := attr(n, "type"), attr(n, "src")
			switch {
			case src != "" && typ == "" && nodeText(n) == "":
				scripts = append(scripts, src)
			case typ == "application/json" && src == "":
				if attr(n, "class") == "chart-data" {
					jsonBlocks++
				}
				body := nodeText(n)
				if strings.ContainsAny(body, "<>&") {
					t.Errorf("JSON data holds unescaped <, > or &: %s", body)
				}
				var opt any
				if err := json.Unmarshal([]byte(body), &opt); err != nil {
					t.Fatalf("JSON data %s: %v", attr(n, "id"), err)
				}
				jsonStrings = append(jsonStrings, allStrings(opt)...)
			default:
				t.Errorf("unexpected script element: type=%q src=%q text=%q", typ, src, nodeText(n))
			}
		}
	}
	if jsonBlocks != 2 {
		t.Errorf("%d chart JSON blocks, want 2", jsonBlocks)
	}
	for _, s := range scripts {
		if !strings.HasPrefix(s, "assets/") {
			t.Errorf("script from %q, want the site's own assets/", s)
		}
	}
	for _, h := range hostile {
		if !slices.Contains(cells, h) {
			t.Errorf("%q is not a table cell's text", h)
		}
		if !slices.Contains(jsonStrings, h) {
			t.Errorf("%q is not a string of the chart JSON", h)
		}
	}
}

// attr returns the value of an attribute of n, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// nodeText returns the text inside n.
func nodeText(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

// allStrings returns every string in a decoded JSON value.
func allStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, allStrings(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range x {
			out = append(out, allStrings(e)...)
		}
		return out
	}
	return nil
}
