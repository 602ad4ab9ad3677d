package normalize

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of [Skills].
const (
	maxSkills   = 50  // skills kept per posting
	maxTagBytes = 200 // longer tags are not even read
)

// The compiled skills table (rules/skills.tsv).
var (
	skillTags        map[string]tagEntry   // tag key -> what it names
	skillTitles      map[string]string     // title name -> skill
	maxSkillTitleLen int                   // words in the longest title name
	skillTitleIndex  map[string]titleEntry // title name or its first words -> entry
	skillNames       map[string]bool       // every skill the table names
)

// tagEntry is what a tag key names: a skill, or "-" for noise; support is
// set when the tag name is ambiguous, and says what must support it.
type tagEntry struct {
	skill   string
	support *supportRule
}

// titleEntry is what some words of a title may name, for appendTitleSkills:
// the skill of the title name they are, the skill of the title name they
// are in brackets ("(go)"), and whether longer title names start with them.
type titleEntry struct {
	plain, bracketed string
	longer           bool
}

func init() { mustLoad(loadSkills()) }

// loadSkills compiles rules/skills.tsv.
func loadSkills() error {
	rows, err := readTable("skills.tsv", 2)
	if err != nil {
		return err
	}
	t, err := compileSkills(rows)
	if err != nil {
		return err
	}
	skillTags, skillTitles, maxSkillTitleLen, skillNames = t.tags, t.titles, t.maxTitleWords, t.names
	skillTitleIndex = indexTitleNames(t.titles)
	return nil
}

// skillTable is the skills table compiled.
type skillTable struct {
	tags          map[string]tagEntry // tag key -> what it names
	titles        map[string]string   // title name -> skill
	names         map[string]bool     // every skill
	maxTitleWords int                 // words in the longest title name
}

// compileSkills compiles the rows of the skills table.
func compileSkills(rows []row) (*skillTable, error) {
	t := &skillTable{tags: map[string]tagEntry{}, titles: map[string]string{}, names: map[string]bool{}, maxTitleWords: 1}
	for _, r := range rows {
		if err := t.add(r); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// add compiles one row: skill <TAB> tag names [<TAB> title names [<TAB>
// support names]].
func (t *skillTable) add(r row) error {
	skill := r.fields[0]
	if len(r.fields) > 4 {
		return r.errorf("want skill <TAB> tag names [<TAB> title names [<TAB> support names]]")
	}
	if skill != "-" {
		t.names[skill] = true
	}
	var ambiguous []string
	for _, name := range alternatives(r.fields[1]) {
		name, amb := strings.CutSuffix(name, "?")
		var buf [maxTagBytes]byte
		if key := tagKey(buf[:0], name); string(key) != name {
			return r.errorf("tag name %q is not in key form (want %q)", name, key)
		}
		if prev, dup := t.tags[name]; dup {
			return r.errorf("tag name %q is already %q", name, prev.skill)
		}
		if amb {
			if skill == "-" {
				return r.errorf("noise tag %q cannot be ambiguous", name)
			}
			if err := checkAmbiguousName(name); err != nil {
				return r.errorf("ambiguous tag name %q: %v", name, err)
			}
			ambiguous = append(ambiguous, name)
		}
		t.tags[name] = tagEntry{skill: skill}
	}
	if len(r.fields) > 2 && r.fields[2] != "-" {
		if skill == "-" {
			return r.errorf("noise has no title names")
		}
		for _, name := range alternatives(r.fields[2]) {
			inner := strings.TrimSuffix(strings.TrimPrefix(name, "("), ")")
			words, err := nameWords(inner)
			if err != nil {
				return r.errorf("title name %v", err)
			}
			if prev, dup := t.titles[name]; dup {
				return r.errorf("title name %q is already %q", name, prev)
			}
			t.titles[name] = skill
			t.maxTitleWords = max(t.maxTitleWords, len(words))
		}
	}
	var support []string
	if len(r.fields) > 3 {
		support = alternatives(r.fields[3])
	}
	switch {
	case len(ambiguous) > 0 && len(support) == 0:
		return r.errorf("ambiguous tag names %q have no support names", ambiguous)
	case len(ambiguous) == 0 && len(support) > 0:
		return r.errorf("support names but no ambiguous tag name (mark one with ?)")
	case len(ambiguous) == 0:
		return nil
	}
	rule, err := compileSupport(skill, ambiguous, support)
	if err != nil {
		return r.errorf("%v", err)
	}
	for _, name := range ambiguous {
		t.tags[name] = tagEntry{skill: skill, support: rule}
	}
	return nil
}

// nameWords returns the words of a title or support name, checking that
// it is written as the title scan reads it (folded, symbols kept, one space
// between words).
func nameWords(name string) ([]string, error) {
	var t text
	t.scan(name, true)
	words := make([]string, t.nt)
	for i := range words {
		words[i] = string(t.word(i))
	}
	if want := strings.Join(words, " "); want != name || len(words) == 0 {
		return nil, fmt.Errorf("%q is not folded (want %q)", name, want)
	}
	return words, nil
}

// indexTitleNames builds skillTitleIndex from the title names. A name half
// in brackets, such as "(go", can never match and is left out.
func indexTitleNames(titles map[string]string) map[string]titleEntry {
	index := map[string]titleEntry{}
	for name, skill := range titles {
		inner, open := strings.CutPrefix(name, "(")
		inner, closed := strings.CutSuffix(inner, ")")
		words := strings.Fields(inner)
		if open != closed || len(words) == 0 {
			continue
		}
		for n := 1; n <= len(words); n++ {
			key := strings.Join(words[:n], " ")
			e := index[key]
			switch {
			case n < len(words):
				e.longer = true
			case open:
				e.bracketed = skill
			default:
				e.plain = skill
			}
			index[key] = e
		}
	}
	return index
}

// Skills returns the skills a posting names by its tags and its title,
// normalized, without duplicates, sorted (byte order) and at most 50. Every
// skill is one of rules/skills.tsv: a tag that no line of the table names is
// no skill (it stays a tag of the posting), nor is a noise tag (a seniority,
// a role, a contract or a work style, or a word such as "digital nomad",
// "software" or "other").
//
// A tag is looked up in the table in lower case, without accents, trimmed
// and with spaces collapsed: "golang" is "Go", "node.js" "Node.js",
// "ruby/rails" "Ruby on Rails", "Typescript " "TypeScript", "AI/ML" "Machine
// Learning".
//
// An ambiguous tag ("go", "r", "c", "health", "rest", "excel": those marked
// with "?" in the table) names its skill only when the title or the
// description supports it, by one of the skill's support names ("Golang",
// "Go developer", "written in Go", "R programming", "healthcare") or by
// standing in a list beside another skill ("Java, Go", "C/C++", "SQL and
// R"); rules/skills.tsv has the whole rule. The description is the plain
// text of the posting's description ([PlainText]); it is read only when an
// ambiguous tag asks for it.
//
// The title adds the skills it names by the title names of the table: "Senior
// Software Engineer Ruby on Rails" names Ruby on Rails, "Backend Engineer
// (Go)" names Go; "Go To Market Strategist" names none.
func Skills(tags []string, title, description string) []string {
	if len(tags) == 0 && title == "" {
		return nil
	}
	out := make([]string, 0, min(len(tags), maxSkills*2)+4)
	var buf [8]*supportRule
	ambiguous := buf[:0]
	for _, tag := range tags {
		if len(out) == maxSkills*2 {
			break
		}
		switch e := tagEntryOf(tag); {
		case e.skill == "" || e.skill == "-":
		case e.support != nil:
			if !slices.Contains(ambiguous, e.support) {
				ambiguous = append(ambiguous, e.support)
			}
		default:
			out = append(out, e.skill)
		}
	}
	out = appendTitleSkills(out, title)
	if len(ambiguous) > 0 {
		out = appendSupported(out, ambiguous, title, description)
	}
	if len(out) == 0 {
		return nil
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > maxSkills {
		out = out[:maxSkills]
	}
	return slices.Clip(out)
}

// tagEntryOf returns what a tag names in the table; the zero entry when no
// line names it.
func tagEntryOf(tag string) tagEntry {
	if len(tag) > maxTagBytes {
		return tagEntry{}
	}
	var buf [maxTagBytes + 8]byte
	key := tagKey(buf[:0], tag)
	if len(key) == 0 {
		return tagEntry{}
	}
	return skillTags[string(key)]
}

// tagKey appends the lookup key of a tag to dst: folded (lower case, no
// accents), trimmed, spaces collapsed, other characters kept.
func tagKey(dst []byte, tag string) []byte {
	space := false
	for i := 0; i < len(tag); {
		if c := tag[i]; c < utf8.RuneSelf {
			// ASCII: the spaces are \t-\r and ' ', the control
			// characters the rest below ' ' and DEL.
			i++
			switch {
			case c == ' ' || '\t' <= c && c <= '\r':
				space = len(dst) > 0
				continue
			case c < ' ' || c == 0x7f:
				continue
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			}
			if space {
				dst = append(dst, ' ')
				space = false
			}
			dst = append(dst, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(tag[i:])
		i += size
		if unicode.IsSpace(r) {
			space = len(dst) > 0
			continue
		}
		if unicode.IsControl(r) || r == utf8.RuneError || unicode.Is(unicode.Mn, r) {
			continue
		}
		if space {
			dst = append(dst, ' ')
			space = false
		}
		switch f, ok := foldRune(r); {
		case ok && f != "":
			dst = append(dst, f...)
		default:
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
	}
	return dst
}

// appendTitleSkills appends the skills a title names to out: from each
// word, the longest run of words that is a title name (or a title name in
// brackets, when brackets stand around the run), then on after it. A run
// stops at the first words no title name starts with.
func appendTitleSkills(out []string, title string) []string {
	var t text
	t.scan(title, true)
	var key [maxTextBytes + 2]byte
	for i := 0; i < t.nt; {
		best, bestN := "", 0
		k := key[:0]
		for n := 1; i+n <= t.nt; n++ {
			j := i + n - 1
			if n > 1 {
				if t.toks[j].sep > sepSlash {
					break
				}
				k = append(k, ' ')
			}
			k = append(k, t.word(j)...)
			e, ok := skillTitleIndex[string(k)]
			if !ok {
				break
			}
			if e.plain != "" {
				best, bestN = e.plain, n
			}
			if e.bracketed != "" && t.toks[i].sep == sepOpen {
				after := t.tail
				if j+1 < t.nt {
					after = t.toks[j+1].sep
				}
				if after == sepClose || after == sepOpen {
					best, bestN = e.bracketed, n
				}
			}
			if !e.longer {
				break
			}
		}
		if bestN == 0 {
			i++
			continue
		}
		out = append(out, best)
		i += bestN
	}
	return out
}
