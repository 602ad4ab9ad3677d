package normalize

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// scanRef is text.scan as it was before its ASCII fast path: every rune
// goes through foldRuneRef, unicode.Is(unicode.Mn) and a copy. Tests check
// that scan gives the same words.
func (t *text) scanRef(s string, symbols bool) {
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
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		f, isWord := foldRuneRef(r)
		symbol := symbols && !isWord && symbolInWord(s, i, r, inWord, prevWordRune)
		if isWord || symbol || (inWord && unicode.Is(unicode.Mn, r)) {
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
			case isWord && f != "":
				t.n += copy(t.buf[t.n:], f)
			case isWord:
				t.n += utf8.EncodeRune(t.buf[t.n:], unicode.ToLower(r))
			}
			if isWord && unicode.IsLetter(r) {
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

// foldRuneRef is foldRune as it was before the asciiFold table: the folded
// spelling of r and whether r is part of a word (a letter, a digit or a
// combining mark).
func foldRuneRef(r rune) (string, bool) {
	switch {
	case r < utf8.RuneSelf:
		c := byte(r)
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			return asciiStr[c : c+1], true
		case 'A' <= c && c <= 'Z':
			return asciiStr[c+32 : c+33], true
		}
		return "", false
	case r < rune(len(foldTab)) && foldTab[r] != "":
		return foldTab[r], true
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return "", true
	}
	return "", false
}

// TestFoldRuneMatchesRef checks foldRune against foldRuneRef on every rune
// and on a few that are not.
func TestFoldRuneMatchesRef(t *testing.T) {
	for r := rune(-300); r <= unicode.MaxRune+300; r++ {
		f, ok := foldRune(r)
		if rf, rok := foldRuneRef(r); f != rf || ok != rok {
			t.Fatalf("foldRune(%U) = %q, %v; foldRuneRef gives %q, %v", r, f, ok, rf, rok)
		}
	}
}

// TestMinMn checks that no combining mark comes before minMn.
func TestMinMn(t *testing.T) {
	for r := rune(0); r < minMn; r++ {
		if unicode.Is(unicode.Mn, r) {
			t.Fatalf("%U is a combining mark, below minMn %U", r, minMn)
		}
	}
}

// FuzzScan checks that text.scan, with its ASCII fast path, splits a text
// into the same words, separators and flags as scanRef.
func FuzzScan(f *testing.F) {
	for _, p := range realPostings(f) {
		f.Add(p.Title, true)
		f.Add(p.Location, false)
	}
	for _, s := range []string{"Développeur Full Stack (H/F)", "C++ / C# / .NET / node.js", "Zürich, CH", "e\u0301te\u0301", "A\u0301B", "REMOTE - US", "Back-End – Senior", "\xff\xfeabc", "ǅungla ǈ", "İstanbul", "ﬁnance", "x" + strings.Repeat("é", 300), strings.Repeat("a", 600), strings.Repeat("Ab1 ", 140), strings.Repeat("x", 509) + "é+é"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, symbols bool) {
		var got, want text
		got.scan(s, symbols)
		want.scanRef(s, symbols)
		if got.n != want.n || got.nt != want.nt || got.tail != want.tail ||
			string(got.buf[:got.n]) != string(want.buf[:want.n]) || !slices.Equal(got.toks[:got.nt], want.toks[:want.nt]) {
			t.Errorf("scan(%q, %v) = %q %+v tail %d; scanRef gives %q %+v tail %d", s, symbols,
				got.buf[:got.n], got.toks[:got.nt], got.tail, want.buf[:want.n], want.toks[:want.nt], want.tail)
		}
	})
}
