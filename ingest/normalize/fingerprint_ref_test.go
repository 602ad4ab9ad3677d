package normalize

import (
	"strings"
	"testing"
)

// appendTitleKeyRef is appendTitleKey as it was before it skipped the words
// too long to start a gender marker: it looks up every run of up to
// maxGenderWords words. Tests check that appendTitleKey gives the same key.
func appendTitleKeyRef(dst []byte, title string) []byte {
	var t text
	t.scan(title, false)
	var drop, gender [maxTokens]bool
	var key [maxTextBytes]byte
	// Gender markers, anywhere.
	for i := 0; i < t.nt; i++ {
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

// FuzzTitleKeyMatchesRef checks appendTitleKey against appendTitleKeyRef.
func FuzzTitleKeyMatchesRef(f *testing.F) {
	for _, p := range realPostings(f) {
		f.Add(p.Title)
	}
	for m := range genderMarkers {
		f.Add("Backend Engineer (" + strings.ReplaceAll(m, " ", "/") + ") - Remote")
		f.Add(strings.ToUpper(m) + " Developer " + m)
	}
	f.Fuzz(func(t *testing.T, title string) {
		if got, want := appendTitleKey(nil, title), appendTitleKeyRef(nil, title); string(got) != string(want) {
			t.Errorf("appendTitleKey(%q) = %q, appendTitleKeyRef gives %q", title, got, want)
		}
	})
}
