package site

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestChartOption checks the options the chart kinds build: the parts the
// site relies on, and that they hold data only.
func TestChartOption(t *testing.T) {
	res := &result{
		columns: []string{"title", "postings", "share"},
		rows: [][]any{
			{"Backend </script>", int64(3), 37.5},
			{nil, int64(1), nil},
		},
	}
	tests := []struct {
		name string
		spec chartSpec
		want map[string]any // expected values at JSON paths
	}{
		{
			name: "bar",
			spec: chartSpec{Type: "bar", Query: "q", X: "title", Y: columnList{"postings"}},
			want: map[string]any{
				"xAxis.0.type":             "category",
				"xAxis.0.data":             []any{"Backend </script>", ""},
				"yAxis.0.type":             "value",
				"yAxis.0.minInterval":      1.0,
				"series.0.name":            "postings",
				"series.0.type":            "bar",
				"series.0.data":            []any{map[string]any{"value": 3.0}, map[string]any{"value": 1.0}},
				"legend.show":              false,
				"tooltip.renderMode":       "richText",
				"backgroundColor":          "transparent",
				"xAxis.0.axisLabel.rotate": nil,
			},
		},
		{
			name: "hbar with two series and a null",
			spec: chartSpec{Type: "hbar", Query: "q", X: "title", Y: columnList{"postings", "share"}},
			want: map[string]any{
				"xAxis.0.type":        "value",
				"xAxis.0.minInterval": nil,
				"yAxis.0.type":        "category",
				"yAxis.0.inverse":     true,
				"yAxis.0.data":        []any{"Backend </script>", ""},
				"series.1.name":       "share",
				"series.1.data":       []any{map[string]any{"value": 37.5}, map[string]any{"value": "-"}},
				"legend.show":         true,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.spec.validate(); err != nil {
				t.Fatal(err)
			}
			if err := tt.spec.check(res); err != nil {
				t.Fatal(err)
			}
			// The option ECharts draws from, when the server does not
			// draw the chart itself (see chart_static.go).
			option := func() string {
				opt, err := chartKinds[tt.spec.Type].build(&tt.spec, res)
				if err != nil {
					t.Fatal(err)
				}
				b, err := json.Marshal(opt)
				if err != nil {
					t.Fatal(err)
				}
				return string(b)
			}
			js := option()
			if strings.ContainsAny(js, "<>&") {
				t.Errorf("option JSON holds raw <, > or &: %s", js)
			}
			if strings.Contains(js, "__f__") {
				t.Errorf("option JSON holds a go-echarts JavaScript function: %s", js)
			}
			var opt any
			if err := json.Unmarshal([]byte(js), &opt); err != nil {
				t.Fatal(err)
			}
			got := map[string]any{}
			for path := range tt.want {
				got[path] = jsonPath(opt, path)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("option (-want +got):\n%s\n%s", diff, js)
			}
			if again := option(); again != js {
				t.Errorf("option differs between two builds:\n%s\n%s", js, again)
			}
		})
	}
}

// jsonPath returns the value at a dotted path (numbers index arrays), or
// nil.
func jsonPath(v any, path string) any {
	for _, part := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[part]
		case []any:
			i := 0
			for _, c := range part {
				i = i*10 + int(c-'0')
			}
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func TestChartEmpty(t *testing.T) {
	spec := chartSpec{Type: "bar", Query: "q", X: "a", Y: columnList{"b"}, Title: "T"}
	v, err := spec.view("chart-3", &result{columns: []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	if !v.Empty || v.Option != "" || !v.Table.Empty {
		t.Errorf("empty result: got %+v, want an empty chart with no option", v)
	}
}
