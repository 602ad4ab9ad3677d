package normalize

import (
	"encoding/json"
	"testing"

	"github.com/jobpulse/jobpulse/internal/testenv"
)

func TestTextSalary(t *testing.T) {
	tests := []struct {
		text string
		want Salary
		ok   bool
	}{
		{"Dein Gehalt: mindestens 90.000€ bis 130.000€ brutto im Jahr.", Salary{Min: 90000, Max: 130000, Currency: "EUR", Period: Year, AnnualMin: 90000, AnnualMax: 130000}, true},
		{"Compensation: $130,000 - $150,000 a year, plus equity.", Salary{Min: 130000, Max: 150000, Currency: "USD", Period: Year, AnnualMin: 130000, AnnualMax: 150000}, true},
		{"Vergütung: 16 EUR/h brutto", Salary{Min: 16, Max: 16, Currency: "EUR", Period: Hour, AnnualMin: 16 * 2080, AnnualMax: 16 * 2080}, true},
		// Figures with a currency that are no pay.
		{"We raised $20M last year and serve 100,000 creators.", Salary{}, false},
		{"Each sale is between $250 and $2,500.", Salary{}, false},
		{"€2000 for your individual development, to attend conferences.", Salary{}, false},
		{"Wir zahlen bis zu 100 € monatlich für deine Altersvorsorge.", Salary{}, false},
		{"Our partners made $1B+ in gross sales; pay is great.", Salary{}, false},
		{"40 € brutto zzgl. 20% AG-Zuschuss", Salary{}, false},
		{"", Salary{}, false},
	}
	for _, tt := range tests {
		got, ok := TextSalary(tt.text)
		if got != tt.want || ok != tt.ok {
			t.Errorf("TextSalary(%q) = %+v, %v; want %+v, %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzTextSalary: any text gives no salary, or one ParseSalary would give
// for some text: known currency, ordered, within its bounds.
func FuzzTextSalary(f *testing.F) {
	for _, s := range []string{"Gehalt: 90.000€", "salary $1", "pay €", "$$$ salary 1e9", "Lohn 12,50 € pro Stunde", "salary \n$100k"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := TextSalary(s)
		if !ok {
			if got != (Salary{}) {
				t.Fatalf("TextSalary(%q) = %+v with false", s, got)
			}
			return
		}
		if got.Currency == "" || got.Min > got.Max || !got.Known() {
			t.Fatalf("TextSalary(%q) = %+v", s, got)
		}
		if again, ok2 := CompleteSalary(got); !ok2 || again.Min != got.Min || again.Max != got.Max {
			t.Fatalf("TextSalary(%q) = %+v, not plausible again: %+v %v", s, got, again, ok2)
		}
	})
}

// BenchmarkTextSalary reads the descriptions (as plain text) of the real
// Remotive capture for a salary, as a load does for a posting whose source
// gave none.
func BenchmarkTextSalary(b *testing.B) {
	var resp struct {
		Jobs []struct {
			Description string `json:"description"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal(testenv.RealCapture(b, "remotive/remote-jobs.json"), &resp); err != nil {
		b.Fatal(err)
	}
	var texts []string
	var size int
	for _, j := range resp.Jobs {
		texts = append(texts, PlainText(j.Description))
		size += len(texts[len(texts)-1])
	}
	b.SetBytes(int64(size / len(texts)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		TextSalary(texts[i%len(texts)])
	}
}
