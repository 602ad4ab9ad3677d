package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// plainWriter collects plain text, holding separators back until the next
// visible character so that none leads, trails or repeats.
//
// As long as the text written is one piece (a single write), it is only
// remembered, not copied: a plain-text description comes out of PlainText as
// a substring of its input, and one that is a single HTML paragraph as the
// string of its one text token, with no further copy.
type plainWriter struct {
	b       strings.Builder
	first   string // the only piece written so far, while b is empty
	size    int    // capacity b is given when it starts: the input's length
	space   bool   // a space is pending
	lines   int    // line breaks pending: 0, 1 or 2 (a blank line)
	bullet  bool   // a list item starts: "- " goes before its first character
	pending bool   // one of the above is set
}

// write appends a non-empty piece of text.
func (w *plainWriter) write(s string) {
	if w.b.Len() == 0 {
		if w.first == "" {
			w.first = s
			return
		}
		w.b.Grow(max(w.size, len(w.first)+len(s)))
		w.b.WriteString(w.first)
		w.first = ""
	}
	w.b.WriteString(s)
}

// String returns the text written.
func (w *plainWriter) String() string {
	if w.b.Len() == 0 {
		return w.first
	}
	return w.b.String()
}

// lineBreak asks for a line break (breakLine) or a blank line.
func (w *plainWriter) lineBreak(kind int) {
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
//
// Visible characters come in runs, words with single spaces between them,
// that need no separator work: a run is written in one piece. Everything
// else (runs of spaces, line breaks, control characters, invalid UTF-8) is
// read rune by rune.
func (w *plainWriter) text(s string, keepLines bool) {
	for i := 0; i < len(s); {
		c := s[i]
		if c > ' ' && c < 0x7f {
			if w.pending {
				w.flush()
			}
			j := visibleRun(s, i+1)
			w.write(s[i:j])
			i = j
			continue
		}
		if c < utf8.RuneSelf {
			i++
			switch {
			case keepLines && c == '\n':
				w.lines = min(w.lines+1, 2)
				w.pending = true
			case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
				w.space, w.pending = true, true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			i += size
		case unicode.IsSpace(r): // before IsControl: U+0085 is both
			i += size
			w.space, w.pending = true, true
		case unicode.IsControl(r):
			i += size
		default:
			if w.pending {
				w.flush()
			}
			j := visibleRun(s, i+size)
			w.write(s[i:j])
			i = j
		}
	}
}

// visibleRun returns where the run of visible characters that goes on at
// s[j] ends; s[j-1] is a visible character other than a space. The run holds
// printable ASCII, valid UTF-8 that is neither a space nor a control
// character, and single ASCII spaces followed by printable ASCII: written as
// they are, these are what text would write one at a time. Eight bytes of
// words and single spaces are taken at once when they can.
func visibleRun(s string, j int) int {
	for j < len(s) {
		if j+8 <= len(s) && wordChunk(load64(s, j)) {
			j += 8
			continue
		}
		c := s[j]
		switch {
		case c > ' ' && c < 0x7f:
			j++
		case c == ' ':
			if j+1 >= len(s) || s[j+1] <= ' ' || s[j+1] >= 0x7f {
				return j
			}
			j += 2
		case c < utf8.RuneSelf:
			return j
		default:
			r, size := utf8.DecodeRuneInString(s[j:])
			if r == utf8.RuneError && size <= 1 || unicode.IsSpace(r) || unicode.IsControl(r) {
				return j
			}
			j += size
		}
	}
	return j
}

// Byte lanes of a uint64, for wordChunk.
const (
	lanes01 = 0x0101010101010101 // 0x01 in each byte
	lanes7f = 0x7f7f7f7f7f7f7f7f // 0x7f in each byte
	lanes80 = 0x8080808080808080 // 0x80 in each byte
)

// load64 returns s[j:j+8] as a little-endian uint64 (the compiler makes it
// one load).
func load64(s string, j int) uint64 {
	s = s[j : j+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// wordChunk reports whether the eight bytes of x (first byte lowest) are all
// printable ASCII or spaces, with no two spaces side by side and no space
// last: what visibleRun takes whole after a visible character. Each test
// looks at the eight bytes at once; a borrow from one byte into the next can
// only flag bytes after one that is rightly flagged, so the answer is exact.
func wordChunk(x uint64) bool {
	// A byte below ' ' borrows from bit 7 unless it was set.
	below := (x - 0x20*lanes01) & ^x & lanes80
	// A byte of 0x7f or more: its low seven bits are all set, or bit 7.
	above := ((x&lanes7f + lanes01) | x) & lanes80
	// v is zero in the bytes that are spaces; v|v>>8 in a byte that is a
	// space followed by a space, or in the last byte when it is a space.
	v := x ^ 0x20*lanes01
	v |= v >> 8
	spaces := (v - lanes01) & ^v & lanes80
	return below|above|spaces == 0
}

// flush writes the pending separators before a visible character.
func (w *plainWriter) flush() {
	if w.first != "" || w.b.Len() > 0 {
		switch {
		case w.lines > 0:
			w.write("\n\n"[:w.lines])
		case w.space:
			w.write(" ")
		}
	}
	if w.bullet {
		w.write("- ")
	}
	w.space, w.lines, w.bullet, w.pending = false, 0, false, false
}
