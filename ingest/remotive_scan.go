package ingest

import (
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonScanner reads JSON text from a byte slice for the fast path of
// [ParseRemotive]. It accepts only valid JSON (RFC 8259) and refuses more
// than that: invalid UTF-8, an escaped lone surrogate, and nesting deeper
// than scanMaxDepth, all of which encoding/json reads (or refuses) in its
// own way. Every method reports false when the text is not what it reads,
// and the caller then gives the page to encoding/json, which decides.
type jsonScanner struct {
	b   []byte
	pos int
}

// scanMaxDepth is the deepest nesting the scanner skips; encoding/json
// allows 10,000 levels.
const scanMaxDepth = 100

// Constants to look at eight bytes at a time in a uint64 (SWAR): a one in
// every byte, and the top bit of every byte.
const (
	swarOnes = 0x0101010101010101
	swarHigh = 0x8080808080808080
)

// peek skips whitespace and returns the next byte, or 0 at the end.
func (s *jsonScanner) peek() byte {
	for s.pos < len(s.b) {
		switch c := s.b[s.pos]; c {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return c
		}
	}
	return 0
}

// atEnd skips whitespace and reports whether the text ends there.
func (s *jsonScanner) atEnd() bool {
	s.peek()
	return s.pos == len(s.b)
}

// open skips whitespace and consumes c, '{' or '['.
func (s *jsonScanner) open(c byte) bool {
	if s.peek() != c {
		return false
	}
	s.pos++
	return true
}

// more is called before the i-th member of an object or element of an
// array that [jsonScanner.open] began, close being '}' or ']': it consumes
// the comma or the closing byte and reports whether a member or element
// follows.
func (s *jsonScanner) more(close byte, i int) (more, ok bool) {
	c := s.peek()
	if c == close {
		s.pos++
		return false, true
	}
	if i == 0 {
		return true, true
	}
	if c == ',' {
		s.pos++
		return true, true
	}
	return false, false
}

// name reads an object member's name and the colon after it, and returns
// the name unquoted, in scratch or in the text.
func (s *jsonScanner) name(scratch []byte) ([]byte, []byte, bool) {
	if s.peek() != '"' {
		return nil, scratch, false
	}
	start := s.pos
	end, escaped, ok := s.scanString()
	if !ok {
		return nil, scratch, false
	}
	name := s.b[start+1 : end]
	if escaped { // rare: read it again, unquoting it
		s.pos = start
		if scratch, ok = s.appendString(scratch[:0]); !ok {
			return nil, scratch, false
		}
		name = scratch
	}
	if s.peek() != ':' {
		return nil, scratch, false
	}
	s.pos++
	return name, scratch, true
}

// consume consumes lit when the text goes on with it.
func (s *jsonScanner) consume(lit string) bool {
	end := s.pos + len(lit)
	if end > len(s.b) || string(s.b[s.pos:end]) != lit {
		return false
	}
	s.pos = end
	return true
}

// appendString reads a string value and appends it, unquoted, to dst. The
// caller has seen its opening quote with [jsonScanner.peek].
func (s *jsonScanner) appendString(dst []byte) ([]byte, bool) {
	b := s.b
	start := s.pos + 1
	i, run := start, start // run: the first byte not yet appended
	var high uint64        // or of the bytes seen: its top bits tell of non-ASCII bytes
	for {
		i, high = nextSpecial(b, i, high)
		if i >= len(b) {
			return dst, false
		}
		switch b[i] {
		case '"':
			if high&swarHigh != 0 && !utf8.Valid(b[start:i]) {
				return dst, false
			}
			s.pos = i + 1
			return append(dst, b[run:i]...), true
		case '\\':
			dst = append(dst, b[run:i]...)
			var n int
			var ok bool
			if dst, n, ok = appendEscape(dst, b[i:]); !ok {
				return dst, false
			}
			i += n
			run = i
		default: // a control character
			return dst, false
		}
	}
}

// scanString moves past the string at s.pos, checking it, and returns the
// end of its content (the offset of the closing quote) and whether it has
// escapes.
func (s *jsonScanner) scanString() (end int, escaped, ok bool) {
	b := s.b
	i := s.pos + 1
	var high uint64 // or of the bytes seen: its top bits tell of non-ASCII bytes
	for {
		i, high = nextSpecial(b, i, high)
		if i >= len(b) {
			return 0, false, false
		}
		switch b[i] {
		case '"':
			if high&swarHigh != 0 && !utf8.Valid(b[s.pos+1:i]) {
				return 0, false, false
			}
			s.pos = i + 1
			return i, escaped, true
		case '\\':
			n, ok := escapeLen(b[i:])
			if !ok {
				return 0, false, false
			}
			escaped = true
			i += n
		default: // a control character
			return 0, false, false
		}
	}
}

// nextSpecial returns the offset of the first quote, backslash or control
// character in b at or after i, or len(b), and high or-ed with the bytes
// before it. It looks at sixteen bytes at a time.
func nextSpecial(b []byte, i int, high uint64) (int, uint64) {
	for ; i+16 <= len(b); i += 16 {
		x := binary.LittleEndian.Uint64(b[i:])
		y := binary.LittleEndian.Uint64(b[i+8:])
		q := x ^ (swarOnes * '"')
		e := x ^ (swarOnes * '\\')
		r := y ^ (swarOnes * '"')
		g := y ^ (swarOnes * '\\')
		if ((x-swarOnes*0x20)&^x|(q-swarOnes)&^q|(e-swarOnes)&^e|(y-swarOnes*0x20)&^y|(r-swarOnes)&^r|(g-swarOnes)&^g)&swarHigh != 0 {
			break
		}
		high |= x | y
	}
	for ; i < len(b); i++ {
		c := b[i]
		if c == '"' || c == '\\' || c < 0x20 {
			break
		}
		high |= uint64(c)
	}
	return i, high
}

// escapeLen returns the length of the escape sequence that starts b, or
// false when it is not valid or is a surrogate that is not part of a pair.
func escapeLen(b []byte) (int, bool) {
	var buf [utf8.UTFMax]byte
	_, n, ok := appendEscape(buf[:0], b)
	return n, ok
}

// appendEscape appends the character of the escape sequence that starts b
// to dst, and returns its length, or false when it is not valid or is a
// surrogate that is not part of a pair (which encoding/json would read as
// U+FFFD).
func appendEscape(dst, b []byte) ([]byte, int, bool) {
	if len(b) < 2 {
		return dst, 0, false
	}
	switch c := b[1]; c {
	case '"', '\\', '/':
		return append(dst, c), 2, true
	case 'b':
		return append(dst, '\b'), 2, true
	case 'f':
		return append(dst, '\f'), 2, true
	case 'n':
		return append(dst, '\n'), 2, true
	case 'r':
		return append(dst, '\r'), 2, true
	case 't':
		return append(dst, '\t'), 2, true
	case 'u':
		r, ok := hex4(b[2:])
		if !ok {
			return dst, 0, false
		}
		if !utf16.IsSurrogate(r) {
			return utf8.AppendRune(dst, r), 6, true
		}
		if len(b) < 12 || b[6] != '\\' || b[7] != 'u' {
			return dst, 0, false
		}
		r2, ok := hex4(b[8:])
		if r = utf16.DecodeRune(r, r2); !ok || r == utf8.RuneError {
			return dst, 0, false
		}
		return utf8.AppendRune(dst, r), 12, true
	}
	return dst, 0, false
}

// hex4 reads the four hexadecimal digits that start b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// number reads a number and returns its text.
func (s *jsonScanner) number() ([]byte, bool) {
	b, start := s.b, s.pos
	i := start
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = skipDigits(b, i+1)
	default:
		return nil, false
	}
	if i < len(b) && b[i] == '.' {
		j := skipDigits(b, i+1)
		if j == i+1 {
			return nil, false
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := skipDigits(b, i)
		if j == i {
			return nil, false
		}
		i = j
	}
	s.pos = i
	return b[start:i], true
}

// skipDigits returns the offset of the first byte at or after i that is
// not a decimal digit.
func skipDigits(b []byte, i int) int {
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	return i
}

// literal reads the literal lit: "null", "true" or "false".
func (s *jsonScanner) literal(lit string) bool {
	return s.consume(lit)
}

// skip reads any value, at the given nesting depth, and checks it.
func (s *jsonScanner) skip(depth int) bool {
	switch c := s.peek(); {
	case c == '"':
		_, _, ok := s.scanString()
		return ok
	case c == '{' || c == '[':
		if depth >= scanMaxDepth {
			return false
		}
		s.pos++
		close := c + 2 // '}' or ']'
		for i := 0; ; i++ {
			more, ok := s.more(close, i)
			if !ok {
				return false
			}
			if !more {
				return true
			}
			if c == '{' {
				if s.peek() != '"' {
					return false
				}
				if _, _, ok := s.scanString(); !ok || s.peek() != ':' {
					return false
				}
				s.pos++
			}
			if !s.skip(depth + 1) {
				return false
			}
		}
	case c == '-' || '0' <= c && c <= '9':
		_, ok := s.number()
		return ok
	case c == 'n':
		return s.literal("null")
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	}
	return false
}
