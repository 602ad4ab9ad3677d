package templates

import (
	"embed"
	"io/fs"
	"strings"
)

//go:generate go run ./internal/genecharts

// EChartsBundle is where the generated bundle of ECharts lies in this
// folder, and in the binary when it was there at build time.
const EChartsBundle = "echarts/echarts.min.js"

// EChartsPart is one module of the ECharts npm package and the parts of it
// the bundle installs, by the names the module exports them under.
type EChartsPart struct {
	// Module is the import path, such as "echarts/charts".
	Module string
	// Names are the exports installed with echarts.use, such as "BarChart".
	Names []string
}

// EChartsParts are the parts of ECharts the site's charts use, and all the
// bundle holds besides echarts/core (init, setOption, events, the dark
// theme): the series types the chart kinds of package site draw with
// ECharts, the components their options name, and the canvas renderer that
// templates/assets/site.js asks for. A chart kind that needs another part
// adds it here; a test of package site checks every kind's option against
// this list, and go generate ./templates makes the bundle from it.
var EChartsParts = []EChartsPart{
	{Module: "echarts/charts", Names: []string{"BarChart", "LineChart", "PieChart", "ScatterChart", "TreemapChart"}},
	{Module: "echarts/components", Names: []string{"GridComponent", "LegendComponent", "TooltipComponent"}},
	{Module: "echarts/features", Names: []string{"LegacyGridContainLabel"}},
	{Module: "echarts/renderers", Names: []string{"CanvasRenderer"}},
}

// EChartsPartNames returns the names of every part of [EChartsParts], in
// order, as the bundle's header lists them.
func EChartsPartNames() []string {
	var names []string
	for _, p := range EChartsParts {
		names = append(names, p.Names...)
	}
	return names
}

//go:embed echarts
var bundleFS embed.FS

// ECharts returns the bundle of ECharts made by go generate before the
// binary was built, or nil when it was built without one (a fresh clone
// where `npm ci --prefix templates && go generate ./templates` did not run).
func ECharts() []byte {
	b, err := fs.ReadFile(bundleFS, EChartsBundle)
	if err != nil || len(b) == 0 {
		return nil
	}
	return b
}

// bundleHeader is how the bundle's own comment starts, after the license
// notices: the ECharts version it was made from, then its parts.
const bundleHeader = "/*! jobpulse ECharts bundle: echarts "

// EChartsHeader returns the line a bundle of ECharts version made from
// [EChartsParts] starts its jobpulse comment with; a bundle that does not
// hold it is stale.
func EChartsHeader(version string) string {
	return bundleHeader + version + "; parts: " + strings.Join(EChartsPartNames(), " ") + " */"
}
