package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The subdivisions: every first- and second-level subdivision of ISO
// 3166-2 (states, provinces, regions, departments, counties...) by its CLDR
// English name (cldr-subdivisions-full, which names every subdivision in
// English and almost none in other languages), and by the native name that
// country-region-data gives the same code ("Bayern", "Lombardia",
// "Mazowieckie", "Bourgogne-Franche-Comté"). Deprecated codes are left out;
// the level of a subdivision is its depth in CLDR's subdivision containment.
//
// The sources give no population of a subdivision: it counts in the
// gazetteer as a place of half the average population of the subdivisions
// of its level in its country (the country's population, from CLDR's
// territory information, divided by their number; half, as most
// subdivisions are smaller than the average, which the largest raise: the
// parish of Hanover in Jamaica must not rival Hannover). So a subdivision
// beats the hamlets of its name elsewhere ("Corse", a region of France, is
// not the village of 1,178 inhabitants in England) and not the large cities
// ("Surrey" alone, a county of England and a city of 400,000 in Canada,
// gives nothing until a country is named beside it).

// subdivision is one name of a subdivision.
type subdivision struct {
	name, country string
	population    int
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("gengazetteer: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("gengazetteer: read %s: %w", path, err)
	}
	return nil
}

// readSubdivisions returns the names of the subdivisions (see above).
func readSubdivisions(modules string) ([]subdivision, error) {
	var en struct {
		Subdivisions struct {
			LocaleDisplayNames struct {
				Subdivisions map[string]string `json:"subdivisions"`
			} `json:"localeDisplayNames"`
		} `json:"subdivisions"`
	}
	if err := readJSON(filepath.Join(modules, "cldr-subdivisions-full", "subdivisions", "en", "en.json"), &en); err != nil {
		return nil, err
	}
	var containment struct {
		Supplemental struct {
			SubdivisionContainment map[string]struct {
				Contains []string `json:"_contains"`
			} `json:"subdivisionContainment"`
		} `json:"supplemental"`
	}
	if err := readJSON(filepath.Join(modules, "cldr-core", "supplemental", "subdivisionContainment.json"), &containment); err != nil {
		return nil, err
	}
	var aliases struct {
		Supplemental struct {
			Metadata struct {
				Alias struct {
					SubdivisionAlias map[string]json.RawMessage `json:"subdivisionAlias"`
				} `json:"alias"`
			} `json:"metadata"`
		} `json:"supplemental"`
	}
	if err := readJSON(filepath.Join(modules, "cldr-core", "supplemental", "aliases.json"), &aliases); err != nil {
		return nil, err
	}
	var native []struct {
		Country string `json:"countryShortCode"`
		Regions []struct {
			Name      string `json:"name"`
			ShortCode string `json:"shortCode"`
		} `json:"regions"`
	}
	if err := readJSON(filepath.Join(modules, "country-region-data", "data.json"), &native); err != nil {
		return nil, err
	}

	// Levels: the children of a country (keyed by its code in capitals)
	// are of level 1, theirs of level 2.
	level := map[string]int{}
	cont := containment.Supplemental.SubdivisionContainment
	for parent, c := range cont {
		if strings.ToUpper(parent) == parent {
			for _, code := range c.Contains {
				level[code] = 1
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for parent, c := range cont {
			if l := level[parent]; l > 0 {
				for _, code := range c.Contains {
					if level[code] == 0 {
						level[code], changed = l+1, true
					}
				}
			}
		}
	}
	names := en.Subdivisions.LocaleDisplayNames.Subdivisions
	if len(names) < 3000 {
		return nil, fmt.Errorf("gengazetteer: CLDR names %d subdivisions, want at least 3,000", len(names))
	}
	var info struct {
		Supplemental struct {
			TerritoryInfo map[string]struct {
				Population string `json:"_population"`
			} `json:"territoryInfo"`
		} `json:"supplemental"`
	}
	if err := readJSON(filepath.Join(modules, "cldr-core", "supplemental", "territoryInfo.json"), &info); err != nil {
		return nil, err
	}
	// A code no containment holds is taken as level 2.
	kept := func(code string) (string, int, bool) {
		if _, deprecated := aliases.Supplemental.Metadata.Alias.SubdivisionAlias[code]; deprecated || len(code) < 3 {
			return "", 0, false
		}
		l := level[code]
		if l == 0 {
			l = 2
		}
		return strings.ToUpper(code[:2]), l, true
	}
	count := map[string]int{} // "CC level" -> subdivisions
	for code := range names {
		if c, l, ok := kept(code); ok {
			count[fmt.Sprint(c, l)]++
		}
	}
	var out []subdivision
	add := func(code, name string) {
		c, l, ok := kept(code)
		if !ok {
			return
		}
		pop, err := strconv.ParseFloat(info.Supplemental.TerritoryInfo[c].Population, 64)
		if err != nil {
			return // no population: no country of its own
		}
		avg := int(pop) / count[fmt.Sprint(c, l)] / 2
		for _, n := range subdivisionNames(name) {
			out = append(out, subdivision{n, countryCode(c), avg})
		}
	}
	for code, name := range names {
		add(code, name)
	}
	for _, c := range native {
		for _, r := range c.Regions {
			code := strings.ToLower(c.Country + r.ShortCode)
			if _, ok := names[code]; ok { // only codes CLDR knows
				add(code, r.Name)
			}
		}
	}
	return out, nil
}

// subdivisionNames returns the names a source's name stands for: without a
// bracketed part ("Guyane (française)"), without what follows a comma
// ("Bristol, City of"), each of the names a slash separates
// ("Araba/Álava").
func subdivisionNames(name string) []string {
	if i := strings.IndexAny(name, "(,"); i > 0 {
		name = name[:i]
	}
	var out []string
	for _, n := range strings.Split(name, "/") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}
