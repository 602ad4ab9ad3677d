package normalize

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// capturedLocations returns the location texts of every real capture of
// ingest/testdata/real, whatever its source: France Travail's and
// Greenhouse's too, which realPostings does not read.
func capturedLocations(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	var ft struct {
		Resultats []struct {
			LieuTravail struct {
				Libelle string `json:"libelle"`
			} `json:"lieuTravail"`
		} `json:"resultats"`
	}
	readJSON(t, "francetravail/2025-03.json", &ft)
	for _, r := range ft.Resultats {
		out[r.LieuTravail.Libelle] = true
	}
	for _, name := range []string{"greenhouse/doctolib.json", "greenhouse/sumup.json"} {
		var gh struct {
			Jobs []struct {
				Location struct {
					Name string `json:"name"`
				} `json:"location"`
			} `json:"jobs"`
		}
		readJSON(t, name, &gh)
		for _, j := range gh.Jobs {
			out[j.Location.Name] = true
		}
	}
	for _, name := range []string{"arbeitnow/2026-04.json", "arbeitnow/2026-06.json"} {
		var an struct {
			Data []struct {
				Location string `json:"location"`
			} `json:"data"`
		}
		readJSON(t, name, &an)
		for _, j := range an.Data {
			out[j.Location] = true
		}
	}
	for _, name := range []string{"remoteok/2026-06.json", "remoteok/api.json"} {
		var ro []struct {
			Location string `json:"location"`
		}
		readJSON(t, name, &ro)
		for _, j := range ro {
			out[j.Location] = true
		}
	}
	for _, p := range realPostings(t) {
		out[p.Location] = true
	}
	return out
}

// TestParseLocationCaptured reads location texts of the real captures, one
// or more for each rule of the places and gazetteer tables.
func TestParseLocationCaptured(t *testing.T) {
	fr, it := country("FR"), country("IT")
	tests := []struct {
		name, text string
		want       Location
	}{
		// France Travail: "<département> - <COMMUNE>".
		{"département and a commune no gazetteer has", "21 - CREANCEY", fr},
		{"Corsican département", "2B - AREGNO", fr},
		{"Corsican département, mixed case", "2A - Sarrola-Carcopino", fr},
		{"overseas département", "974 - ST PIERRE", fr},
		{"département and a district of Paris", "75 - Paris 15e Arrondissement", fr},
		{"département and its name", "77 - Seine et Marne", fr},
		// Subdivisions from CLDR and country-region-data.
		{"region, not the English village", "Corse", fr},
		{"region with a time zone's word", "Grand Est", fr},
		{"region of five words", "Provence-Alpes-Côte d'Azur", fr},
		{"region by its French name", "Bourgogne-Franche-Comté", fr},
		{"Indian union territory", "Andaman and Nicobar Islands, ", country("IN")},
		{"a subdivision yields to a city", "Savannah, ", country("US")},
		// Country names of gazetteer/countries.tsv.
		{"US territory", "US Virgin Islands, ", country("VI")},
		{"German name of Germany", "Berlin, Berlin, Deutschland", de("")},
		{"Polish name and a voivodeship", "Warszawa, Warszawa, Woj. Mazowieckie, Polska", country("PL")},
		// Prefix words.
		{"greater", "Greater Porlamar, ", country("VE")},
		// Addresses: the items between a town and a country are parts of it.
		{"province code that is Bulgaria's", "Bergamo, BG, Italy", it},
		{"province code that is Rhode Island's", "Rieti, RI, Italy", it},
		{"province code that is France's", "Frosinone, FR, Italy", it},
		{"province code that is China's", "Cuneo, CN, Italy", it},
		{"province code that is El Salvador's", "Savona, SV, Italy", it},
		{"département beats the state inside its name", "Angers, Maine-et-Loire, France", fr},
		{"state that is also a Mexican town", "Florianópolis, Santa Catarina, Brazil", country("BR")},
		{"state in English", "Munich, Bavaria, Germany", de("")},
		{"state of the named country kept", "Saint Louis, MO, USA", country("US")},
	}
	captured := capturedLocations(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !captured[tt.text] {
				t.Fatalf("%q is not a captured location", tt.text)
			}
			if diff := cmp.Diff(tt.want, ParseLocation(tt.text)); diff != "" {
				t.Errorf("ParseLocation(%q) (-want +got):\n%s", tt.text, diff)
			}
		})
	}
	for text := range captured {
		checkLocation(t, text, ParseLocation(text))
	}
}
