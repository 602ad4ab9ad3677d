package site

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jobpulse/jobpulse/templates"
)

// optionParts maps the top-level keys of an ECharts option to the part of
// ECharts that draws them (see templates.EChartsParts); "" is a key that
// needs no part.
var optionParts = map[string]string{
	"animation":       "",
	"backgroundColor": "",
	"color":           "",
	"textStyle":       "",
	"darkMode":        "",
	"series":          "", // by type, below
	"grid":            "GridComponent",
	"xAxis":           "GridComponent",
	"yAxis":           "GridComponent",
	"legend":          "LegendComponent",
	"tooltip":         "TooltipComponent",
	"visualMap":       "VisualMapComponent",
	"title":           "TitleComponent",
	"toolbox":         "ToolboxComponent",
	"dataZoom":        "DataZoomComponent",
	"dataset":         "DatasetComponent",
	"graphic":         "GraphicComponent",
	"polar":           "PolarComponent",
	"aria":            "AriaComponent",
}

// seriesParts maps keys of a series to the part that draws them.
var seriesParts = map[string]string{
	"markLine":            "MarkLineComponent",
	"markPoint":           "MarkPointComponent",
	"markArea":            "MarkAreaComponent",
	"labelLayout":         "LabelLayout",
	"universalTransition": "UniversalTransition",
}

// partsOf returns the parts of ECharts an option needs, or an error naming
// a key this test does not know.
func partsOf(opt map[string]any) ([]string, error) {
	var parts []string
	for key, v := range opt {
		part, ok := optionParts[key]
		if !ok {
			return nil, fmt.Errorf("option key %q: add the part of ECharts that draws it to optionParts (and to templates.EChartsParts)", key)
		}
		// go-echarts writes "title": {} and "toolbox": {}, which draw nothing.
		if m, isMap := v.(map[string]any); isMap && len(m) == 0 && (key == "title" || key == "toolbox") {
			continue
		}
		if part != "" {
			parts = append(parts, part)
		}
		if key == "grid" && strings.Contains(fmt.Sprint(v), "containLabel:true") {
			parts = append(parts, "LegacyGridContainLabel") // ECharts 6 draws containLabel only with it
		}
	}
	series, _ := opt["series"].([]any)
	for _, x := range series {
		s, _ := x.(map[string]any)
		typ, _ := s["type"].(string)
		if typ == "" {
			return nil, fmt.Errorf("a series without a type: %v", s)
		}
		parts = append(parts, strings.ToUpper(typ[:1])+typ[1:]+"Chart")
		for key := range s {
			if part, ok := seriesParts[key]; ok {
				parts = append(parts, part)
			}
		}
	}
	return parts, nil
}

// TestChartKindsInBundle checks that the bundle of ECharts the binary
// carries holds every part the options of every chart kind need (a series
// type, a component): a kind drawn with a part left out of the bundle would
// be a blank box. The browser tests then draw every kind with the bundle.
func TestChartKindsInBundle(t *testing.T) {
	names := templates.EChartsPartNames()
	words := &result{columns: []string{"x", "y", "z", "v", "s"}, rows: [][]any{
		{"a", int64(1), "p", int64(3), "one"}, {"b", int64(2), "q", int64(4), "two"}, {"c", nil, "p", 6.5, "one"}}}
	numbers := &result{columns: []string{"x", "y", "z"}, rows: [][]any{{int64(1), int64(1), 2.5}, {int64(2), int64(4), 1.0}}}
	specs := map[int][]*chartSpec{
		seriesY:  {{X: "x", Y: columnList{"y"}}, {X: "x", Y: columnList{"y", "v"}}},
		oneY:     {{X: "x", Y: columnList{"y"}}},
		numericX: {{X: "x", Y: columnList{"y"}}, {X: "x", Y: columnList{"y", "z"}}},
		gridXY:   {{X: "x", Y: columnList{"z"}, Value: "v"}},
		onlyX:    {{X: "x"}, {X: "x", Bins: 3}},
	}
	for name, kind := range chartKinds {
		if kind.build == nil {
			continue // drawn by the server only
		}
		for i, spec := range specs[kind.reads] {
			t.Run(fmt.Sprint(name, i), func(t *testing.T) {
				s := *spec
				s.Type = name
				res := words
				if kind.reads == numericX || kind.reads == onlyX {
					res = numbers
				}
				opt, err := kind.build(&s, res)
				if err != nil {
					t.Fatal(err)
				}
				// The option as the page holds it: JSON.
				b, err := json.Marshal(opt)
				if err != nil {
					t.Fatal(err)
				}
				var onPage map[string]any
				if err := json.Unmarshal(b, &onPage); err != nil {
					t.Fatal(err)
				}
				parts, err := partsOf(onPage)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range parts {
					if !slices.Contains(names, p) {
						t.Errorf("a %s chart needs %s of ECharts, which templates.EChartsParts leaves out of the bundle", name, p)
					}
				}
			})
		}
	}
	if len(specs) != onlyX+1 {
		t.Errorf("specs cover %d ways a kind reads its result, want %d", len(specs), onlyX+1)
	}
}
