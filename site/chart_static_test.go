package site

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestNiceStep(t *testing.T) {
	for _, tt := range []struct{ in, want float64 }{
		{0, 1}, {-3, 1}, {0.3, 0.3}, {1, 1}, {1.1, 1.2}, {1.3, 1.5}, {2.2, 2.5}, {23.5, 25}, {26, 30}, {51, 60}, {101, 120}, {103.5, 120}, {7600, 8000}, {8100, 10000},
	} {
		if got := niceStep(tt.in); got != tt.want {
			t.Errorf("niceStep(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestStaticChart(t *testing.T) {
	res := &result{columns: []string{"day", "n"}, rows: [][]any{
		{"2026-11-01", int64(10)}, {"2026-11-02", nil}, {"2026-11-03", int64(20)}, {"2026-11-04", 40.0},
	}}
	tests := []struct {
		name string
		spec chartSpec
		res  *result
		want *staticChart
	}{
		{
			name: "line with a gap",
			spec: chartSpec{Type: "line", X: "day", Y: columnList{"n"}},
			res:  res,
			want: &staticChart{Line: &staticLine{
				// scale 0..40 (step 10); x at the middle of 4 bands of 250
				Series: []staticSeries{{Name: "n", Path: "M125,225 M625,150 L875,0"}},
				Grid:   []string{"0", "75", "150", "225", "300"}, Ticks: []string{"40", "30", "20", "10", "0"},
				First: "2026-11-01", Middle: "2026-11-03", Last: "2026-11-04",
				Bands: []staticBand{{"0", "250", "2026-11-01: 10"}, {"250", "250", "2026-11-02: no value"},
					{"500", "250", "2026-11-03: 20"}, {"750", "250", "2026-11-04: 40"}},
			}},
		},
		{
			name: "area closes each segment on the axis",
			spec: chartSpec{Type: "area", X: "day", Y: columnList{"n"}},
			res:  &result{columns: res.columns, rows: res.rows[2:]},
			want: &staticChart{Line: &staticLine{
				Area: true, Series: []staticSeries{{Name: "n", Path: "M250,150 L750,0", Fill: "M250,150 L750,0 L750,300 L250,300 Z"}},
				Grid: []string{"0", "75", "150", "225", "300"}, Ticks: []string{"40", "30", "20", "10", "0"},
				First: "2026-11-03", Last: "2026-11-04",
				Bands: []staticBand{{"0", "500", "2026-11-03: 20"}, {"500", "500", "2026-11-04: 40"}},
			}},
		},
		{
			name: "bars in percent of the longest",
			spec: chartSpec{Type: "hbar", X: "day", Y: columnList{"n"}},
			res:  &result{columns: res.columns, rows: res.rows[:3]},
			want: &staticChart{Bars: []staticBar{
				{Label: "2026-11-01", Parts: []staticPart{{Value: "10", Size: "50"}}},
				{Label: "2026-11-02", Parts: []staticPart{{Size: "0"}}},
				{Label: "2026-11-03", Parts: []staticPart{{Value: "20", Size: "100"}}},
			}},
		},
		{
			name: "columns",
			spec: chartSpec{Type: "bar", X: "day", Y: columnList{"n"}},
			res:  &result{columns: res.columns, rows: res.rows[2:]},
			want: &staticChart{Columns: true, Bars: []staticBar{
				{Label: "2026-11-03", Parts: []staticPart{{Value: "20", Size: "50", Pixels: 100}}},
				{Label: "2026-11-04", Parts: []staticPart{{Value: "40", Size: "100", Pixels: 200}}},
			}},
		},
		{
			name: "bars of two series with a legend",
			spec: chartSpec{Type: "hbar", X: "day", Y: columnList{"a", "b"}},
			res:  &result{columns: []string{"day", "a", "b"}, rows: [][]any{{"d1", int64(5), int64(10)}}},
			want: &staticChart{
				Bars:   []staticBar{{Label: "d1", Parts: []staticPart{{Value: "5", Size: "50"}, {Value: "10", Colour: 1, Size: "100"}}}},
				Legend: []staticSeries{{Name: "a"}, {Name: "b", Colour: 1}},
			},
		},
		{
			name: "columns past maxColumns go to ECharts",
			spec: chartSpec{Type: "bar", X: "day", Y: columnList{"n"}},
			res:  &result{columns: res.columns, rows: [][]any{{"1", 1.0}, {"2", 1.0}, {"3", 1.0}, {"4", 1.0}, {"5", 1.0}, {"6", 1.0}, {"7", 1.0}, {"8", 1.0}, {"9", 1.0}}},
		},
		{
			name: "two lines, a legend, a whole axis",
			spec: chartSpec{Type: "line", X: "day", Y: columnList{"a", "b"}},
			res: &result{columns: []string{"day", "a", "b"}, rows: [][]any{
				{"d1", int64(0), int64(1)}, {"d2", int64(2), nil},
			}},
			want: &staticChart{Line: &staticLine{
				// top 2: a step of 0.5 would label 0.5 postings; whole steps of 1
				Legend: true,
				Series: []staticSeries{{Name: "a", Path: "M250,300 L750,150"}, {Name: "b", Colour: 1, Path: "M250,225"}},
				Grid:   []string{"0", "75", "150", "225", "300"}, Ticks: []string{"4", "3", "2", "1", "0"},
				First: "d1", Last: "d2",
				Bands: []staticBand{{"0", "500", "d1: a 0, b 1"}, {"500", "500", "d2: a 2, b no value"}},
			}},
		},
		{
			name: "heatmap ordered by demand",
			spec: chartSpec{Type: "heatmap", X: "place", Y: columnList{"role"}, Value: "n"},
			res: &result{columns: []string{"place", "role", "n"}, rows: [][]any{
				{"EU", "Designer", int64(1)}, {"EU", "Backend", int64(12)}, {"US", "Backend", int64(3)},
				{"US", "Designer", nil}, {"Asia", "Designer", int64(20)},
			}},
			want: &staticChart{Heat: &staticHeat{
				Corner: "role", Value: "n",
				// Designer 21 before Backend 15; Asia 20, EU 13, US 3
				Columns: []heatLabel{{Text: "Asia"}, {Text: "EU"}, {Text: "US"}},
				Rows: []heatRow{
					{Label: heatLabel{Text: "Designer"}, Cells: []heatCell{{"20", 6}, {"1", 1}, {"", 0}}},
					{Label: heatLabel{Text: "Backend"}, Cells: []heatCell{{"", 0}, {"12", 4}, {"3", 1}}},
				},
				Scale: []heatStep{{1, "1–3"}, {2, "4–6"}, {3, "7–10"}, {4, "11–13"}, {5, "14–16"}, {6, "17–20"}},
			}},
		},
		{
			name: "negative values go to ECharts",
			spec: chartSpec{Type: "line", X: "day", Y: columnList{"n"}},
			res:  &result{columns: res.columns, rows: [][]any{{"a", int64(-1)}}},
		},
		{
			name: "two vertical bar series go to ECharts",
			spec: chartSpec{Type: "bar", X: "day", Y: columnList{"n", "n"}},
			res:  res,
		},
		{
			name: "other kinds go to ECharts",
			spec: chartSpec{Type: "pie", X: "day", Y: columnList{"n"}},
			res:  res,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.spec.static(tt.res)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(staticChart{})); diff != "" {
				t.Errorf("static (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHeatLabel(t *testing.T) {
	long := strings.Repeat("é", 5000)
	got := heatLabelOf(long)
	if want := strings.Repeat("é", maxLabel) + "…"; got.Text != want {
		t.Errorf("text of a label of 5,000 characters: %d characters, want %d", utf8.RuneCountInString(got.Text), maxLabel+1)
	}
	if want := strings.Repeat("é", maxTitle) + "…"; got.Full != want {
		t.Errorf("title of a label of 5,000 characters: %d characters, want %d", utf8.RuneCountInString(got.Full), maxTitle+1)
	}
	if got := heatLabelOf("Backend"); got != (heatLabel{Text: "Backend"}) {
		t.Errorf("short label: %+v", got)
	}
}

func TestWholeStep(t *testing.T) {
	for _, tt := range []struct{ in, want float64 }{{0.3, 1}, {0.5, 1}, {1.1, 2}, {2.2, 3}, {6.5, 8}, {23.5, 25}, {101, 120}} {
		if got := wholeStep(tt.in); got != tt.want {
			t.Errorf("wholeStep(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
