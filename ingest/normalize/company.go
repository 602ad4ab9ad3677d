package normalize

import (
	"strings"
	"unicode/utf8"
)

// The compiled company table (rules/company.tsv): phrases of folded words
// joined by spaces.
var (
	legalForms     map[string]byte // suffix and word phrases: legalSuffix or legalWord
	legalLast      map[string]bool // the last words of legalForms' phrases
	anonymousNames map[string]bool // keys that name no company
	maxLegalWords  int
)

// Kinds of phrases of legalForms.
const (
	legalSuffix byte = 1 + iota // a legal form: cut from the key and the name
	legalWord                   // legal words that read as a name's: cut from the key only
)

func init() { mustLoad(loadCompany()) }

// loadCompany compiles rules/company.tsv.
func loadCompany() error {
	rows, err := readTable("company.tsv", 2)
	if err != nil {
		return err
	}
	forms, last, anonymous := map[string]byte{}, map[string]bool{}, map[string]bool{}
	kinds := map[string]byte{"suffix": legalSuffix, "word": legalWord, "anonymous": 0}
	maxWords := 0
	for _, r := range rows {
		kind, ok := kinds[r.fields[0]]
		if !ok || len(r.fields) != 2 {
			return r.errorf("want suffix|word|anonymous <TAB> phrases")
		}
		for _, p := range alternatives(r.fields[1]) {
			if foldString(p, "") != p {
				return r.errorf("phrase %q is not folded", p)
			}
			if kind == 0 {
				anonymous[p] = true
				continue
			}
			if k, ok := forms[p]; ok && k != kind {
				return r.errorf("phrase %q is both a suffix and a word", p)
			}
			forms[p] = kind
			words := strings.Fields(p)
			last[words[len(words)-1]] = true
			maxWords = max(maxWords, len(words))
		}
	}
	legalForms, legalLast, anonymousNames, maxLegalWords = forms, last, anonymous, maxWords
	return nil
}

// Company returns the name a report shows for a hiring company, and the key
// that groups the spellings of one company: "SUMUP GMBH", "SumUp" and "Sumup
// GmbH." all have the key "sumup", and "Acme GmbH" and "ACME gmbh" both
// "acme"; "Meta" and "Metabase" stay apart.
//
// The key is the name folded (lower case, accents removed, punctuation and
// spaces made single spaces) without the legal form at its end: the suffixes
// and words of rules/company.tsv, several in a row ("Allgäu Batterie GmbH &
// Co. KG" is "allgau batterie"). It is the company part of [Fingerprint]. A
// name that names no company ("Confidential", "Empresa Confidencial", "N/A")
// or has no letter or digit has the key "" and the name "".
//
// The name is the text as published, trimmed, up to the end of its last word
// before the legal form ("Credit Wellness, LLC" is "Credit Wellness"; "Acme
// (Europe) GmbH" is "Acme (Europe)"), with its case, accents and punctuation
// kept: it is one spelling of the company, and the warehouse picks, among the
// spellings of one key, the one a report shows (see its view companies).
// Legal words that read as a part of a name stay ("Helic & Co.", "The Walt
// Disney Company"). Company allocates the key only.
func Company(s string) (name, key string) {
	var t text
	t.scan(s, false)
	keyWords, nameWords := t.companyWords(s)
	if keyWords == 0 {
		return "", ""
	}
	var buf [maxTextBytes]byte
	k := t.phrase(buf[:0], 0, keyWords)
	if anonymousNames[string(k)] {
		return "", ""
	}
	if nameWords == t.nt {
		return strings.TrimSpace(s), string(k)
	}
	end := int(t.toks[nameWords-1].src)
	// A bracket opened in the name and closed right after its last word
	// belongs to it: "Acme (Europe) GmbH". A legal form inside a bracket
	// left open stays: "Naturhütte (Eine Marke der X GmbH + Co. KG)".
	open := strings.Count(s[:end], "(") - strings.Count(s[:end], ")")
	for ; open > 0 && end < len(s) && s[end] == ')'; open-- {
		end++
	}
	if open > 0 {
		return strings.TrimSpace(s), string(k)
	}
	return strings.TrimSpace(s[:end]), string(k)
}

// companyWords returns how many of t's words (scanned from s) make the key
// of a company name and how many its shown name, once the legal form at its
// end is cut (see [Company]). Both keep at least one word; nothing is cut
// when t does not hold the whole of s.
func (t *text) companyWords(s string) (keyWords, nameWords int) {
	keyWords, nameWords = t.nt, t.nt
	if t.nt == 0 || !wholeText(s[t.toks[t.nt-1].src:]) {
		return keyWords, nameWords
	}
	var buf [maxTextBytes]byte
	keepName := false // a legal word was cut: the name keeps it and what precedes it
	// Most names end in no legal form: their last word ends none.
	for keyWords > 1 && legalLast[string(t.word(keyWords-1))] {
		cut, word := 0, false
		for w := min(maxLegalWords, keyWords-1); w >= 1 && cut == 0; w-- {
			// string(p) in a map index does not allocate.
			switch p := t.phrase(buf[:0], keyWords-w, keyWords); legalForms[string(p)] {
			case legalSuffix:
				cut = w
			case legalWord:
				cut, word = w, true
			}
		}
		if cut == 0 {
			break
		}
		keyWords -= cut
		keepName = keepName || word
		if !keepName {
			nameWords = keyWords
		}
	}
	return keyWords, nameWords
}

// wholeText reports whether rest, what follows the last word a [text] kept,
// holds no other word: the text was not cut at its limits.
func wholeText(rest string) bool {
	for i := 0; i < len(rest); {
		r, size := rune(rest[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(rest[i:])
		}
		if _, word := foldRune(r); word {
			return false
		}
		i += size
	}
	return true
}
