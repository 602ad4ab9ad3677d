package normalize

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/jobpulse/jobpulse/internal/testenv"
)

func TestTextPlace(t *testing.T) {
	tests := []struct {
		text      string
		countries []string
		regions   []string
		scope     string
	}{
		{"Job Title: Junior ML EngineerLocation: Remote, UKEmployment Type: Full-time", []string{"GB"}, nil, ScopeCountry},
		{"This role is based in the Philippines and is 100% remote.", []string{"PH"}, nil, ScopeCountry},
		{"All positions can be performed remotely (within the US) regardless of location.", []string{"US"}, nil, ScopeCountry},
		{"Remote (US and Canada only).", []string{"CA", "US"}, nil, ScopeCountry},
		{"Einsatzort: Madrid (remote)", []string{"ES"}, nil, ScopeCountry},
		{"You live in the EMEA Region (UTC 0 to UTC +4).", nil, []string{"EMEA"}, ScopeRegion},
		{"Fully remote work - no location restrictions.", nil, nil, ScopeWorldwide},
		// The company's seat is not where the candidate may be.
		{"We are based in Berlin and hire engineers.", nil, nil, ScopeUnknown},
		{"Our company is based in Copenhagen.", nil, nil, ScopeUnknown},
		// The place ends where a word in lower case starts.
		{"You must be based in the UK to help us maintain our coverage for users outside of the U.S.", []string{"GB"}, nil, ScopeCountry},
		{"Wohnsitz in Deutschland, da der Minijob in DE abgewickelt wird.", []string{"DE"}, nil, ScopeCountry},
		// A phrase after which no place follows is passed over.
		{"Location: to be agreed. Based in a friendly team.", nil, nil, ScopeUnknown},
		{"Work from anywhere for four weeks a year.", nil, nil, ScopeUnknown},
		{"", nil, nil, ScopeUnknown},
	}
	for _, tt := range tests {
		got := TextPlace(tt.text)
		if !slices.Equal(got.Countries, tt.countries) || !slices.Equal(got.Regions, tt.regions) || got.Scope != tt.scope || got.Workplace != "" {
			t.Errorf("TextPlace(%q) = %+v, want countries %v regions %v scope %q", tt.text, got, tt.countries, tt.regions, tt.scope)
		}
		if loc, _ := ExplainTextPlace(tt.text); !slices.Equal(loc.Countries, got.Countries) || loc.Scope != got.Scope {
			t.Errorf("ExplainTextPlace(%q) = %+v, TextPlace gives %+v", tt.text, loc, got)
		}
	}
}

// FuzzTextPlace: any text gives a location of known scope values, sorted
// and without duplicates, never a workplace, and the same as its
// explanation.
func FuzzTextPlace(f *testing.F) {
	for _, s := range []string{"Location: Remote, UK", "based in the Philippines", "remotely (within the US", "LocationLocation:", "based in", "no location restrictions", "Standort: München\u00a0–"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := TextPlace(s)
		if got.Workplace != "" || !slices.IsSorted(got.Countries) || !slices.IsSorted(got.Regions) ||
			len(slices.Compact(slices.Clone(got.Countries))) != len(got.Countries) {
			t.Fatalf("TextPlace(%q) = %+v", s, got)
		}
		switch got.Scope {
		case ScopeUnknown, ScopeWorldwide:
			if len(got.Countries)+len(got.Regions) > 0 {
				t.Fatalf("TextPlace(%q) = %+v: places with scope %q", s, got, got.Scope)
			}
		case ScopeCountry, ScopeRegion:
		default:
			t.Fatalf("TextPlace(%q): scope %q", s, got.Scope)
		}
		if loc, _ := ExplainTextPlace(s); !slices.Equal(loc.Countries, got.Countries) || !slices.Equal(loc.Regions, got.Regions) || loc.Scope != got.Scope {
			t.Fatalf("ExplainTextPlace(%q) = %+v, TextPlace gives %+v", s, loc, got)
		}
	})
}

// BenchmarkTextPlace reads the place from the descriptions (as plain text)
// of the real Remotive capture.
func BenchmarkTextPlace(b *testing.B) {
	var resp struct {
		Jobs []struct {
			Description string `json:"description"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal(testenv.RealCapture(b, "remotive/remote-jobs.json"), &resp); err != nil {
		b.Fatal(err)
	}
	var texts []string
	var size int
	for _, j := range resp.Jobs {
		texts = append(texts, PlainText(j.Description))
		size += len(texts[len(texts)-1])
	}
	b.SetBytes(int64(size / len(texts)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		TextPlace(texts[i%len(texts)])
	}
}

// TestPlaceTextPhrases checks the table's phrases: none is a place name
// itself, and each is in lower case (the table's loader checks that too).
func TestPlaceTextPhrases(t *testing.T) {
	for _, p := range ptPhrases {
		if strings.TrimSpace(p.text) != p.text {
			t.Errorf("phrase %q has spaces around it", p.text)
		}
	}
}

func TestTitlePlace(t *testing.T) {
	tests := []struct {
		title     string
		countries []string
	}{
		{"Partnerships Manager Japan", []string{"JP"}},
		{"Senior Sales Manager - Netherlands and Germany (2 positions available)", []string{"DE", "NL"}},
		{"Senior Ecommerce Creative Strategist Philippines", []string{"PH"}},
		{"Country Manager Spanien (m/w/d)", []string{"ES"}},
		// Towns, codes, groups, regions and adjectives are not read.
		{"Guru Field Representative Orlando", nil},
		{"UK Support Specialist", nil},
		{"Senior Enterprise Account Executive - DACH", nil},
		{"Head of European Policy", nil},
		{"Java Developer", nil},
		{"German speaking Customer Support", nil},
	}
	for _, tt := range tests {
		got := TitlePlace(tt.title)
		if !slices.Equal(got.Countries, tt.countries) || len(got.Regions) > 0 {
			t.Errorf("TitlePlace(%q) = %+v, want countries %v", tt.title, got, tt.countries)
		}
	}
}
