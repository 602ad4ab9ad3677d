package site

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgtype"
)

func TestFormatValue(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{name: "null", in: nil, want: ""},
		{name: "text", in: "<b>", want: "<b>"},
		{name: "small int", in: int64(999), want: "999"},
		{name: "thousands", in: int64(1234567), want: "1,234,567"},
		{name: "negative", in: int64(-1234), want: "-1,234"},
		{name: "negative small", in: int64(-12), want: "-12"},
		{name: "float", in: 1234.5678, want: "1,234.57"},
		{name: "whole float", in: 50.0, want: "50"},
		{name: "negative zero", in: -0.001, want: "0"},
		{name: "bool", in: true, want: "true"},
		{name: "date", in: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC), want: "2026-11-29"},
		{name: "time", in: time.Date(2026, 11, 29, 2, 28, 0, 0, time.FixedZone("CET", 3600)), want: "2026-11-29 01:28 UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatValue(tt.in); got != tt.want {
				t.Errorf("formatValue(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	num := func(s string) pgtype.Numeric {
		var n pgtype.Numeric
		if err := n.Scan(s); err != nil {
			t.Fatal(err)
		}
		return n
	}
	tests := []struct {
		name string
		in   any
		want any
	}{
		{name: "int32", in: int32(7), want: int64(7)},
		{name: "float32", in: float32(0.5), want: 0.5},
		{name: "whole numeric", in: num("42"), want: int64(42)},
		{name: "big numeric", in: num("1000000000000000000000000000000"), want: 1e30},
		{name: "decimal numeric", in: num("16.67"), want: 16.67},
		{name: "NaN numeric", in: num("NaN"), want: nil},
		{name: "array", in: []any{"go", "sql", nil}, want: "go, sql, "},
		{name: "uuid", in: [16]byte{0: 0xab, 15: 0xcd}, want: "ab000000-0000-0000-0000-0000000000cd"},
		{name: "bytes", in: []byte("x"), want: "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, normalize(tt.in)); diff != "" {
				t.Errorf("normalize(%v) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestTableView(t *testing.T) {
	res := &result{
		columns: []string{"name", "n", "note"},
		rows:    [][]any{{"a", int64(1000), nil}, {"b", nil, "x"}},
	}
	got := newTableView("Cap", res, []string{"n", "name"})
	want := tableView{
		Caption: "Cap",
		Columns: []tableColumn{{Name: "n", Numeric: true}, {Name: "name"}},
		Rows: [][]tableCell{
			{{Text: "1,000", Numeric: true, Value: "1000"}, {Text: "a"}},
			{{Text: "", Numeric: true}, {Text: "b"}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
