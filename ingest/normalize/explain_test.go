package normalize

import (
	"slices"
	"strings"
	"testing"
)

// TestExplainTitle checks that ExplainTitle reads as Title does and names
// the lines that decided.
func TestExplainTitle(t *testing.T) {
	tests := []struct {
		title string
		want  []string // in the steps' rules, in order
	}{
		{"Kreditorenbuchhalter (m/w/d)", []string{`"kreditorenbuchhalter" read as its head "buchhalter"`, "rules/roles.tsv:", "no line of rules/seniority.tsv"}},
		{"Chef d'équipe nettoyage (H/F)", []string{"rules/seniority.tsv:", "words set aside by rules/roles.tsv:", "no line of rules/roles.tsv matches"}},
		{"Senior Team Lead Customer Support", []string{"(Senior ", "(Lead ", "(Customer Support ", "the highest of the levels found"}},
	}
	for _, tt := range tests {
		role, seniority, steps := ExplainTitle(tt.title)
		wr, ws := Title(tt.title)
		if role != wr || seniority != ws {
			t.Errorf("ExplainTitle(%q) = %q, %q; Title gives %q, %q", tt.title, role, seniority, wr, ws)
		}
		checkRules(t, "ExplainTitle("+tt.title+")", steps, tt.want)
	}
}

// checkRules checks that the rules of steps hold each of want, in order.
func checkRules(t *testing.T, what string, steps []Step, want []string) {
	t.Helper()
	var rules []string
	for _, s := range steps {
		rules = append(rules, s.Rule)
	}
	all := strings.Join(rules, "\n")
	at := 0
	for _, w := range want {
		i := strings.Index(all[at:], w)
		if i < 0 {
			t.Errorf("%s: steps lack %q after byte %d:\n%s", what, w, at, all)
			return
		}
		at += i + len(w)
	}
}

// TestExplainTextWorkplace checks that the phrases found are named with
// their table line.
func TestExplainTextWorkplace(t *testing.T) {
	text := "Du arbeitest hybrid: 2 Tage Homeoffice pro Woche, sonst im Büro in Köln."
	got, _, steps := ExplainTextWorkplace(text, false)
	if want := TextWorkplace(text, false); got != want || len(steps) == 0 {
		t.Fatalf("ExplainTextWorkplace = %q with %d steps; TextWorkplace gives %q", got, len(steps), want)
	}
	for _, s := range steps {
		if s.Field != "workplace" || !strings.Contains(s.Rule, "rules/workplace_text.tsv:") {
			t.Errorf("step %+v does not name its line of workplace_text.tsv", s)
		}
	}
}

// TestExplainLocation checks that ExplainLocation reads as ParseLocation
// does and names the table line, gazetteer entry or rule of each name.
func TestExplainLocation(t *testing.T) {
	tests := []struct {
		text string
		want []string // in the steps' rules, in order
	}{
		{"Rieti, RI, Italy", []string{`"rieti" in the gazetteer`, `"RI": a country or state code`, `"italy": rules/places.tsv:`, "settled by the countries named beside it (IT)"}},
		{"75 - Paris 15e Arrondissement", []string{`"75" before " - ": a French département`}},
		{"Regensburg", []string{`"regensburg" in the gazetteer`, "settled by population"}},
		{"somewhere", []string{"no name of the places tables or the gazetteer"}},
	}
	for _, tt := range tests {
		loc, steps := ExplainLocation(tt.text)
		if want := ParseLocation(tt.text); !slices.Equal(loc.Countries, want.Countries) || !slices.Equal(loc.Regions, want.Regions) || loc.Scope != want.Scope {
			t.Errorf("ExplainLocation(%q) = %+v; ParseLocation gives %+v", tt.text, loc, want)
		}
		checkRules(t, "ExplainLocation("+tt.text+")", steps, tt.want)
	}
}
