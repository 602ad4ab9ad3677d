package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// plainTextRef is PlainText written with refWriter, the writer PlainText had
// before it wrote runs of words in one piece: slower, and simple enough to
// read. Tests check that PlainText gives the same text.
func plainTextRef(s string) string {
	var w refWriter
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

// refWriter is plainWriter as it was before it wrote runs of words and
// single spaces in one piece: it looks at each rune on its own (copying only
// runs of printable ASCII at once) and always copies into its builder.
type refWriter struct {
	b       strings.Builder
	space   bool // a space is pending
	lines   int  // line breaks pending: 0, 1 or 2 (a blank line)
	bullet  bool // a list item starts: "- " goes before its first character
	pending bool // one of the above is set
}

// lineBreak asks for a line break (breakLine) or a blank line.
func (w *refWriter) lineBreak(kind int) {
	n := 1
	if kind == breakParagraph {
		n = 2
	}
	w.lines = max(w.lines, n)
	w.bullet = false
	w.pending = true
}

// text writes s; with keepLines its line breaks count (plain text input),
// otherwise they are spaces (HTML).
func (w *refWriter) text(s string, keepLines bool) {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			i++
			switch {
			case c > ' ' && c < 0x7f:
				if w.pending {
					w.flush()
				}
				j := i
				for j < len(s) && s[j] > ' ' && s[j] < 0x7f {
					j++
				}
				w.b.WriteString(s[i-1 : j])
				i = j
			case keepLines && c == '\n':
				w.lines = min(w.lines+1, 2)
				w.pending = true
			case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
				w.space, w.pending = true, true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
		case unicode.IsSpace(r):
			w.space, w.pending = true, true
		case unicode.IsControl(r):
		default:
			if w.pending {
				w.flush()
			}
			w.b.WriteRune(r)
		}
	}
}

// flush writes the pending separators before a visible character.
func (w *refWriter) flush() {
	if w.b.Len() > 0 {
		switch {
		case w.lines > 0:
			w.b.WriteString("\n\n"[:w.lines])
		case w.space:
			w.b.WriteByte(' ')
		}
	}
	if w.bullet {
		w.b.WriteString("- ")
	}
	w.space, w.lines, w.bullet, w.pending = false, 0, false, false
}
