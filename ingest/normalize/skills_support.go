package normalize

import (
	"cmp"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
)

// supportRule is what supports the ambiguous tag names of one skill in a
// title or a description (the rule is in the header of rules/skills.tsv):
// its support names, and the tag names themselves standing in a list beside
// another skill.
type supportRule struct {
	skill    string
	searches []supportSearch
}

// supportAnchor is a word whose places in a text are checked for support:
// an ambiguous tag name, or the anchor of support names (see
// [supportPhrase]), or both.
type supportAnchor struct {
	word    string          // folded, ASCII
	name    bool            // an ambiguous tag name: it may stand in a list, and must stand alone
	phrases []supportPhrase // the support names it anchors
}

// supportPhrase is a support name as words, and which of them is its
// anchor: the skill's ambiguous tag name when it holds one ("in go"), else
// its longest word ("apache spark" is looked for as "apache").
type supportPhrase struct {
	words  []string
	anchor int
}

// supportSearch is a string looked for in text, whatever the case of its
// letters, with the anchors that start with it: looking for "go" finds
// "golang" too, so one pass over the text serves both. It is looked for by
// its rarest byte, prefix[rare] (see [rareByte]).
type supportSearch struct {
	prefix  string
	rare    int
	anchors []*supportAnchor
}

// supportWindow is how far before and after an anchor the words of a
// support name or a list may reach, in bytes: a support name or a list
// link and a two-word skill take fewer than 40.
const supportWindow = 48

// lettersByUse are the lower-case letters from the commonest in English
// text to the rarest.
const lettersByUse = "etaoinshrdlcumwfgypbvkjxqz"

// checkAmbiguousName reports why name cannot be an ambiguous tag name: it
// must be one ASCII word as the title scan reads it, since it is looked for
// byte by byte in either case and compared with one word.
func checkAmbiguousName(name string) error {
	words, err := nameWords(name)
	switch {
	case err != nil:
		return err
	case len(words) != 1 || !isASCIIString(name):
		return errors.New("want one ASCII word")
	}
	return nil
}

// compileSupport builds the support rule of skill from its ambiguous tag
// names and its support names.
func compileSupport(skill string, names, support []string) (*supportRule, error) {
	anchors := map[string]*supportAnchor{}
	anchor := func(w string) *supportAnchor {
		a := anchors[w]
		if a == nil {
			a = &supportAnchor{word: w}
			anchors[w] = a
		}
		return a
	}
	for _, n := range names {
		anchor(n).name = true
	}
	for _, s := range support {
		words, err := nameWords(s)
		if err != nil {
			return nil, fmt.Errorf("support name %w", err)
		}
		k := slices.IndexFunc(words, func(w string) bool { return slices.Contains(names, w) })
		if k < 0 {
			for i, w := range words {
				if isASCIIString(w) && (k < 0 || len(w) > len(words[k])) {
					k = i
				}
			}
		}
		if k < 0 {
			return nil, fmt.Errorf("support name %q has no ASCII word to look for", s)
		}
		a := anchor(words[k])
		a.phrases = append(a.phrases, supportPhrase{words: words, anchor: k})
	}
	// Each anchor is found by the search for the shortest anchor it starts
	// with: shorter words first, so that they make the searches.
	words := make([]string, 0, len(anchors))
	for w := range anchors {
		words = append(words, w)
	}
	slices.SortFunc(words, func(a, b string) int {
		return cmp.Or(len(a)-len(b), strings.Compare(a, b))
	})
	r := &supportRule{skill: skill}
	for _, w := range words {
		i := slices.IndexFunc(r.searches, func(s supportSearch) bool { return strings.HasPrefix(w, s.prefix) })
		if i < 0 {
			r.searches = append(r.searches, supportSearch{prefix: w, rare: rareByte(w)})
			i = len(r.searches) - 1
		}
		r.searches[i].anchors = append(r.searches[i].anchors, anchors[w])
	}
	return r, nil
}

// rareByte returns the index of the rarest byte of s by [lettersByUse]; a
// byte that is no letter counts as rarer than any. Looking for it with
// strings.IndexByte in both cases stops at few places and needs no
// lower-cased copy of the text: on the real descriptions it finds "rest"
// (by its "r") twice as fast as lower-casing a copy and calling bytes.Index
// on it, "apache" (by its "p") six times, "excel" (by its "x") more than
// twenty times (BenchmarkSupportSearch).
func rareByte(s string) int {
	best, bestRank := 0, -1
	for i := 0; i < len(s); i++ {
		rank := strings.IndexByte(lettersByUse, s[i])
		if rank < 0 {
			rank = len(lettersByUse)
		}
		if rank > bestRank {
			best, bestRank = i, rank
		}
	}
	return best
}

// isASCIIString reports whether s is all ASCII.
func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// appendSupported appends to out the skills of rules that the title or the
// description supports, leaving out those out already has (by another tag
// or the title). The title is read first; the description only for the
// rules the title left unsupported.
func appendSupported(out []string, rules []*supportRule, title, description string) []string {
	need := rules[:0]
	for _, r := range rules {
		if !slices.Contains(out, r.skill) {
			need = append(need, r)
		}
	}
	for _, s := range [...]string{title, description} {
		left := need[:0]
		for _, r := range need {
			if r.supportedIn(s) {
				out = append(out, r.skill)
			} else {
				left = append(left, r)
			}
		}
		need = left
	}
	return out
}

// supportedIn reports whether s supports the rule's skill.
func (r *supportRule) supportedIn(s string) bool {
	for i := range r.searches {
		q := &r.searches[i]
		for pos := range q.places(s) {
			for _, a := range q.anchors {
				end := pos + len(a.word)
				if end > len(s) || !asciiLowerEqual(s[pos:end], a.word) || !wordEndsAt(s, end) {
					continue
				}
				if a.name && !standsAlone(s, pos, end) {
					continue
				}
				if a.supports(s, pos, end) {
					return true
				}
			}
		}
	}
	return false
}

// places yields, in order, each place of q.prefix in s at a word start,
// whatever the case of its ASCII letters. It looks for the rare byte in
// lower and in upper case, each with its own cursor, so that each byte of s
// is looked at once per case.
func (q *supportSearch) places(s string) iter.Seq[int] {
	return func(yield func(int) bool) { q.eachPlace(s, yield) }
}

// eachPlace is [supportSearch.places].
func (q *supportSearch) eachPlace(s string, yield func(int) bool) {
	lower := q.prefix[q.rare]
	upper := lower
	if 'a' <= lower && lower <= 'z' {
		upper -= 'a' - 'A'
	}
	nl, nu := indexByteFrom(s, q.rare, lower), len(s)
	if upper != lower {
		nu = indexByteFrom(s, q.rare, upper)
	}
	for nl < len(s) || nu < len(s) {
		at := min(nl, nu)
		if at == nl {
			nl = indexByteFrom(s, at+1, lower)
		} else {
			nu = indexByteFrom(s, at+1, upper)
		}
		pos := at - q.rare
		if pos+len(q.prefix) > len(s) || !asciiLowerEqual(s[pos:pos+len(q.prefix)], q.prefix) ||
			pos > 0 && isWordByte(s[pos-1]) {
			continue // not the prefix, or inside a word
		}
		if !yield(pos) {
			return
		}
	}
}

// indexByteFrom returns the place of the first c in s at or after from, or
// len(s).
func indexByteFrom(s string, from int, c byte) int {
	if from < len(s) {
		if j := strings.IndexByte(s[from:], c); j >= 0 {
			return from + j
		}
	}
	return len(s)
}

// wordEndsAt reports whether a word of s ends at end, as the title scan
// reads words: no letter or digit follows, nor a "+" or "#" ("c++", "c#"),
// nor a dot before a letter or digit ("node.js").
func wordEndsAt(s string, end int) bool {
	if end == len(s) {
		return true
	}
	switch c := s[end]; {
	case isWordByte(c), c == '+', c == '#':
		return false
	case c == '.':
		return end+1 == len(s) || !isWordByte(s[end+1])
	}
	return true
}

// standsAlone reports whether the word s[pos:end] stands alone: what
// touches it on either side is a space, a bracket, a quote or a
// punctuation mark that ends a phrase or a list item, not a hyphen, "&", an
// apostrophe or the like that joins it to another word ("go-to-market",
// "C-suite", "R&D", "Go's").
func standsAlone(s string, pos, end int) bool {
	return (pos == 0 || freeSide[s[pos-1]]) &&
		(end == len(s) || freeSide[s[end]] || s[end] == '.')
}

// freeSide marks the bytes that leave a word standing alone (see
// [standsAlone]); a dot does only after the word.
var freeSide = func() (t [256]bool) {
	for _, c := range []byte(" \t\n\v\f\r,;:!?/\\()[]{}\"|*<>") {
		t[c] = true
	}
	return t
}()

// supports reports whether the anchor a, found at s[pos:end], supports its
// skill there: one of its support names stands around it, or, for an
// ambiguous tag name, it stands in a list beside another skill. The words
// around it are read as the title scan reads a title, from a window of
// whole words.
func (a *supportAnchor) supports(s string, pos, end int) bool {
	from := max(pos-supportWindow, 0)
	for from > 0 && from < pos && isWordByte(s[from-1]) {
		from++ // drop the word cut in two
	}
	to := min(end+supportWindow, len(s))
	for to < len(s) && to > end && isWordByte(s[to]) {
		to--
	}
	var t text
	t.scan(s[from:to], true)
	h := -1
	for i := range t.nt {
		if int(t.toks[i].src) == end-from {
			h = i
			break
		}
	}
	if h < 0 || string(t.word(h)) != a.word {
		return false
	}
	for _, p := range a.phrases {
		if p.at(&t, h) {
			return true
		}
	}
	return a.name && listedWithSkill(&t, h)
}

// at reports whether the support name stands in t with its anchor at word
// h, its words separated as the words of a title name may be.
func (p supportPhrase) at(t *text, h int) bool {
	first := h - p.anchor
	if first < 0 || first+len(p.words) > t.nt {
		return false
	}
	for i, w := range p.words {
		j := first + i
		if i > 0 && t.toks[j].sep > sepSlash || string(t.word(j)) != w {
			return false
		}
	}
	return true
}

// listWords join two items of a list as a comma does, in English, German
// and French.
var listWords = map[string]bool{"and": true, "or": true, "und": true, "oder": true, "et": true, "ou": true}

// listedWithSkill reports whether word h of t stands in a list beside
// another skill: a tag name of the table that is neither noise nor
// ambiguous, of one or two words, just after or just before it across a
// list separator (a comma, semicolon, line break or bullet: sepList), "&"
// or "+" (sepAmp), a slash (sepSlash), or one of [listWords] (with or
// without a comma before it).
func listedWithSkill(t *text, h int) bool {
	isLink := func(sep byte) bool { return sep == sepList || sep == sepAmp || sep == sepSlash }
	isWordLink := func(j int) bool {
		return j+1 < t.nt && (t.toks[j].sep == sepNone || t.toks[j].sep == sepList) &&
			listWords[string(t.word(j))] && t.toks[j+1].sep == sepNone
	}
	// After: h, j (first word of the other skill).
	if j := h + 1; j < t.nt {
		switch {
		case isLink(t.toks[j].sep):
		case isWordLink(j):
			j++
		default:
			j = -1
		}
		if j >= 0 && (namesSkill(t, j, j+1) || j+1 < t.nt && t.toks[j+1].sep == sepNone && namesSkill(t, j, j+2)) {
			return true
		}
	}
	// Before: j (last word of the other skill), h.
	j := -1
	switch {
	case h >= 1 && isLink(t.toks[h].sep):
		j = h - 1
	case h >= 2 && t.toks[h].sep == sepNone && isWordLink(h-1):
		j = h - 2
	}
	return j >= 0 && (namesSkill(t, j, j+1) || j >= 1 && t.toks[j].sep == sepNone && namesSkill(t, j-1, j+1))
}

// namesSkill reports whether words from to to (excluded) of t, joined by
// spaces, are a tag name of the table that names a skill without ambiguity.
func namesSkill(t *text, from, to int) bool {
	var buf [maxTagBytes]byte
	key := buf[:0]
	for j := from; j < to; j++ {
		w := t.word(j)
		if len(key)+1+len(w) > len(buf) {
			return false
		}
		if j > from {
			key = append(key, ' ')
		}
		key = append(key, w...)
	}
	e := skillTags[string(key)]
	return e.skill != "" && e.skill != "-" && e.support == nil
}
