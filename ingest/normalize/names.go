package normalize

import (
	"slices"
	"strings"
	"sync"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// Name is one name a reader may type for a value the normalizer writes
// ([jobdata.Name]): the warehouse keeps them for the report's search.
type Name = jobdata.Name

// The kinds of [Name].
const (
	NameRole    = jobdata.NameRole
	NameSkill   = jobdata.NameSkill
	NameCountry = jobdata.NameCountry
	NameRegion  = jobdata.NameRegion
	NameSame    = jobdata.NameSame
)

// sameClasses are the word classes of rules/words.tsv given as NameSame:
// words a reader types for one another in a job title. The other classes
// group words of different meaning (@lead: manager, director, head).
var sameClasses = []string{"dev"}

// Names returns the names readers may type for the values the normalizer
// writes, from its rule tables, sorted by kind, value and alias, without
// duplicates. A search over the report's roles, skills and places uses them
// as aliases; they say nothing of how a text is read.
func Names() []Name { return slices.Clone(names()) }

// names computes [Names] once.
var names = sync.OnceValue(func() []Name {
	var out []Name
	add := func(kind, value, alias string) {
		if alias != "" && foldString(alias, "") != foldString(value, "") {
			out = append(out, Name{Kind: kind, Value: value, Alias: alias})
		}
	}
	// Roles: the plain words of each role's patterns, but for words of a
	// role's name or of a class of words.tsv: "engineer", "manager" or
	// "lead" would make every role that has them a match as good as its
	// name. The tables were checked at init, so they read without error.
	words, _ := readTable("words.tsv", 3)
	roles, _ := readTable("roles.tsv", 2)
	common := map[string]bool{}
	for _, r := range words {
		if r.fields[0] == "class" {
			for _, w := range alternatives(r.fields[2]) {
				common[w] = true
			}
			if slices.Contains(sameClasses, r.fields[1]) {
				for _, w := range alternatives(r.fields[2]) {
					out = append(out, Name{Kind: NameSame, Value: r.fields[1], Alias: w})
				}
			}
		}
	}
	for _, r := range roles {
		for _, w := range strings.Fields(foldString(r.fields[0], "")) {
			common[w] = true
		}
	}
	for _, r := range roles {
		if r.fields[0] == "-" {
			continue
		}
		for _, term := range strings.Fields(r.fields[1]) {
			for _, w := range alternatives(term) {
				if !strings.HasPrefix(w, "@") && !common[w] {
					add(NameRole, r.fields[0], w)
				}
			}
		}
	}
	// Skills: tag names (without the "?" of an ambiguous one) and title
	// names (without the brackets of one matched only in brackets).
	rows, _ := readTable("skills.tsv", 2)
	for _, r := range rows {
		if r.fields[0] == "-" {
			continue
		}
		for i := 1; i < len(r.fields) && i <= 2; i++ {
			if r.fields[i] == "-" {
				continue
			}
			for _, n := range alternatives(r.fields[i]) {
				add(NameSkill, r.fields[0], strings.Join(strings.Fields(strings.NewReplacer("(", " ", ")", " ").Replace(strings.TrimSuffix(n, "?"))), " "))
			}
		}
	}
	// Places: every name that gives one country, or one region, alone.
	for name, p := range placeNames {
		switch {
		case p.kind == placeCountry && len(p.countries) == 1:
			add(NameCountry, p.countries[0], name)
		case p.kind == placeRegion && len(p.regions) == 1:
			add(NameRegion, p.regions[0], name)
		}
	}
	for code := range countryCodes {
		out = append(out, Name{Kind: NameCountry, Value: code, Alias: strings.ToLower(code)})
	}
	slices.SortFunc(out, func(a, b Name) int {
		return strings.Compare(a.Kind+"\x00"+a.Value+"\x00"+a.Alias, b.Kind+"\x00"+b.Value+"\x00"+b.Alias)
	})
	return slices.Compact(out)
})
