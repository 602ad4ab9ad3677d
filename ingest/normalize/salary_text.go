package normalize

import (
	"strings"
)

// salaryMarkers are the signs and codes whose place in a description starts
// a look for a salary: "$" also stands in "C$", "R$", "RD$".
var salaryMarkers = []string{"$", "€", "£", "₹", "EUR", "USD", "GBP", "CHF", "PLN", "zł"}

// salaryCues are the words of rules/salary_text.tsv, in lower case.
var salaryCues = func() []string {
	rows, err := readTable("salary_text.tsv", 2)
	mustLoad(err)
	var cues []string
	for _, r := range rows {
		if r.fields[0] != "cue" {
			mustLoad(r.errorf("want cue <TAB> words"))
		}
		for _, w := range alternatives(r.fields[1]) {
			if w != strings.ToLower(w) {
				mustLoad(r.errorf("cue %q is not in lower case", w))
			}
			cues = append(cues, w)
		}
	}
	return cues
}()

// Bytes of a description before a salary's figure where its cue may stand,
// and after its marker that the salary may take.
const (
	salaryBefore = 40
	salaryAfter  = 60
)

// TextSalary reads a salary stated in a posting's description (its plain
// text), for a posting whose source gave none: around each currency sign or
// code, the text is read as salary text ([ParseSalary]) where a word of
// rules/salary_text.tsv ("salary", "Gehalt", "brutto", "per hour") stands
// beside it. It reports whether it found one; the first found wins.
func TextSalary(text string) (Salary, bool) {
	s, _, ok := textSalary(text)
	return s, ok
}

// ExplainTextSalary is [TextSalary], with the part of the text the salary
// was read from.
func ExplainTextSalary(text string) (Salary, string, bool) { return textSalary(text) }

func textSalary(text string) (Salary, string, bool) {
	best, bestAt, bestSpan := Salary{}, len(text), ""
	for _, m := range salaryMarkers {
		for from := 0; from < bestAt; {
			j := strings.Index(text[from:min(len(text), bestAt)], m)
			if j < 0 {
				break
			}
			at := from + j
			from = at + len(m)
			span, around := salarySpan(text, at, at+len(m))
			if !hasSalaryCue(around) {
				continue
			}
			if bigFigure(span) {
				continue // "$1B+ in sales", "raised $20M": no pay
			}
			if s, ok := ParseSalary(span); ok && s.Currency != "" && (s.Period != "" || s.Max >= minBareSalary) {
				best, bestAt, bestSpan = s, at, span
				break
			}
		}
	}
	return best, bestSpan, bestSpan != ""
}

// salarySpan returns the text a salary may be read from for a marker at
// text[at:end], and the text around it where a cue must stand. The salary
// starts at the marker's figure: the one right before it ("90.000€",
// "70-80 k€") or, when none, the marker itself ("$130,000"); it ends
// salaryAfter bytes on. The cue may stand from salaryBefore bytes before
// the figure. Both stay within the marker's line and end at word bounds.
func salarySpan(text string, at, end int) (span, around string) {
	start := at
	i := at
	for i > 0 && text[i-1] == ' ' && at-i < 2 {
		i--
	}
	if i > 0 && (isDigit(text[i-1]) || text[i-1] == 'k' || text[i-1] == 'K') {
		for i > 0 && (isDigit(text[i-1]) || strings.IndexByte(".,' -–kK", text[i-1]) >= 0) && at-i < 24 {
			i--
		}
		start = wordStart(text, i)
	}
	lineStart := strings.LastIndexByte(text[:start], '\n') + 1
	lo := max(lineStart, wordStart(text, max(0, start-salaryBefore)))
	hi := min(len(text), end+salaryAfter)
	if hi < len(text) {
		hi = wordEnd(text, hi)
	}
	if nl := strings.IndexByte(text[end:hi], '\n'); nl >= 0 {
		hi = end + nl
	}
	return text[start:hi], text[lo:hi]
}

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// hasSalaryCue reports whether a word of rules/salary_text.tsv starts at a
// word start of s, whatever the case of its ASCII letters.
func hasSalaryCue(s string) bool {
	for _, cue := range salaryCues {
		for from := 0; ; {
			j := indexFold(s[from:], cue)
			if j < 0 {
				break
			}
			at := from + j
			from = at + 1
			if at > 0 && isWordByte(s[at-1]) && isWordByte(cue[0]) {
				continue
			}
			if e := at + len(cue); e < len(s) && isWordByte(s[e]) && isWordByte(cue[len(cue)-1]) {
				continue
			}
			return true
		}
	}
	return false
}

// indexFold is [strings.Index] with the ASCII letters of s read in lower
// case; sub is in lower case.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if lowerASCII(s[i]) == sub[0] && asciiLowerEqual(s[i+1:i+len(sub)], sub[1:]) {
			return i
		}
	}
	return -1
}

// minBareSalary is the least figure a salary read from a description with
// no period may have: "40 € brutto zzgl. 20% AG-Zuschuss" is an allowance,
// "1800 € net" a month's pay.
const minBareSalary = 500

// bigFigure reports whether a figure of s is written in millions or
// billions ("$5M", "1B+", "2 Mio."), which no salary of a description is.
func bigFigure(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			continue
		}
		j := i + 1
		for j < len(s) && (isDigit(s[j]) || s[j] == '.' || s[j] == ',') {
			j++
		}
		k := j
		for k < len(s) && s[k] == ' ' {
			k++
		}
		w := s[k:wordEnd(s, k)]
		switch strings.ToLower(w) {
		case "m", "mm", "b", "bn", "million", "millions", "billion", "billions", "mio", "mrd", "milliard", "milliarden", "millionen":
			return true
		}
		i = j
	}
	return false
}
