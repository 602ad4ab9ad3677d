package warehouse

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// Keys (source, source_id, lake keys) are indexed, and a btree entry must
// stay under about 2.7 kB: longer keys are cut and made unique again with a
// hash.
const (
	maxKeyLen    = 256
	keyPrefixLen = maxKeyLen - 1 - 32 // prefix, "~", 32 hex digits of sha256
)

// clean makes s safe to store as PostgreSQL text: invalid UTF-8 becomes
// U+FFFD and NUL bytes, which text cannot hold, are dropped.
func clean(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// cleanKey is [clean] for key columns: a value longer than maxKeyLen bytes
// becomes its first bytes, "~" and a hash of the whole, so distinct long keys
// stay distinct and the same key always maps to the same value.
func cleanKey(s string) string {
	s = clean(s)
	if len(s) <= maxKeyLen {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	cut := keyPrefixLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "~" + hex.EncodeToString(sum[:16])
}

// cleanAll returns the strings cleaned, never nil (an empty array, not
// NULL). It returns ss itself when nothing needs cleaning.
func cleanAll(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	for i, s := range ss {
		if c := clean(s); c != s {
			out := make([]string, len(ss))
			copy(out, ss[:i])
			for j := i; j < len(ss); j++ {
				out[j] = clean(ss[j])
			}
			return out
		}
	}
	return ss
}

// cleanTime returns t, or the zero time (stored as NULL: unknown) when
// PostgreSQL could not store it.
func cleanTime(t time.Time) time.Time {
	if y := t.Year(); y < 1 || y > 9999 {
		return time.Time{}
	}
	return t
}

// cleanAmount returns a salary figure fit for a numeric column: a finite,
// positive number, or 0 (stored as NULL: unknown).
func cleanAmount(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) || f <= 0 || f >= 1e15 {
		return 0
	}
	return f
}

// nullTime turns the zero time into SQL NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// nullAmount turns an unknown (zero) amount into SQL NULL.
func nullAmount(f float64) any {
	if f == 0 {
		return nil
	}
	return f
}
