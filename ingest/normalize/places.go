package normalize

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Kinds of place names (rules/places.tsv and rules/workplace.tsv).
const (
	placeCountry = iota + 1
	placeState
	placeCity
	placeRegion
	placeGroup
	placeWorldwide
	placeTimezone
	placeWorkplace
)

// place is what one name in the places tables stands for.
type place struct {
	kind      int
	countries []string // ISO codes (country, state, city, group)
	regions   []string // region names (region, timezone)
	workplace string   // Remote, Hybrid or Onsite (workplace)
	capitals  bool     // matches only when written in capitals
	src       string   // the table and line it comes from, for explanations
}

// offsetRule maps a range of UTC offsets (hours) to a region.
type offsetRule struct {
	from, to int
	region   string
}

// The compiled places tables.
var (
	placeNames      map[string]*place // folded name -> place
	maxPlaceWords   int               // words in the longest name
	countryCodes    map[string]string // "US" -> "US", for codes written in capitals
	knownCountries  map[string]bool   // every country a [Location] may hold
	stateCodes      map[string]string // "MN" -> "US", "ON" -> "CA"
	utcOffsets      []offsetRule
	placeRegionSet  map[string]bool // every region name the tables define
	workplaceByName = map[string]string{"remote": Remote, "hybrid": Hybrid, "onsite": Onsite}
)

func init() { mustLoad(loadPlaces()) }

// loadPlaces compiles rules/places.tsv, rules/workplace.tsv,
// rules/gazetteer.tsv and the generated country names of
// gazetteer/countries.tsv (which give way to the hand-written names).
func loadPlaces() error {
	names := map[string]*place{}
	ccodes, scodes := map[string]string{}, map[string]string{}
	regions := map[string]bool{}
	var offsets []offsetRule
	maxWords := 1

	add := func(r row, field string, p *place) error {
		for _, name := range alternatives(field) {
			if name == "-" {
				continue
			}
			if foldString(name, "") != name {
				return r.errorf("name %q is not folded (want %q)", name, foldString(name, ""))
			}
			if _, dup := names[name]; dup {
				return r.errorf("name %q is defined twice", name)
			}
			if n := len(strings.Fields(name)); n > maxWords {
				maxWords = n
			}
			q := *p
			q.capitals = p.kind == placeTimezone && !strings.Contains(name, " ") && len(name) <= 4
			q.src = fmt.Sprintf("rules/%s:%d", r.file, r.line)
			names[name] = &q
		}
		return nil
	}
	code := func(r row, c string) error {
		if len(c) != 2 || strings.ToUpper(c) != c || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
			return r.errorf("%q is not a two-letter code in capitals", c)
		}
		return nil
	}

	rows, err := readTable("places.tsv", 3)
	if err != nil {
		return err
	}
	for _, r := range rows {
		f := r.fields
		switch f[0] {
		case "country":
			if err := code(r, f[1]); err != nil {
				return err
			}
			if _, dup := ccodes[f[1]]; dup {
				return r.errorf("country %s is defined twice", f[1])
			}
			ccodes[f[1]] = f[1]
			if err := add(r, f[2], &place{kind: placeCountry, countries: []string{f[1]}}); err != nil {
				return err
			}
		case "state":
			if len(f) != 4 {
				return r.errorf("want state <TAB> country <TAB> code <TAB> names")
			}
			if err := code(r, f[1]); err != nil {
				return err
			}
			if err := code(r, f[2]); err != nil {
				return err
			}
			if _, dup := scodes[f[2]]; dup {
				return r.errorf("state code %s is defined twice", f[2])
			}
			scodes[f[2]] = f[1]
			if err := add(r, f[3], &place{kind: placeState, countries: []string{f[1]}}); err != nil {
				return err
			}
		case "city", "group":
			kind := map[string]int{"city": placeCity, "group": placeGroup}[f[0]]
			codes := alternatives(f[1])
			for _, c := range codes {
				if err := code(r, c); err != nil {
					return err
				}
			}
			if err := add(r, f[2], &place{kind: kind, countries: codes}); err != nil {
				return err
			}
		case "region", "timezone":
			kind := map[string]int{"region": placeRegion, "timezone": placeTimezone}[f[0]]
			regs := alternatives(f[1])
			if kind == placeRegion {
				for _, g := range regs {
					regions[g] = true
				}
			}
			if err := add(r, f[2], &place{kind: kind, regions: regs}); err != nil {
				return err
			}
		case "worldwide":
			if err := add(r, f[2], &place{kind: placeWorldwide}); err != nil {
				return err
			}
		case "offset":
			if len(f) != 4 {
				return r.errorf("want offset <TAB> from <TAB> to <TAB> region")
			}
			from, err1 := strconv.Atoi(f[1])
			to, err2 := strconv.Atoi(f[2])
			if err1 != nil || err2 != nil || from > to {
				return r.errorf("bad offset range %s..%s", f[1], f[2])
			}
			offsets = append(offsets, offsetRule{from, to, f[3]})
		default:
			return r.errorf("unknown kind %q", f[0])
		}
	}
	// Time zones and offsets must name regions the table defines.
	for name, p := range names {
		for _, g := range p.regions {
			if !regions[g] {
				return &tableError{"places.tsv", "name " + name + " gives unknown region " + g}
			}
		}
	}
	for _, o := range offsets {
		if !regions[o.region] {
			return &tableError{"places.tsv", "offset gives unknown region " + o.region}
		}
	}

	rows, err = readTable("workplace.tsv", 2)
	if err != nil {
		return err
	}
	for _, r := range rows {
		w, ok := workplaceByName[r.fields[0]]
		if !ok || len(r.fields) != 2 {
			return r.errorf("want remote|hybrid|onsite <TAB> names")
		}
		if err := add(r, r.fields[1], &place{kind: placeWorkplace, workplace: w}); err != nil {
			return err
		}
	}
	stop, prefix, suffix, err := loadGazetteerRules()
	if err != nil {
		return err
	}
	generated, known, err := loadCountryNames(names, stop)
	if err != nil {
		return err
	}
	for name, p := range generated {
		names[name] = p
		maxWords = max(maxWords, strings.Count(name, " ")+1)
	}
	for c := range ccodes {
		known[c] = true
	}
	for _, c := range scodes {
		known[c] = true
	}
	placeNames, maxPlaceWords, countryCodes, stateCodes, knownCountries = names, maxWords, ccodes, scodes, known
	utcOffsets, placeRegionSet, gazStop, gazPrefix, gazSuffix = offsets, regions, stop, prefix, suffix
	return nil
}

// tableError is a rule table error that no single line carries.
type tableError struct{ file, msg string }

func (e *tableError) Error() string { return "normalize: rules/" + e.file + ": " + e.msg }

// Regions returns the region names the places table defines, sorted: the
// values [Location.Regions] may hold.
func Regions() []string {
	out := make([]string, 0, len(placeRegionSet))
	for g := range placeRegionSet {
		out = append(out, g)
	}
	slices.Sort(out)
	return out
}
