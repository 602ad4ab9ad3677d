package normalize

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Classes of rules/place_text.tsv.
const (
	ptLabel = iota
	ptBefore
	ptWorldwide
	ptIgnoreClass
)

// ptPhrase is one phrase of rules/place_text.tsv, ASCII lower case as
// matched.
type ptPhrase struct {
	text    string
	class   int
	src     string     // the table line, for explanations
	ignores []ptIgnore // the ignore phrases that hold this one
}

// ptIgnore is an ignore phrase of rules/place_text.tsv that holds another
// phrase at byte at: where the other is found, the text around it is
// compared with the ignore phrase. Only the phrases that may name a place
// are looked for, and the ignore phrases ("we are based in", "company is
// based in") start with common words.
type ptIgnore struct {
	text string
	at   int
	src  string
}

// ptPhrases are the phrases of rules/place_text.tsv, longest first.
var ptPhrases = func() []ptPhrase {
	rows, err := readTable("place_text.tsv", 2)
	mustLoad(err)
	classes := map[string]int{"label": ptLabel, "before": ptBefore, "worldwide": ptWorldwide, "ignore": ptIgnoreClass}
	var out []ptPhrase
	var ignores []ptIgnore
	seen := map[string]bool{}
	for _, r := range rows {
		class, ok := classes[r.fields[0]]
		if !ok {
			mustLoad(r.errorf("class %q: want label, before, worldwide or ignore", r.fields[0]))
		}
		for _, p := range alternatives(r.fields[1]) {
			if p != strings.ToLower(p) || len(p) < 2 {
				mustLoad(r.errorf("phrase %q is not in lower case, or shorter than two bytes", p))
			}
			if seen[p] {
				mustLoad(r.errorf("phrase %q is listed twice", p))
			}
			seen[p] = true
			src := fmt.Sprintf("%q of rules/%s:%d", p, r.file, r.line)
			if class == ptIgnoreClass {
				ignores = append(ignores, ptIgnore{text: p, src: src})
				continue
			}
			out = append(out, ptPhrase{text: p, class: class, src: src})
		}
	}
	for _, ig := range ignores {
		held := false
		for i := range out {
			if at := strings.Index(ig.text, out[i].text); at >= 0 {
				ig.at, held = at, true
				out[i].ignores = append(out[i].ignores, ig)
			}
		}
		if !held {
			mustLoad(fmt.Errorf("normalize: rules/place_text.tsv: ignore phrase %s holds no other phrase", ig.src))
		}
	}
	slices.SortStableFunc(out, func(a, b ptPhrase) int { return len(b.text) - len(a.text) })
	return out
}()

// ignoredAt returns the end of the ignore phrase that holds p where p is
// found at text[i:], or -1 when none does.
func (p *ptPhrase) ignoredAt(text string, i int) int {
	for _, ig := range p.ignores {
		start, end := i-ig.at, i-ig.at+len(ig.text)
		if start >= 0 && end <= len(text) && asciiLowerEqual(text[start:end], ig.text) &&
			(start == 0 || !isWordByte(text[start-1])) && (end == len(text) || !isWordByte(text[end]) || !isWordByte(ig.text[len(ig.text)-1])) {
			return end
		}
	}
	return -1
}

// ptByPair maps the first two bytes of each phrase ([ptPair]) to the
// index in ptLists of the phrases that start so, longest first; 0 for none.
// A text is read in one pass, one look a word, in a table small enough to
// stay in the processor's first cache.
var ptByPair, ptLists = func() (t [28 * 32]uint8, lists [][]*ptPhrase) {
	lists = [][]*ptPhrase{nil}
	for i := range ptPhrases {
		p := &ptPhrases[i]
		k := ptPair(p.text[0], p.text[1])
		if t[k] == 0 {
			if len(lists) == 255 {
				panic("normalize: rules/place_text.tsv: too many first letter pairs")
			}
			t[k] = uint8(len(lists))
			lists = append(lists, nil)
		}
		lists[t[k]] = append(lists[t[k]], p)
	}
	return t, lists
}()

// ptTriples holds a bit for the first three bytes of each phrase
// ([ptTriple]): a word of a text whose first three bytes have no bit starts
// no phrase, and most words are passed over after this one look.
var ptTriples = func() (t [28 * 32 * 32 / 64]uint64) {
	for _, p := range ptPhrases {
		c := byte(' ')
		if len(p.text) > 2 {
			c = p.text[2]
		}
		k := ptTriple(p.text[0], p.text[1], c)
		t[k/64] |= 1 << (k % 64)
	}
	return t
}()

// ptTriple is the bit of ptTriples for three bytes a, b, c.
func ptTriple(a, b, c byte) int {
	return int(ptLetter[a])<<10 | int(ptLetter[b])<<5 | int(ptThird[c])
}

// ptThird numbers the third byte of a phrase: as [ptLetter], and a space
// 28, "(" 29, "-" 30, "'" and "’"'s first byte 31.
var ptThird = func() (t [256]uint8) {
	t = ptLetter
	t[' '], t['('], t['-'], t['\''] = 28, 29, 30, 31
	return t
}()

// ptLetter numbers the bytes that may start a phrase's words: ASCII
// letters 1 to 26 whatever their case, bytes of multi-byte characters 27,
// others 0.
var ptLetter = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = uint8(c-'a'+1), uint8(c-'a'+1)
	}
	for c := 0x80; c < 256; c++ {
		t[c] = 27
	}
	return t
}()

// ptPair is the index of ptByPair for a text or phrase whose first two
// bytes are a and b.
func ptPair(a, b byte) int { return int(ptLetter[a])<<5 | int(ptLetter[b]) }

// ignoreSrc names the ignore phrase that holds p at text[i:].
func ignoreSrc(p *ptPhrase, text string, i int) string {
	for _, ig := range p.ignores {
		if e := (&ptPhrase{ignores: []ptIgnore{ig}}).ignoredAt(text, i); e >= 0 {
			return ig.src
		}
	}
	return ""
}

// ptFragment is how many bytes after a phrase may name the place.
const ptFragment = 80

// TextPlace reads where candidates may be from a posting's description (its
// plain text), with the phrases of rules/place_text.tsv: the place after
// "Location:", "based in", "remote within" and the like, read by
// [ParseLocation], and worldwide for "no location restrictions". It is for
// a posting whose location text names no place; the result's Workplace is
// always "" (see [TextWorkplace]). Phrases about the company ("we are based
// in") are passed over.
func TextPlace(text string) Location { return textPlace(text, nil) }

// ExplainTextPlace reads a description as [TextPlace] does and returns,
// beside the location, each phrase it found and what followed it.
func ExplainTextPlace(text string) (Location, []Step) {
	var tr trace
	loc := textPlace(text, &tr)
	return loc, tr.steps
}

// ptMatch is a phrase found in a text: its bounds and phrase.
type ptMatch struct {
	start, end int
	p          *ptPhrase
}

func textPlace(text string, tr *trace) Location {
	var found []ptMatch
	inWord := false
	for i := 0; i+1 < len(text); i++ {
		c := text[i]
		if !wordBytes[c] {
			inWord = false
			continue
		}
		if inWord && (c < 'A' || c > 'Z' || text[i-1] < 'a' || text[i-1] > 'z') {
			continue // within a word, only a capital after a small letter starts one ("EngineerLocation")
		}
		inWord = true
		c3 := byte(' ')
		if i+2 < len(text) {
			c3 = text[i+2]
		}
		if k := ptTriple(c, text[i+1], c3); ptTriples[k/64]&(1<<(k%64)) == 0 {
			continue
		}
		l := ptByPair[ptPair(c, text[i+1])]
		for _, p := range ptLists[l] {
			end := i + len(p.text)
			if end > len(text) || !asciiLowerEqual(text[i+2:end], p.text[2:]) {
				continue
			}
			if last := p.text[len(p.text)-1]; isWordByte(last) && end < len(text) && isWordByte(text[end]) {
				continue
			}
			// The longest phrase at a word is taken, and the words it
			// covers start no other. Within an ignore phrase ("we are
			// based in") it is passed over.
			if e := p.ignoredAt(text, i); e >= 0 {
				tr.add("place", "", "description: phrase "+p.src+" passed over, within "+ignoreSrc(p, text, i))
				end = max(end, e)
			} else {
				found = append(found, ptMatch{i, end, p})
			}
			i, inWord = end-1, isWordByte(text[end-1])
			break
		}
	}

	var countries, regions []string
	worldwide := false
	for _, m := range found {
		switch m.p.class {
		case ptWorldwide:
			worldwide = true
			tr.add("place", "worldwide", "description: phrase "+m.p.src)
			continue
		}
		at := m.end
		if m.p.class == ptLabel {
			if at = afterLabel(text, at); at < 0 {
				continue
			}
		}
		frag := placeFragment(text[at:])
		loc := ParseLocation(frag)
		switch {
		case len(loc.Countries) > 0 || len(loc.Regions) > 0:
			countries = append(countries, loc.Countries...)
			regions = append(regions, loc.Regions...)
		case loc.Scope == ScopeWorldwide:
			worldwide = true
		default:
			continue
		}
		tr.add("place", PlaceString(loc), fmt.Sprintf("description: %q after phrase %s", frag, m.p.src))
	}
	return placesLocation(countries, regions, worldwide)
}

// placesLocation returns the location of countries and regions (sorted,
// without duplicates; nil when none): of a region's scope when it has one,
// else a country's, else worldwide when worldwide is set.
func placesLocation(countries, regions []string, worldwide bool) Location {
	slices.Sort(countries)
	slices.Sort(regions)
	loc := Location{Countries: slices.Compact(countries), Regions: slices.Compact(regions)}
	switch {
	case len(loc.Regions) > 0:
		loc.Scope = ScopeRegion
	case len(loc.Countries) > 0:
		loc.Scope = ScopeCountry
	case worldwide:
		loc.Scope = ScopeWorldwide
	}
	if len(loc.Countries) == 0 {
		loc.Countries = nil
	}
	if len(loc.Regions) == 0 {
		loc.Regions = nil
	}
	return loc
}

// afterLabel returns where the value of a label that ends at i starts:
// after spaces, a colon or a dash, and spaces; -1 when neither follows.
func afterLabel(s string, i int) int {
	i = skipSpaces(s, i)
	switch {
	case strings.HasPrefix(s[i:], ":"), strings.HasPrefix(s[i:], "-"):
		i++
	case strings.HasPrefix(s[i:], "–"):
		i += len("–")
	default:
		return -1
	}
	return skipSpaces(s, i)
}

// skipSpaces returns the index of the first byte from i on that is not an
// ASCII space or tab.
func skipSpaces(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// placeFragment returns the start of s that may name a place: up to the end
// of its sentence (a full stop before a space), a line, a closing
// parenthesis, a word in lower case other than the few that join names
// ("the UK to help us" is "the UK"; "Deutschland, da der Minijob" is
// "Deutschland,"), or [ptFragment] bytes (cut at a word's end).
func placeFragment(s string) string {
	end := min(len(s), ptFragment)
	for i := 0; i < end; i++ {
		switch c := s[i]; {
		case c == '\n' || c == '\r' || c == ';' || c == '!' || c == '?' || c == '|' || c == ')':
			return s[:i]
		case c == '.':
			if i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\n' {
				return s[:i]
			}
		case i > 0 && isWordByte(s[i-1]):
			if camelJoin(s, i) && i+1 < len(s) && 'a' <= s[i+1] && s[i+1] <= 'z' {
				return s[:i] // "Remote, UKEmployment Type": a field run on
			}
		case isWordByte(c):
			// The start of a word.
			w := s[i:wordEnd(s, i)]
			r, _ := utf8.DecodeRuneInString(w)
			if unicode.IsLower(r) && !placeJoiners[w] {
				return s[:i]
			}
		}
	}
	if end < len(s) {
		end = wordStart(s, end)
	}
	return s[:end]
}

// placeJoiners are the words in lower case that may stand between or before
// names of places in a list.
var placeJoiners = map[string]bool{
	"and": true, "or": true, "the": true, "of": true, "und": true, "oder": true, "et": true, "ou": true,
	"y": true, "o": true, "e": true, "de": true, "du": true, "des": true, "la": true, "le": true, "les": true,
	"del": true, "di": true, "in": true, "im": true, "en": true, "our": true, "one": true,
	// "hiring in the following provinces: Ontario, Alberta"
	"following": true, "provinces": true, "states": true, "countries": true, "regions": true,
	"territories": true, "cities": true, "locations": true, "areas": true,
}

// camelJoin reports whether s[i] is a capital right after a letter: where
// text scraped without its line breaks runs two fields together
// ("Engineer" + "Location: Remote, UK" + "Employment Type").
func camelJoin(s string, i int) bool {
	if i == 0 || s[i] < 'A' || s[i] > 'Z' {
		return false
	}
	c := s[i-1] | 0x20
	return 'a' <= c && c <= 'z'
}

// PlaceString formats a location's place for an explanation: its
// countries and regions, or "worldwide", joined by commas.
func PlaceString(l Location) string {
	parts := append(append([]string{}, l.Countries...), l.Regions...)
	if l.Scope == ScopeWorldwide {
		parts = append(parts, "worldwide")
	}
	return strings.Join(parts, ",")
}

// TitlePlace returns the countries a job title names by their full names
// ("Partnerships Manager Japan", "Senior Sales Manager - Netherlands and
// Germany"): the market a job serves, which the location text (often the
// company's seat) may not say. Towns, states, codes, names shorter than
// four letters, groups ("DACH": an account executive for DACH may sit in
// Munich) and regions ("European" policy) are not read from a title.
func TitlePlace(title string) Location {
	if !mayNameCountry(title) {
		return Location{}
	}
	folded := foldString(title, "")
	// The words of folded are single-spaced: a run of words is a part of
	// it, looked up without a copy.
	var starts [64]int
	n := 0
	for i := 0; i < len(folded) && n < len(starts); i++ {
		if i == 0 || folded[i-1] == ' ' {
			starts[n] = i
			n++
		}
	}
	end := func(w int) int { // the end of word w
		if w+1 < n {
			return starts[w+1] - 1
		}
		return len(folded)
	}
	var countries []string
	for i := 0; i < n; {
		found := 0
		for k := min(maxPlaceWords, n-i); k >= 1 && found == 0; k-- {
			name := folded[starts[i]:end(i+k-1)]
			if len(name) < 4 {
				continue
			}
			if p := placeNames[name]; p != nil && !p.capitals && p.kind == placeCountry {
				countries = append(countries, p.countries...)
				found = k
			}
		}
		i += max(found, 1)
	}
	return placesLocation(countries, nil, false)
}

// countryStarts holds the first four letters of every country name of the
// places tables that is four letters or longer, as folded.
var countryStarts = sync.OnceValue(func() map[[4]byte]bool {
	m := map[[4]byte]bool{}
	for name, p := range placeNames {
		if p.kind == placeCountry && !p.capitals && len(name) >= 4 {
			m[[4]byte{name[0], name[1], name[2], name[3]}] = true
		}
	}
	return m
})

// mayNameCountry reports whether a word of s starts as a country name does
// (its first four letters, ASCII case aside), or with a letter that is not
// ASCII (which only folding can tell): most titles name none, and are
// passed over without being folded.
func mayNameCountry(s string) bool {
	starts := countryStarts()
	for i := 0; i < len(s); i++ {
		if i > 0 && isWordByte(s[i-1]) || !isWordByte(s[i]) {
			continue
		}
		if i+4 > len(s) {
			return false
		}
		var k [4]byte
		for j := range k {
			c := s[i+j]
			if c >= utf8.RuneSelf {
				return true
			}
			k[j] = lowerASCII(c)
		}
		if starts[k] {
			return true
		}
	}
	return false
}
