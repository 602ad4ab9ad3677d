package normalize

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// skillsRef is Skills as it was before tagKey had an ASCII fast path and
// appendTitleSkills used skillTitleIndex, and without the searches that
// find the anchors of ambiguous tags: tagKeyRef looks at every rune with the
// unicode package, appendTitleSkillsRef looks up every run of up to
// maxSkillTitleLen words in skillTitles, and supportedRef tries every anchor
// at every word start. Tests check that Skills gives the same skills.
func skillsRef(tags []string, title, description string) []string {
	if len(tags) == 0 && title == "" {
		return nil
	}
	out := make([]string, 0, min(len(tags), maxSkills*2)+4)
	var ambiguous []*supportRule
	for _, tag := range tags {
		if len(out) == maxSkills*2 {
			break
		}
		switch e := tagEntryRef(tag); {
		case e.skill == "" || e.skill == "-":
		case e.support != nil:
			if !slices.Contains(ambiguous, e.support) {
				ambiguous = append(ambiguous, e.support)
			}
		default:
			out = append(out, e.skill)
		}
	}
	out = appendTitleSkillsRef(out, title)
	var supported []string
	for _, r := range ambiguous {
		if !slices.Contains(out, r.skill) && (supportedRef(r, title) || supportedRef(r, description)) {
			supported = append(supported, r.skill)
		}
	}
	out = append(out, supported...)
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

// tagEntryRef is tagEntryOf over tagKeyRef.
func tagEntryRef(tag string) tagEntry {
	if len(tag) > maxTagBytes {
		return tagEntry{}
	}
	var buf [maxTagBytes + 8]byte
	key := tagKeyRef(buf[:0], tag)
	if len(key) == 0 {
		return tagEntry{}
	}
	return skillTags[string(key)]
}

// supportedRef is supportRule.supportedIn without the searches: every
// anchor of the rule is tried at every word start of s lower-cased.
func supportedRef(r *supportRule, s string) bool {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	low := string(b)
	for pos := range len(low) {
		if pos > 0 && isWordByte(low[pos-1]) {
			continue
		}
		for _, q := range r.searches {
			for _, a := range q.anchors {
				end := pos + len(a.word)
				if end <= len(low) && string(low[pos:end]) == a.word && wordEndsAt(low, end) &&
					(!a.name || standsAlone(low, pos, end)) && a.supports(s, pos, end) {
					return true
				}
			}
		}
	}
	return false
}

// tagKeyRef is tagKey without its ASCII fast path.
func tagKeyRef(dst []byte, tag string) []byte {
	space := false
	for _, r := range tag {
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

// appendTitleSkillsRef is appendTitleSkills over skillTitles.
func appendTitleSkillsRef(out []string, title string) []string {
	var t text
	t.scan(title, true)
	var key [maxTextBytes + 2]byte
	for i := 0; i < t.nt; {
		best, bestN := "", 0
		k := key[:0]
		for n := 1; n <= maxSkillTitleLen && i+n <= t.nt; n++ {
			j := i + n - 1
			if n > 1 {
				if t.toks[j].sep > sepSlash {
					break
				}
				k = append(k, ' ')
			}
			k = append(k, t.word(j)...)
			if s, ok := skillTitles[string(k)]; ok {
				best, bestN = s, n
			}
			after := t.tail
			if j+1 < t.nt {
				after = t.toks[j+1].sep
			}
			if t.toks[i].sep == sepOpen && (after == sepClose || after == sepOpen) {
				var bk [maxTextBytes + 2]byte
				b := append(append(append(bk[:0], '('), k...), ')')
				if s, ok := skillTitles[string(b)]; ok {
					best, bestN = s, n
				}
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

// FuzzSkillsMatchesRef checks that Skills and tagKey give what skillsRef
// and tagKeyRef give.
func FuzzSkillsMatchesRef(f *testing.F) {
	for _, p := range realPostings(f) {
		f.Add(strings.Join(p.Tags, "|"), p.Title, PlainText(p.Description))
	}
	for name := range skillTitles {
		f.Add(name, "Senior "+name+" Engineer", "")
		f.Add("", "Engineer ("+strings.ToUpper(name)+") - Remote", "")
	}
	f.Add("Node.JS|  Inside\tSales |\x00x\x7f|É\u0301T\u00c9|\u0085a\u00a0b", "(go) (Go Developer) [rust] ruby on rails/c++", "")
	f.Add("go|r|c|rest|excel|health|cv", "Engineer", "GOLANG; R&D, c-suite; the rest; Word, Excel; golang-based; C/C++ and R\n- Go; CV, NLP")
	f.Fuzz(func(t *testing.T, tags, title, description string) {
		list := strings.Split(tags, "|")
		for _, tag := range list {
			if got, want := tagKey(nil, tag), tagKeyRef(nil, tag); string(got) != string(want) {
				t.Errorf("tagKey(%q) = %q, tagKeyRef gives %q", tag, got, want)
			}
		}
		got, want := Skills(list, title, description), skillsRef(slices.Clone(list), title, description)
		if !slices.Equal(got, want) {
			t.Errorf("Skills(%q, %q, %q) = %q, skillsRef gives %q", list, title, description, got, want)
		}
	})
}
