package normalize

import (
	"strings"
	"unicode/utf8"
)

// matchSign returns the currency sign (not a word: "$", "€", "c$") s starts
// with, if any.
func matchSign(s string) (string, salaryWord) {
	if s == "" {
		return "", salaryWord{}
	}
	for _, sign := range salarySigns[s[0]] {
		if strings.HasPrefix(s, sign) {
			return sign, salaryWords[sign]
		}
	}
	return "", salaryWord{}
}

// salaryWordAt reads the word s starts with, and one more after a space or a
// dot when the two form a known phrase ("per annum", "p.a."), and returns its
// meaning, the bytes read and whether it is known. A word followed by "$" is
// read as a sign ("us$", "c$"); after a slash "/h" is tried before "h".
func salaryWordAt(s string, slash bool, key []byte) (salaryWord, int, bool) {
	key, n := appendWord(key, s)
	if n < len(s) && s[n] == '$' {
		if w, ok := salaryWords[string(append(key, '$'))]; ok {
			return w, n + 1, true
		}
	}
	// A two-word phrase?
	j := n
	for j < len(s) && (s[j] == ' ' || s[j] == '.') {
		j++
	}
	if j > n && j < len(s) {
		two := append(key, ' ')
		two, m := appendWord(two, s[j:])
		if m > 0 {
			if w, ok := salaryWords[string(two)]; ok {
				return w, j + m, true
			}
		}
		key = two[:len(key)]
	}
	if slash {
		var sl [80]byte
		b := append(append(sl[:0], '/'), key...)
		if w, ok := salaryWords[string(b)]; ok {
			return w, n, true
		}
	}
	w, ok := salaryWords[string(key)]
	return w, n, ok
}

// appendWord appends the folded letters s starts with to key (up to its
// capacity) and returns the bytes of s they took.
func appendWord(key []byte, s string) ([]byte, int) {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		f, ok := foldRune(r)
		if !ok || ('0' <= r && r <= '9') {
			break
		}
		if f == "" {
			var b [utf8.UTFMax]byte
			f = string(b[:utf8.EncodeRune(b[:], r)])
		}
		if len(key)+len(f) <= cap(key) {
			key = append(key, f...)
		}
		i += size
	}
	return key, i
}

// scanFigure reads the number s starts with (digits with thousands or decimal
// separators), the multiplier word after it, and a following "%". It returns
// the figure, the bytes read and whether it is a percentage.
func scanFigure(s string) (figure, int, bool) {
	var (
		groups [12][2]int // digit runs: start, end
		seps   [12]byte   // seps[k] stands before groups[k]: ',', '.', '\'' or ' '
		ng     int
		i      int
	)
	for {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		groups[ng] = [2]int{start, i}
		ng++
		if ng == len(groups) {
			break
		}
		sep, size := figureSep(s[i:])
		if sep == 0 {
			break
		}
		seps[ng] = sep
		i += size
	}
	// Which separator, if any, is the decimal one?
	dec := -1
	last := ng - 1
	if last > 0 && (seps[last] == '.' || seps[last] == ',') {
		lastLen := groups[last][1] - groups[last][0]
		same := false
		for k := 1; k < last; k++ {
			if seps[k] == seps[last] {
				same = true
			}
		}
		switch {
		case same: // "1,000,000"
		case lastLen != 3: // "31,2", "12.50", "1.234,56"
			dec = last
		default:
			for k := 1; k < last; k++ {
				if seps[k] == '.' || seps[k] == ',' { // "1.234,567"? the other one is thousands
					dec = last
				}
			}
		}
	}
	v, digits := 0.0, 0
	for k := 0; k < ng; k++ {
		if k == dec {
			scale := 1.0
			for p := groups[k][0]; p < groups[k][1] && p < groups[k][0]+6; p++ {
				scale /= 10
				v += float64(s[p]-'0') * scale
			}
			break
		}
		for p := groups[k][0]; p < groups[k][1]; p++ {
			if digits < 16 {
				v = v*10 + float64(s[p]-'0')
			} else {
				v *= 10
			}
			digits++
		}
	}
	f := figure{v: v}
	// The dash of German and Swiss prices in whole units: "65.000,- €",
	// "Fr. 90'000.–".
	for _, dash := range [...]string{",-", ".-", ",–", ".–"} {
		if strings.HasPrefix(s[i:], dash) && (i+len(dash) == len(s) || s[i+len(dash)] < '0' || s[i+len(dash)] > '9') {
			i += len(dash)
			break
		}
	}
	// A multiplier right after the figure, or after one space: "50k", "50 K".
	j := i
	if j < len(s) && s[j] == ' ' {
		j++
	}
	var kb [16]byte
	key, n := appendWord(kb[:0], s[j:])
	if n > 0 && n <= len(kb) {
		if w, ok := salaryWords[string(key)]; ok && w.mult > 0 {
			f.v *= w.mult
			f.mult = w.mult
			i = j + n
		}
	}
	// A percentage?
	j = i
	for j < len(s) && s[j] == ' ' {
		j++
	}
	return f, i, j < len(s) && s[j] == '%'
}

// figureSep returns the separator s starts with when a digit follows it (a
// space only when exactly three digits follow: "100 000"), and its length.
func figureSep(s string) (byte, int) {
	var sep byte
	size := 1
	switch {
	case strings.HasPrefix(s, ","), strings.HasPrefix(s, "."), strings.HasPrefix(s, "'"):
		sep = s[0]
	case strings.HasPrefix(s, "’"):
		sep, size = '\'', len("’")
	case strings.HasPrefix(s, " "):
		sep = ' '
	case strings.HasPrefix(s, "\u00a0"):
		sep, size = ' ', len("\u00a0")
	case strings.HasPrefix(s, "\u202f"):
		sep, size = ' ', len("\u202f")
	default:
		return 0, 0
	}
	rest := s[size:]
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	if n == 0 || sep == ' ' && n != 3 {
		return 0, 0
	}
	if sep == ' ' {
		sep = '\''
	}
	return sep, size
}
