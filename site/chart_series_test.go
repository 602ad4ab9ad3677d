package site

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPivot(t *testing.T) {
	long := &result{columns: []string{"day", "role", "n"}, rows: [][]any{
		{"d1", "Backend", int64(3)}, {"d1", "Data", int64(1)}, {"d2", "Data", int64(2)}, {"d3", "Backend", int64(5)},
	}}
	spec := chartSpec{Type: "line", X: "day", Y: columnList{"n"}, Series: "role"}
	wide, series, err := spec.pivot(long)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Backend", "Data"}, series); diff != "" {
		t.Errorf("series (-want +got):\n%s", diff)
	}
	want := [][]any{{"d1", int64(3), int64(1)}, {"d2", nil, int64(2)}, {"d3", int64(5), nil}}
	if diff := cmp.Diff(want, wide.rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"day", "Backend", "Data"}, wide.columns); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}

	for _, tt := range []struct {
		name string
		rows [][]any
		want string
	}{
		{"a pair twice", [][]any{{"d1", "A", int64(1)}, {"d1", "A", int64(2)}}, `day "d1" has two values for "A"`},
		{"a series named as x", [][]any{{"d1", "day", int64(1)}}, `a series is named "day"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := spec.pivot(&result{columns: long.columns, rows: tt.rows})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	many := &result{columns: long.columns}
	for i := range maxSeries + 1 {
		many.rows = append(many.rows, []any{"d1", string(rune('A' + i)), int64(i)})
	}
	if _, _, err := spec.pivot(many); err == nil || !strings.Contains(err.Error(), "more than 24 series") {
		t.Errorf("err = %v, want too many series", err)
	}
}
