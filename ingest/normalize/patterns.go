package normalize

import (
	"fmt"
	"slices"
	"strings"
)

// maxGap is how many other words may stand between two terms of a title
// pattern: "Full-Stack Rails Engineer" matches "fullstack @dev".
const maxGap = 2

// lexicon is the vocabulary of the title tables: every word they name gets a
// small id, so that matching compares integers. Words of a title that no
// table names get id -1.
type lexicon struct {
	ids     map[string]int32
	classes map[string][]int32 // class name -> word ids (words.tsv)
	joins   map[[2]int32]int32 // two consecutive words -> the compound (words.tsv)
	// heads are the words that end compounds (words.tsv), longest first: a
	// word no table knows that ends with one is read as it, so
	// "kreditorenbuchhalter" is "buchhalter".
	heads []string
}

// id returns the id of a folded word, adding it to the vocabulary.
func (lx *lexicon) id(w string) int32 {
	if id, ok := lx.ids[w]; ok {
		return id
	}
	id := int32(len(lx.ids))
	lx.ids[w] = id
	return id
}

// checkWord reports an error unless w is a single word in folded form.
func checkWord(r row, w string) error {
	if w == "" || foldString(w, "") != w {
		return r.errorf("%q is not a folded word (lower case, no accents, no spaces or punctuation)", w)
	}
	return nil
}

// loadWords reads words.tsv into a new lexicon.
func loadWords() (*lexicon, error) {
	lx := &lexicon{ids: map[string]int32{}, classes: map[string][]int32{}, joins: map[[2]int32]int32{}}
	rows, err := readTable("words.tsv", 3)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		kind, name, list := r.fields[0], r.fields[1], alternatives(r.fields[2])
		if err := checkWord(r, name); err != nil {
			return nil, err
		}
		switch kind {
		case "class":
			if _, dup := lx.classes[name]; dup {
				return nil, r.errorf("class %q defined twice", name)
			}
			for _, w := range list {
				if err := checkWord(r, w); err != nil {
					return nil, err
				}
				lx.classes[name] = append(lx.classes[name], lx.id(w))
			}
		case "join":
			for _, two := range list {
				parts := strings.Fields(two)
				if len(parts) != 2 || foldString(two, "") != two {
					return nil, r.errorf("join %q: want two folded words", two)
				}
				lx.joins[[2]int32{lx.id(parts[0]), lx.id(parts[1])}] = lx.id(name)
			}
		case "head":
			for _, w := range list {
				if err := checkWord(r, w); err != nil {
					return nil, err
				}
				lx.id(w)
				lx.heads = append(lx.heads, w)
			}
		default:
			return nil, r.errorf("unknown kind %q (want class, join or head)", kind)
		}
	}
	slices.SortStableFunc(lx.heads, func(a, b string) int { return len(b) - len(a) })
	return lx, nil
}

// minCompoundStem is the fewest letters a compound must have before its
// head: "Finanzbuchhalter", "Kfz-Mechatroniker" and "Altenpfleger" are
// compounds, "Buchhalterin" is not one of "buchhalter".
const minCompoundStem = 3

// word returns the word of an id (slowly: for explanations only).
func (lx *lexicon) word(id int32) string {
	for w, i := range lx.ids {
		if i == id {
			return w
		}
	}
	return ""
}

// compound returns, for w, a word no table knows, the id of the head word
// it ends with after at least minCompoundStem letters (the longest head
// first), and the id of the word before the head when a
// table knows that word, with or without a linking "s" ("verkehrs" of
// "Verkehrsplaner" is "verkehr"); -1 for either that is not there.
func (lx *lexicon) compound(w string) (head, stem int32) {
	var s string
	head = -1
	for _, h := range lx.heads {
		if len(w) >= len(h)+minCompoundStem && strings.HasSuffix(w, h) {
			head, s = lx.ids[h], w[:len(w)-len(h)]
			break
		}
	}
	if head < 0 {
		return -1, -1
	}
	if id, ok := lx.ids[s]; ok {
		return head, id
	}
	if t, ok := strings.CutSuffix(s, "s"); ok {
		if id, ok := lx.ids[t]; ok {
			return head, id
		}
	}
	return head, -1
}

// pattern is one compiled line of roles.tsv or seniority.tsv.
type pattern struct {
	terms [][]int32 // each term: the word ids it accepts
	value string    // the role, or the seniority level ("-" for none)
	rank  int       // seniority rank; unused for roles
	src   string    // the table line, for explanations
}

// patternSet is a table of patterns in priority order, indexed by the words
// their first term accepts.
type patternSet struct {
	pats    []pattern
	byFirst [][]int32 // word id -> indexes into pats, ascending
	// gap is how many other words may stand between two terms: maxGap for
	// roles and levels, 0 for the words set aside, whose words stand
	// together ("chef de partie service" holds no "chef de service").
	gap int
}

// compile parses a pattern field ("backend|server @dev") of row r.
func (lx *lexicon) compile(r row, field string) ([][]int32, error) {
	var terms [][]int32
	for _, term := range strings.Fields(field) {
		var ids []int32
		for _, alt := range alternatives(term) {
			if name, ok := strings.CutPrefix(alt, "@"); ok {
				words, ok := lx.classes[name]
				if !ok {
					return nil, r.errorf("unknown class @%s", name)
				}
				ids = append(ids, words...)
				continue
			}
			if err := checkWord(r, alt); err != nil {
				return nil, err
			}
			ids = append(ids, lx.id(alt))
		}
		terms = append(terms, ids)
	}
	if len(terms) == 0 {
		return nil, r.errorf("empty pattern")
	}
	return terms, nil
}

// index builds byFirst once every pattern is compiled and the vocabulary is
// complete.
func (ps *patternSet) index(lx *lexicon) {
	ps.byFirst = make([][]int32, len(lx.ids))
	for i, p := range ps.pats {
		for _, id := range p.terms[0] {
			if n := len(ps.byFirst[id]); n == 0 || ps.byFirst[id][n-1] != int32(i) {
				ps.byFirst[id] = append(ps.byFirst[id], int32(i))
			}
		}
	}
}

// matchAt reports where pattern p ends (exclusive) when its first term is at
// words[i], with up to gap other words between terms; 0 when it does not
// match.
func (p *pattern) matchAt(words []int32, i, gap int) int {
	pos := i
	for _, term := range p.terms[1:] {
		found := -1
		for j := pos + 1; j <= pos+1+gap && j < len(words); j++ {
			if hasID(term, words[j]) {
				found = j
				break
			}
		}
		if found < 0 {
			return 0
		}
		pos = found
	}
	return pos + 1
}

func hasID(ids []int32, id int32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// candidates returns the patterns whose first term accepts word id.
func (ps *patternSet) candidates(id int32) []int32 {
	if id < 0 || int(id) >= len(ps.byFirst) {
		return nil
	}
	return ps.byFirst[id]
}

// first returns the pattern of lowest index that matches anywhere in words,
// or -1.
func (ps *patternSet) first(words []int32) int {
	best := -1
	for i, id := range words {
		for _, pi := range ps.candidates(id) {
			if best >= 0 && int(pi) >= best {
				break
			}
			if ps.pats[pi].matchAt(words, i, ps.gap) > 0 {
				best = int(pi)
				break
			}
		}
	}
	return best
}

// markTerms marks in used the words that pattern p's terms match when its
// first term is at words[i] (it must match there): the words in the gaps
// between terms stay unmarked, to be read on their own.
func (p *pattern) markTerms(words []int32, i, gap int, used []bool) {
	used[i] = true
	pos := i
	for _, term := range p.terms[1:] {
		for j := pos + 1; j <= pos+1+gap && j < len(words); j++ {
			if hasID(term, words[j]) {
				used[j] = true
				pos = j
				break
			}
		}
	}
}

// longestAt returns the pattern with the longest match starting at words[i]
// (the lowest index among equals) and where that match ends; -1 and i when
// none matches.
func (ps *patternSet) longestAt(words []int32, i int) (int, int) {
	best, end := -1, i
	for _, pi := range ps.candidates(words[i]) {
		if e := ps.pats[pi].matchAt(words, i, ps.gap); e > end {
			best, end = int(pi), e
		}
	}
	return best, end
}

// mask sets aside (id -1) the words of every match of the set in words,
// longest first at each word, left to right.
func (ps *patternSet) mask(words []int32, tr *trace) {
	for i := 0; i < len(words); {
		if words[i] < 0 {
			i++
			continue
		}
		p, end := ps.longestAt(words, i)
		if p < 0 {
			i++
			continue
		}
		for j := i; j < end; j++ {
			words[j] = -1
		}
		if tr != nil {
			tr.add("role", "", "words set aside by "+ps.pats[p].src)
		}
		i = end
	}
}

// genderLetter reports whether w is a letter of the gender markers written
// after titles: m, w, d, f, h, x as in "(m/w/d)", "(f/m/x)", "(H/F)".
func genderLetter(w []byte) bool {
	return len(w) == 1 && (w[0] == 'm' || w[0] == 'w' || w[0] == 'd' || w[0] == 'f' || w[0] == 'h' || w[0] == 'x')
}

// genderMarkerEnd returns where the gender marker starting at word i ends
// (exclusive): two or more such letters joined by slashes. It returns i when
// none starts there.
func (t *text) genderMarkerEnd(i int) int {
	j := i
	for j < t.nt && genderLetter(t.word(j)) && (j == i || t.toks[j].sep == sepSlash) {
		j++
	}
	if j-i < 2 {
		return i
	}
	return j
}

// Kinds of alternatives of [lexicon.words].
const (
	altSlash byte = 1 + iota // "Senior/Staff"
	altOr                    // "Junior or Mid"
)

// words maps the scanned words of t to ids, joining compounds, into dst.
// Gender markers ("(m/w/d)", "H/F") are left out, so that they stand
// between no two terms of a pattern.
//
// alt, when long enough, tells for each word whether it is written as an
// alternative to what stands before it: altSlash right after a slash,
// altOr right after "or", "oder", "ou" or "o".
func (lx *lexicon) words(t *text, dst []int32, alt []byte, tr *trace) []int32 {
	dst = dst[:0]
	prevOr := false
	for i := 0; i < t.nt; i++ {
		if end := t.genderMarkerEnd(i); end > i {
			i = end - 1
			continue
		}
		w := t.word(i)
		var isAlt byte
		switch {
		case prevOr:
			isAlt = altOr
		case t.toks[i].sep == sepSlash:
			isAlt = altSlash
		}
		prevOr = string(w) == "or" || string(w) == "oder" || string(w) == "ou" || string(w) == "o"
		id, ok := lx.ids[string(t.word(i))]
		if !ok {
			var stem int32
			id, stem = lx.compound(string(t.word(i)))
			if id >= 0 && tr != nil {
				if stem >= 0 {
					tr.add("role", "", fmt.Sprintf("%q read as its head %q (rules/words.tsv: head), after the word %q it starts with", string(t.word(i)), lx.word(id), lx.word(stem)))
				} else {
					tr.add("role", "", fmt.Sprintf("%q read as its head %q (rules/words.tsv: head)", string(t.word(i)), lx.word(id)))
				}
			}
			// A stem the tables know stands before the head, as the word
			// that qualifies it: "Verkehrsplaner" is "verkehr planer",
			// which a line may read otherwise than a bare "planer".
			if stem >= 0 && len(dst) < cap(dst) {
				if n := len(dst); n < len(alt) {
					alt[n] = isAlt
				}
				dst = append(dst, stem)
				isAlt = 0
			}
		}
		if n := len(dst); n > 0 && id >= 0 && dst[n-1] >= 0 {
			if j, ok := lx.joins[[2]int32{dst[n-1], id}]; ok {
				dst[n-1] = j
				continue
			}
		}
		if n := len(dst); n < len(alt) {
			alt[n] = isAlt
		}
		dst = append(dst, id)
	}
	return dst
}

// String describes a pattern for test failures.
func (p pattern) String() string { return fmt.Sprintf("%s(%d terms)", p.value, len(p.terms)) }
