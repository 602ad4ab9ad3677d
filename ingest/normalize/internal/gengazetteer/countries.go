package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/jobpulse/jobpulse/ingest/normalize"
)

// The countries: their names in CLDR (cldr-localenames-full), in the
// languages of nameLanguages and in every language official in the country
// itself ("Suomi", "Polska", "Österreich", "Schweiz", "Svizzera",
// "Sverige"), as CLDR's territory information (cldr-core) tells; with CLDR's
// short and variant forms ("UK", "Czech Republic", "Ivory Coast").
//
// A name two countries share ("Kongo") is left out; so is a name that
// another country has a town or subdivision of at least townShadow
// inhabitants of, unless the country's own place of that name is five times
// larger ("Salvador", Spanish for El Salvador, is a city of Brazil;
// "Granada", Spanish for Grenada, a city of Spain; "Norfolk" a county of
// England), a name of one-letter words ("E.U."), and a name shorter than four
// letters unless it is an acronym ("USA", "EUA"; "UK" and "US" are read as
// codes, in capitals, and "Irã" would be the Italian "ira"), and a name of
// more than maxNameWords words (the longest names of rules/places.tsv have
// four; ParseLocation tries that many words at every word of a text). "&" is also
// written "and", "St." also "Saint", and letters written apart are also
// joined ("U.S. Virgin Islands" is also "US Virgin Islands").
var nameLanguages = []string{"en", "de", "fr", "es", "it", "pt", "nl", "pl"}

// townShadow is the population from which another country's place of a
// country's name shadows the name (see above).
const townShadow = 100_000

// maxNameWords is the most words of a kept name (see above).
const maxNameWords = 4

// notCountries are the codes of CLDR territories that are no country of
// their own: parts of another (Ascension, Canary Islands, Ceuta and Melilla,
// Tristan da Cunha...), groups (EU, UN) and private or unknown codes.
var notCountries = map[string]bool{
	"AC": true, "CP": true, "CQ": true, "DG": true, "EA": true, "IC": true, "TA": true,
	"EU": true, "EZ": true, "UN": true, "QO": true, "XA": true, "XB": true, "ZZ": true,
}

// readCountryNames returns every kept folded country name and its code;
// places is the gazetteer of towns and subdivisions.
func readCountryNames(modules string, places table) (map[string]string, error) {
	var info struct {
		Supplemental struct {
			TerritoryInfo map[string]struct {
				Languages map[string]struct {
					Status string `json:"_officialStatus"`
				} `json:"languagePopulation"`
			} `json:"territoryInfo"`
		} `json:"supplemental"`
	}
	if err := readJSON(filepath.Join(modules, "cldr-core", "supplemental", "territoryInfo.json"), &info); err != nil {
		return nil, err
	}
	// The languages to read each country's names in.
	want := map[string][]string{} // locale -> countries ("" for all)
	for _, l := range nameLanguages {
		want[l] = []string{""}
	}
	for code, t := range info.Supplemental.TerritoryInfo {
		for lang, l := range t.Languages {
			if l.Status == "official" || l.Status == "de_facto_official" {
				loc := strings.ReplaceAll(lang, "_", "-")
				want[loc] = append(want[loc], code)
			}
		}
	}
	names := map[string]string{}
	ambiguous := map[string]bool{}
	add := func(name, code string) {
		for _, k := range countryNameKeys(name) {
			switch c, ok := names[k]; {
			case ambiguous[k]:
			case !ok:
				names[k] = code
			case c != code:
				delete(names, k)
				ambiguous[k] = true
			}
		}
	}
	for loc, only := range want {
		terr, err := readTerritories(modules, loc)
		if err != nil {
			return nil, err
		}
		if terr == nil {
			continue // no CLDR locale for this language
		}
		for key, name := range terr {
			code, _, _ := strings.Cut(key, "-alt-")
			if len(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' || notCountries[code] {
				continue
			}
			if only[0] != "" && !slices.Contains(only, code) {
				continue
			}
			add(name, countryCode(code))
		}
	}
	for k, code := range names {
		own, other := 0, 0
		for _, c := range places[k] {
			if c.code == code {
				own = c.pop
			} else {
				other = max(other, c.pop)
			}
		}
		if other >= townShadow && 5*other > own {
			delete(names, k)
		}
	}
	if len(names) < 1000 {
		return nil, fmt.Errorf("gengazetteer: %d country names, want at least 1,000", len(names))
	}
	return names, nil
}

// readTerritories returns the territory names of CLDR locale loc, or nil when
// CLDR has no such locale (it then tries the locale's language alone).
func readTerritories(modules, loc string) (map[string]string, error) {
	for {
		path := filepath.Join(modules, "cldr-localenames-full", "main", loc, "territories.json")
		if _, err := os.Stat(path); err == nil {
			var doc struct {
				Main map[string]struct {
					LocaleDisplayNames struct {
						Territories map[string]string `json:"territories"`
					} `json:"localeDisplayNames"`
				} `json:"main"`
			}
			if err := readJSON(path, &doc); err != nil {
				return nil, err
			}
			return doc.Main[loc].LocaleDisplayNames.Territories, nil
		}
		i := strings.LastIndexByte(loc, '-')
		if i < 0 {
			return nil, nil
		}
		loc = loc[:i]
	}
}

// countryNameKeys returns the folded keys of a CLDR country name (see
// nameLanguages).
func countryNameKeys(name string) []string {
	if i := strings.IndexByte(name, '('); i > 0 {
		name = name[:i]
	}
	var out []string
	acronym := strings.ToUpper(name) == name
	addKey := func(k string) {
		if (len(k) >= 4 || len(k) == 3 && acronym) && !oneLetterWords(k) &&
			strings.Count(k, " ") < maxNameWords && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	forms := []string{name}
	if strings.Contains(name, "&") {
		forms = append(forms, strings.ReplaceAll(name, "&", " and "))
	}
	for _, f := range forms {
		k := normalize.FoldName(f)
		addKey(k)
		if saint := " " + k + " "; strings.Contains(saint, " st ") {
			addKey(strings.TrimSpace(strings.ReplaceAll(saint, " st ", " saint ")))
		}
		addKey(joinLetters(k))
	}
	return out
}

// joinLetters joins the runs of one-letter words of folded name k ("u s
// virgin islands" is "us virgin islands").
func joinLetters(k string) string {
	words := strings.Fields(k)
	var b strings.Builder
	for i, w := range words {
		single := len(w) == 1
		if i > 0 && !(single && len(words[i-1]) == 1) {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

// oneLetterWords reports whether every word of folded name k has one letter.
func oneLetterWords(k string) bool {
	for _, w := range strings.Fields(k) {
		if len(w) > 1 {
			return false
		}
	}
	return true
}
