package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCountryNameKeys(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"Deutschland", []string{"deutschland"}},
		{"U.S. Virgin Islands", []string{"u s virgin islands", "us virgin islands"}},
		{"St. Kitts & Nevis", []string{"st kitts nevis", "saint kitts nevis", "st kitts and nevis", "saint kitts and nevis"}},
		{"Kongo (Demokratische Republik)", []string{"kongo"}},
		{"USA", []string{"usa"}},
		{"Irã", nil},  // three letters, no acronym
		{"UK", nil},   // two
		{"E.U.", nil}, // one-letter words
		{"Kleine Amerikanische Überseeinseln der Vereinigten Staaten", nil}, // more than four words
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, countryNameKeys(tt.name)); diff != "" {
				t.Errorf("countryNameKeys(%q) (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

func TestSubdivisionNames(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"Bayern", []string{"Bayern"}},
		{"Guyane (française)", []string{"Guyane"}},
		{"Bristol, City of", []string{"Bristol"}},
		{"Araba/Álava", []string{"Araba", "Álava"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, subdivisionNames(tt.name)); diff != "" {
				t.Errorf("subdivisionNames(%q) (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

func TestAltOK(t *testing.T) {
	tests := []struct {
		name, alt, main string
		pop             int
		want            bool
	}{
		{"exonym of a large city", "Munich", "munchen", 1_260_000, true},
		{"exonym of a small town", "Ratisbonne", "regensburg", 150_000, true},
		{"nickname of a middling town", "Lakeville", "zweibrucken", 34_000, false},
		{"code in capitals", "ZPM", "zaporizhzhia", 750_000, false},
		{"script of a city of a million", "台北", "taipei", 7_871_900, true},
		{"script of a smaller city", "Мюнстер", "munster", 315_000, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := altOK(tt.alt, tt.main, tt.pop); got != tt.want {
				t.Errorf("altOK(%q, %q, %d) = %v, want %v", tt.alt, tt.main, tt.pop, got, tt.want)
			}
		})
	}
}
