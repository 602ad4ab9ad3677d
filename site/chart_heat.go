package site

import (
	"cmp"
	"math"
	"slices"
)

// Heatmaps are drawn by the server as a table whose cells are coloured by
// their value, in heatLevels steps, and show it: every row and column is
// labelled in HTML (wrapped, never dropped), the numbers read without
// hovering, the colour scale under it names its steps, and a table wider
// than a phone scrolls sideways with its row labels kept in view. Rows and
// columns are ordered by demand: the largest total first.

// heatLevels is how many colours the scale of a heatmap has (classes
// heat-1 to heat-6 in style.css; heat-0 is a cell of no value or 0).
const heatLevels = 6

// staticHeat is a heatmap: Rows of cells under Columns.
type staticHeat struct {
	// Corner heads the column of row labels: the name of the y column.
	Corner string
	// Value names what the cells hold (the value column).
	Value   string
	Columns []heatLabel
	Rows    []heatRow
	// Scale are the steps of the colour scale, lowest first.
	Scale []heatStep
}

// heatLabel is the label of a row or column, cut to maxLabel characters;
// Full is the whole text when it was cut ("" else), shown on hover.
type heatLabel struct {
	Text, Full string
}

// heatRow is one row of a heatmap.
type heatRow struct {
	Label heatLabel
	Cells []heatCell
}

// heatCell is one cell: its value as shown ("" for none) and its colour
// step, 0 to heatLevels.
type heatCell struct {
	Value string
	Level int
}

// heatStep is one colour of the scale and the values it stands for.
type heatStep struct {
	Level int
	Range string
}

// drawHeat draws the heatmap of s from res: x gives the columns, y the
// rows, value the cells. A pair seen twice keeps its first value, as the
// ECharts heatmap did.
func (s *chartSpec) drawHeat(res *result) *staticHeat {
	xi, yi, vi := res.column(s.X), res.column(s.Y[0]), res.column(s.Value)
	type key struct{ x, y string }
	cells := map[key]any{}
	xTotal, yTotal := map[string]float64{}, map[string]float64{}
	var xs, ys []string
	top := 0.0
	whole := true
	for _, row := range res.rows {
		x, y := formatValue(row[xi]), formatValue(row[yi])
		if _, ok := xTotal[x]; !ok {
			xs = append(xs, x)
			xTotal[x] = 0
		}
		if _, ok := yTotal[y]; !ok {
			ys = append(ys, y)
			yTotal[y] = 0
		}
		if _, dup := cells[key{x, y}]; dup {
			continue
		}
		cells[key{x, y}] = row[vi]
		if v, ok := number(row[vi]); ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
			xTotal[x] += v
			yTotal[y] += v
			top = max(top, v)
			whole = whole && v == math.Trunc(v)
		}
	}
	byTotal := func(totals map[string]float64) func(a, b string) int {
		return func(a, b string) int { return cmp.Compare(totals[b], totals[a]) }
	}
	slices.SortStableFunc(xs, byTotal(xTotal))
	slices.SortStableFunc(ys, byTotal(yTotal))

	h := &staticHeat{Corner: s.Y[0], Value: s.Value}
	for _, x := range xs {
		h.Columns = append(h.Columns, heatLabelOf(x))
	}
	for _, y := range ys {
		r := heatRow{Label: heatLabelOf(y)}
		for _, x := range xs {
			c := heatCell{}
			if v, ok := cells[key{x, y}]; ok && v != nil {
				c.Value = formatValue(v)
				if f, ok := number(v); ok && f > 0 && top > 0 {
					c.Level = max(1, min(heatLevels, int(math.Ceil(heatLevels*f/top))))
				}
			}
			r.Cells = append(r.Cells, c)
		}
		h.Rows = append(h.Rows, r)
	}
	h.Scale = heatScale(top, whole)
	return h
}

// heatScale names the values of each colour step: step k holds the values
// above (k-1)/heatLevels of top up to k/heatLevels of it. With whole values
// a step that holds no whole number is left out.
func heatScale(top float64, whole bool) []heatStep {
	if top <= 0 {
		return nil
	}
	var steps []heatStep
	for k := 1; k <= heatLevels; k++ {
		lo, hi := top*float64(k-1)/heatLevels, top*float64(k)/heatLevels
		if whole {
			first, last := math.Floor(lo)+1, math.Floor(hi)
			if k == heatLevels {
				last = top
			}
			if first > last {
				continue
			}
			r := formatValue(first)
			if last > first {
				r += "–" + formatValue(last)
			}
			steps = append(steps, heatStep{Level: k, Range: r})
			continue
		}
		steps = append(steps, heatStep{Level: k, Range: shortNumber(lo) + "–" + shortNumber(hi)})
	}
	return steps
}

// heatLabelOf cuts a label to maxLabel characters, keeping a longer text
// for the hover title when it was cut: up to maxTitle characters, past
// which only the chart's data table holds it whole.
func heatLabelOf(s string) heatLabel {
	cut := clipLabels([]string{s})[0]
	if cut == s {
		return heatLabel{Text: s}
	}
	full := s
	if n := 0; len(s) > maxTitle {
		for i := range s {
			if n == maxTitle {
				full = s[:i] + "…"
				break
			}
			n++
		}
	}
	return heatLabel{Text: cut, Full: full}
}

// maxTitle is the most characters of a heatmap label's hover title.
const maxTitle = 1000
