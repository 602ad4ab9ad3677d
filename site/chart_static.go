package site

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Static charts. The commonest charts of a report, horizontal bars and a
// line or area of one series, are drawn by the server as HTML and inline
// SVG, with no script: they show with the page's first paint, scale to any
// screen with crisp text, print, and cost the reader nothing. ECharts (about
// 1 MB of JavaScript, half a second of a phone's time) is loaded only for the
// kinds it alone draws, and only when such a chart nears the screen (see
// site.js). Measured with Lighthouse on a phone: the home page and a role
// page scored 45-86 in performance with every chart drawn by ECharts.

// staticChart is a chart drawn without script; exactly one of Bars and
// Line is set.
type staticChart struct {
	Bars []staticBar
	Line *staticLine
}

// staticBar is one row of a horizontal bar chart.
type staticBar struct {
	Label, Value string
	// Href links the label to its page (see chartSpec.Link); "" for none.
	// Hint names what the page is, as for table links (tableCell.Hint).
	Href, Hint string
	// Width is the bar's length in percent of the longest bar.
	Width string
}

// staticLine is a line or area chart of one series, in an SVG whose
// viewBox is lineWidth by lineHeight, stretched to its box: the axis labels
// are HTML beside it, so that they keep their size on any screen.
type staticLine struct {
	Area bool
	// Path is the line (SVG path data); Fill the area under it.
	Path, Fill string
	// Grid are the y of the horizontal grid lines, top to bottom; Ticks their
	// labels, in the same order.
	Grid  []string
	Ticks []string
	// First, Middle and Last label the x axis.
	First, Middle, Last string
	// Bands are the hover areas of the points, with their tooltips.
	Bands []staticBand
}

// staticBand is the hover area of one point of a line: its title says the
// point's category and value.
type staticBand struct {
	X, Width, Title string
}

const (
	lineWidth  = 1000
	lineHeight = 300
	// maxStatic bounds the rows of a static chart; more go to ECharts,
	// which can zoom.
	maxStatic = 1000
)

// static draws the chart without script when its kind and data allow:
// hbar and line/area charts of one numeric column whose values are not
// negative. It returns nil otherwise: ECharts draws the chart.
func (s *chartSpec) static(res *result) *staticChart {
	if len(s.Y) != 1 || len(res.rows) == 0 || len(res.rows) > maxStatic {
		return nil
	}
	xi, yi := res.column(s.X), res.column(s.Y[0])
	values := make([]float64, len(res.rows))
	known := make([]bool, len(res.rows))
	top := 0.0
	for r, row := range res.rows {
		v, ok := number(row[yi])
		if ok && (v < 0 || math.IsInf(v, 0) || math.IsNaN(v)) {
			return nil
		}
		values[r], known[r] = v, ok
		top = max(top, v)
	}
	switch s.Type {
	case "hbar":
		bars := make([]staticBar, len(res.rows))
		for r, row := range res.rows {
			bars[r] = staticBar{Label: formatValue(row[xi]), Value: formatValue(row[yi]), Width: "0"}
			if known[r] && top > 0 {
				bars[r].Width = strconv.FormatFloat(math.Round(1000*values[r]/top)/10, 'f', -1, 64)
			}
		}
		return &staticChart{Bars: bars}
	case "line", "area":
		return &staticChart{Line: drawLine(s.Type == "area", res, xi, yi, values, known, top)}
	}
	return nil
}

// drawLine draws the points (one per row, evenly spaced, gaps where a value
// is NULL) on a scale from 0 to a round number at or above top.
func drawLine(area bool, res *result, xi, yi int, values []float64, known []bool, top float64) *staticLine {
	n := len(values)
	step := niceStep(top / 4)
	scaleTop := step * 4
	l := &staticLine{Area: area}
	for i := 4; i >= 0; i-- {
		l.Ticks = append(l.Ticks, formatValue(step*float64(i)))
		l.Grid = append(l.Grid, coord(lineHeight*float64(4-i)/4))
	}
	band := float64(lineWidth) / float64(n)
	x := func(i int) float64 { return band*float64(i) + band/2 }
	y := func(v float64) float64 { return lineHeight - lineHeight*v/scaleTop }
	var path, fill strings.Builder
	open := false // a segment of known values is being drawn
	segStart := 0
	closeArea := func(end int) {
		if area && open {
			fmt.Fprintf(&fill, "L%s,%d L%s,%d Z ", coord(x(end)), lineHeight, coord(x(segStart)), lineHeight)
		}
	}
	for i := range n {
		if !known[i] {
			closeArea(i - 1)
			open = false
			continue
		}
		cmd := "L"
		if !open {
			cmd, open, segStart = "M", true, i
		}
		pt := coord(x(i)) + "," + coord(y(values[i]))
		fmt.Fprintf(&path, "%s%s ", cmd, pt)
		if area {
			fmt.Fprintf(&fill, "%s%s ", cmd, pt)
		}
	}
	closeArea(n - 1)
	l.Path, l.Fill = strings.TrimSpace(path.String()), strings.TrimSpace(fill.String())
	for i, row := range res.rows {
		v := formatValue(row[yi])
		if !known[i] {
			v = "no value"
		}
		l.Bands = append(l.Bands, staticBand{X: coord(band * float64(i)), Width: coord(band), Title: formatValue(row[xi]) + ": " + v})
	}
	l.First, l.Last = formatValue(res.rows[0][xi]), formatValue(res.rows[n-1][xi])
	if n > 2 {
		l.Middle = formatValue(res.rows[n/2][xi])
	}
	if n == 1 {
		l.Last = ""
	}
	return l
}

// niceSteps are the multiples of a power of ten an axis steps by: fine
// enough that the top of the axis is never far above the largest value.
var niceSteps = []float64{1, 1.2, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8, 10}

// niceStep returns the smallest of niceSteps times a power of ten that is
// at least v (1 for v <= 0), so that four steps of it make round axis
// labels.
func niceStep(v float64) float64 {
	if v <= 0 {
		return 1
	}
	e := math.Floor(math.Log10(v))
	// m/10^-e, not m*10^e: 3 * 0.1 is 0.30000000000000004, 3 / 10 is 0.3.
	scale := func(m float64) float64 {
		if e < 0 {
			return m / math.Pow(10, -e)
		}
		return m * math.Pow(10, e)
	}
	for _, m := range niceSteps {
		if s := scale(m); s >= v*(1-1e-12) {
			return s
		}
	}
	return scale(10)
}

// coord formats an SVG coordinate with at most two decimals.
func coord(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}
