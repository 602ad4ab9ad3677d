package site

import (
	"errors"
	"fmt"
)

// maxSeries bounds the series a series: column may make: past a dozen lines
// a chart cannot be read, and a typo (a column of ids) would make thousands.
const maxSeries = 24

// checkSeries checks a chart with series: the kind draws series along
// categories, y names one column (the values), and the series column exists.
func (s *chartSpec) checkSeries() error {
	if s.Series == "" {
		return nil
	}
	if chartKinds[s.Type].reads != seriesY {
		return fmt.Errorf("%s: series is for bar, hbar, stacked, line and area charts", s.Type)
	}
	if len(s.Y) != 1 {
		return errors.New("series: y names the one column of values; each value of the series column is a series")
	}
	return nil
}

// pivot turns a long result (x, series, value per row) into a wide one: a
// row per x, in order of first appearance, and a column per series value, in
// order of first appearance; a missing pair is NULL. It fails on a pair seen
// twice, whose value would be ambiguous, and past maxSeries series.
func (s *chartSpec) pivot(res *result) (*result, []string, error) {
	xi, si, yi := res.column(s.X), res.column(s.Series), res.column(s.Y[0])
	xs, names := map[string]int{}, map[string]int{}
	oid := func(i int) uint32 {
		if i < len(res.oids) {
			return res.oids[i]
		}
		return 0
	}
	wide := &result{columns: []string{s.X}, oids: []uint32{oid(xi)}}
	var series []string
	for r, row := range res.rows {
		x, name := formatValue(row[xi]), formatValue(row[si])
		n, ok := names[name]
		if !ok {
			if len(series) == maxSeries {
				return nil, nil, fmt.Errorf("series %s: more than %d series (row %d): filter the query to fewer", s.Series, maxSeries, r+1)
			}
			if name == s.X {
				return nil, nil, fmt.Errorf("series %s: a series is named %q, as the x column", s.Series, name)
			}
			n = len(series)
			names[name] = n
			series = append(series, name)
			wide.columns = append(wide.columns, name)
			wide.oids = append(wide.oids, oid(yi))
			for i := range wide.rows {
				wide.rows[i] = append(wide.rows[i], nil)
			}
		}
		i, ok := xs[x]
		if !ok {
			i = len(wide.rows)
			xs[x] = i
			w := make([]any, 1+len(series))
			w[0] = row[xi]
			wide.rows = append(wide.rows, w)
		}
		if wide.rows[i][1+n] != nil {
			return nil, nil, fmt.Errorf("series %s: %s %q has two values for %q (rows up to %d): one row per pair", s.Series, s.X, x, name, r+1)
		}
		wide.rows[i][1+n] = row[yi]
	}
	return wide, series, nil
}
