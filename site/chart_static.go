package site

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Static charts. The commonest charts of a report, bars, lines, an area of
// one series and heatmaps (chart_heat.go), are drawn by the server as HTML
// and inline SVG, with no script: they show with the page's first paint, scale to any
// screen with crisp text, print, and cost the reader nothing. ECharts (about
// 1 MB of JavaScript, half a second of a phone's time) is loaded only for the
// kinds it alone draws, and only when such a chart nears the screen (see
// site.js). Measured with Lighthouse on a phone: the home page and a role
// page scored 45-86 in performance with every chart drawn by ECharts.

// staticChart is a chart drawn without script; exactly one of Bars, Line
// and Heat is set. Bars are horizontal, or vertical when Columns is true.
type staticChart struct {
	Bars    []staticBar
	Columns bool
	// Legend names the series of bars of several series, each with its
	// colour (class s0...); empty for one series.
	Legend []staticSeries
	Line   *staticLine
	Heat   *staticHeat
}

// staticBar is one category of a bar chart: its label and a bar of each
// series.
type staticBar struct {
	Label string
	// Href links the label to its page (see chartSpec.Link); "" for none.
	// Hint names what the page is, as for table links (tableCell.Hint).
	Href, Hint string
	Parts      []staticPart
}

// staticPart is one bar: its value as shown, its colour (0 for the first
// series, class s0...) and its length in percent of the longest bar; for a
// vertical bar, Pixels is its height in CSS pixels (columnHeight for the
// longest), so that its value can stand on it.
type staticPart struct {
	Value  string
	Colour int
	Size   string
	Pixels int
}

// columnHeight is the height of the tallest vertical bar, in CSS pixels.
const columnHeight = 200

// staticLine is a line chart of one or more series, or an area of one, in
// an SVG whose viewBox is lineWidth by lineHeight, stretched to its box: the
// axis labels and the legend are HTML beside it, so that they keep their
// size on any screen and never lie on the lines.
type staticLine struct {
	Area bool
	// Series are the lines, in the order of the chart's y columns.
	Series []staticSeries
	// Legend is true when there are several series: their names are listed
	// above the plot, each with its colour.
	Legend bool
	// Grid are the y of the horizontal grid lines, top to bottom; Ticks their
	// labels, in the same order.
	Grid  []string
	Ticks []string
	// First, Middle and Last label the x axis.
	First, Middle, Last string
	// Bands are the hover areas of the points, with their tooltips.
	Bands []staticBand
}

// staticSeries is one line: its name, its colour (0 to lineColours-1, the
// class s0... in style.css) and its SVG path data; Fill is the area under
// it, for an area chart.
type staticSeries struct {
	Name       string
	Colour     int
	Path, Fill string
}

// staticBand is the hover area of one point of a line: its title says the
// point's category and value (of every series).
type staticBand struct {
	X, Width, Title string
}

const (
	lineWidth  = 1000
	lineHeight = 300
	// maxStatic bounds the rows of a static chart; more go to ECharts,
	// which can zoom.
	maxStatic = 1000
	// lineColours is how many colours the server's lines and bars have
	// (classes s0 to s9 in style.css); a chart of more series goes to
	// ECharts.
	lineColours = 10
	// maxColumns bounds the categories of vertical bars the server draws:
	// past it a phone has no room for their labels, and ECharts turns them.
	maxColumns = 8
)

// static draws the chart without script when its kind and data allow:
// heatmaps; hbar and line charts of up to lineColours columns, area charts
// and bar charts of one and up to maxColumns categories, whose values are
// not negative. It returns nil otherwise: ECharts draws the chart.
func (s *chartSpec) static(res *result) *staticChart {
	if len(res.rows) == 0 || len(res.rows) > maxStatic {
		return nil
	}
	switch s.Type {
	case "heatmap":
		return &staticChart{Heat: s.drawHeat(res)}
	case "area":
		if len(s.Y) != 1 {
			return nil
		}
	case "bar":
		if len(s.Y) != 1 || len(res.rows) > maxColumns {
			return nil
		}
	case "hbar", "line":
		if len(s.Y) == 0 || len(s.Y) > lineColours {
			return nil
		}
	default:
		return nil
	}
	xi := res.column(s.X)
	cols := make([]staticColumn, len(s.Y))
	top := 0.0
	whole := true
	for k, y := range s.Y {
		yi := res.column(y)
		c := staticColumn{name: y, index: yi, values: make([]float64, len(res.rows)), known: make([]bool, len(res.rows))}
		for r, row := range res.rows {
			v, ok := number(row[yi])
			if ok && (v < 0 || math.IsInf(v, 0) || math.IsNaN(v)) {
				return nil
			}
			c.values[r], c.known[r] = v, ok
			top = max(top, v)
			whole = whole && v == math.Trunc(v)
		}
		cols[k] = c
	}
	if s.Type == "hbar" || s.Type == "bar" {
		ch := &staticChart{Columns: s.Type == "bar", Bars: make([]staticBar, len(res.rows))}
		for r, row := range res.rows {
			ch.Bars[r].Label = formatValue(row[xi])
			for k, c := range cols {
				p := staticPart{Value: formatValue(row[c.index]), Colour: k, Size: "0"}
				if c.known[r] && top > 0 {
					p.Size = strconv.FormatFloat(math.Round(1000*c.values[r]/top)/10, 'f', -1, 64)
					if s.Type == "bar" {
						p.Pixels = int(math.Round(columnHeight * c.values[r] / top))
					}
				}
				ch.Bars[r].Parts = append(ch.Bars[r].Parts, p)
			}
		}
		if len(cols) > 1 {
			for k, c := range cols {
				ch.Legend = append(ch.Legend, staticSeries{Name: c.name, Colour: k})
			}
		}
		return ch
	}
	return &staticChart{Line: drawLine(s.Type == "area", res, xi, cols, top, whole)}
}

// staticColumn is one numeric column of a static chart: its values, and
// whether each is known (not NULL).
type staticColumn struct {
	name   string
	index  int
	values []float64
	known  []bool
}

// drawLine draws the points of each column (one per row, evenly spaced,
// gaps where a value is NULL) on a scale from 0 to a round number at or
// above top, in whole steps when every value is whole.
func drawLine(area bool, res *result, xi int, cols []staticColumn, top float64, whole bool) *staticLine {
	n := len(res.rows)
	step := niceStep(top / 4)
	if whole {
		step = wholeStep(top / 4)
	}
	scaleTop := step * 4
	l := &staticLine{Area: area, Legend: len(cols) > 1}
	for i := 4; i >= 0; i-- {
		l.Ticks = append(l.Ticks, formatValue(step*float64(i)))
		l.Grid = append(l.Grid, coord(lineHeight*float64(4-i)/4))
	}
	band := float64(lineWidth) / float64(n)
	x := func(i int) float64 { return band*float64(i) + band/2 }
	y := func(v float64) float64 { return lineHeight - lineHeight*v/scaleTop }
	for k, c := range cols {
		var path, fill strings.Builder
		open := false // a segment of known values is being drawn
		segStart := 0
		closeArea := func(end int) {
			if area && open {
				fmt.Fprintf(&fill, "L%s,%d L%s,%d Z ", coord(x(end)), lineHeight, coord(x(segStart)), lineHeight)
			}
		}
		for i := range n {
			if !c.known[i] {
				closeArea(i - 1)
				open = false
				continue
			}
			cmd := "L"
			if !open {
				cmd, open, segStart = "M", true, i
			}
			pt := coord(x(i)) + "," + coord(y(c.values[i]))
			fmt.Fprintf(&path, "%s%s ", cmd, pt)
			if area {
				fmt.Fprintf(&fill, "%s%s ", cmd, pt)
			}
		}
		closeArea(n - 1)
		l.Series = append(l.Series, staticSeries{Name: c.name, Colour: k,
			Path: strings.TrimSpace(path.String()), Fill: strings.TrimSpace(fill.String())})
	}
	for i, row := range res.rows {
		var title strings.Builder
		title.WriteString(formatValue(row[xi]))
		for k, c := range cols {
			v := formatValue(row[c.index])
			if !c.known[i] {
				v = "no value"
			}
			switch {
			case len(cols) == 1:
				title.WriteString(": " + v)
			case k == 0:
				title.WriteString(": " + c.name + " " + v)
			default:
				title.WriteString(", " + c.name + " " + v)
			}
		}
		l.Bands = append(l.Bands, staticBand{X: coord(band * float64(i)), Width: coord(band), Title: title.String()})
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

// wholeStep is niceStep for an axis of whole numbers (counts): a whole step
// of at least 1, so that no tick reads 22.5 postings.
func wholeStep(v float64) float64 {
	s := niceStep(v)
	if s <= 1 {
		return 1
	}
	for s != math.Trunc(s) {
		s = niceStep(s * 1.0001)
	}
	return s
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
