package normalize

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Classes of rules/workplace_text.tsv, in the order they win: a text with an
// onsite phrase is onsite, else one with a remote phrase is remote, and so
// on. none marks phrases that say nothing of the workplace; selfemployed
// phrases say that the offer is not a salaried job (a franchise to open, an
// independent reseller's terms), so that no source's default workplace
// applies to it, and lose to any phrase that names a workplace; inperson
// phrases describe work that is done where a person must be (a store, a
// building site, customers' homes, a front desk, an office), which only stops a
// remote-only source's default, and lose to every other class: an
// independent reseller who visits customers' homes is still no salaried
// job.
const (
	wpNone = iota
	wpInPerson
	wpSelfEmployed
	wpPartial
	wpHybrid
	wpRemote
	wpOnsite
)

// wpPhrase is one phrase of the table: its folded words after the first,
// and its class.
type wpPhrase struct {
	rest  []string
	class int
	src   string // the table line, for explanations
}

// wpPhrases maps the first word of each phrase to its phrases, longest first.
var wpPhrases = loadPhrases("workplace_text.tsv", map[string]int{"none": wpNone, "selfemployed": wpSelfEmployed,
	"inperson": wpInPerson, "partial": wpPartial, "hybrid": wpHybrid, "remote": wpRemote, "onsite": wpOnsite})

// loadPhrases reads a table of phrases (class <TAB> phrases), with the
// classes named, into a map from the first word of each phrase to its
// phrases, longest first.
func loadPhrases(file string, classes map[string]int) map[string][]wpPhrase {
	rows, err := readTable(file, 2)
	mustLoad(err)
	names := slices.Sorted(maps.Keys(classes))
	out := map[string][]wpPhrase{}
	seen := map[string]bool{}
	for _, r := range rows {
		class, ok := classes[r.fields[0]]
		if !ok {
			mustLoad(r.errorf("class %q: want one of %s", r.fields[0], strings.Join(names, ", ")))
		}
		for _, name := range alternatives(r.fields[1]) {
			words := strings.Fields(foldString(name, ""))
			if len(words) == 0 || strings.Join(words, " ") != name {
				mustLoad(r.errorf("phrase %q is not folded (want %q)", name, strings.Join(words, " ")))
			}
			if seen[name] {
				mustLoad(r.errorf("phrase %q is listed twice", name))
			}
			seen[name] = true
			out[words[0]] = append(out[words[0]], wpPhrase{rest: words[1:], class: class, src: fmt.Sprintf("%q of rules/%s:%d", name, r.file, r.line)})
		}
	}
	for _, ps := range out {
		// Longest first, so that "hybrid cloud" is tried before "hybrid".
		slices.SortStableFunc(ps, func(a, b wpPhrase) int { return len(b.rest) - len(a.rest) })
	}
	return out
}

// wordsPool holds the folded text and word bounds of [TextWorkplace].
var wordsPool = sync.Pool{New: func() any { return new(foldedWords) }}

// foldedWords is the scratch space of [TextWorkplace].
type foldedWords struct {
	spans  [][2]int // spans of the text that may hold a phrase (see windows)
	buf    []byte
	bounds []int // start and end of each word in buf
	// src holds the start and end of each word in the text folded, when
	// fold is asked for them (role text reads the words after a phrase).
	src []int
}

// workplaceStems are word beginnings, lower case, one of which a word of
// every phrase of rules/workplace_text.tsv starts with as written
// (TestWorkplaceStems checks it): a text where no word starts so names no
// workplace, and only the spans around such words are folded and matched.
// Most descriptions have few such words, and folding a whole description
// costs several times more than looking for them. The stems are matched as
// written, so a stem whose accents are written as combining marks
// ("te\u0301le\u0301travail") is not seen; the words around a stem that is
// seen are folded as the tables are, marks included.
var workplaceStems = []string{
	"remot", "home", "hybri", "hibri", "híbri", "offic", "mobil", "telet", "télét", "dist",
	"anywh", "site", "onsit", "ort", "büro", "buro", "bureau", "fullr", "wfh", "zuhaus", "hause",
	"offre", "franchis", "indep", "indép",
	"présenti", "presenti", "presenci", "präsenz", "prasenz", "semipresen", "casa", "ofici",
	// inperson phrases
	"store", "floor", "shelv", "restaur", "jobsit", "vehic", "véhic", "vehíc", "transport",
	"licen", "deliveri", "mail", "route", "desk", "visit", "greet", "baust", "filial",
	"laden", "führersch", "fuhrersch", "werkz", "pkw", "firmenf", "empfang", "chanti", "magasin",
	"domicil", "permis", "accueil", "tienda", "obra", "carnet", "forkl", "steel", "shoe",
	"sicherheitssch", "chauss",
}

// workplaceWindow is how far before and after a stem a phrase holding it
// may reach: the longest phrase is some 30 bytes.
const workplaceWindow = 48

// windows returns the spans of s around each word that starts with one of
// [workplaceStems] (whatever the case of its first letter), merged and
// widened to whole words: only they can hold a phrase.
func (f *foldedWords) windows(s string) [][2]int {
	return f.stemWindows(s, &workplaceStemSet, workplaceWindow, workplaceWindow)
}

// stemWindows returns the spans of s from before bytes before to after
// bytes after each word that starts with one of the stems of set, merged
// and widened to whole words.
func (f *foldedWords) stemWindows(s string, set *stemSet, before, after int) [][2]int {
	f.spans = f.spans[:0]
	// One pass, one table look a byte: this runs over every description,
	// so it is kept to the bytes that start words.
	inWord := false
	for i := 0; i < len(s); i++ {
		if !wordBytes[s[i]] {
			inWord = false
			continue
		}
		if inWord {
			continue
		}
		inWord = true
		if !set.startsWith(s[i:]) {
			continue
		}
		sp := [2]int{wordStart(s, i-before), wordEnd(s, i+after)}
		if n := len(f.spans); n > 0 && sp[0] <= f.spans[n-1][1] {
			f.spans[n-1][1] = sp[1]
		} else {
			f.spans = append(f.spans, sp)
		}
	}
	return f.spans
}

// stemSet is a set of word beginnings (lower case ASCII, at least two
// bytes), indexed by their first two bytes so that most words are passed
// over after one look.
type stemSet struct {
	byPair [1 << 16]uint8 // first two bytes -> index into lists, 0 for none
	lists  []stemList
}

// stemList is the stems of a [stemSet] that start with one pair of bytes,
// and the set of their third bytes: with many stems, many common words
// ("we", "change", "make") share a stem's first two bytes, and the third
// passes most of them over without comparing stems. It kept
// BenchmarkTextWorkplace within a few percent of its time when the
// inperson stems were added.
type stemList struct {
	pair  bool // a stem is the two bytes alone ("ai"): every word that starts so
	stems []string
	third [4]uint64 // bit c set when a stem's third byte is c
}

// newStemSet indexes stems.
func newStemSet(stems []string) *stemSet {
	set := &stemSet{lists: []stemList{{}}}
	for _, stem := range stems {
		if len(stem) < 2 {
			mustLoad(fmt.Errorf("normalize: stem %q: want at least 2 bytes", stem))
		}
		k := int(stem[0])<<8 | int(stem[1])
		if set.byPair[k] == 0 {
			if len(set.lists) == 255 {
				mustLoad(fmt.Errorf("normalize: stem %q: too many first byte pairs", stem))
			}
			set.byPair[k] = uint8(len(set.lists))
			set.lists = append(set.lists, stemList{})
		}
		l := &set.lists[set.byPair[k]]
		if len(stem) == 2 {
			l.pair = true
			continue
		}
		l.stems = append(l.stems, stem)
		l.third[stem[2]>>6] |= 1 << (stem[2] & 63)
	}
	return set
}

// workplaceStemSet indexes [workplaceStems].
var workplaceStemSet = *newStemSet(workplaceStems)

// startsWith reports whether w starts with one of the stems, whatever the
// case of its ASCII letters.
func (set *stemSet) startsWith(w string) bool {
	if len(w) < 2 {
		return false
	}
	i := set.byPair[int(lowerASCII(w[0]))<<8|int(lowerASCII(w[1]))]
	if i == 0 {
		return false
	}
	l := &set.lists[i]
	if l.pair {
		return true
	}
	if len(w) < 3 {
		return false
	}
	if c := lowerASCII(w[2]); l.third[c>>6]&(1<<(c&63)) == 0 {
		return false
	}
	for _, stem := range l.stems {
		if len(w) >= len(stem) && asciiLowerEqual(w[2:len(stem)], stem[2:]) {
			return true
		}
	}
	return false
}

// anyWord reports whether a word of s starts with one of the stems.
func (set *stemSet) anyWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if wordBytes[s[i]] && (i == 0 || !wordBytes[s[i-1]]) && set.startsWith(s[i:]) {
			return true
		}
	}
	return false
}

// lowerASCII lower-cases an ASCII letter; any other byte is returned as is.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// asciiLowerEqual reports whether a, with its ASCII letters lower-cased, is
// b.
func asciiLowerEqual(a, b string) bool {
	for i := 0; i < len(a); i++ {
		c := a[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != b[i] {
			return false
		}
	}
	return true
}

// wordStart moves i (clamped to s) back to the start of its word: just
// after an ASCII byte that is not a letter or digit. A multi-byte letter
// is never split, as its bytes are not ASCII.
func wordStart(s string, i int) int {
	i = max(i, 0)
	for i > 0 && isWordByte(s[i-1]) {
		i--
	}
	return i
}

// wordEnd moves i (clamped to s) on to the end of its word.
func wordEnd(s string, i int) int {
	i = min(i, len(s))
	for i < len(s) && isWordByte(s[i]) {
		i++
	}
	return i
}

// isWordByte reports whether c may be part of a word: an ASCII letter or
// digit, or a byte of a multi-byte character.
func isWordByte(c byte) bool { return wordBytes[c] }

var wordBytes = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c >= utf8.RuneSelf || asciiFold[c] != ""
	}
	return t
}()

// fold reads s into folded words (as foldString does: lower case, no
// accents, anything but letters and digits separating words), after those
// read before.
func (f *foldedWords) fold(s string) { f.foldAt(s, -1) }

// foldAt is fold; with base >= 0 it also records in src where each word
// starts and ends, as base plus its offset in s.
func (f *foldedWords) foldAt(s string, base int) {
	in := false
	for i := 0; i < len(s); {
		at := i
		var part string
		var r rune
		kind := foldSep
		if c := s[i]; c < utf8.RuneSelf {
			if part = asciiFold[c]; part != "" {
				kind = foldLetter
			}
			i++
		} else {
			var n int
			r, n = utf8.DecodeRuneInString(s[i:])
			part, kind = foldedRune(r)
			i += n
		}
		switch kind {
		case foldLetter:
			if !in {
				f.bounds = append(f.bounds, len(f.buf))
				if base >= 0 {
					f.src = append(f.src, base+at)
				}
				in = true
			}
			f.buf = appendFoldedLetter(f.buf, r, part)
		case foldSep:
			if in {
				f.bounds = append(f.bounds, len(f.buf))
				if base >= 0 {
					f.src = append(f.src, base+at)
				}
				in = false
			}
		}
	}
	if in {
		f.bounds = append(f.bounds, len(f.buf))
		if base >= 0 {
			f.src = append(f.src, base+len(s))
		}
	}
}

// word returns word i.
func (f *foldedWords) word(i int) []byte { return f.buf[f.bounds[2*i]:f.bounds[2*i+1]] }

// match returns the strongest class of phrases (wpPhrases or
// titlePhrases) among the folded words, -1 when none: at each word the
// longest phrase that starts there.
func (f *foldedWords) match(phrases map[string][]wpPhrase, tr *trace) int {
	best := -1
	n := len(f.bounds) / 2
	for i := 0; i < n; {
		matched := 1
		for _, p := range phrases[string(f.word(i))] {
			if i+len(p.rest) < n && f.restAt(i+1, p.rest) {
				if tr != nil {
					tr.add("workplace", wpClassNames[p.class], "phrase "+p.src)
				}
				best = max(best, p.class)
				matched = 1 + len(p.rest)
				break
			}
		}
		i += matched
	}
	return best
}

// restAt reports whether the folded words from i on are rest; the caller
// makes sure that as many words follow i.
func (f *foldedWords) restAt(i int, rest []string) bool {
	for k, w := range rest {
		if string(f.word(i+k)) != w {
			return false
		}
	}
	return true
}

// TextWorkplace reads where the work is done from a posting's text (its
// description as plain text), with the phrases of rules/workplace_text.tsv:
// [Onsite] when the text rules remote work out, else [Remote] when it says
// the job is wholly remote, else [Hybrid] when it grants part of the week at
// home (or any work from home at all: then [Remote] when remoteOnly, for a
// source that lists remote jobs only), else, when remoteOnly, [Onsite] when
// it describes work that can only be done in person ("in our store",
// "construction site", "welcome visitors"), else "". Phrases that merely
// contain such words ("hybrid cloud") do not count.
func TextWorkplace(text string, remoteOnly bool) string {
	wp, _ := textWorkplace(text, remoteOnly, nil)
	return wp
}

// TextWorkplaceDefault is [TextWorkplace], and also tells whether a
// source's default workplace may apply when the text names none: not when
// the text says the offer is no salaried job (a franchise to open, an
// independent reseller: "cette annonce n'est pas une offre d'emploi",
// "vendeur indépendant"), since such an offer has no place of work to
// default to.
func TextWorkplaceDefault(text string, remoteOnly bool) (workplace string, defaultApplies bool) {
	return textWorkplace(text, remoteOnly, nil)
}

// wpClassNames names the classes of rules/workplace_text.tsv.
var wpClassNames = [...]string{wpNone: "none", wpSelfEmployed: "selfemployed", wpInPerson: "inperson", wpPartial: "partial", wpHybrid: Hybrid, wpRemote: Remote, wpOnsite: Onsite}

// textWorkplace is [TextWorkplaceDefault], recording the phrases it finds
// in tr.
func textWorkplace(text string, remoteOnly bool, tr *trace) (string, bool) {
	f := wordsPool.Get().(*foldedWords)
	defer wordsPool.Put(f)
	best := -1
	for _, sp := range f.windows(text) {
		f.buf, f.bounds = f.buf[:0], f.bounds[:0]
		f.fold(text[sp[0]:sp[1]])
		best = max(best, f.match(wpPhrases, tr))
	}
	switch best {
	case wpOnsite:
		return Onsite, true
	case wpRemote:
		return Remote, true
	case wpHybrid:
		return Hybrid, true
	case wpPartial:
		if remoteOnly {
			return Remote, true
		}
		return Hybrid, true
	case wpInPerson:
		if remoteOnly {
			tr.add("workplace", Onsite, "work done in person (phrase above), and no remote work granted: the source's remote-only default does not apply")
			return Onsite, true
		}
	case wpSelfEmployed:
		return "", false
	}
	return "", true
}
