package normalize

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
)

// The compiled fingerprint table (rules/fingerprint.tsv): phrases of folded
// words joined by spaces. Company names have their own table (company.go).
var (
	genderMarkers   map[string]bool
	partWords       map[string]bool
	maxGenderWords  int
	maxGenderFirst  int  // bytes in the longest first word of a gender marker
	fingerprintSize = 16 // bytes of sha256 kept: a uuid-sized value
)

func init() { mustLoad(loadFingerprint()) }

// loadFingerprint compiles rules/fingerprint.tsv.
func loadFingerprint() error {
	rows, err := readTable("fingerprint.tsv", 2)
	if err != nil {
		return err
	}
	sets := map[string]map[string]bool{"gender": {}, "part": {}}
	for _, r := range rows {
		set, ok := sets[r.fields[0]]
		if !ok || len(r.fields) != 2 {
			return r.errorf("want gender|part <TAB> phrases")
		}
		for _, p := range alternatives(r.fields[1]) {
			if foldString(p, "") != p {
				return r.errorf("phrase %q is not folded", p)
			}
			set[p] = true
			n := len(strings.Fields(p))
			switch r.fields[0] {
			case "gender":
				maxGenderWords = max(maxGenderWords, n)
				if n > 0 {
					maxGenderFirst = max(maxGenderFirst, len(strings.Fields(p)[0]))
				}
			case "part":
				if n != 1 {
					return r.errorf("part %q: want single words", p)
				}
			}
		}
	}
	genderMarkers, partWords = sets["gender"], sets["part"]
	return nil
}

// Fingerprint returns the identity of a posting across sources and reposts:
// 32 hex digits (the first 16 bytes of a SHA-256, the size of a uuid) of a
// key made of
//
//   - the company, folded (lower case, accents removed), punctuation removed,
//     spaces collapsed, and legal-form suffixes removed from its end ("Acme
//     Inc." and "ACME" are both "acme"): the key of [Company], but that a
//     name that names no company ("Confidential") keeps its words here, so
//     that two such companies' postings do not run together;
//   - the title, folded the same way, without gender markers ("(m/w/d)",
//     "(H/F)"...) and without the parts (a bracket, or what follows or
//     precedes a dash or a comma) made only of places, workplace words and
//     words such as "only" or "timezone": "Backend Engineer (m/w/d) -
//     Remote" and "Backend engineer" are both "backend engineer", while
//     "Backend Engineer (Go)" keeps its "go";
//   - the sorted countries and the sorted regions of the location.
//
// Two postings with the same fingerprint are the same job: the same company
// publishing the same title for the same places, on two sources, or again on
// one under a new id. The same title in different countries gives different
// fingerprints; so does a location text one source gives and another leaves
// out. The words come from rules/fingerprint.tsv, rules/company.tsv and the
// places tables; changing those tables changes fingerprints, which a replay
// recomputes.
func Fingerprint(company, title string, loc Location) string {
	var buf [3 * maxTextBytes]byte
	k := appendCompanyKey(buf[:0], company)
	k = append(k, 0)
	k = appendTitleKey(k, title)
	k = append(k, 0)
	k = appendSorted(k, loc.Countries)
	k = append(k, 0)
	k = appendSorted(k, loc.Regions)
	sum := sha256.Sum256(k)
	var out [32]byte
	hex.Encode(out[:], sum[:fingerprintSize])
	return string(out[:])
}

// appendSorted appends list, sorted, comma-separated.
func appendSorted(dst []byte, list []string) []byte {
	if !slices.IsSorted(list) {
		list = slices.Sorted(slices.Values(list))
	}
	for i, s := range list {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, s...)
	}
	return dst
}

// appendCompanyKey appends the folded company without its legal form (see
// [Company]).
func appendCompanyKey(dst []byte, company string) []byte {
	var t text
	t.scan(company, false)
	n, _ := t.companyWords(company)
	return t.phrase(dst, 0, n)
}

// appendTitleKey appends the folded title without gender markers and
// without droppable parts (see Fingerprint).
func appendTitleKey(dst []byte, title string) []byte {
	var t text
	t.scan(title, false)
	var drop, gender [maxTokens]bool
	var key [maxTextBytes]byte
	// Gender markers, anywhere. Most words are too long to start one.
	for i := 0; i < t.nt; i++ {
		if len(t.word(i)) > maxGenderFirst {
			continue
		}
		for w := min(maxGenderWords, t.nt-i); w >= 1; w-- {
			if genderMarkers[string(t.phrase(key[:0], i, i+w))] {
				for j := i; j < i+w; j++ {
					drop[j], gender[j] = true, true
				}
				i += w - 1
				break
			}
		}
	}
	// Parts made only of places and part words.
	kept := 0
	start := 0
	for i := 1; i <= t.nt; i++ {
		if i < t.nt && !partBoundary(t.toks[i].sep) {
			continue
		}
		if t.droppablePart(start, i, &drop) {
			for j := start; j < i; j++ {
				drop[j] = true
			}
		}
		start = i
	}
	for i := 0; i < t.nt; i++ {
		if !drop[i] {
			kept++
		}
	}
	first := true
	for i := 0; i < t.nt; i++ {
		// When every word would go (a title such as "Remote"), keep all
		// but gender markers.
		if drop[i] && (kept > 0 || gender[i]) {
			continue
		}
		if !first {
			dst = append(dst, ' ')
		}
		first = false
		dst = append(dst, t.word(i)...)
	}
	return dst
}

// partBoundary reports whether a separator ends a part of a title: a dash
// with spaces, a bracket, a comma.
func partBoundary(sep byte) bool {
	return sep == sepDash || sep == sepOpen || sep == sepClose || sep == sepList
}

// droppablePart reports whether words [from, to) are all places, workplace
// words, part words or already dropped. Two-letter codes do not count: "(IT)"
// in a title is more often the IT department than Italy.
func (t *text) droppablePart(from, to int, drop *[maxTokens]bool) bool {
	var key [maxTextBytes + maxTokens]byte
	for j := from; j < to; {
		if drop[j] || partWords[string(t.word(j))] {
			j++
			continue
		}
		if n, p := t.longestPlace(j, key[:0]); p != nil && j+n <= to {
			j += n
			continue
		}
		return false
	}
	return true
}

// phrase appends words [from, to) joined by spaces to dst.
func (t *text) phrase(dst []byte, from, to int) []byte {
	for i := from; i < to; i++ {
		if i > from {
			dst = append(dst, ' ')
		}
		dst = append(dst, t.word(i)...)
	}
	return dst
}
