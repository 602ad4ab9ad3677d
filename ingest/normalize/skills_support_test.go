package normalize

import (
	"bytes"
	"strings"
	"testing"
)

// TestSkillsTableErrors checks that the skills table refuses the lines that
// break its rules, naming the file and the line.
func TestSkillsTableErrors(t *testing.T) {
	tests := []struct {
		name   string
		fields []string
		want   string
	}{
		{"ambiguous without support", []string{"Go", "go?|golang", "golang"}, "have no support names"},
		{"support without ambiguous", []string{"Go", "go|golang", "golang", "golang"}, "no ambiguous tag name"},
		{"ambiguous noise", []string{"-", "senior?"}, "cannot be ambiguous"},
		{"ambiguous phrase", []string{"Go", "go lang?", "-", "golang"}, "want one ASCII word"},
		{"ambiguous with a slash", []string{"C/C++", "c/c++?", "-", "c++"}, `"c/c++" is not folded`},
		{"ambiguous not ASCII", []string{"Développement", "dev?|développement?", "-", "developpement"}, "not in key form"},
		{"support name not folded", []string{"Go", "go?", "-", "GoLang"}, `"GoLang" is not folded`},
		{"support name without ASCII", []string{"Go", "go?", "-", "日本"}, "no ASCII word"},
		{"tag name not in key form", []string{"Go", "Go?", "-", "golang"}, "not in key form"},
		{"too many fields", []string{"Go", "go?", "-", "golang", "more"}, "want skill"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := compileSkills([]row{{file: "skills.tsv", line: 7, fields: tt.fields}})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "rules/skills.tsv:7") {
				t.Errorf("compileSkills(%q) = %v, want an error naming rules/skills.tsv:7 and %q", tt.fields, err, tt.want)
			}
		})
	}
}

// TestSupportSearches checks that an anchor is found by the search for the
// shortest anchor it starts with, so that one pass serves them all.
func TestSupportSearches(t *testing.T) {
	rule := skillTags["go"].support
	if rule == nil {
		t.Fatal(`"go" is not ambiguous`)
	}
	if len(rule.searches) != 1 || rule.searches[0].prefix != "go" {
		var prefixes []string
		for _, s := range rule.searches {
			prefixes = append(prefixes, s.prefix)
		}
		t.Errorf("Go searches for %q, want only \"go\" (which finds \"golang\" and \"in go\")", prefixes)
	}
}

// BenchmarkSupportSearch finds the places of some anchors in the real
// descriptions as supportedIn does, by their rarest byte in both cases, and
// as one might: with bytes.Index (by their first byte) in a copy with the
// ASCII letters in lower case.
func BenchmarkSupportSearch(b *testing.B) {
	var texts []string
	for _, p := range realPostings(b) {
		if text := PlainText(p.Description); text != "" {
			texts = append(texts, text)
		}
	}
	for _, word := range []string{"go", "c", "rest", "excel", "spark", "apache", "healthcare"} {
		q := supportSearch{prefix: word, rare: rareByte(word)}
		b.Run(word+"/"+word[q.rare:q.rare+1], func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				for range q.places(texts[i%len(texts)]) {
				}
			}
		})
		b.Run(word+"/index", func(b *testing.B) {
			var low []byte
			for i := 0; b.Loop(); i++ {
				low = append(low[:0], texts[i%len(texts)]...)
				for i, c := range low {
					if 'A' <= c && c <= 'Z' {
						low[i] = c + 'a' - 'A'
					}
				}
				for off := 0; off < len(low); {
					j := bytes.Index(low[off:], []byte(word))
					if j < 0 {
						break
					}
					off += j + 1
				}
			}
		})
	}
}
