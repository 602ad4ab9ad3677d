package site

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Chart kinds beyond bars. Each builds its option with go-echarts' typed
// structs from data only, as barOption does.

// baseOptions are the global options every chart shares.
func baseOptions(legend bool) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{BackgroundColor: "transparent"}),
		charts.WithAnimation(false),
		// A legend of one line that pages when its names do not fit (on a
		// phone), so that it never lies on the plot.
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(legend), Type: "scroll", Top: "0"}),
	}
}

// plotGrid is the plot area of charts with axes, with room above for the
// legend when there is one.
func plotGrid(legend bool) opts.Grid {
	return opts.Grid{Left: "8", Right: "24", Top: gridTop(legend), Bottom: "8", ContainLabel: opts.Bool(true)}
}

// gridTop leaves room for the legend when there is one.
func gridTop(legend bool) string {
	if legend {
		return "40"
	}
	return "16"
}

// builtChart is a go-echarts chart ready to be turned into an option.
type builtChart interface {
	Validate()
	JSON() map[string]any
}

// option returns the chart's option, with the tooltip of every chart, as
// plain JSON values (maps and slices) that a builder can amend where
// go-echarts' structs have no field for a setting.
func option(c builtChart, trigger string) map[string]any {
	c.Validate()
	opt := c.JSON()
	opt["tooltip"] = tooltip(trigger)
	b, err := json.Marshal(opt)
	if err != nil {
		panic(fmt.Sprintf("site: chart option: %v", err)) // data of known types only
	}
	var plain map[string]any
	if err := json.Unmarshal(b, &plain); err != nil {
		panic(fmt.Sprintf("site: chart option: %v", err))
	}
	return plain
}

// firstOf returns the first object of the option's key (an axis, a
// series), or an empty one that goes nowhere when there is none.
func firstOf(opt map[string]any, key string) map[string]any {
	switch v := opt[key].(type) {
	case map[string]any:
		return v
	case []any:
		if len(v) > 0 {
			if m, ok := v[0].(map[string]any); ok {
				return m
			}
		}
	}
	return map[string]any{}
}

// lineSpacing gives the wrapped labels of the option's category axes a
// line height: without one ECharts lays their lines over each other.
func lineSpacing(opt map[string]any) map[string]any {
	for _, key := range []string{"xAxis", "yAxis"} {
		axis := firstOf(opt, key)
		if label, ok := axis["axisLabel"].(map[string]any); ok && axis["type"] == "category" {
			label["lineHeight"] = 14
		}
	}
	return opt
}

// nameBelow puts the name of the option's x axis under its labels, in the
// middle, where it cannot leave the chart; the grid leaves room for it.
func nameBelow(opt map[string]any) {
	x := firstOf(opt, "xAxis")
	x["nameLocation"], x["nameGap"] = "middle", 32
	firstOf(opt, "grid")["bottom"] = 28
}

// categories formats column x of every row.
func categories(res *result, x string) []string {
	xi := res.column(x)
	out := make([]string, len(res.rows))
	for r, row := range res.rows {
		out[r] = formatValue(row[xi])
	}
	return out
}

// number returns a numeric value as float64, ok false for NULL.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// wholeInterval is the least interval of a value axis that shows the
// columns of res: 1 when every value is a whole number (counts: no axis
// label reads 22.5 postings), else 0, ECharts' default.
func wholeInterval(res *result, columns []string) float64 {
	for _, c := range columns {
		i := res.column(c)
		for _, row := range res.rows {
			if v, ok := number(row[i]); ok && v != math.Trunc(v) {
				return 0
			}
		}
	}
	return 1
}

// valueOrGap is a value for a series: the number, or ECharts' "-" (no value).
func valueOrGap(v any) any {
	if v == nil {
		return "-"
	}
	return v
}

// lineOption builds line charts, filled (area) or not; stacked sums the
// series.
func lineOption(area, stacked bool) func(*chartSpec, *result) (map[string]any, error) {
	return func(s *chartSpec, res *result) (map[string]any, error) {
		line := charts.NewLine()
		line.SetGlobalOptions(append(baseOptions(len(s.Y) > 1),
			charts.WithGridOpts(plotGrid(len(s.Y) > 1)),
			charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisLabel: &opts.AxisLabel{HideOverlap: opts.Bool(true)}}),
			charts.WithYAxisOpts(opts.YAxis{Type: "value", MinInterval: wholeInterval(res, s.Y)}),
		)...)
		line.SetXAxis(categories(res, s.X))
		for _, y := range s.Y {
			yi := res.column(y)
			data := make([]opts.LineData, len(res.rows))
			for r, row := range res.rows {
				data[r] = opts.LineData{Value: valueOrGap(row[yi])}
			}
			line.AddSeries(y, data, charts.WithSeriesOpts(func(ss *charts.SingleSeries) {
				if stacked {
					ss.Stack = "total"
				}
				if area {
					ss.AreaStyle = &opts.AreaStyle{Opacity: opts.Float(0.35)}
				}
			}))
		}
		return option(line, "axis"), nil
	}
}

// stackedBarOption builds bars whose series stack on each other.
func stackedBarOption(s *chartSpec, res *result) (map[string]any, error) {
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(baseOptions(len(s.Y) > 1),
		charts.WithGridOpts(plotGrid(len(s.Y) > 1)),
		charts.WithXAxisOpts(opts.XAxis{Type: "category",
			AxisLabel: &opts.AxisLabel{Interval: "0", Width: 110, Overflow: "break"}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", MinInterval: wholeInterval(res, s.Y)}),
	)...)
	bar.SetXAxis(categories(res, s.X))
	for _, y := range s.Y {
		yi := res.column(y)
		data := make([]opts.BarData, len(res.rows))
		for r, row := range res.rows {
			data[r] = opts.BarData{Value: valueOrGap(row[yi])}
		}
		bar.AddSeries(y, data, charts.WithSeriesOpts(func(ss *charts.SingleSeries) {
			ss.Stack = "total"
			ss.BarMaxWidth = "48"
		}))
	}
	return lineSpacing(option(bar, "axis")), nil
}

// pieOption builds pie charts, or donuts (a ring).
func pieOption(donut bool) func(*chartSpec, *result) (map[string]any, error) {
	return func(s *chartSpec, res *result) (map[string]any, error) {
		names := categories(res, s.X)
		yi := res.column(s.Y[0])
		data := make([]opts.PieData, 0, len(res.rows))
		for r, row := range res.rows {
			if v, ok := number(row[yi]); ok && v > 0 {
				data = append(data, opts.PieData{Name: names[r], Value: row[yi]})
			}
		}
		pie := charts.NewPie()
		pie.SetGlobalOptions(baseOptions(false)...)
		radius := any("70%")
		if donut {
			radius = []string{"40%", "70%"}
		}
		pie.AddSeries(s.Y[0], data, charts.WithPieChartOpts(opts.PieChart{Radius: radius}))
		opt := option(pie, "item")
		// Labels line up at the edges of the chart and wrap in the room
		// left beside the pie, so that none leaves a phone's screen; site.js
		// makes the pie smaller there.
		series := firstOf(opt, "series")
		series["label"] = map[string]any{"alignTo": "edge", "edgeDistance": 8, "minMargin": 4, "overflow": "break", "lineHeight": 15}
		series["labelLine"] = map[string]any{"length": 12, "length2": 0, "maxSurfaceAngle": 80}
		return opt, nil
	}
}

// scatterOption plots each y column against the numeric x column.
func scatterOption(s *chartSpec, res *result) (map[string]any, error) {
	xi := res.column(s.X)
	sc := charts.NewScatter()
	sc.SetGlobalOptions(append(baseOptions(len(s.Y) > 1),
		charts.WithGridOpts(plotGrid(len(s.Y) > 1)),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: s.X, Scale: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Scale: opts.Bool(true), MinInterval: wholeInterval(res, s.Y)}),
	)...)
	for _, y := range s.Y {
		yi := res.column(y)
		var data []opts.ScatterData
		for _, row := range res.rows {
			if row[xi] != nil && row[yi] != nil {
				data = append(data, opts.ScatterData{Value: []any{row[xi], row[yi]}})
			}
		}
		sc.AddSeries(y, data)
	}
	opt := option(sc, "item")
	nameBelow(opt)
	return opt, nil
}

// treemapOption sizes a rectangle per x by its y value.
func treemapOption(s *chartSpec, res *result) (map[string]any, error) {
	names := categories(res, s.X)
	yi := res.column(s.Y[0])
	var nodes []opts.TreeMapNode
	for r, row := range res.rows {
		if v, ok := number(row[yi]); ok && v >= 1 {
			nodes = append(nodes, opts.TreeMapNode{Name: names[r], Value: int(math.Round(v))})
		}
	}
	tm := charts.NewTreeMap()
	tm.SetGlobalOptions(baseOptions(false)...)
	tm.AddSeries(s.Y[0], nodes, charts.WithTreeMapOpts(opts.TreeMapChart{Roam: opts.Bool(false)}))
	opt := option(tm, "item")
	// One level, nothing to zoom into: no breadcrumb under it, and a click
	// opens the category's page (data-links) instead of zooming.
	series := firstOf(opt, "series")
	series["breadcrumb"] = map[string]any{"show": false}
	series["nodeClick"] = false
	return opt, nil
}

// histogramOption counts the numeric x values into s.Bins equal bins (20
// by default) and draws them as bars.
func histogramOption(s *chartSpec, res *result) (map[string]any, error) {
	xi := res.column(s.X)
	var vals []float64
	for _, row := range res.rows {
		if v, ok := number(row[xi]); ok {
			vals = append(vals, v)
		}
	}
	bins := s.Bins
	if bins <= 0 {
		bins = 20
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if len(vals) == 0 {
		lo, hi = 0, 0
	}
	width := (hi - lo) / float64(bins)
	if width == 0 {
		bins, width = 1, 1
	}
	counts := make([]int, bins)
	for _, v := range vals {
		counts[min(bins-1, int((v-lo)/width))]++
	}
	labels := make([]string, bins)
	data := make([]opts.BarData, bins)
	for i := range bins {
		labels[i] = fmt.Sprintf("%s–%s", compactNumber(lo+float64(i)*width), compactNumber(lo+float64(i+1)*width))
		data[i] = opts.BarData{Value: counts[i]}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(baseOptions(false),
		charts.WithGridOpts(plotGrid(false)),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Name: s.X,
			AxisLabel: &opts.AxisLabel{HideOverlap: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", MinInterval: 1}),
	)...)
	bar.SetXAxis(labels)
	bar.AddSeries("count", data, charts.WithSeriesOpts(func(ss *charts.SingleSeries) {
		ss.BarCategoryGap = "1%"
	}))
	opt := option(bar, "axis")
	nameBelow(opt)
	return opt, nil
}

// shortNumber formats a bin edge: from 100 up as a whole number, below
// that to three significant digits.
func shortNumber(f float64) string {
	if math.Abs(f) >= 100 && math.Abs(f) < 1e15 {
		f = math.Round(f)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return formatValue(int64(f))
	}
	return strconv.FormatFloat(f, 'g', 3, 64)
}

// compactNumber formats a bin edge in few characters, so that the labels
// of a histogram fit under its bars on a phone: 57,167 is 57.2k, 1,250,000
// is 1.25M, below 1,000 as shortNumber does.
func compactNumber(f float64) string {
	for _, u := range []struct {
		size   float64
		suffix string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if math.Abs(f) >= u.size && math.Abs(f) < 1e15 {
			return strconv.FormatFloat(f/u.size, 'g', 3, 64) + u.suffix
		}
	}
	return shortNumber(f)
}

// maxLabel is the most characters of a label that a chart whose marks
// are found by position (a heatmap's cells) keeps: values from outside can
// be of any length, and the axis shows no more than a few words of them.
const maxLabel = 100

// clipLabels returns the labels cut to [maxLabel] characters, with an
// ellipsis.
func clipLabels(labels []string) []string {
	out := make([]string, len(labels))
	for i, l := range labels {
		out[i] = l
		n := 0
		for j := range l {
			if n == maxLabel {
				out[i] = l[:j] + "…"
				break
			}
			n++
		}
	}
	return out
}

// distinct returns the values in first-seen order, each once.
func distinct(vals []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range vals {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// indexOf maps each value to its position.
func indexOf(vals []string) map[string]int {
	m := make(map[string]int, len(vals))
	for i, v := range vals {
		m[v] = i
	}
	return m
}
