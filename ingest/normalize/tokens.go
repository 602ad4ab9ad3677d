package normalize

import (
	"unicode"
	"unicode/utf8"
)

// Limits of one scanned text. Titles and location lines are short; a longer
// text is cut at these limits (the rest is ignored), which keeps every parser
// linear and allocation-free.
const (
	maxTextBytes = 512 // folded bytes kept
	maxTokens    = 64  // words kept
)

// Separator classes: what stood between a word and the one before it,
// ordered by strength (the strongest in a run of punctuation wins).
const (
	sepNone  byte = iota // only spaces, or nothing
	sepJoin              // punctuation inside a group: . : ' or a hyphen without spaces
	sepAmp               // & or +
	sepDash              // a dash with a space around it, as in "Remote - EMEA"
	sepSlash             // / or \
	sepClose             // ) ] }
	sepOpen              // ( [ {
	sepList              // , ; | a newline or a bullet: the end of a list item
)

// minMn is the first combining mark (category Mn): no rune below it is one.
var minMn = rune(unicode.Mn.R16[0].Lo)

// token is one word of a [text]: its folded spelling is buf[start:end].
type token struct {
	start, end uint16
	src        int32 // byte offset in the source just after the word
	sep        byte  // separator class before the word
	upper      bool  // every letter of the word is upper case in the source
}

// text is a short string split into folded words (lower case, accents
// removed), kept in fixed arrays so that scanning does not allocate when the
// text lives on the stack.
type text struct {
	buf  [maxTextBytes]byte
	n    int
	toks [maxTokens]token
	nt   int
	tail byte // separator class after the last word
}

// word returns the folded spelling of token i. Converting it with string()
// inside a map index does not allocate.
func (t *text) word(i int) []byte { return t.buf[t.toks[i].start:t.toks[i].end] }

// scan splits s into words. With symbols, the characters that belong to
// technology names stay inside words: "c++", "c#", "node.js", ".net".
func (t *text) scan(s string, symbols bool) {
	t.n, t.nt, t.tail = 0, 0, sepNone
	var (
		cur            token
		inWord, letter bool
		sep            = sepNone
		hyphen, spaced bool
		prevWordRune   bool
	)
	finish := func(at int) {
		cur.end = uint16(t.n)
		cur.src = int32(at)
		cur.upper = cur.upper && letter
		t.toks[t.nt] = cur
		t.nt++
		inWord = false
		sep, hyphen, spaced = sepNone, false, false
	}
	i := 0
	for i < len(s) {
		var (
			r      = rune(s[i])
			size   = 1
			f      string
			isWord bool
		)
		if r < utf8.RuneSelf {
			f = asciiFold[r]
			isWord = f != ""
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
			f, isWord = foldRune(r)
		}
		symbol := symbols && !isWord && symbolInWord(s, i, r, inWord, prevWordRune)
		if isWord || symbol || (inWord && r >= minMn && unicode.Is(unicode.Mn, r)) {
			if !inWord {
				if t.nt == maxTokens {
					break
				}
				cur = token{start: uint16(t.n), sep: joinSep(sep, hyphen, spaced), upper: true}
				inWord, letter = true, false
			}
			if t.n+utf8.UTFMax+1 > len(t.buf) {
				break
			}
			switch {
			case symbol:
				t.buf[t.n] = byte(r)
				t.n++
			case len(f) == 1:
				t.buf[t.n] = f[0]
				t.n++
			case f != "":
				t.n += copy(t.buf[t.n:], f)
			case isWord:
				t.n += utf8.EncodeRune(t.buf[t.n:], unicode.ToLower(r))
			}
			switch {
			case !isWord:
			case r < utf8.RuneSelf:
				// An ASCII letter folds to a-z, a digit to 0-9. The
				// ASCII letters and digits that follow go into the
				// word here, saving the general loop.
				for {
					if f[0] >= 'a' {
						letter = true
						cur.upper = cur.upper && r <= 'Z'
					}
					if i+1 == len(s) || t.n+utf8.UTFMax+1 > len(t.buf) {
						break
					}
					next := asciiFold[s[i+1]]
					if next == "" {
						break
					}
					r, f = rune(s[i+1]), next
					t.buf[t.n] = f[0]
					t.n++
					i++
				}
			case unicode.IsLetter(r):
				letter = true
				cur.upper = cur.upper && isUpperRune(r)
			}
			prevWordRune = isWord
			i += size
			continue
		}
		if inWord {
			finish(i)
		}
		prevWordRune = false
		c := sepClass(r)
		if c > sep {
			sep = c
		}
		switch r {
		case '-', '–', '—', '−':
			hyphen = true
		case ' ', '\t', '\u00a0', '\u202f':
			spaced = true
		}
		i += size
	}
	if inWord {
		finish(i)
	}
	t.tail = joinSep(sep, hyphen, spaced)
}

// symbolInWord reports whether the punctuation r at s[i] belongs to a
// technology name: + or # right after a word ("c++", "c#"), a dot between
// two word characters ("node.js"), or a dot starting a word (".net").
func symbolInWord(s string, i int, r rune, inWord, prevWordRune bool) bool {
	switch r {
	case '+', '#':
		return inWord
	case '.':
		if i+1 >= len(s) {
			return false
		}
		next, _ := utf8.DecodeRuneInString(s[i+1:])
		_, nextWord := foldRune(next)
		if inWord {
			return nextWord && prevWordRune
		}
		return unicode.IsLetter(next)
	}
	return false
}

// joinSep turns a run of separators into its class: a hyphen counts as a dash
// only when spaces stand around it ("Remote - EMEA", not "Back-End").
func joinSep(sep byte, hyphen, spaced bool) byte {
	if hyphen && spaced && sep < sepDash {
		return sepDash
	}
	return sep
}

// sepClass is the separator class of one non-word rune.
func sepClass(r rune) byte {
	switch r {
	case ' ', '\t', '\u00a0', '\u202f':
		return sepNone
	case ',', ';', '|', '\n', '\r', '•', '·':
		return sepList
	case '(', '[', '{':
		return sepOpen
	case ')', ']', '}':
		return sepClose
	case '/', '\\':
		return sepSlash
	case '&', '+':
		return sepAmp
	}
	return sepJoin
}
