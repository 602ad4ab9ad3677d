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
		{Kind: NameCountry, Value: "US", Alias: "usa"},
		{Kind: NameCountry, Value: "US", Alias: "us"},
		{Kind: NameCountry, Value: "US", Alias: "united states of america"},
		{Kind: NameCountry, Value: "DE", Alias: "deutschland"},
		{Kind: NameCountry, Value: "DE", Alias: "alemanha"}, // CLDR, from gazetteer/countries.tsv
		{Kind: NameRegion, Value: "LATAM", Alias: "latin america"},
		{Kind: NameSkill, Value: "Go", Alias: "golang"},
		{Kind: NameSkill, Value: "Go", Alias: "go lang"},
		{Kind: NameSkill, Value: "Kubernetes", Alias: "k8s"},
		{Kind: NameSkill, Value: "Node.js", Alias: "nodejs"},
		{Kind: NameRole, Value: "Frontend Engineer", Alias: "react"},
		{Kind: NameRole, Value: "Frontend Engineer", Alias: "frontendentwickler"},
		{Kind: NameSame, Value: "dev", Alias: "developer"},
		{Kind: NameSame, Value: "dev", Alias: "engineer"},
	} {
		if !has[want] {
			t.Errorf("Names() lacks %+v", want)
		}
	}
	for _, not := range []Name{
		{Kind: NameRole, Value: "Frontend Engineer", Alias: "frontend"}, // a word of the role itself
		{Kind: NameRole, Value: "Frontend Engineer", Alias: "@dev"},
		{Kind: NameRole, Value: "Customer Success", Alias: "engineer"}, // a word of other roles' names
		{Kind: NameRole, Value: "Backend Engineer", Alias: "lead"},     // a word of a class
		{Kind: NameSkill, Value: "-", Alias: "remote"},
		{Kind: NameSkill, Value: "Go", Alias: "go"},           // folded, the skill itself
		{Kind: NameSkill, Value: "Node.js", Alias: "node.js"}, // folded, the skill itself
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
