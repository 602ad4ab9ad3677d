package normalize

import (
	"slices"
)

// Limits of one parsed location: more places than this are dropped.
const (
	maxLocCountries = 32
	maxLocRegions   = 16
)

// locItem summarises one comma-separated item of a location text, for the
// "City, ST" rule of state codes.
type locItem struct {
	town    bool   // it has a word the tables do not know (a town?) or a city
	named   bool   // it named a country, state, region or group
	cityOf  string // the country of a city it named
	started bool   // it is a real item (not the nothing before the first)
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

// ParseLocation reads a free-text location, such as "USA, Canada, USA
// timezones", "Americas, Europe, Israel", "Berlin, Germany", "Paris
// (Hybrid)", "Stewartville, MN" or "CET +/- 3h", into a [Location], with the
// places of rules/places.tsv and the words of rules/workplace.tsv:
//
//   - Countries (by name in English, French or German, by alias, or by ISO
//     code written in capitals), US states and Canadian provinces (by name,
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
//
// Runs of words the tables do not know, standing alone between separators,
// are looked up in the gazetteer of towns and cities with at least 1,000
// inhabitants (GeoNames): a town gives its country, settled by the countries
// the text names and then by population (see [gazPick]); the rest is
// ignored; common words such as "Nice" or "Reading" never count as towns
// (rules/gazetteer.tsv). In a text written
// all in capitals, two-letter codes count only as items of their own
// ("REMOTE - US", not "REMOTE IN US"). Countries and regions come out sorted
// and without duplicates; nil when none. Only the first 512 bytes (64 words)
// are read.
func ParseLocation(s string) Location {
	var t text
	t.scan(s, false)
	var a locAcc
	allCaps := t.allCaps()
	var prev, cur locItem
	var key [maxTextBytes + maxTokens]byte
	var runs gazRuns
	for i := 0; i < t.nt; {
		tok := t.toks[i]
		if tok.sep == sepList && cur.started {
			prev, cur = cur, locItem{}
		}
		cur.started = true
		if n, p := t.longestPlace(i, key[:0]); p != nil {
			a.apply(p, &cur)
			i += n
			continue
		}
		w := t.word(i)
		if len(w) == 2 && tok.upper {
			if c := t.resolveCode(i, allCaps, prev, cur); c != "" {
				a.addCountry(c)
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
		cur.town = true
		runs.add(&t, i)
		i++
	}
	runs.resolve(&t, &a, key[:0])
	return a.location()
}

// gazRuns collects the runs of consecutive words of a text that the places
// tables do not know, for the gazetteer: each run is bounded by separators
// stronger than a hyphen or a dot, or by known names.
type gazRuns struct {
	runs [maxGazRuns][2]int // first word, one past the last
	n    int
}

// add records unknown word i, extending the last run when i follows it
// directly.
func (g *gazRuns) add(t *text, i int) {
	if g.n > 0 && g.runs[g.n-1][1] == i && t.toks[i].sep <= sepJoin {
		g.runs[g.n-1][1]++
		return
	}
	if g.n < len(g.runs) {
		g.runs[g.n] = [2]int{i, i + 1}
		g.n++
	}
}

// resolve looks each run up in the gazetteer and adds the country it gives
// (see [gazPick]); the countries the text named by itself settle ambiguous
// names. key is scratch space.
func (g *gazRuns) resolve(t *text, a *locAcc, key []byte) {
	named := a.countries[:a.nc]
	var picked [maxGazRuns]string
	np := 0
	for _, r := range g.runs[:g.n] {
		if r[1]-r[0] > maxGazWords {
			continue
		}
		key = key[:0]
		for j := r[0]; j < r[1]; j++ {
			if j > r[0] {
				key = append(key, ' ')
			}
			key = append(key, t.word(j)...)
		}
		if len(key) < 3 || gazStop[string(key)] {
			continue
		}
		if v := gazLookup(key); v != "" {
			// A country the places table does not define (a territory
			// such as American Samoa) is left out, as everywhere else.
			if c := gazPick(v, named); countryCodes[c] != "" {
				picked[np] = c
				np++
			}
		}
	}
	for _, c := range picked[:np] {
		a.addCountry(c)
	}
}

// apply records place p, named in item it.
func (a *locAcc) apply(p *place, it *locItem) {
	switch p.kind {
	case placeCountry, placeState, placeGroup:
		for _, c := range p.countries {
			a.addCountry(c)
		}
		it.named = true
	case placeCity:
		for _, c := range p.countries {
			a.addCountry(c)
		}
		it.cityOf, it.town = p.countries[0], true
	case placeRegion:
		for _, g := range p.regions {
			addRegion(&a.regions, &a.nr, g)
		}
		it.named = true
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
		if n > 1 {
			if t.toks[j].sep > sepJoin {
				break
			}
			key = append(key, ' ')
		}
		key = append(key, t.word(j)...)
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
// code follows a comma (or a space) after a word the tables do not know (a
// town) or a city of the state's country, else a country code when there is
// one, else a state code.
// In a text written all in capitals, a code counts only as an item of its
// own ("REMOTE - US"), so that "IN" is not India.
func (t *text) resolveCode(i int, allCaps bool, prev, cur locItem) string {
	w := t.word(i)
	if w[0] < 'a' || w[0] > 'z' || w[1] < 'a' || w[1] > 'z' {
		return ""
	}
	up := [2]byte{w[0] - 'a' + 'A', w[1] - 'a' + 'A'}
	state, isState := stateCodes[string(up[:])]
	country, isCountry := countryCodes[string(up[:])]
	if !isState && !isCountry {
		return ""
	}
	sep := t.toks[i].sep
	if allCaps {
		after := t.tail
		if i+1 < t.nt {
			after = t.toks[i+1].sep
		}
		if i > 0 && sep < sepDash || i+1 < t.nt && after < sepDash {
			return ""
		}
	}
	ctx := cur
	if !cur.town && !cur.named && sep == sepList {
		ctx = prev
	}
	cityState := (sep == sepList || sep == sepNone) && ctx.town && !ctx.named &&
		(ctx.cityOf == "" || ctx.cityOf == state)
	switch {
	case isState && cityState:
		return state
	case isCountry:
		return country
	}
	return state
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
