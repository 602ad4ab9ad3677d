package normalize

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSalary(t *testing.T) {
	usd := func(min, max float64, period string, perYear float64) Salary {
		s := Salary{Min: min, Max: max, Currency: "USD", Period: period}
		if period != "" {
			s.AnnualMin, s.AnnualMax = min*perYear, max*perYear
		}
		return s
	}
	tests := []struct {
		name, text string
		want       Salary
		ok         bool
	}{
		{"hourly range", "$18 - $22/hr", usd(18, 22, Hour, 2080), true},
		{"hourly single", "$14/hr", usd(14, 14, Hour, 2080), true},
		{"big figures with no period are yearly", "$45,000 - $50,000", usd(45000, 50000, Year, 1), true},
		{"k figure", "$36k", usd(36000, 36000, Year, 1), true},
		{"hour with a space before the slash", "$90 - $150 /hour", usd(90, 150, Hour, 2080), true},
		{"k range", "$150k - $230k", usd(150000, 230000, Year, 1), true},
		{"european decimal comma", "$31,2k- $52k", usd(31200, 52000, Year, 1), true},
		{"on-target earnings", "OTE $25k - $35k", usd(25000, 35000, Year, 1), true},
		{"small figures with no period keep no period", "$3k - $10k", usd(3000, 10000, "", 0), true},
		{"no spaces", "$50-$75 /hour", usd(50, 75, Hour, 2080), true},
		{"dot thousands", "€60.000 - €75.000", Salary{Min: 60000, Max: 75000, Currency: "EUR", Period: Year, AnnualMin: 60000, AnnualMax: 75000}, true},
		{"no currency", "90-150 /hour", Salary{Min: 90, Max: 150, Period: Hour, AnnualMin: 187200, AnnualMax: 312000}, true},
		{"no currency, no period: no year assumed", "45000-60000", Salary{Min: 45000, Max: 60000}, true},
		{"pounds", "£50k", Salary{Min: 50000, Max: 50000, Currency: "GBP", Period: Year, AnnualMin: 50000, AnnualMax: 50000}, true},
		{"code and per year", "USD 100,000 per year", usd(100000, 100000, Year, 1), true},
		{"code after", "100k-120k EUR", Salary{Min: 100000, Max: 120000, Currency: "EUR", Period: Year, AnnualMin: 100000, AnnualMax: 120000}, true},
		{"monthly", "$5,000/month", usd(5000, 5000, Month, 12), true},
		{"apostrophe thousands", "CHF 120'000", Salary{Min: 120000, Max: 120000, Currency: "CHF", Period: Year, AnnualMin: 120000, AnnualMax: 120000}, true},
		{"space thousands, french year", "45 000 € brut annuel", Salary{Min: 45000, Max: 45000, Currency: "EUR", Period: Year, AnnualMin: 45000, AnnualMax: 45000}, true},
		{"german month", "€ 4.500 - 5.500 brutto/Monat", Salary{Min: 4500, Max: 5500, Currency: "EUR", Period: Month, AnnualMin: 54000, AnnualMax: 66000}, true},
		{"decimal comma hourly", "12,50 €/h", Salary{Min: 12.5, Max: 12.5, Currency: "EUR", Period: Hour, AnnualMin: 26000, AnnualMax: 26000}, true},
		{"german whole-unit dash", "€ 65.000,- bis € 75.000,-", Salary{Min: 65000, Max: 75000, Currency: "EUR", Period: Year, AnnualMin: 65000, AnnualMax: 75000}, true},
		{"german whole-unit dash and a dash between", "€65.000,- - €75.000,-", Salary{Min: 65000, Max: 75000, Currency: "EUR", Period: Year, AnnualMin: 65000, AnnualMax: 75000}, true},
		{"french plural month", "2 000 € bruts mensuels", Salary{Min: 2000, Max: 2000, Currency: "EUR", Period: Month, AnnualMin: 24000, AnnualMax: 24000}, true},
		{"spanish range with hasta", "desde 2.000 hasta 2.500 € al mes", Salary{Min: 2000, Max: 2500, Currency: "EUR", Period: Month, AnnualMin: 24000, AnnualMax: 30000}, true},
		{"spanish hour", "15 € por hora", Salary{Min: 15, Max: 15, Currency: "EUR", Period: Hour, AnnualMin: 31200, AnnualMax: 31200}, true},
		{"up to alone stays up to", "bis zu 60.000 €", Salary{Min: 0, Max: 60000, Currency: "EUR", Period: Year, AnnualMin: 0, AnnualMax: 60000}, true},
		{"french daily rate", "TJM 500€", Salary{Min: 500, Max: 500, Currency: "EUR", Period: Day, AnnualMin: 130000, AnnualMax: 130000}, true},
		{"k applies to both", "50-75k €", Salary{Min: 50000, Max: 75000, Currency: "EUR", Period: Year, AnnualMin: 50000, AnnualMax: 75000}, true},
		{"up to", "up to $80k", usd(0, 80000, Year, 1), true},
		{"percent skipped", "20% bonus, $90k", usd(90000, 90000, Year, 1), true},
		{"canadian dollar", "C$90,000", Salary{Min: 90000, Max: 90000, Currency: "CAD", Period: Year, AnnualMin: 90000, AnnualMax: 90000}, true},
		{"indian grouping", "₹8,00,000 per annum", Salary{Min: 800000, Max: 800000, Currency: "INR", Period: Year, AnnualMin: 800000, AnnualMax: 800000}, true},
		{"us dollar sign", "US$ 120k", usd(120000, 120000, Year, 1), true},
		{"min above max is swapped", "$60k - $50k", usd(50000, 60000, Year, 1), true},
		{"competitive", "Competitive", Salary{}, false},
		{"doe", "DOE", Salary{}, false},
		{"empty", "", Salary{}, false},
		{"zero", "$0", Salary{}, false},
		{"absurd range", "$1 - $100", Salary{}, false},
		{"absurd hourly rate", "$5,000/hr", Salary{}, false},
		{"absurd yearly pay", "$900,000,000 per year", Salary{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseSalary(tt.text)
			if ok != tt.ok {
				t.Errorf("ParseSalary(%q) ok = %v, want %v", tt.text, ok, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseSalary(%q) (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestCompleteSalary(t *testing.T) {
	tests := []struct {
		name     string
		in, want Salary
		ok       bool
	}{
		{"yearly USD figures", Salary{Min: 180000, Max: 210000, Currency: "USD"}, Salary{Min: 180000, Max: 210000, Currency: "USD", Period: Year, AnnualMin: 180000, AnnualMax: 210000}, true},
		{"small USD figures keep no period", Salary{Min: 30, Max: 30, Currency: "USD"}, Salary{Min: 30, Max: 30, Currency: "USD"}, true},
		{"no currency: no year assumed", Salary{Min: 40000, Max: 100000}, Salary{Min: 40000, Max: 100000}, true},
		{"known period", Salary{Min: 25, Max: 27, Currency: "USD", Period: Hour}, Salary{Min: 25, Max: 27, Currency: "USD", Period: Hour, AnnualMin: 52000, AnnualMax: 56160}, true},
		{"only a max", Salary{Max: 90000, Currency: "USD"}, Salary{Max: 90000, Currency: "USD", Period: Year, AnnualMax: 90000}, true},
		{"swapped", Salary{Min: 200000, Max: 100000, Currency: "EUR"}, Salary{Min: 100000, Max: 200000, Currency: "EUR", Period: Year, AnnualMin: 100000, AnnualMax: 200000}, true},
		{"currency code the table lacks is kept", Salary{Min: 50000, Max: 60000, Currency: "XYZ"}, Salary{Min: 50000, Max: 60000, Currency: "XYZ"}, true},
		{"a currency that is no code is dropped", Salary{Min: 50, Max: 60, Currency: "dollars", Period: Hour}, Salary{Min: 50, Max: 60, Period: Hour, AnnualMin: 104000, AnnualMax: 124800}, true},
		{"bad period", Salary{Min: 50, Max: 60, Period: "fortnight"}, Salary{}, false},
		{"nothing", Salary{}, Salary{}, false},
		{"negative", Salary{Min: -5, Max: 10}, Salary{}, false},
		{"absurd", Salary{Min: 1e300, Max: 1e300, Currency: "USD"}, Salary{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := CompleteSalary(tt.in)
			if ok != tt.ok {
				t.Errorf("CompleteSalary(%+v) ok = %v, want %v", tt.in, ok, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CompleteSalary(%+v) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// TestParseSalaryReal parses every salary text of the Remotive capture.
func TestParseSalaryReal(t *testing.T) {
	want := map[string]Salary{
		"$18 - $22/hr":      {Min: 18, Max: 22, Currency: "USD", Period: Hour, AnnualMin: 37440, AnnualMax: 45760},
		"$45,000 - $50,000": {Min: 45000, Max: 50000, Currency: "USD", Period: Year, AnnualMin: 45000, AnnualMax: 50000},
		"$14/hr":            {Min: 14, Max: 14, Currency: "USD", Period: Hour, AnnualMin: 29120, AnnualMax: 29120},
		"$36k":              {Min: 36000, Max: 36000, Currency: "USD", Period: Year, AnnualMin: 36000, AnnualMax: 36000},
		"$90 - $150 /hour":  {Min: 90, Max: 150, Currency: "USD", Period: Hour, AnnualMin: 187200, AnnualMax: 312000},
		"$120 - $170 /hour": {Min: 120, Max: 170, Currency: "USD", Period: Hour, AnnualMin: 249600, AnnualMax: 353600},
		"$150k - $230k":     {Min: 150000, Max: 230000, Currency: "USD", Period: Year, AnnualMin: 150000, AnnualMax: 230000},
		"$170k - $200k":     {Min: 170000, Max: 200000, Currency: "USD", Period: Year, AnnualMin: 170000, AnnualMax: 200000},
		"$31,2k- $52k":      {Min: 31200, Max: 52000, Currency: "USD", Period: Year, AnnualMin: 31200, AnnualMax: 52000},
		"$80k - $100k":      {Min: 80000, Max: 100000, Currency: "USD", Period: Year, AnnualMin: 80000, AnnualMax: 100000},
		"$55k - $100k":      {Min: 55000, Max: 100000, Currency: "USD", Period: Year, AnnualMin: 55000, AnnualMax: 100000},
		"OTE $25k - $35k":   {Min: 25000, Max: 35000, Currency: "USD", Period: Year, AnnualMin: 25000, AnnualMax: 35000},
		"$3k - $10k":        {Min: 3000, Max: 10000, Currency: "USD"},
		"$50-$75 /hour":     {Min: 50, Max: 75, Currency: "USD", Period: Hour, AnnualMin: 104000, AnnualMax: 156000},
	}
	for _, p := range realPostings(t) {
		if p.Source != "remotive" {
			continue
		}
		got, ok := ParseSalary(p.Salary)
		w, known := want[p.Salary]
		switch {
		case p.Salary == "":
			if ok {
				t.Errorf("ParseSalary(%q) = %+v, want none", p.Salary, got)
			}
		case !known:
			t.Errorf("real salary %q has no expected value in this test", p.Salary)
		default:
			if diff := cmp.Diff(w, got); diff != "" || !ok {
				t.Errorf("ParseSalary(%q) ok=%v (-want +got):\n%s", p.Salary, ok, diff)
			}
		}
	}
}
