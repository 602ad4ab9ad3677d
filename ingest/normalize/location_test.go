package normalize

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseLocation(t *testing.T) {
	tests := []struct {
		name, text string
		want       Location
	}{
		{"countries with time zones", "USA, Canada, USA timezones", Location{Scope: ScopeCountry, Countries: []string{"CA", "US"}}},
		{"regions and a country", "Americas, Europe, Israel", Location{Scope: ScopeRegion, Countries: []string{"IL"}, Regions: []string{"Americas", "Europe"}}},
		{"worldwide is remote", "Worldwide", Location{Scope: ScopeWorldwide, Workplace: Remote}},
		{"anywhere", "Anywhere", Location{Scope: ScopeWorldwide, Workplace: Remote}},
		{"remote alone has no scope", "Remote", Location{Workplace: Remote}},
		{"city and country", "Berlin, Germany", Location{Scope: ScopeCountry, Countries: []string{"DE"}}},
		{"city with workplace in brackets", "Paris (Hybrid)", Location{Scope: ScopeCountry, Countries: []string{"FR"}, Workplace: Hybrid}},
		{"us city and state code", "New York, NY", Location{Scope: ScopeCountry, Countries: []string{"US"}}},
		{"unknown town and state code", "Stewartville, MN", Location{Scope: ScopeCountry, Countries: []string{"US"}}},
		{"state code CA after a US city is California", "San Francisco, CA", Location{Scope: ScopeCountry, Countries: []string{"US"}}},
		{"state code CA after a country is Canada", "USA, CA", Location{Scope: ScopeCountry, Countries: []string{"CA", "US"}}},
		{"code CA after a workplace word is Canada", "Remote, CA", Location{Scope: ScopeCountry, Countries: []string{"CA"}, Workplace: Remote}},
		{"country code after a foreign city", "Berlin, DE", Location{Scope: ScopeCountry, Countries: []string{"DE"}}},
		{"armed forces postal code", "Stewartbury, AA", Location{Scope: ScopeCountry, Countries: []string{"US"}}},
		{"canadian province code", "Waterloo, ON", Location{Scope: ScopeCountry, Countries: []string{"CA"}}},
		{"state name", "Londonderry, New Hampshire", Location{Scope: ScopeCountry, Countries: []string{"US"}}},
		{"remote and region", "Remote - EMEA", Location{Scope: ScopeRegion, Regions: []string{"EMEA"}, Workplace: Remote}},
		{"latam", "LATAM", Location{Scope: ScopeRegion, Regions: []string{"LATAM"}}},
		{"uk", "UK", Location{Scope: ScopeCountry, Countries: []string{"GB"}}},
		{"german name", "Deutschland", Location{Scope: ScopeCountry, Countries: []string{"DE"}}},
		{"french name", "Allemagne, Royaume-Uni", Location{Scope: ScopeCountry, Countries: []string{"DE", "GB"}}},
		{"europe only", "Europe only", Location{Scope: ScopeRegion, Regions: []string{"Europe"}}},
		{"time zone alone gives a region", "CET +/- 3h", Location{Scope: ScopeRegion, Regions: []string{"Europe"}}},
		{"time zone beside a country is ignored", "USA, CST (UTC-6)", Location{Scope: ScopeCountry, Countries: []string{"US"}}},
		{"utc offsets", "UTC-5 to UTC-3", Location{Scope: ScopeRegion, Regions: []string{"Americas"}}},
		{"lowercase time zone is a word", "est", Location{}},
		{"regions, countries and a time zone", "Northern America, Europe, UK, France, European timezones", Location{Scope: ScopeRegion, Countries: []string{"FR", "GB"}, Regions: []string{"Europe", "North America"}}},
		{"group of countries", "DACH", Location{Scope: ScopeCountry, Countries: []string{"AT", "CH", "DE"}}},
		{"a region of Europe", "Balkans, EEA", Location{Scope: ScopeRegion, Regions: []string{"Europe"}}},
		{"regions in Spanish and German", "Centroamérica, Nahost", Location{Scope: ScopeRegion, Regions: []string{"LATAM", "Middle East"}}},
		{"the Levant is no town of Maine", "Levant", Location{Scope: ScopeRegion, Regions: []string{"Middle East"}}},
		{"the Maghreb", "Maghreb", Location{Scope: ScopeRegion, Regions: []string{"Africa"}}},
		{"a special administrative region is no town of Bahrain", "Hong Kong SAR", country("HK")},
		{"the CIS is no town of Italy", "CIS", Location{}},
		// German town names with their qualifiers abbreviated, and "St."
		{"a.d. is an der", "Mülheim a.d. Ruhr", country("DE")},
		{"a. is am", "Mühldorf a. Inn", country("DE")},
		{"the name before a qualifier written otherwise", "Freiburg i.Br.", country("DE")},
		{"i.d. and an abbreviated region", "Weiden i.d.OPf.", country("DE")},
		{"St. is Sankt", "St. Pölten", country("AT")},
		{"St is Saint", "St Jean de Luz", country("FR")},
		{"Ste is Sainte", "Ste-Foy-lès-Lyon", country("FR")},
		{"a French St- is found whole", "St-Étienne", country("FR")},
		// Regions within a country, and words around a town's name.
		{"country-wide in German", "Remote, bundesweit", Location{Scope: ScopeCountry, Countries: []string{"DE"}, Workplace: Remote}},
		{"a German landscape", "Ruhrgebiet", country("DE")},
		{"Raum is no town of Finland", "Raum Stuttgart", country("DE")},
		{"Landkreis before a town", "Landkreis Harburg", country("DE")},
		{"und Umgebung after a town", "Regensburg und Umgebung", country("DE")},
		{"a region of France by its initials", "PACA", country("FR")},
		{"a region of Spain in Spanish", "Cataluña", country("ES")},
		{"anywhere in a country is the country", "Anywhere in the United States", Location{Scope: ScopeCountry, Countries: []string{"US"}}},
		{"on-site in german", "München, vor Ort", Location{Scope: ScopeCountry, Countries: []string{"DE"}, Workplace: Onsite}},
		{"partial telework is hybrid", "Télétravail partiel, Lyon", Location{Scope: ScopeCountry, Countries: []string{"FR"}, Workplace: Hybrid}},
		{"full telework is remote", "Télétravail, France", Location{Scope: ScopeCountry, Countries: []string{"FR"}, Workplace: Remote}},
		{"first workplace named wins", "Remote or on-site, Boston", Location{Scope: ScopeCountry, Countries: []string{"US"}, Workplace: Remote}},
		{"in office", "In office - London", Location{Scope: ScopeCountry, Countries: []string{"GB"}, Workplace: Onsite}},
		{"longest name wins", "New Mexico", Location{Scope: ScopeCountry, Countries: []string{"US"}}},
		{"lowercase codes are words", "work with us in de", Location{}},
		{"all capitals: codes only as items", "REMOTE IN US", Location{Workplace: Remote}},
		{"all capitals: a code as its own item", "REMOTE - US", Location{Scope: ScopeCountry, Countries: []string{"US"}, Workplace: Remote}},
		{"duplicates merged", "US, USA, United States", Location{Scope: ScopeCountry, Countries: []string{"US"}}},
		{"several cities", "San Francisco, CA | New York City, NY | Seattle, WA", Location{Scope: ScopeCountry, Countries: []string{"US"}}},
		{"unknown town", "Xqzville", Location{}},
		{"empty", "", Location{}},
		{"accents and case", "SÃO PAULO", Location{Scope: ScopeCountry, Countries: []string{"BR"}}},
		// France Travail's "<département> - <commune>".
		{"département code", "33 - ARES", country("FR")},
		{"no département 20", "20 - Xqzville", Location{}},
		{"no département 99", "99 - Xqzville", Location{}},
		{"no département 977", "977 - Xqzville", Location{}},
		{"a range of numbers is no département", "12 - 18 months", Location{}},
		{"a département code needs the dash", "33 Xqzville", Location{}},
		{"a number before a workplace word is no département", "24 - Remote", Location{Workplace: Remote}},
		{"a number before a country is no département", "12 - Germany", country("DE")},
		// A whole run of the gazetteer beats the names inside it.
		{"state inside a state's name", "New South Wales", country("AU")},
		{"state inside a Mexican state's name", "Baja California", country("MX")},
		{"country inside a town's name", "Jersey City", country("US")},
		// Prefix and suffix words around a town.
		{"greater and area", "Greater Boston Area", country("US")},
		{"city suffix", "Davao City", country("PH")},
		// Addresses.
		{"a state code between a town and another country", "Xqzville, RI, Italy", country("IT")},
		{"a state name between a town and another country", "Xqzville, Maine, France", country("FR")},
		{"no town before it: the code keeps its meaning", "Remote, CA, USA", Location{Scope: ScopeCountry, Countries: []string{"CA", "US"}, Workplace: Remote}},
		{"a country code at the end is no country named by name", "Xqzville, RI, IT", country("IT", "US")},
		{"two addresses", "Rieti, RI, Italy; Boston, MA, USA", country("IT", "US")},
		{"a country between is kept", "Xqzville, Spain, Italy", country("ES", "IT")},
		// State codes after towns the gazetteer knows.
		{"a state's town", "Springfield, IN", country("US")},
		{"no town of the state's country: the country code", "Maharashtra, IN", country("IN")},
		{"a foreign city that the state also has", "Cambridge, MA", country("US")},
		{"a foreign city that the province also has", "London, ON, Canada", country("CA")},
		{"a code that is also the city's country", "Berlin, DE", country("DE")},
		{"more cities and states than weak places", "Boston, MA; Austin, TX; Denver, CO; Miami, FL; Tokyo; Paris; Berlin; Vienna; Rome; Madrid; Lima",
			country("AT", "DE", "ES", "FR", "IT", "JP", "PE", "US")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ParseLocation(tt.text)); diff != "" {
				t.Errorf("ParseLocation(%q) (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

// TestParseLocationReal parses every captured real location: those checked
// by hand must give what they say, and every one must give a sorted,
// duplicate-free result.
func TestParseLocationReal(t *testing.T) {
	want := map[string]Location{
		"Americas, Europe, Asia, Africa, Oceania": {Scope: ScopeRegion, Regions: []string{"Africa", "Americas", "Asia", "Europe", "Oceania"}},
		"USA":     {Scope: ScopeCountry, Countries: []string{"US"}},
		"Brazil":  {Scope: ScopeCountry, Countries: []string{"BR"}},
		"Uruguay": {Scope: ScopeCountry, Countries: []string{"UY"}},
		"Mexico":  {Scope: ScopeCountry, Countries: []string{"MX"}},
		"Canada":  {Scope: ScopeCountry, Countries: []string{"CA"}},
		"Europe, UK, Germany, France, European timezones": {Scope: ScopeRegion, Countries: []string{"DE", "FR", "GB"}, Regions: []string{"Europe"}},
		"Saint Louis, MO, USA":                            {Scope: ScopeCountry, Countries: []string{"US"}},
		"Remote, USA":                                     {Scope: ScopeCountry, Countries: []string{"US"}, Workplace: Remote},
		"Dublin":                                          {Scope: ScopeCountry, Countries: []string{"IE"}},
		"Troy, MI":                                        {Scope: ScopeCountry, Countries: []string{"US"}},
		"Washington, DC":                                  {Scope: ScopeCountry, Countries: []string{"US"}},
		"Seattle, WA":                                     {Scope: ScopeCountry, Countries: []string{"US"}},
		"London":                                          {Scope: ScopeCountry, Countries: []string{"GB"}},
		"Port-au-Prince":                                  {Scope: ScopeCountry, Countries: []string{"HT"}},
		"Boston, MA, USA":                                 {Scope: ScopeCountry, Countries: []string{"US"}},
		"Canada (Remote)":                                 {Scope: ScopeCountry, Countries: []string{"CA"}, Workplace: Remote},
		"Metro Manila":                                    {Scope: ScopeCountry, Countries: []string{"PH"}},
		"Riverside, CA":                                   {Scope: ScopeCountry, Countries: []string{"US"}},
		"US":                                              {Scope: ScopeCountry, Countries: []string{"US"}},
		"Halifax":                                         {Scope: ScopeCountry, Countries: []string{"CA"}},
		"Remote - US":                                     {Scope: ScopeCountry, Countries: []string{"US"}, Workplace: Remote},
		"California":                                      {Scope: ScopeCountry, Countries: []string{"US"}},
		"APAC-C1":                                         {Scope: ScopeRegion, Regions: []string{"APAC"}},
		"Remote - Americas":                               {Scope: ScopeRegion, Regions: []string{"Americas"}, Workplace: Remote},
		"Tampa, FL":                                       {Scope: ScopeCountry, Countries: []string{"US"}},
		"United States - Remote Flexibility":              {Scope: ScopeCountry, Countries: []string{"US"}, Workplace: Remote},
		"Port Ericaburgh, AA":                             {Scope: ScopeCountry, Countries: []string{"US"}},
		"Osbornetown, AE":                                 {Scope: ScopeCountry, Countries: []string{"US"}},
		"East Seanview, AP":                               {Scope: ScopeCountry, Countries: []string{"US"}},
	}
	seen := map[string]bool{}
	withScope, total := 0, 0
	for _, p := range realPostings(t) {
		loc := ParseLocation(p.Location)
		if p.Location != "" {
			total++
			if loc.Scope != ScopeUnknown {
				withScope++
			}
		}
		checkLocation(t, p.Location, loc)
		if w, ok := want[p.Location]; ok {
			seen[p.Location] = true
			if diff := cmp.Diff(w, loc); diff != "" {
				t.Errorf("ParseLocation(%q) (-want +got):\n%s", p.Location, diff)
			}
		}
	}
	for text := range want {
		if !seen[text] {
			t.Errorf("%q is not a captured location", text)
		}
	}
	t.Logf("%d of %d non-empty real locations have a scope", withScope, total)
	if withScope < total*9/10 {
		t.Errorf("%d of %d non-empty real locations have a scope, want 90%%", withScope, total)
	}
}

// checkLocation checks the invariants of a parsed location.
func checkLocation(t *testing.T, text string, loc Location) {
	t.Helper()
	for name, list := range map[string][]string{"countries": loc.Countries, "regions": loc.Regions} {
		for i := 1; i < len(list); i++ {
			if list[i-1] >= list[i] {
				t.Errorf("ParseLocation(%q): %s %q not sorted and unique", text, name, list)
			}
		}
		if list != nil && len(list) == 0 {
			t.Errorf("ParseLocation(%q): empty non-nil %s", text, name)
		}
	}
	for _, c := range loc.Countries {
		if !knownCountries[c] {
			t.Errorf("ParseLocation(%q): unknown country %q", text, c)
		}
	}
	for _, g := range loc.Regions {
		if !placeRegionSet[g] {
			t.Errorf("ParseLocation(%q): unknown region %q", text, g)
		}
	}
	switch loc.Scope {
	case ScopeRegion:
		if len(loc.Regions) == 0 {
			t.Errorf("ParseLocation(%q): region scope without regions", text)
		}
	case ScopeCountry:
		if len(loc.Countries) == 0 || len(loc.Regions) > 0 {
			t.Errorf("ParseLocation(%q): country scope with %q and %q", text, loc.Countries, loc.Regions)
		}
	case ScopeWorldwide, ScopeUnknown:
		if len(loc.Countries)+len(loc.Regions) > 0 {
			t.Errorf("ParseLocation(%q): scope %q with places", text, loc.Scope)
		}
	default:
		t.Errorf("ParseLocation(%q): bad scope %q", text, loc.Scope)
	}
	switch loc.Workplace {
	case "", Remote, Hybrid, Onsite:
	default:
		t.Errorf("ParseLocation(%q): bad workplace %q", text, loc.Workplace)
	}
}

// TestParseLocationAllocs: a location that names no place costs no
// allocation, the gazetteer's look-ups included (its scratch key stays on
// the stack).
func TestParseLocationAllocs(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { ParseLocation("Xqzville a.d. Nowhere, St. Xqz") }); n != 0 {
		t.Errorf("ParseLocation allocates %v times a call, want none", n)
	}
}

// TestParseLocationStrippedRunAtEnd: a last run of words that are all
// prefix and suffix words of rules/gazetteer.tsv ("Greater Area"), ending
// where the words kept end, names nothing and reads no word past them (it
// once panicked there).
func TestParseLocationStrippedRunAtEnd(t *testing.T) {
	for n := maxTokens - 4; n <= maxTokens+2; n++ {
		s := strings.Repeat("Xq, ", n) + "Greater Area"
		if loc := ParseLocation(s); loc.Scope != ScopeUnknown {
			t.Errorf("ParseLocation(%d unknown towns, \"Greater Area\") = %+v, want nothing", n, loc)
		}
	}
}
