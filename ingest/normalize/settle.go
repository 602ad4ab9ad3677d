package normalize

import (
	"fmt"
	"slices"
	"strings"
)

// What a location text names beyond the places tables: the runs of words
// looked up in the gazetteer, and the weak places (codes, state names,
// cities, gazetteer names) settled once the whole text is read, by the
// countries it names and the address rule.

// weakPlace is a country that one item gives by a code, a state name, a
// city or a gazetteer name: what it stands for is settled once the whole
// text is read.
type weakPlace struct {
	item    uint8
	city    bool    // a city of rules/places.tsv: no address rule applies
	dropped bool    // a city read as a town of a state after all
	country [2]byte // from a code, a state name or a city (see codeString)
	gaz     string  // from the gazetteer: the countries part of its line
}

// codeStrings holds every two-letter code in capitals as a string, so that
// a weak place can keep its country in two bytes (which keeps ParseLocation's
// state small: zeroing it is a good part of its time) and give it back
// without allocating.
var codeStrings = func() (tab [26][26]string) {
	for i := range tab {
		for j := range tab[i] {
			tab[i][j] = string([]byte{'A' + byte(i), 'A' + byte(j)})
		}
	}
	return tab
}()

// codeString returns code c as a string.
func codeString(c [2]byte) string { return codeStrings[c[0]-'A'][c[1]-'A'] }

// runEnd returns one past the last word of the run that starts at word i:
// the words up to the next separator stronger than a hyphen or a dot.
func (t *text) runEnd(i int) int {
	e := i + 1
	for e < t.nt && t.toks[e].sep <= sepJoin {
		e++
	}
	return e
}

// gazRun looks words i to e (one past the last) up in the gazetteer: whole,
// then without the prefix and suffix words of rules/gazetteer.tsv around
// them, then with the abbreviations of town names written out (see
// [gazAbbrevKey]). It returns the countries part of the line, or "" when
// none (or the name is a stop name), and the name found, in key's space
// (scratch space).
func (t *text) gazRun(i, e int, key []byte) (string, []byte) {
	for pass := 0; pass < 2; pass++ {
		if pass == 1 {
			i0, e0 := i, e
			for i < e && isWordOf(gazPrefix, t.word(i)) {
				i++
			}
			for e > i && isWordOf(gazSuffix, t.word(e-1)) {
				e--
			}
			if i == e {
				return "", nil // prefix and suffix words only
			}
			if i == i0 && e == e0 {
				break
			}
		}
		key, ok := t.appendKey(key[:0], i, e)
		if !ok || len(key) < 3 || gazStop[string(key)] {
			continue
		}
		if v := gazLookup(key); v != "" {
			return v, key
		}
	}
	// The abbreviations written out: "St" as "Sankt", then as "Saint";
	// then the name before a qualifier alone.
	if !t.mayAbbreviate(i, e) {
		return "", nil
	}
	for pass := 0; pass < 3; pass++ {
		k, ok := t.gazAbbrevKey(key[:0], i, e, pass)
		if ok && len(k) >= 3 && !gazStop[string(k)] {
			if v := gazLookup(k); v != "" {
				return v, k
			}
		}
	}
	return "", nil
}

// mayAbbreviate reports whether words i to e may hold an abbreviation that
// [gazAbbrevKey] writes out: a first word "st" or "ste", or a later word of
// one letter.
func (t *text) mayAbbreviate(i, e int) bool {
	if w := string(t.word(i)); w == "st" || w == "ste" {
		return true
	}
	for j := i + 1; j < e; j++ {
		if len(t.word(j)) == 1 {
			return true
		}
	}
	return false
}

// gazAbbrevExpand holds the abbreviations that German town names carry
// after the name, written out as the gazetteer has them ("Mühldorf a.
// Inn" is "Mühldorf am Inn", "Halle a.d. Saale" is "Halle an der Saale");
// each is one or two one- or two-letter words once its dots are spaces.
var gazAbbrevExpand = [...]struct{ abbrev, full []string }{
	{[]string{"a", "d"}, []string{"an", "der"}},
	{[]string{"i", "d"}, []string{"in", "der"}},
	{[]string{"o", "d"}, []string{"ob", "der"}},
	{[]string{"v", "d"}, []string{"vor", "der"}},
	{[]string{"a"}, []string{"am"}},
	{[]string{"i"}, []string{"im"}},
	{[]string{"b"}, []string{"bei"}},
}

// gazAbbrevKey writes the name of words i to e into key with the
// abbreviations of town names written out: a first word "st" as "sankt"
// (pass 0: "St. Pölten" is Sankt Pölten) or "saint" (pass 1: "St Jean de
// Luz"), "ste" as "sainte", and German qualifiers after the name (see
// [gazAbbrevExpand]). An English "St Albans" or a French "St-Étienne" is
// found whole before this. Pass 2 writes only the words before the first
// qualifier, for qualifiers the gazetteer writes otherwise ("Freiburg i.Br."
// is Freiburg im Breisgau, "Weiden i.d.OPf." Weiden in der Oberpfalz). ok is
// false when the pass has nothing new to look up or the name does not fit
// in key.
func (t *text) gazAbbrevKey(key []byte, i, e, pass int) (k []byte, ok bool) {
	changed := false
	for j := i; j < e; j++ {
		w := string(t.word(j))
		if j == i {
			switch {
			case w == "st" && pass == 1:
				w, changed = "saint", true
			case w == "st":
				w, changed = "sankt", true
			case w == "ste":
				w, changed = "sainte", true
			}
			if key, ok = appendKeyWord(key, w); !ok {
				return key, false
			}
			continue
		}
		n, full := 0, []string(nil)
		for _, x := range gazAbbrevExpand {
			if j+len(x.abbrev) <= e && wordsAre(t, j, x.abbrev) {
				n, full = len(x.abbrev), x.full
				break
			}
		}
		switch {
		case n > 0 && pass == 2:
			return key, true
		case n > 0:
			for _, f := range full {
				if key, ok = appendKeyWord(key, f); !ok {
					return key, false
				}
			}
			j += n - 1
			changed = true
		default:
			if key, ok = appendKeyWord(key, w); !ok {
				return key, false
			}
		}
	}
	return key, changed && pass < 2
}

// wordsAre reports whether the words of t from j on are ws.
func wordsAre(t *text, j int, ws []string) bool {
	for k, w := range ws {
		if string(t.word(j+k)) != w {
			return false
		}
	}
	return true
}

// appendKeyWord appends w to key after a space (none before the first word);
// false when it does not fit in key's capacity.
func appendKeyWord(key []byte, w string) ([]byte, bool) {
	if len(key)+1+len(w) > cap(key) {
		return key, false
	}
	if len(key) > 0 {
		key = append(key, ' ')
	}
	return append(key, w...), true
}

// appendKey appends words i to e (one past the last) of the text to key,
// separated by spaces; false when they do not fit in key's capacity (they
// then name nothing: see maxKeyBytes).
func (t *text) appendKey(key []byte, i, e int) ([]byte, bool) {
	for j := i; j < e; j++ {
		w := t.word(j)
		if len(key)+1+len(w) > cap(key) {
			return key, false
		}
		if j > i {
			key = append(key, ' ')
		}
		key = append(key, w...)
	}
	return key, true
}

// gazRuns collects the runs of consecutive words of a text that the places
// tables do not know, for the gazetteer: each run is bounded by separators
// stronger than a hyphen or a dot, or by known names. It also remembers the
// whole runs already looked up in vain.
type gazRuns struct {
	runs   [maxGazRuns][3]uint8 // first word, one past the last, item
	n      int
	missed [maxGazRuns][2]uint8
	nm     int
}

// add records unknown word i of item k, extending the last run when i
// follows it directly.
func (g *gazRuns) add(t *text, i, k int) {
	if g.n > 0 && int(g.runs[g.n-1][1]) == i && t.toks[i].sep <= sepJoin {
		g.runs[g.n-1][1]++
		return
	}
	if g.n < len(g.runs) {
		g.runs[g.n] = [3]uint8{uint8(i), uint8(i + 1), uint8(k)}
		g.n++
	}
}

// miss records that the run of words i to e is no gazetteer name.
func (g *gazRuns) miss(i, e int) {
	if g.nm < len(g.missed) {
		g.missed[g.nm] = [2]uint8{uint8(i), uint8(e)}
		g.nm++
	}
}

// resolve looks each run up in the gazetteer (unless it was looked up in
// vain already) and records the names it finds as weak places of their
// items. key is scratch space.
func (g *gazRuns) resolve(t *text, a *locAcc, key []byte, tr *trace) {
	for _, r := range g.runs[:g.n] {
		if r[1]-r[0] > maxGazWords || slices.Contains(g.missed[:g.nm], [2]uint8{r[0], r[1]}) {
			continue
		}
		if v, name := t.gazRun(int(r[0]), int(r[1]), key); v != "" && a.nw < len(a.weak) {
			if tr != nil {
				tr.gazetteer(string(t.phrase(nil, int(r[0]), int(r[1]))), string(name), v)
			}
			a.weak[a.nw] = weakPlace{item: r[2], gaz: v}
			a.nw++
		}
	}
}

// settle adds the countries of the weak places: first those of codes and
// state names, then the gazetteer's names, each settled by the countries the
// text names (see [gazPick]). In an address the countries of a weak place
// must be the address's (see [locAcc.addressCountries]).
func (a *locAcc) settle(tr *trace) {
	if a.nw == 0 {
		return
	}
	var only [maxLocWeak]uint32
	for k, w := range a.weak[:a.nw] {
		switch {
		case w.city:
			if !w.dropped {
				a.addCountry(codeString(w.country))
			} else if tr != nil {
				tr.add("place", "", fmt.Sprintf("the city's %s set aside: it is read as a town of the state named beside it", codeString(w.country)))
			}
		case w.gaz == "":
			only[k] = a.addressCountries(int(w.item))
			if c := codeString(w.country); only[k] == 0 || a.in(only[k], c) {
				a.addCountry(c)
			} else if tr != nil {
				tr.add("place", "", fmt.Sprintf("%s set aside: the code or state stands inside an address that ends in another country", c))
			}
		default:
			only[k] = a.addressCountries(int(w.item))
		}
	}
	nc := a.nc // the countries named, without the gazetteer's
	var picked [maxLocWeak]string
	np := 0
	var address [4]string
	for k, w := range a.weak[:a.nw] {
		if w.gaz == "" {
			continue
		}
		named := a.countries[:nc]
		if only[k] != 0 {
			n := 0
			for i, c := range a.countries[:nc] {
				if only[k]&(1<<i) != 0 && n < len(address) {
					address[n] = c
					n++
				}
			}
			named = address[:n]
		}
		// A country no places table defines is left out, as everywhere
		// else.
		c := gazPick(w.gaz, named)
		keep := knownCountries[c] && (only[k] == 0 || slices.Contains(named, c))
		if tr != nil {
			how := "by population (regions count at a nominal size)"
			if len(named) > 0 {
				how = fmt.Sprintf("by the countries named beside it (%s), then by population", strings.Join(named, ","))
			}
			switch {
			case keep:
				tr.add("place", c, fmt.Sprintf("gazetteer entry %s settled %s", w.gaz, how))
			case c == "":
				tr.add("place", "", fmt.Sprintf("gazetteer entry %s set aside: no place of the name stands out %s", w.gaz, how))
			default:
				tr.add("place", "", fmt.Sprintf("gazetteer entry %s settled as %s %s, and set aside: not a country of the places tables, or outside the address", w.gaz, c, how))
			}
		}
		if keep {
			picked[np] = c
			np++
		}
	}
	for _, c := range picked[:np] {
		a.addCountry(c)
	}
}

// addressCountries returns the countries named by name in the item after
// item k (as a mask of a.countries) when item k stands between a town and
// that item, with nothing named by name between them ("Rieti, RI, Italy",
// "Angers, Maine-et-Loire, France", "Austin, Travis County, TX, USA"): such
// an item is a part of the country the address ends with. It returns 0
// otherwise.
func (a *locAcc) addressCountries(k int) uint32 {
	if a.overflow || k == 0 || k+1 >= a.ni || a.items[k].strong {
		return 0
	}
	town := false
	for i := k - 1; i >= 0 && !town; i-- {
		if a.items[i].strong {
			return 0
		}
		town = a.items[i].town
	}
	if !town {
		return 0
	}
	for j := k + 1; j < a.ni; j++ {
		if it := &a.items[j]; it.strong {
			return it.explicit
		}
	}
	return 0
}

// gazetteer records in tr that phrase of a location text is the
// gazetteer's name (as phrase is, or written out) with line v.
func (tr *trace) gazetteer(phrase, name, v string) {
	as := ""
	if phrase != name {
		as = fmt.Sprintf(" as %q", name)
	}
	tr.add("place", "", fmt.Sprintf("%q in the gazetteer%s (country:population of each place of the name): %s", phrase, as, v))
}

// isWordOf reports whether word w is one of list (a short list: a scan
// beats a map).
func isWordOf(list []string, w []byte) bool {
	for _, x := range list {
		if x == string(w) {
			return true
		}
	}
	return false
}
