package normalize

import (
	"math"
	"unicode/utf8"
)

// maxSalaryText is how much of a salary text is read; the rest is ignored.
const maxSalaryText = 512

// maxRangeRatio is the largest Max/Min of a plausible range; "$1 - $100" is
// rejected.
const maxRangeRatio = 20

// figure is one number of a salary text.
type figure struct {
	v      float64
	mult   float64 // the multiplier written after it ("k"), 0 when none
	linked bool    // a range separator joins it to the figure before
}

// ParseSalary reads a salary text such as "$18 - $22/hr", "$31,2k- $52k",
// "OTE $25k - $35k", "€60.000 - €75.000" or "90-150 /hour" into a [Salary],
// and reports whether it found one. "Competitive", "DOE" and "" give false.
//
// The rules, with the words and signs of rules/salary.tsv:
//
//   - The first figure is Min; the figure after it is Max when a range
//     separator ("-", "to", "bis"...) joins them, else Max = Min. After "up
//     to", Min is 0. "k" and "M" multiply; "50-75k" is 50k to 75k. Figures
//     followed by "%" are skipped.
//   - Thousands separators are read from the figure: "45,000", "60.000",
//     "120'000" and "100 000" are thousands; "31,2k" and "12.50" have
//     decimals (one separator followed by other than three digits).
//   - Currency is the first sign or code named ("$" is USD, "c$" CAD); ""
//     when none. Period is the first period word ("/hr", "per month",
//     "annual"...).
//   - With no period, a figure is taken as yearly only when the currency is
//     known and the smallest figure reaches the currency's year floor
//     (20,000 for USD, EUR, GBP...): "$45,000 - $50,000" is yearly, "$3k -
//     $10k" and "45000" (no currency) keep Period "". Nothing else is assumed.
//   - Annual figures are set when the period is known: hour × 2080, day ×
//     260, week × 52, month × 12.
//   - A salary is rejected (false) when a figure is outside the bounds of its
//     period (in rules/salary.tsv, scaled by the currency: an hourly rate of
//     1 to 1,000 USD, a year of 1,000 to 5,000,000 USD...), or when Max is
//     more than 20 times Min.
//
// Min <= Max always. Only the first 512 bytes are read.
func ParseSalary(s string) (Salary, bool) {
	if len(s) > maxSalaryText {
		s = s[:maxSalaryText]
	}
	var (
		figs  [8]figure
		nf    int
		cur   *currencyRule
		per   *periodRule
		upto  bool
		link  int  // 0: nothing; 1: after a figure; 2: after a figure and a range separator
		slash bool // the last mark was a slash
		key   [80]byte
	)
	for i := 0; i < len(s); {
		c := s[i]
		if '0' <= c && c <= '9' {
			f, n, pct := scanFigure(s[i:])
			i += n
			slash = false
			if pct {
				link = 0
				continue
			}
			f.linked = link == 2
			if nf < len(figs) {
				figs[nf] = f
				nf++
			}
			link = 1
			continue
		}
		if sign, w := matchSign(s[i:]); sign != "" {
			if cur == nil && w.currency != nil {
				cur = w.currency
			}
			i += len(sign)
			slash = false
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if _, ok := foldRune(r); ok {
			w, n, known := salaryWordAt(s[i:], slash, key[:0])
			i += n
			slash = false
			switch {
			case !known:
				link = 0
			case w.currency != nil:
				if cur == nil {
					cur = w.currency
				}
			case w.period != nil:
				if per == nil {
					per = w.period
				}
			case w.rangeSep:
				if link == 1 {
					link = 2
				}
			case w.upto:
				switch {
				case nf == 0:
					upto = true
				case link == 1: // "desde 2.000 hasta 2.500 €"
					link = 2
				}
			}
			continue
		}
		i += size
		switch r {
		case ' ', '\t', '\u00a0', '\u202f', ':':
		case '/':
			slash = true
		case '-', '–', '—', '~', '−':
			if link == 1 {
				link = 2
			}
			slash = false
		default:
			link, slash = 0, false
		}
	}
	if nf == 0 {
		return Salary{}, false
	}
	lo, hi := figs[0], figs[0]
	if nf > 1 && figs[1].linked {
		hi = figs[1]
		// "50-75k": the multiplier of one figure applies to the other.
		if lo.mult == 0 && hi.mult > 0 && lo.v < 1000 && lo.v*hi.mult <= hi.v {
			lo.v *= hi.mult
		}
		if hi.mult == 0 && lo.mult > 0 && hi.v < lo.v && hi.v < 1000 {
			hi.v *= lo.mult
		}
	}
	min, max := lo.v, hi.v
	if upto && !(nf > 1 && figs[1].linked) {
		min = 0
	}
	code := ""
	if cur != nil {
		code = cur.code
	}
	return finishSalary(min, max, code, cur, per)
}

// CompleteSalary applies the checks and inferences of [ParseSalary] to a
// salary a source published as numbers (Min, Max, and maybe Currency and
// Period): it orders Min and Max, rejects absurd figures, infers a yearly
// period under the same rule, and computes the annual figures. A Min of 0
// with a Max is kept ("up to"). A currency code the table lacks is kept
// (with the widest bounds and no year assumed); anything else that is not a
// code is dropped. It reports false when s is not plausible.
func CompleteSalary(s Salary) (Salary, bool) {
	cur := currencyCodes[s.Currency]
	code := ""
	switch {
	case cur != nil:
		code = cur.code
	case isCurrencyCode(s.Currency):
		code = s.Currency // a code the table lacks: kept, with no scale or year floor
	}
	var per *periodRule
	if s.Period != "" {
		if per = periodRules[s.Period]; per == nil {
			return Salary{}, false
		}
	}
	return finishSalary(s.Min, s.Max, code, cur, per)
}

// isCurrencyCode reports whether c looks like an ISO 4217 code.
func isCurrencyCode(c string) bool {
	if len(c) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if c[i] < 'A' || c[i] > 'Z' {
			return false
		}
	}
	return true
}

// finishSalary checks a range and completes it; cur and per may be nil.
func finishSalary(min, max float64, code string, cur *currencyRule, per *periodRule) (Salary, bool) {
	if math.IsNaN(min) || math.IsNaN(max) || math.IsInf(min, 0) || math.IsInf(max, 0) || min < 0 || max < 0 {
		return Salary{}, false
	}
	if min > max {
		min, max = max, min
	}
	if max == 0 {
		return Salary{}, false
	}
	if min > 0 && max > min*maxRangeRatio {
		return Salary{}, false
	}
	if per == nil && cur != nil && cur.floor > 0 && max >= cur.floor && (min == 0 || min >= cur.floor) {
		per = periodRules[Year]
	}
	bounds := &unknownPeriod
	if per != nil {
		bounds = per
	}
	scaleLow, scaleHigh := 1.0, 1000.0 // an unknown currency may be any
	if cur != nil {
		scaleLow, scaleHigh = cur.scale, cur.scale
	}
	if min > 0 && min < bounds.low*scaleLow || max < bounds.low*scaleLow || max > bounds.max*scaleHigh {
		return Salary{}, false
	}
	min, max = round2(min), round2(max)
	s := Salary{Min: min, Max: max, Currency: code}
	if per != nil {
		s.Period = per.period
		s.AnnualMin, s.AnnualMax = round2(min*per.perYear), round2(max*per.perYear)
	}
	return s, true
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
