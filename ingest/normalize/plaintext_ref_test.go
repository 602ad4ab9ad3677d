package normalize

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// plainTextRef is PlainText written over the golang.org/x/net/html
// tokenizer: slower, but with the tokenizer's reading of HTML. Tests check
// that PlainText gives the same text on real descriptions.
func plainTextRef(s string) string {
	var w plainWriter
	w.b.Grow(len(s))
	if !strings.ContainsAny(s, "<&") {
		w.text(s, true)
		return w.b.String()
	}
	z := html.NewTokenizer(strings.NewReader(s))
	drop := 0 // depth inside dropped elements
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return w.b.String()
		case html.TextToken:
			if drop == 0 {
				w.text(string(z.Text()), false)
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			b := htmlBreaks[a]
			switch {
			case b == dropContent:
				if tt == html.StartTagToken {
					drop++
				} else if tt == html.EndTagToken && drop > 0 {
					drop--
				}
			case drop > 0:
			case b == breakSpace:
				w.space, w.pending = true, true
			case b == breakLine || b == breakParagraph:
				w.lineBreak(b)
				if tt == html.StartTagToken && a == atom.Li {
					w.bullet = true
				}
			}
		}
	}
}
