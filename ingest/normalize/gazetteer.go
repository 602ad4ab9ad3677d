package normalize

import (
	_ "embed" // the gazetteer tables
	"fmt"
	"strings"
	"sync"
)

//go:generate go run ./internal/gengazetteer -modules gazetteer/node_modules -out gazetteer

// gazetteerTable is the generated table of towns and cities with at least
// 1,000 inhabitants (GeoNames, CC BY 4.0: a snapshot of 2020 with its
// populations, and the places a snapshot of 2026 adds) and of the administrative
// subdivisions of every country (CLDR; see gazetteer/README.md): lines of
// "folded name TAB CC population[,CC population...]" sorted by name. A
// subdivision counts as a place of half the average population of the
// subdivisions of its level in its country, or of none where a city of
// 100,000 inhabitants in another country has its name.
//
//go:embed gazetteer/names.tsv
var gazetteerTable string

// countryTable is the generated table of country names in many languages
// (CLDR; see gazetteer/README.md): lines of "folded name TAB CC". Its names
// join those of rules/places.tsv, which keep priority.
//
//go:embed gazetteer/countries.tsv
var countryTable string

// gazBody is gazetteerTable without its header of comment lines. The table is
// searched where it lies in the binary's read-only data: nothing is loaded
// or copied into the heap, so a process pays nothing until a lookup.
var gazBody = stripComments(gazetteerTable)

// Ambiguity: a name that several countries have gives the country of the most
// populous place only when that place has at least gazDominance times the
// inhabitants of the largest place of the name in any other country (and no
// country the text names has a place of the name).
const gazDominance = 5

// maxGazRuns is how many runs of unknown words of one text are looked up.
const maxGazRuns = 8

// maxGazWords is the longest run of words looked up ("Neumarkt in der
// Oberpfalz" has four).
const maxGazWords = 6

// gazStop holds the folded names that never count as gazetteer places or
// generated country names (rules/gazetteer.tsv): common words that are also
// towns ("Nice", "Reading", "Split", "Mobile", "Of").
var gazStop map[string]bool

// gazPrefix and gazSuffix hold the words dropped from the start and the end
// of a run that the gazetteer does not know before it is looked up again
// ("Greater Porlamar", "Boston Metro Area"; rules/gazetteer.tsv).
var gazPrefix, gazSuffix []string

func stripComments(s string) string {
	for strings.HasPrefix(s, "#") {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return ""
		}
		s = s[i+1:]
	}
	return s
}

// gazIndex returns, for every pair of first bytes p of a name, the byte
// range of gazBody holding the names that start with it:
// gazBody[idx[p]:idx[p+1]]. It is built once per process on the first lookup
// (one pass over the table, 256 KiB), which saves about ten steps of
// bisection (and their cache misses) on every lookup.
var gazIndex = sync.OnceValue(func() []uint32 {
	idx := make([]uint32, 1<<16+1)
	s := gazBody
	p := 0 // next pair whose start is not yet set
	for off := 0; off < len(s); {
		end := strings.IndexByte(s[off:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += off
		}
		if end-off >= 2 {
			q := int(s[off])<<8 | int(s[off+1])
			for ; p <= q; p++ {
				idx[p] = uint32(off)
			}
		}
		off = end + 1
	}
	for ; p < len(idx); p++ {
		idx[p] = uint32(len(s))
	}
	return idx
})

// gazLookup returns the countries part of the gazetteer line of key ("DE
// 170632,US 3000"), or "" when the table has no such name. It searches the
// sorted table by bisection over bytes, without allocating.
func gazLookup(key []byte) string {
	if len(key) < 2 {
		return ""
	}
	idx := gazIndex()
	q := int(key[0])<<8 | int(key[1])
	lo, hi := int(idx[q]), int(idx[q+1]) // at line starts
	s := gazBody
	for lo < hi {
		mid := lo + (hi-lo)/2
		start := lo + strings.LastIndexByte(s[lo:mid], '\n') + 1
		end := strings.IndexByte(s[start:hi], '\n')
		if end < 0 {
			end = hi
		} else {
			end += start
		}
		line := s[start:end]
		tab := strings.IndexByte(line, '\t')
		if tab < 0 {
			return ""
		}
		switch c := compareKey(line[:tab], key); {
		case c == 0:
			return line[tab+1:]
		case c < 0:
			lo = end + 1
		default:
			hi = start
		}
	}
	return ""
}

// compareKey compares a with b in byte order, like strings.Compare.
func compareKey(a string, b []byte) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}

// gazPick chooses the country of a gazetteer line's countries part v (most
// populous first): a country of named (the countries the text names) when
// one has a place of the name, else the first when it dominates (see
// gazDominance), else "".
func gazPick(v string, named []string) string {
	first, firstPop, second := "", 0, -1
	for i := 0; v != ""; i++ {
		entry := v
		if j := strings.IndexByte(v, ','); j >= 0 {
			entry, v = v[:j], v[j+1:]
		} else {
			v = ""
		}
		if len(entry) < 4 || entry[2] != ' ' {
			return ""
		}
		code, pop := entry[:2], atoiPop(entry[3:])
		for _, c := range named {
			if c == code {
				return code
			}
		}
		switch i {
		case 0:
			first, firstPop = code, pop
		case 1:
			second = pop
		}
	}
	if second < 0 || firstPop >= gazDominance*second && firstPop > 0 {
		return first
	}
	return ""
}

// atoiPop reads the decimal digits of s (a population in the table).
func atoiPop(s string) int {
	n := 0
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// loadGazetteerRules compiles rules/gazetteer.tsv: the stop names, and the
// prefix and suffix words.
func loadGazetteerRules() (stop map[string]bool, prefix, suffix []string, err error) {
	rows, err := readTable("gazetteer.tsv", 2)
	if err != nil {
		return nil, nil, nil, err
	}
	stop = map[string]bool{}
	seen := map[string]bool{}
	for _, r := range rows {
		kind := r.fields[0]
		if kind != "stop" && kind != "prefix" && kind != "suffix" || len(r.fields) != 2 {
			return nil, nil, nil, r.errorf("want stop|prefix|suffix <TAB> names")
		}
		for _, name := range alternatives(r.fields[1]) {
			if foldString(name, "") != name {
				return nil, nil, nil, r.errorf("name %q is not folded (want %q)", name, foldString(name, ""))
			}
			if seen[kind+" "+name] {
				return nil, nil, nil, r.errorf("name %q is listed twice", name)
			}
			seen[kind+" "+name] = true
			switch {
			case kind == "stop":
				stop[name] = true
			case strings.Contains(name, " "):
				return nil, nil, nil, r.errorf("%s %q is not one word", kind, name)
			case kind == "prefix":
				prefix = append(prefix, name)
			default:
				suffix = append(suffix, name)
			}
		}
	}
	return stop, prefix, suffix, nil
}

// loadCountryNames returns the generated country names (countryTable) that
// names, the hand-written names, and stop do not hold, and the codes of the
// countries they name.
func loadCountryNames(names map[string]*place, stop map[string]bool) (map[string]*place, map[string]bool, error) {
	out, codes := map[string]*place{}, map[string]bool{}
	byCode := map[string]*place{}
	for line := range strings.SplitSeq(strings.TrimSuffix(stripComments(countryTable), "\n"), "\n") {
		name, code, ok := strings.Cut(line, "\t")
		if !ok || len(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' {
			return nil, nil, fmt.Errorf("normalize: gazetteer/countries.tsv: bad line %q", line)
		}
		codes[code] = true
		if names[name] != nil || stop[name] {
			continue
		}
		p := byCode[code]
		if p == nil {
			p = &place{kind: placeCountry, countries: []string{code}, src: "gazetteer/countries.tsv (CLDR)"}
			byCode[code] = p
		}
		out[name] = p
	}
	return out, codes, nil
}

// gazHas reports whether the countries part v of a gazetteer line has a
// place in country code.
func gazHas(v, code string) bool {
	for v != "" {
		entry := v
		if j := strings.IndexByte(v, ','); j >= 0 {
			entry, v = v[:j], v[j+1:]
		} else {
			v = ""
		}
		if len(entry) >= 2 && entry[:2] == code {
			return true
		}
	}
	return false
}
