package site

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// barOption returns the builder of bar charts: vertical bars, or horizontal
// ones (categories down the side, first row on top), which suit long labels.
//
// go-echarts builds the option from its typed structs; only data and plain
// settings go in (no formatter functions), and the caller marshals the option
// map itself instead of using go-echarts' HTML renderer.
func barOption(horizontal bool) func(*chartSpec, *result) (map[string]any, error) {
	return func(s *chartSpec, res *result) (map[string]any, error) {
		xi := res.column(s.X)
		categories := make([]string, len(res.rows))
		for r, row := range res.rows {
			categories[r] = formatValue(row[xi])
		}

		whole := true // all values whole numbers: no 2.5 ticks on a count axis
		series := make([][]opts.BarData, len(s.Y))
		for k, y := range s.Y {
			yi := res.column(y)
			series[k] = make([]opts.BarData, len(res.rows))
			for r, row := range res.rows {
				switch v := row[yi].(type) {
				case nil:
					series[k][r] = opts.BarData{Value: "-"} // ECharts' empty value
				case float64:
					whole = false
					series[k][r] = opts.BarData{Value: v}
				default:
					series[k][r] = opts.BarData{Value: v}
				}
			}
		}

		// Every category is labelled (interval 0): wrapped under a
		// vertical bar, cut beside a horizontal one; on a phone site.js
		// turns them. The tooltip and the data table name each in full.
		catLabel := &opts.AxisLabel{Interval: "0", Width: 110, Overflow: "break"}
		valueAxis := opts.XAxis{Type: "value"}
		if whole {
			valueAxis.MinInterval = 1
		}
		xAxis, yAxis := opts.XAxis{Type: "category", AxisLabel: catLabel}, opts.YAxis{Type: "value", MinInterval: valueAxis.MinInterval}
		if horizontal {
			catLabel.Width, catLabel.Overflow = 160, "truncate"
			xAxis = valueAxis
			yAxis = opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: catLabel}
		} else if len(categories) > 6 {
			catLabel.Rotate, catLabel.Width, catLabel.Overflow = 30, 120, "truncate"
		}

		bar := charts.NewBar()
		bar.SetGlobalOptions(append(baseOptions(len(s.Y) > 1),
			charts.WithGridOpts(plotGrid(len(s.Y) > 1)),
			charts.WithXAxisOpts(xAxis),
			charts.WithYAxisOpts(yAxis),
		)...)
		bar.SetXAxis(categories)
		for k, y := range s.Y {
			bar.AddSeries(y, series[k], charts.WithSeriesOpts(func(s *charts.SingleSeries) {
				s.BarMaxWidth = "48"
			}))
		}
		if horizontal {
			bar.XYReversal()
		}
		return lineSpacing(option(bar, "axis")), nil
	}
}
