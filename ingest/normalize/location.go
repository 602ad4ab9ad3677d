package normalize

import (
	"fmt"
	"slices"
	"strings"
)

// Limits of one parsed location: more places than this are dropped, and a
// text of more items than maxLocItems is read without the address rule.
const (
	maxLocCountries = 32
	maxLocRegions   = 16
	maxLocItems     = 16
	maxLocWeak      = 16
)

// maxKeyBytes is the longest name looked up in the tables: longer runs of
// words name nothing (the longest name of the tables has 63 bytes;
// TestGazetteerTable and TestCountryTable check it), and ParseLocation's
// scratch key stays small.
const maxKeyBytes = 128

// locItem summarises one comma-separated item of a location text, for the
// "City, ST" rule of state codes.
type locItem struct {
	town    bool     // it has a word the tables do not know (a town?) or a city
	named   bool     // it named a country, state, region or group
	cityOf  string   // the country of a city it named
	cityAt  [2]uint8 // the words of that city's name
	cityW   uint8    // 1 + the index of its weak place
	gaz     string   // the gazetteer line of a run of it, if any
	started bool     // it is a real item (not the nothing before the first)
}

// itemPlaces is what one item of a text named, for the address rule (see
// [locAcc.addressCountries]).
type itemPlaces struct {
	town     bool   // a town or city
	strong   bool   // a country, group or region, by name
	explicit uint32 // the countries it named by name: bit i for countries[i]
}

// locAcc accumulates the places of one text on the stack.
type locAcc struct {
	countries [maxLocCountries]string
	nc        int
	regions   [maxLocRegions]string
	nr        int
	tz        [maxLocRegions]string
	nt        int
	worldwide bool
	workplace string
	items     [maxLocItems]itemPlaces
	ni        int  // items started
	overflow  bool // more items than maxLocItems
	weak      [maxLocWeak]weakPlace
	nw        int
}

func (a *locAcc) addCountry(c string) {
	if a.nc < len(a.countries) && !slices.Contains(a.countries[:a.nc], c) {
		a.countries[a.nc] = c
		a.nc++
	}
}

func addRegion(list *[maxLocRegions]string, n *int, g string) {
	if *n < len(list) && !slices.Contains(list[:*n], g) {
		list[*n] = g
		*n++
	}
}

// newItem starts the next item of the text.
func (a *locAcc) newItem() {
	if a.ni == len(a.items) {
		a.overflow = true
		return
	}
	a.ni++
}

// item returns the current item and its index.
func (a *locAcc) item() (*itemPlaces, int) { return &a.items[a.ni-1], a.ni - 1 }

// addExplicit records country c, named by name in the current item.
func (a *locAcc) addExplicit(c string) {
	a.addCountry(c)
	it, _ := a.item()
	it.strong = true
	if i := slices.Index(a.countries[:a.nc], c); i >= 0 {
		it.explicit |= 1 << i
	}
}

// in reports whether country c is one of the countries of mask (bit i for
// a.countries[i]).
func (a *locAcc) in(mask uint32, c string) bool {
	i := slices.Index(a.countries[:a.nc], c)
	return i >= 0 && mask&(1<<i) != 0
}

// addWeak records a country (or a gazetteer line) given by the current
// item, and returns 1 + its index. When the list is full, a country is
// added as it is, a gazetteer line dropped, and it returns 0.
func (a *locAcc) addWeak(country, gaz string) uint8 {
	if a.nw == len(a.weak) {
		if gaz == "" {
			a.addCountry(country)
		}
		return 0
	}
	_, k := a.item()
	a.weak[a.nw] = weakPlace{item: uint8(k), gaz: gaz}
	if country != "" {
		a.weak[a.nw].country = [2]byte{country[0], country[1]}
	}
	a.nw++
	return uint8(a.nw)
}

// setTown marks the current item as a town.
func (a *locAcc) setTown(cur *locItem) {
	cur.town = true
	it, _ := a.item()
	it.town = true
}

// ParseLocation reads a free-text location, such as "USA, Canada, USA
// timezones", "Americas, Europe, Israel", "Berlin, Germany", "Paris
// (Hybrid)", "Stewartville, MN" or "CET +/- 3h", into a [Location], with the
// places of rules/places.tsv and the words of rules/workplace.tsv:
//
//   - Countries (by name in English, French or German, by alias, or by ISO
//     code written in capitals, and by the names of gazetteer/countries.tsv
//     in a dozen languages), US states and Canadian provinces (by name,
//     or by postal code after "City,") and large cities give countries.
//   - Region names ("Europe", "EMEA", "LATAM"...) give regions; group names
//     ("DACH", "Nordics") give their countries.
//   - Time zones ("CET", "PST", "UTC+2") give a region only when nothing else
//     does.
//   - Scope is [ScopeRegion] when a region is named (countries named beside
//     it are kept too), else [ScopeCountry] when a country is, else
//     [ScopeWorldwide] for "Worldwide", "Anywhere" and the like, else
//     [ScopeUnknown].
//   - Workplace is the first of remote, hybrid and on-site the text names.
//     A worldwide scope implies [Remote] (a job open to the whole world is
//     not done in one office). "Remote" alone is remote with an unknown
//     scope: remote jobs are often limited to countries the text does not
//     name, so worldwide is not assumed.
//   - France Travail's "<département> - <COMMUNE>" ("21 - CREANCEY", "2B -
//     AREGNO", "974 - ST PIERRE") is France.
//
// A run of words standing alone between separators that no name of the
// places tables covers whole is looked up in the gazetteer of towns and
// cities with at least 1,000 inhabitants (GeoNames) and of the
// administrative subdivisions of every country (CLDR): "Regensburg",
// "Grand Est", "Maine-et-Loire" (a whole run beats the names inside it:
// "Maine" is a US state), "Greater Porlamar" (without the prefix and suffix
// words of rules/gazetteer.tsv). A gazetteer name gives its country, settled
// by the countries the text names and then by population (see [gazPick]);
// the rest is ignored; common words such as "Nice" or "Reading" never count
// (rules/gazetteer.tsv).
//
// In an address, "Town, Subdivision, Country", the items between the town
// and the country named by name are parts of that country: a code, a state
// or a gazetteer name there gives no other country ("Rieti, RI, Italy" is
// not Rhode Island, "Bergamo, BG, Italy" not Bulgaria). In a text written
// all in capitals, two-letter codes count only as items of their own
// ("REMOTE - US", not "REMOTE IN US"). Countries and regions come out sorted
// and without duplicates; nil when none. Only the first 512 bytes (64 words)
// are read.
func ParseLocation(s string) Location { return parseLocation(s, nil) }

// ExplainLocation reads a location text as [ParseLocation] does and returns,
// beside the location, each name it recognised and where from: a line of
// the places tables, the gazetteer of towns and regions (with the countries
// and population of the entry), a code, a France Travail département.
func ExplainLocation(s string) (Location, []Step) {
	var tr trace
	loc := parseLocation(s, &tr)
	return loc, tr.steps
}

// placeValue names what a place gives, for explanations.
func placeValue(p *place) string {
	switch {
	case len(p.countries) > 0:
		return strings.Join(p.countries, ",")
	case len(p.regions) > 0:
		return strings.Join(p.regions, ",")
	case p.workplace != "":
		return p.workplace
	case p.kind == placeWorldwide:
		return "worldwide"
	}
	return ""
}

// parseLocation is [ParseLocation], recording what it recognises in tr.
func parseLocation(s string, tr *trace) Location {
	var t text
	t.scan(s, false)
	var a locAcc
	allCaps := t.allCaps()
	var prev, cur locItem
	var key [maxKeyBytes]byte
	var runs gazRuns
	for i := 0; i < t.nt; {
		tok := t.toks[i]
		if tok.sep == sepList && cur.started {
			prev, cur = cur, locItem{}
		}
		if !cur.started {
			cur.started = true
			a.newItem()
		}
		if i == 0 && t.frenchDepartment() {
			if tr != nil {
				tr.add("place", "FR", fmt.Sprintf("%q before \" - \": a French département's code, as France Travail writes places", string(t.word(0))))
			}
			a.addExplicit("FR")
			cur.named = true
			i++
			continue
		}
		n, p := t.longestPlace(i, key[:0])
		if i == 0 || tok.sep > sepJoin {
			// A run no name covers whole: the gazetteer's name of the
			// whole run beats the names inside it.
			if e := t.runEnd(i); n < e-i && e-i <= maxGazWords {
				if v, name := t.gazRun(i, e, key[:0]); v != "" {
					if tr != nil {
						tr.gazetteer(string(t.phrase(nil, i, e)), string(name), v)
					}
					a.addWeak("", v)
					a.setTown(&cur)
					cur.gaz = v
					i = e
					continue
				}
				runs.miss(i, e)
			}
		}
		if p != nil {
			if tr != nil {
				tr.add("place", placeValue(p), fmt.Sprintf("%q: %s", string(t.phrase(nil, i, i+n)), p.src))
			}
			a.apply(p, &cur)
			if p.kind == placeCity {
				cur.cityAt = [2]uint8{uint8(i), uint8(i + n)}
			}
			i += n
			continue
		}
		w := t.word(i)
		if len(w) == 2 && tok.upper {
			if c, city := t.resolveCode(i, allCaps, &prev, &cur, key[:0]); c != "" {
				if tr != nil {
					tr.add("place", c, fmt.Sprintf("%q: a country or state code in capitals (rules/places.tsv)", strings.ToUpper(string(w))))
				}
				if city > 0 {
					// "Cambridge, MA": the city is a town of the state's.
					a.weak[city-1].dropped = true
				}
				a.addWeak(c, "")
				cur.named = true
				i++
				continue
			}
		}
		if string(w) == "utc" || string(w) == "gmt" {
			if h, ok := parseOffset(s[tok.src:]); ok {
				for _, o := range utcOffsets {
					if o.from <= h && h <= o.to {
						addRegion(&a.tz, &a.nt, o.region)
					}
				}
			}
		}
		a.setTown(&cur)
		_, k := a.item()
		runs.add(&t, i, k)
		i++
	}
	runs.resolve(&t, &a, key[:0], tr)
	a.settle(tr)
	loc := a.location()
	if tr != nil && loc.Scope == ScopeUnknown && len(tr.steps) == 0 {
		tr.add("place", "", "no name of the places tables or the gazetteer")
	}
	return loc
}

// frenchDepartment reports whether the text starts as France Travail's
// locations do, "<département> - <commune>": a French département code (01
// to 95, 2A, 2B, 971 to 976), a dash with spaces around it, and a word that
// starts with a letter.
func (t *text) frenchDepartment() bool {
	if t.nt < 2 || t.toks[1].sep != sepDash {
		return false
	}
	if c := t.word(1)[0]; c >= '0' && c <= '9' {
		return false
	}
	// "24 - Remote", "12 - Germany": a number before a word that names no
	// commune, not a département.
	if p := placeNames[string(t.word(1))]; p != nil && p.kind != placeCity {
		return false
	}
	w := t.word(0)
	digit := func(b byte) bool { return b >= '0' && b <= '9' }
	switch {
	case len(w) == 2 && w[0] == '2' && (w[1] == 'a' || w[1] == 'b'):
		return true
	case len(w) == 2 && digit(w[0]) && digit(w[1]):
		return string(w) >= "01" && string(w) <= "95" && string(w) != "20"
	case len(w) == 3 && digit(w[2]):
		return string(w) >= "971" && string(w) <= "976"
	}
	return false
}

// apply records place p, named in item it.
func (a *locAcc) apply(p *place, it *locItem) {
	switch p.kind {
	case placeCountry, placeGroup:
		for _, c := range p.countries {
			a.addExplicit(c)
		}
		it.named = true
	case placeState:
		for _, c := range p.countries {
			a.addWeak(c, "")
		}
		it.named = true
	case placeCity:
		for j, c := range p.countries {
			w := a.addWeak(c, "")
			if w > 0 {
				a.weak[w-1].city = true
			}
			if j == 0 {
				it.cityW = w
			}
		}
		it.cityOf = p.countries[0]
		a.setTown(it)
	case placeRegion:
		for _, g := range p.regions {
			addRegion(&a.regions, &a.nr, g)
		}
		it.named = true
		cur, _ := a.item()
		cur.strong = true
	case placeTimezone:
		for _, g := range p.regions {
			addRegion(&a.tz, &a.nt, g)
		}
	case placeWorldwide:
		a.worldwide = true
	case placeWorkplace:
		if a.workplace == "" {
			a.workplace = p.workplace
		}
	}
}

// location builds the result.
func (a *locAcc) location() Location {
	var loc Location
	if a.nc == 0 && a.nr == 0 {
		for _, g := range a.tz[:a.nt] {
			addRegion(&a.regions, &a.nr, g)
		}
	}
	switch {
	case a.nr > 0:
		loc.Scope = ScopeRegion
	case a.nc > 0:
		loc.Scope = ScopeCountry
	case a.worldwide:
		loc.Scope = ScopeWorldwide
	}
	if a.nc > 0 {
		loc.Countries = slices.Clone(a.countries[:a.nc])
		slices.Sort(loc.Countries)
	}
	if a.nr > 0 {
		loc.Regions = slices.Clone(a.regions[:a.nr])
		slices.Sort(loc.Regions)
	}
	loc.Workplace = a.workplace
	if loc.Scope == ScopeWorldwide && loc.Workplace == "" {
		loc.Workplace = Remote
	}
	return loc
}

// longestPlace returns how many words starting at word i form the longest
// place name, and the place; 0 and nil when none. A name does not run across
// a comma, a bracket, a slash or an ampersand. key is scratch space.
func (t *text) longestPlace(i int, key []byte) (int, *place) {
	best, bestN := (*place)(nil), 0
	for n := 1; n <= maxPlaceWords && i+n <= t.nt; n++ {
		j := i + n - 1
		w := t.word(j)
		if n > 1 {
			if t.toks[j].sep > sepJoin {
				break
			}
			key = append(key, ' ')
		}
		if len(key)+len(w) > cap(key) {
			break
		}
		key = append(key, w...)
		p, ok := placeNames[string(key)]
		if !ok {
			continue
		}
		if p.capitals && !t.toks[j].upper {
			continue
		}
		best, bestN = p, n
	}
	return bestN, best
}

// resolveCode reads the two capitals of word i as a state or country code,
// and returns the country it gives ("" when none): a state code when the
// code follows a comma (or a space) after a town of the state's country,
// else a country code when there is one, else a state code. The town is a
// word the tables do not know (one the gazetteer knows must have a place in
// the state's country: "Maharashtra, IN" is India, "Springfield, IN"
// Indiana), or a city of the state's country, or a city of another that the
// gazetteer also has in the state's country ("Cambridge, MA", but not
// "Berlin, DE", where DE is also the city's country): it then also returns
// that city's weak place (1 + its index), which is the state's town and not
// its own country's.
// In a text written all in capitals, a code counts only as an item of its
// own ("REMOTE - US"), so that "IN" is not India. key is scratch space.
func (t *text) resolveCode(i int, allCaps bool, prev, cur *locItem, key []byte) (string, uint8) {
	w := t.word(i)
	if w[0] < 'a' || w[0] > 'z' || w[1] < 'a' || w[1] > 'z' {
		return "", 0
	}
	up := [2]byte{w[0] - 'a' + 'A', w[1] - 'a' + 'A'}
	state, isState := stateCodes[string(up[:])]
	country, isCountry := countryCodes[string(up[:])]
	if !isState && !isCountry {
		return "", 0
	}
	sep := t.toks[i].sep
	if allCaps {
		after := t.tail
		if i+1 < t.nt {
			after = t.toks[i+1].sep
		}
		if i > 0 && sep < sepDash || i+1 < t.nt && after < sepDash {
			return "", 0
		}
	}
	ctx := cur
	if !cur.town && !cur.named && sep == sepList {
		ctx = prev
	}
	cityState := (sep == sepList || sep == sepNone) && ctx.town && !ctx.named &&
		(ctx.cityOf == "" || ctx.cityOf == state) && (ctx.gaz == "" || gazHas(ctx.gaz, state))
	var reread uint8
	if !cityState && isState && (sep == sepList || sep == sepNone) && ctx.town && !ctx.named &&
		ctx.cityOf != "" && ctx.cityOf != state && ctx.cityOf != country && ctx.gaz == "" {
		if key, ok := t.appendKey(key[:0], int(ctx.cityAt[0]), int(ctx.cityAt[1])); ok && gazHas(gazLookup(key), state) {
			cityState, reread = true, ctx.cityW
		}
	}
	switch {
	case isState && cityState:
		return state, reread
	case isCountry:
		return country, 0
	}
	return state, 0
}

// allCaps reports whether the text is written in capitals: every word of
// three letters or more is, and there is one.
func (t *text) allCaps() bool {
	seen := false
	for i := 0; i < t.nt; i++ {
		w := t.word(i)
		if len(w) < 3 || w[0] >= '0' && w[0] <= '9' {
			continue
		}
		if !t.toks[i].upper {
			return false
		}
		seen = true
	}
	return seen
}

// parseOffset reads "+2", " -5", "−3:30" at the start of s (after "UTC" or
// "GMT") as whole hours.
func parseOffset(s string) (int, bool) {
	i := 0
	for i < len(s) && s[i] == ' ' {
		i++
	}
	sign := 0
	switch {
	case i < len(s) && s[i] == '+':
		sign, i = 1, i+1
	case i < len(s) && s[i] == '-':
		sign, i = -1, i+1
	case len(s)-i >= 3 && s[i:i+3] == "−":
		sign, i = -1, i+3
	}
	if sign == 0 {
		return 0, false
	}
	for i < len(s) && s[i] == ' ' {
		i++
	}
	h, digits := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' && digits < 2 {
		h = h*10 + int(s[i]-'0')
		i, digits = i+1, digits+1
	}
	if digits == 0 || h > 14 {
		return 0, false
	}
	return sign * h, true
}
