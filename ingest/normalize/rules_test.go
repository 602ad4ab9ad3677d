package normalize

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRules compiles every rule table again (init already did, or the test
// binary would not start) and checks what the code relies on.
func TestRules(t *testing.T) {
	for name, load := range map[string]func() error{
		"title": loadTitleRules, "places": loadPlaces, "salary": loadSalaryRules,
		"skills": loadSkills, "fingerprint": loadFingerprint, "company": loadCompany, "role text": loadRoleText,
	} {
		if err := load(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	roles := map[string]bool{}
	for _, p := range roleSet.pats {
		roles[p.value] = true
	}
	if n := len(roles); n < 40 || n > 70 {
		t.Errorf("%d role families, want 40 to 70", n)
	}
	want := []string{"APAC", "Africa", "Americas", "Asia", "EMEA", "Europe", "LATAM", "Middle East", "North America", "Oceania"}
	if diff := cmp.Diff(want, Regions()); diff != "" {
		t.Errorf("Regions() (-want +got):\n%s", diff)
	}
	for _, p := range []string{Hour, Day, Week, Month, Year} {
		if periodRules[p] == nil {
			t.Errorf("no line for period %s", p)
		}
	}
	for _, c := range []string{"USD", "EUR", "GBP"} {
		if currencyCodes[c] == nil || currencyCodes[c].floor == 0 {
			t.Errorf("currency %s missing or without a year floor", c)
		}
	}
}

// TestRoleNames lists the role families (see -v) and checks their spelling.
func TestRoleNames(t *testing.T) {
	var names []string
	for _, p := range roleSet.pats {
		if !slices.Contains(names, p.value) {
			names = append(names, p.value)
		}
	}
	t.Logf("%d role families: %s", len(names), strings.Join(names, "; "))
	for _, n := range names {
		if n != strings.TrimSpace(n) || n == "" || strings.ToUpper(n[:1]) != n[:1] {
			t.Errorf("role %q: want a capitalised name", n)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	lx, err := loadWords()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, pattern, want string }{
		{"unknown class", "@nope engineer", "unknown class @nope"},
		{"word not folded", "Développeur", "is not a folded word"},
		{"punctuation", "c++", "is not a folded word"},
		{"empty", "  ", "empty pattern"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := lx.compile(row{file: "roles.tsv", line: 7}, tt.pattern)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "rules/roles.tsv:7") {
				t.Errorf("compile(%q) = %v, want an error naming rules/roles.tsv:7 and %q", tt.pattern, err, tt.want)
			}
		})
	}
}
