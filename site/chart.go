package site

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// chartSpec is the YAML body of a chart block.
type chartSpec struct {
	// Type is the kind of chart, a key of chartKinds.
	Type string `yaml:"type"`
	// Query names one of the page's queries.
	Query string `yaml:"query"`
	// X is the column of categories (labels).
	X string `yaml:"x"`
	// Y is the column of values, or several columns for several series.
	Y columnList `yaml:"y"`
	// Title is shown above the chart and names it for screen readers.
	Title string `yaml:"title"`
	// Value is the column of values of a heatmap, whose x and y are both
	// categories.
	Value string `yaml:"value"`
	// Bins is the number of bins of a histogram (20 by default).
	Bins int `yaml:"bins"`
	// Series names a column whose values are series: the result is long
	// (x, series, y per row) and becomes one series per value, in the order
	// they first appear; y names the column of values. For bar, hbar,
	// stacked, line and area charts.
	Series string `yaml:"series"`
	// Link makes each category (x) a link to a page of the site, such as
	// /roles/[role]/: clicking its bar, point or slice opens the page, and
	// the chart's data table links the category too. Not for scatter,
	// heatmap and histogram charts, whose marks are not categories.
	Link string `yaml:"link"`
}

// columnList is one column name or a list of them.
type columnList []string

// UnmarshalYAML accepts "y: postings" as well as "y: [postings, companies]".
func (c *columnList) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*c = columnList{n.Value}
		return nil
	case yaml.SequenceNode:
		return n.Decode((*[]string)(c))
	default:
		return fmt.Errorf("line %d: want a column name or a list of column names", n.Line)
	}
}

// chartKind builds the ECharts option of one kind of chart from a result
// whose columns have been checked. New kinds (line, pie, ...) are new
// entries in chartKinds.
type chartKind struct {
	// build returns the option as a JSON-ready value; it must hold data
	// only, never JavaScript functions. It is nil for a kind only the
	// server draws (see chart_static.go).
	build func(spec *chartSpec, res *result) (map[string]any, error)
	// height returns the height of the chart in CSS pixels for n rows.
	height func(n int) int
	// reads says which columns the kind reads (seriesY by default).
	reads int
}

// What a chart kind reads from its query's result.
const (
	seriesY  = iota // x: categories; y: one or more numeric columns, a series each
	oneY            // x: names; y: one numeric column
	numericX        // x: numbers; y: one or more numeric columns (scatter)
	gridXY          // x and y: categories; value: numbers (heatmap)
	onlyX           // x: numbers, counted into bins (histogram)
)

func fixedHeight(h int) func(int) int { return func(int) int { return h } }

// chartKinds are the chart types a chart block can name.
var chartKinds = map[string]chartKind{
	"bar":       {build: barOption(false), height: fixedHeight(360)},
	"hbar":      {build: barOption(true), height: func(n int) int { return max(240, 80+34*n) }},
	"stacked":   {build: stackedBarOption, height: fixedHeight(360)},
	"line":      {build: lineOption(false, false), height: fixedHeight(320)},
	"area":      {build: lineOption(true, true), height: fixedHeight(320)},
	"pie":       {build: pieOption(false), height: fixedHeight(340), reads: oneY},
	"donut":     {build: pieOption(true), height: fixedHeight(340), reads: oneY},
	"treemap":   {build: treemapOption, height: fixedHeight(360), reads: oneY},
	"scatter":   {build: scatterOption, height: fixedHeight(360), reads: numericX},
	"heatmap":   {height: fixedHeight(0), reads: gridXY}, // drawn by the server only
	"histogram": {build: histogramOption, height: fixedHeight(320), reads: onlyX},
}

// tooltip is the tooltip option of every chart. It is drawn on the canvas
// (renderMode richText): ECharts' HTML tooltips carry inline style
// attributes, which the site's Content-Security-Policy (style-src 'self')
// blocks. go-echarts' Tooltip struct has no field for it, hence a map.
func tooltip(trigger string) map[string]any {
	return map[string]any{
		"show":        true,
		"trigger":     trigger,
		"renderMode":  "richText",
		"confine":     true, // inside the chart: on a phone it would leave the screen
		"axisPointer": map[string]any{"type": "shadow"},
	}
}

// chartTypes lists the known chart types for messages.
func chartTypes() string {
	names := make([]string, 0, len(chartKinds))
	for n := range chartKinds {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// validate checks what can be checked before the query runs.
func (s *chartSpec) validate() error {
	kind, ok := chartKinds[s.Type]
	if !ok {
		if s.Type == "" {
			return fmt.Errorf("type is missing (one of %s)", chartTypes())
		}
		return fmt.Errorf("unknown type %q (one of %s)", s.Type, chartTypes())
	}
	if s.X == "" {
		return errors.New("x is missing: name the column of categories")
	}
	for _, y := range s.Y {
		if y == "" {
			return errors.New("y names an empty column")
		}
	}
	switch kind.reads {
	case onlyX:
		if len(s.Y) > 0 {
			return fmt.Errorf("%s: y is not used: a histogram counts the values of x", s.Type)
		}
	case oneY, gridXY:
		if len(s.Y) != 1 {
			return fmt.Errorf("%s: y names one column, not %d", s.Type, len(s.Y))
		}
	default:
		if len(s.Y) == 0 {
			return errors.New("y is missing: name the column of values")
		}
	}
	if (s.Value != "") != (kind.reads == gridXY) {
		if s.Value == "" {
			return fmt.Errorf("%s: value is missing: name the column of numbers that colours the cells", s.Type)
		}
		return fmt.Errorf("%s: value is only for heatmaps", s.Type)
	}
	if s.Bins != 0 && kind.reads != onlyX {
		return fmt.Errorf("%s: bins is only for histograms", s.Type)
	}
	if err := s.checkSeries(); err != nil {
		return err
	}
	if s.Link != "" && kind.reads != seriesY && kind.reads != oneY {
		return fmt.Errorf("%s: link is not for this type: its marks are not categories", s.Type)
	}
	if s.Bins < 0 || s.Bins > 500 {
		return fmt.Errorf("bins %d: want 1 to 500", s.Bins)
	}
	return nil
}

// columns returns the columns the chart reads, and of those, the ones that
// must hold numbers.
func (s *chartSpec) columns() (all, numeric []string) {
	all = append([]string{s.X}, s.Y...)
	if s.Series != "" {
		all = append(all, s.Series)
	}
	switch chartKinds[s.Type].reads {
	case gridXY:
		return append(all, s.Value), []string{s.Value}
	case numericX, onlyX:
		return all, all
	}
	return all, s.Y
}

// check checks the chart against the result of its query: every column it
// names exists, and the value columns hold numbers.
func (s *chartSpec) check(res *result) error {
	all, numeric := s.columns()
	if err := res.missingColumn(s.Query, all...); err != nil {
		return err
	}
	for _, y := range numeric {
		i := res.column(y)
		for r, row := range res.rows {
			switch row[i].(type) {
			case nil, int64, float64:
			default:
				return fmt.Errorf("column %q of query %s is not numeric: row %d holds %q",
					y, s.Query, r+1, formatValue(row[i]))
			}
		}
	}
	if s.Link != "" {
		if err := checkPagePattern(s.Query, res, s.Link); err != nil {
			return fmt.Errorf("link: %w", err)
		}
	}
	return nil
}

// chartView is what layouts/chart.html renders.
type chartView struct {
	// ID names the JSON element; the chart div points to it.
	ID    string
	Title string
	// Option is the ECharts option as JSON, escaped by encoding/json so
	// that it holds no <, > or &.
	Option template.JS
	Height int
	// Empty is true when the query returned no rows: no chart is drawn.
	Empty bool
	// Table is the chart's data, the accessible alternative to the chart.
	Table tableView
	// SQL links to the chart's query in the page's SQL section.
	SQL *sqlLink
	// Files links to the data files of the chart's query (see data.go);
	// nil for a chart without data.
	Files *dataLink
	// Links maps each category to the page it links to, relative to the
	// page, as JSON; "" when the chart links nowhere.
	Links string
	// Static is the chart drawn by the server, without ECharts; nil when
	// ECharts draws it (see chart_static.go).
	Static *staticChart
}

// view builds the chart's option and its data table.
func (s *chartSpec) view(id string, res *result) (chartView, error) {
	v := chartView{ID: id, Title: s.Title, Empty: len(res.rows) == 0}
	cols, _ := s.columns()
	if v.Empty {
		v.Table = newTableView(s.Title, res, cols)
		return v, nil
	}
	if s.Series != "" {
		// The chart and its data table read the wide form; the data
		// files keep the query's own result.
		wide, series, err := s.pivot(res)
		if err != nil {
			return v, err
		}
		spec := *s
		spec.Y, spec.Series = series, ""
		v.Table = newTableView(s.Title, wide, nil)
		return spec.draw(v, wide)
	}
	v.Table = newTableView(s.Title, res, cols)
	return s.draw(v, res)
}

// draw builds the chart of the view v from res: drawn by the server when
// it can be (see static), else the ECharts option.
func (s *chartSpec) draw(v chartView, res *result) (chartView, error) {
	if v.Static = s.static(res); v.Static != nil {
		return v, nil
	}
	kind := chartKinds[s.Type]
	if kind.build == nil {
		return v, fmt.Errorf("%s: %d rows, more than the %d this kind of chart can draw: filter the query to fewer", s.Type, len(res.rows), maxStatic)
	}
	opt, err := kind.build(s, res)
	if err != nil {
		return v, err
	}
	js, err := json.Marshal(opt) // escapes <, >, &, U+2028 and U+2029
	if err != nil {
		return v, fmt.Errorf("encode option: %w", err)
	}
	v.Option = template.JS(js)
	v.Height = kind.height(len(res.rows))
	return v, nil
}
