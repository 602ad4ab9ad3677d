package normalize

import (
	"testing"
)

// TestNames checks that the names readers type reach the values the
// normalizer writes, and that no name is its own value.
func TestNames(t *testing.T) {
	names := Names()
	has := map[Name]bool{}
	for _, n := range names {
		has[n] = true
		if n.Kind != NameCountry && n.Kind != NameSame && foldString(n.Alias, "") == foldString(n.Value, "") {
			t.Errorf("%+v: an alias that is its value", n)
		}
	}
	for _, want := range []Name{
		{NameCountry, "US", "usa"},
		{NameCountry, "US", "us"},
		{NameCountry, "US", "united states of america"},
		{NameCountry, "DE", "deutschland"},
		{NameCountry, "DE", "alemanha"}, // CLDR, from gazetteer/countries.tsv
		{NameRegion, "LATAM", "latin america"},
		{NameSkill, "Go", "golang"},
		{NameSkill, "Go", "go lang"},
		{NameSkill, "Kubernetes", "k8s"},
		{NameSkill, "Node.js", "nodejs"},
		{NameRole, "Frontend Engineer", "react"},
		{NameRole, "Frontend Engineer", "frontendentwickler"},
		{NameSame, "dev", "developer"},
		{NameSame, "dev", "engineer"},
	} {
		if !has[want] {
			t.Errorf("Names() lacks %+v", want)
		}
	}
	for _, not := range []Name{
		{NameRole, "Frontend Engineer", "frontend"}, // a word of the role itself
		{NameRole, "Frontend Engineer", "@dev"},
		{NameRole, "Customer Success", "engineer"}, // a word of other roles' names
		{NameRole, "Backend Engineer", "lead"},     // a word of a class
		{NameSkill, "-", "remote"},
		{NameSkill, "Go", "go"},           // folded, the skill itself
		{NameSkill, "Node.js", "node.js"}, // folded, the skill itself
	} {
		if has[not] {
			t.Errorf("Names() holds %+v", not)
		}
	}
	for i := 1; i < len(names); i++ {
		a, b := names[i-1], names[i]
		if a == b || a.Kind+"\x00"+a.Value+"\x00"+a.Alias > b.Kind+"\x00"+b.Value+"\x00"+b.Alias {
			t.Fatalf("Names() not sorted or not unique at %d: %+v, %+v", i, a, b)
		}
	}
}
