package normalize

import (
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
	skillTags        map[string]string     // tag key -> skill, or "-" for noise
	skillTitles      map[string]string     // title name -> skill
	maxSkillTitleLen int                   // words in the longest title name
	skillTitleIndex  map[string]titleEntry // title name or its first words -> entry
	skillNames       map[string]bool       // every skill the table names
)

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
	tags, titles, names := map[string]string{}, map[string]string{}, map[string]bool{}
	maxWords := 1
	for _, r := range rows {
		skill := r.fields[0]
		if len(r.fields) > 3 {
			return r.errorf("want skill <TAB> tag names [<TAB> title names]")
		}
		if skill != "-" {
			names[skill] = true
		}
		for _, name := range alternatives(r.fields[1]) {
			var buf [maxTagBytes]byte
			if key := tagKey(buf[:0], name); string(key) != name {
				return r.errorf("tag name %q is not in key form (want %q)", name, key)
			}
			if prev, dup := tags[name]; dup {
				return r.errorf("tag name %q is already %q", name, prev)
			}
			tags[name] = skill
		}
		if len(r.fields) < 3 {
			continue
		}
		if skill == "-" {
			return r.errorf("noise has no title names")
		}
		for _, name := range alternatives(r.fields[2]) {
			inner := strings.TrimSuffix(strings.TrimPrefix(name, "("), ")")
			var t text
			t.scan(inner, true)
			words := make([]string, t.nt)
			for i := range words {
				words[i] = string(t.word(i))
			}
			if strings.Join(words, " ") != inner {
				return r.errorf("title name %q is not folded (want %q)", inner, strings.Join(words, " "))
			}
			if prev, dup := titles[name]; dup {
				return r.errorf("title name %q is already %q", name, prev)
			}
			titles[name] = skill
			maxWords = max(maxWords, t.nt)
		}
	}
	skillTags, skillTitles, maxSkillTitleLen, skillNames = tags, titles, maxWords, names
	skillTitleIndex = indexTitleNames(titles)
	return nil
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

// Skills returns the skills named by a posting's tags and title, normalized,
// without duplicates, sorted (byte order) and at most 50. Every skill is one
// of rules/skills.tsv: a tag that no line of the table names is no skill (it
// stays a tag of the posting), nor is a noise tag (a seniority, a role, a
// contract or a work style, or a word such as "digital nomad", "software"
// or "other").
//
// A tag is looked up in the table in lower case, without accents, trimmed
// and with spaces collapsed: "golang" is "Go", "node.js" "Node.js",
// "ruby/rails" "Ruby on Rails", "Typescript " "TypeScript", "AI/ML" "Machine
// Learning".
//
// The title adds the skills it names by the title names of the table: "Senior
// Software Engineer Ruby on Rails" names Ruby on Rails, "Backend Engineer
// (Go)" names Go; "Go To Market Strategist" names none.
func Skills(tags []string, title string) []string {
	if len(tags) == 0 && title == "" {
		return nil
	}
	out := make([]string, 0, min(len(tags), maxSkills*2)+4)
	for _, tag := range tags {
		if len(out) == maxSkills*2 {
			break
		}
		if s := tagSkill(tag); s != "" {
			out = append(out, s)
		}
	}
	out = appendTitleSkills(out, title)
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

// tagSkill returns the skill of one tag, or "" when it is noise or no line
// of the table names it.
func tagSkill(tag string) string {
	if len(tag) > maxTagBytes {
		return ""
	}
	var buf [maxTagBytes + 8]byte
	key := tagKey(buf[:0], tag)
	if len(key) == 0 {
		return ""
	}
	if s := skillTags[string(key)]; s != "-" {
		return s
	}
	return ""
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
