package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// foldPairs maps accented Latin letters (lower and upper case) to their plain
// ASCII spelling, so that "Développeur", "Zürich" and "Kraków" compare equal
// to "developpeur", "zurich" and "krakow". Letters outside the table keep
// their lower-case form; combining marks are dropped.
const foldPairs = "àa áa âa ãa äa åa āa ăa ąa æae çc ćc ĉc ċc čc ďd đd ðd èe ée êe ëe ēe ĕe ėe ęe ěe " +
	"ĝg ğg ġg ģg ĥh ħh ìi íi îi ïi ĩi īi ĭi įi ıi ĵj ķk ĺl ļl ľl ŀl łl ñn ńn ņn ňn òo óo ôo õo öo øo ōo ŏo őo œoe " +
	"ŕr ŗr řr śs ŝs şs šs șs ßss ţt ťt ŧt țt ùu úu ûu üu ũu ūu ŭu ůu űu ųu ŵw ýy ÿy ŷy źz żz žz þth " +
	"ÀA ÁA ÂA ÃA ÄA ÅA ĀA ĂA ĄA ÆAE ÇC ĆC ĈC ĊC ČC ĎD ĐD ÐD ÈE ÉE ÊE ËE ĒE ĔE ĖE ĘE ĚE ĜG ĞG ĠG ĢG ĤH ĦH " +
	"ÌI ÍI ÎI ÏI ĨI ĪI ĬI ĮI İI ĴJ ĶK ĹL ĻL ĽL ĿL ŁL ÑN ŃN ŅN ŇN ÒO ÓO ÔO ÕO ÖO ØO ŌO ŎO ŐO ŒOE ŔR ŖR ŘR " +
	"ŚS ŜS ŞS ŠS ȘS ŢT ŤT ŦT ȚT ÙU ÚU ÛU ÜU ŨU ŪU ŬU ŮU ŰU ŲU ŴW ÝY ŸY ŶY ŹZ ŻZ ŽZ ÞTH"

// foldTab is foldPairs indexed by rune, lower-cased; foldUpper marks the
// upper-case entries (for the capitals test of country codes).
var (
	foldTab   [0x250]string
	foldUpper [0x250]bool
)

func init() {
	for _, pair := range strings.Fields(foldPairs) {
		r, n := utf8.DecodeRuneInString(pair)
		foldTab[r] = strings.ToLower(pair[n:])
		foldUpper[r] = unicode.IsUpper(r)
	}
}

// foldString returns s lower-cased with accents removed and runs of
// non-alphanumeric characters (other than those in keep) turned into single
// spaces, trimmed. It is the key form of every name in the rule tables.
func foldString(s, keep string) string {
	var b []byte
	space := false
	for _, r := range s {
		f, kind := foldedRune(r)
		switch {
		case kind == foldLetter:
			if space && len(b) > 0 {
				b = append(b, ' ')
			}
			space = false
			b = appendFoldedLetter(b, r, f)
		case kind == foldMark:
		case strings.ContainsRune(keep, r):
			if space && len(b) > 0 {
				b = append(b, ' ')
			}
			space = false
			b = utf8.AppendRune(b, r)
		default:
			space = true
		}
	}
	return string(b)
}

// What a rune is to folding (see [foldedRune]).
const (
	foldSep    = iota // it separates words
	foldLetter        // a letter or a digit: part of a word
	foldMark          // a combining mark: it folds into the letter before it
)

// foldedRune returns the folded spelling of r (as [foldRune]) and what r is
// to folding.
func foldedRune(r rune) (f string, kind int) {
	f, letter := foldRune(r)
	switch {
	case letter:
		return f, foldLetter
	case unicode.Is(unicode.Mn, r):
		return "", foldMark
	}
	return "", foldSep
}

// appendFoldedLetter appends letter r to dst, folded: f, its spelling from
// [foldedRune], or its lower case when f is "" (a letter outside the fold
// table).
func appendFoldedLetter(dst []byte, r rune, f string) []byte {
	if f == "" {
		return utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return append(dst, f...)
}

// foldRune returns the folded spelling of r and whether r is part of a word
// (a letter, a digit or a combining mark). For a letter outside the fold table
// it returns "" and true; the caller appends the lower-cased rune. Hot loops
// read asciiFold themselves for ASCII, saving the call.
func foldRune(r rune) (string, bool) {
	switch {
	case r < utf8.RuneSelf:
		f := asciiFold[byte(r)]
		return f, f != ""
	case r < rune(len(foldTab)) && foldTab[r] != "":
		return foldTab[r], true
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return "", true
	}
	return "", false
}

// asciiFold is foldRune for the bytes of ASCII: the lower-case letter or
// the digit, as a one-byte string of asciiStr (no allocation); "" for the
// other bytes.
var asciiFold = func() (tab [256]string) {
	for c := range utf8.RuneSelf {
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			tab[c] = asciiStr[c : c+1]
		case 'A' <= c && c <= 'Z':
			tab[c] = asciiStr[c+32 : c+33]
		}
	}
	return tab
}()

// asciiStr lets foldRune return one-byte strings without allocating.
var asciiStr = func() string {
	var b [128]byte
	for i := range b {
		b[i] = byte(i)
	}
	return string(b[:])
}()

// isUpperRune reports whether r is an upper-case letter.
func isUpperRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'A' <= r && r <= 'Z'
	}
	if r < rune(len(foldUpper)) && foldTab[r] != "" {
		return foldUpper[r]
	}
	return unicode.IsUpper(r)
}

// FoldName returns name in the key form of the places tables and the
// gazetteer: lower case, accents removed, and runs of punctuation and spaces
// turned into single spaces ("Mülheim an der Ruhr" is "mulheim an der ruhr",
// "L'Aquila" is "l aquila").
func FoldName(name string) string { return foldString(name, "") }
