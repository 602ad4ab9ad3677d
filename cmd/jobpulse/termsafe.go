package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// termSafe returns s with every character a terminal would act on instead of
// showing written as an escape, so that text from outside (a source's status
// line, a page's key, a posting's title) cannot move the cursor, clear the
// screen, retitle the window or reverse the text around it: C0 controls but
// newline and tab (ESC, BEL, carriage return, ...), DEL, C1 controls (CSI as
// U+009B, ...) and the bidirectional overrides and isolates. A character is
// written \uXXXX, which reads the same inside a JSON string; a byte that is
// not UTF-8 is written \xXX. The structured logs escape such text already
// (log/slog quotes it).
func termSafe(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return r == utf8.RuneError || actsOnTerminal(r) })
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for s = s[i:]; s != ""; {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case actsOnTerminal(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[:size])
		}
		s = s[size:]
	}
	return b.String()
}

// actsOnTerminal reports whether a terminal acts on r rather than showing it
// (see [termSafe]).
func actsOnTerminal(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// termWriter writes through [termSafe]: what a command prints for people and
// for --json. Each Write is escaped on its own; the commands write whole
// lines or documents.
type termWriter struct{ w io.Writer }

func (w termWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(w.w, termSafe(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
