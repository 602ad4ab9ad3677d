package normalize

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestPlainText(t *testing.T) {
	tests := []struct {
		name, html, want string
	}{
		{"paragraphs", "<p>One</p><p>Two</p>", "One\n\nTwo"},
		{"inline tags and entities", "<p>Hello&nbsp;<b>world</b> &amp; co &lt;3 &#x1F600; &eacute;t&eacute;</p>", "Hello world & co <3 😀 été"},
		{"line breaks", "a<br>b<br/>c<div>d</div>e", "a\nb\nc\nd\ne"},
		{"lists", "<h2>Perks</h2><ul><li>One</li><li>Two<li><b>Three</b></ul><p>End</p>", "Perks\n\n- One\n- Two\n- Three\n\nEnd"},
		{"empty list item has no bullet", "<ul><li></li><li>x</li></ul>", "- x"},
		{"whitespace collapsed", "  <p>  a \n\t b  </p>\n\n\n<p> c </p>  ", "a b\n\nc"},
		{"scripts and styles dropped", "<style>p{color:red}</style><p>a<script>alert('<p>x</p>')</script>b</p><noscript><p>js</p></noscript>", "ab"},
		{"svg dropped", "x<svg><text>drawn</text></svg>y", "xy"},
		{"table cells apart", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"},
		{"comments dropped", "a<!-- hidden -->b", "ab"},
		{"head title dropped", "<html><head><title>T</title><meta charset=utf-8></head><body><h1>H</h1>x</body></html>", "H\n\nx"},
		{"broken html", "<p>a <b>b <i>c</p>d</b", "a b c\n\nd"},
		{"unclosed tag at the end", "text <a href=\"x", "text"},
		{"plain text keeps its lines", "line one\n\n\n\nline   two\r\nthree", "line one\n\nline two\nthree"},
		{"control characters and invalid utf-8", "<p>a\x01b\xffc</p>", "abc"},
		{"empty", "", ""},
		{"only tags", "<div><p></p></div>", ""},
		{"text before the first tag", "Launch Your Career<p>Fisher is hiring</p>", "Launch Your Career\n\nFisher is hiring"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, PlainText(tt.html)); diff != "" {
				t.Errorf("PlainText(%q) (-want +got):\n%s", tt.html, diff)
			}
			if diff := cmp.Diff(tt.want, plainTextRef(tt.html)); diff != "" {
				t.Errorf("plainTextRef(%q) (-want +got):\n%s", tt.html, diff)
			}
		})
	}
}

func TestPlainTextHostile(t *testing.T) {
	tests := []struct {
		name, html, want string
	}{
		{"deep nesting", strings.Repeat("<div>", 100000) + "x" + strings.Repeat("</div>", 100000), "x"},
		{"unclosed script swallows the rest", "a<script>b", "a"},
		{"many entities", strings.Repeat("&amp;", 10000), strings.Repeat("&", 10000)},
		{"huge attribute", "<p title=\"" + strings.Repeat("x", 1<<20) + "\">ok</p>", "ok"},
		{"unclosed svg", "a<svg>" + strings.Repeat("<g>", 1000) + "b", "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, PlainText(tt.html)); diff != "" {
				t.Errorf("PlainText (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPlainTextReal converts every captured real description: no tag, no
// entity and no script may be left, the text must stay, and it must be what
// the simple writer gives (plainTextRef).
func TestPlainTextReal(t *testing.T) {
	n := 0
	for _, p := range realPostings(t) {
		if p.Description == "" {
			continue
		}
		n++
		got := PlainText(p.Description)
		checkPlainText(t, p.Description, got)
		if diff := cmp.Diff(plainTextRef(p.Description), got); diff != "" {
			t.Errorf("PlainText of %q differs from plainTextRef's (-ref +got):\n%s", p.Title, diff)
		}
		for _, bad := range []string{"<p>", "<li>", "</", "&amp;", "&nbsp;", "<script", "stylesheet"} {
			if strings.Contains(got, bad) {
				t.Errorf("PlainText of %q has %q", p.Title, bad)
			}
		}
		if len(got) < 20 {
			t.Errorf("PlainText of %q is only %q", p.Title, got)
		}
	}
	if n < 200 {
		t.Errorf("only %d real descriptions", n)
	}
}

// checkPlainText checks the invariants of PlainText's output.
func checkPlainText(t *testing.T, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("PlainText(%q) is not valid UTF-8: %q", in, out)
	}
	if len(out) > 2*len(in) {
		t.Errorf("PlainText(%q): %d bytes out of %d", in, len(out), len(in))
	}
	if strings.TrimSpace(out) != out {
		t.Errorf("PlainText(%q) = %q has leading or trailing space", in, out)
	}
	if strings.Contains(out, "\n\n\n") || strings.Contains(out, "  ") {
		t.Errorf("PlainText(%q) = %q has runs of spaces or blank lines", in, out)
	}
}

// TestWordChunk checks wordChunk against the same test done byte by byte on
// every chunk of eight bytes drawn from the edges of its byte classes.
func TestWordChunk(t *testing.T) {
	alphabet := []byte{0x00, 0x1f, ' ', '!', '~', 0x7f, 0xa0}
	var idx [8]int
	for {
		var x uint64
		want := true
		for i, k := range idx {
			c := alphabet[k]
			x |= uint64(c) << (8 * i)
			if c < ' ' || c >= 0x7f || c == ' ' && (i == 7 || i > 0 && alphabet[idx[i-1]] == ' ') {
				want = false
			}
		}
		if got := wordChunk(x); got != want {
			t.Fatalf("wordChunk(%#016x) = %v, want %v", x, got, want)
		}
		i := 0
		for i < len(idx) && idx[i] == len(alphabet)-1 {
			idx[i] = 0
			i++
		}
		if i == len(idx) {
			return
		}
		idx[i]++
	}
}
