package normalize

import (
	"slices"
	"strconv"
	"strings"
)

// currencyRule is one currency line of rules/salary.tsv.
type currencyRule struct {
	code  string
	scale float64 // units per US dollar, roughly
	floor float64 // smallest figure taken as yearly when no period is given
}

// periodRule is one period line of rules/salary.tsv.
type periodRule struct {
	period   string
	perYear  float64
	low, max float64 // bounds of a figure, in scale-1 units
}

// salaryWord is what a word or sign of salary text means; one field is set.
type salaryWord struct {
	currency *currencyRule
	period   *periodRule
	mult     float64
	rangeSep bool
	upto     bool
}

// The compiled salary table.
var (
	salaryWords   map[string]salaryWord    // folded name or sign -> meaning
	salarySigns   [256][]string            // signs that are not words ("$", "€") by first byte, longest first
	unknownPeriod periodRule               // bounds when the period is unknown
	periodRules   map[string]*periodRule   // period -> its line
	currencyCodes map[string]*currencyRule // ISO code -> its line
)

func init() { mustLoad(loadSalaryRules()) }

// loadSalaryRules compiles rules/salary.tsv.
func loadSalaryRules() error {
	rows, err := readTable("salary.tsv", 3)
	if err != nil {
		return err
	}
	words := map[string]salaryWord{}
	periods := map[string]*periodRule{}
	codes := map[string]*currencyRule{}
	var signs []string
	add := func(r row, field string, w salaryWord) error {
		for _, name := range alternatives(field) {
			if name == "-" {
				continue
			}
			if _, dup := words[name]; dup {
				return r.errorf("name %q is defined twice", name)
			}
			if isWordName(name) {
				if foldString(name, "/") != name {
					return r.errorf("name %q is not folded", name)
				}
			} else {
				signs = append(signs, name)
			}
			words[name] = w
		}
		return nil
	}
	num := func(r row, s string) (float64, error) {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 0 {
			return 0, r.errorf("%q is not a number", s)
		}
		return v, nil
	}
	for _, r := range rows {
		f := r.fields
		switch f[0] {
		case "currency":
			if len(f) != 5 || len(f[1]) != 3 || strings.ToUpper(f[1]) != f[1] {
				return r.errorf("want currency <TAB> ISO code <TAB> scale <TAB> year floor <TAB> names")
			}
			scale, err := num(r, f[2])
			if err != nil {
				return err
			}
			floor, err := num(r, f[3])
			if err != nil {
				return err
			}
			if _, dup := codes[f[1]]; dup {
				return r.errorf("currency %s is defined twice", f[1])
			}
			c := &currencyRule{code: f[1], scale: scale, floor: floor}
			codes[f[1]] = c
			if err := add(r, f[4], salaryWord{currency: c}); err != nil {
				return err
			}
		case "period":
			if len(f) != 6 {
				return r.errorf("want period <TAB> period <TAB> per year <TAB> lowest <TAB> highest <TAB> names")
			}
			var v [3]float64
			for i := range v {
				if v[i], err = num(r, f[2+i]); err != nil {
					return err
				}
			}
			p := &periodRule{period: f[1], perYear: v[0], low: v[1], max: v[2]}
			if p.low > p.max || p.perYear <= 0 {
				return r.errorf("bad bounds")
			}
			if f[1] == "-" {
				unknownPeriod = *p
				continue
			}
			if !validPeriod(f[1]) {
				return r.errorf("unknown period %q", f[1])
			}
			periods[f[1]] = p
			if err := add(r, f[5], salaryWord{period: p}); err != nil {
				return err
			}
		case "multiplier":
			m, err := num(r, f[1])
			if err != nil {
				return err
			}
			if err := add(r, f[2], salaryWord{mult: m}); err != nil {
				return err
			}
		case "range":
			if err := add(r, f[2], salaryWord{rangeSep: true}); err != nil {
				return err
			}
		case "upto":
			if err := add(r, f[2], salaryWord{upto: true}); err != nil {
				return err
			}
		default:
			return r.errorf("unknown kind %q", f[0])
		}
	}
	if unknownPeriod.max == 0 {
		return &tableError{"salary.tsv", `no bounds for period "-"`}
	}
	// Longest signs first, so that "us$" is tried before "$".
	slices.SortStableFunc(signs, func(a, b string) int { return len(b) - len(a) })
	var byFirst [256][]string
	for _, sign := range signs {
		byFirst[sign[0]] = append(byFirst[sign[0]], sign)
	}
	salaryWords, salarySigns, periodRules, currencyCodes = words, byFirst, periods, codes
	return nil
}

// isWordName reports whether a salary name is made of letters, spaces and a
// leading slash only (a word), rather than a sign such as "$" or "c$".
func isWordName(name string) bool {
	for i, r := range name {
		if r == '/' && i == 0 || r == ' ' {
			continue
		}
		if _, ok := foldRune(r); !ok {
			return false
		}
	}
	return true
}

func validPeriod(p string) bool {
	switch p {
	case Hour, Day, Week, Month, Year:
		return true
	}
	return false
}
