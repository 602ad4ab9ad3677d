package site

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// tableSpec is the YAML body of a table block.
type tableSpec struct {
	// Query names one of the page's queries.
	Query string `yaml:"query"`
	// Columns picks and orders columns; empty means all, in query order.
	Columns []string `yaml:"columns"`
	// Title is the table's caption.
	Title string `yaml:"title"`
}

// tableView is what layouts/table.html renders. Values are plain text: the
// template escapes them.
type tableView struct {
	Caption string
	Columns []tableColumn
	Rows    [][]tableCell
	// Empty is true when the query returned no rows.
	Empty bool
}

// tableColumn is a column head; numeric columns are right-aligned.
type tableColumn struct {
	Name    string
	Numeric bool
}

// tableCell is one formatted value.
type tableCell struct {
	Text    string
	Numeric bool
}

// newTableView formats the named columns of res (all when names is empty).
func newTableView(caption string, res *result, names []string) tableView {
	if len(names) == 0 {
		names = res.columns
	}
	v := tableView{Caption: caption, Empty: len(res.rows) == 0}
	idx := make([]int, len(names))
	for i, n := range names {
		idx[i] = res.column(n)
		v.Columns = append(v.Columns, tableColumn{Name: n, Numeric: numericColumn(res, idx[i])})
	}
	for _, row := range res.rows {
		cells := make([]tableCell, len(idx))
		for i, c := range idx {
			cells[i] = tableCell{Text: formatValue(row[c]), Numeric: v.Columns[i].Numeric}
		}
		v.Rows = append(v.Rows, cells)
	}
	return v
}

// numericColumn reports whether column i holds numbers (and at least one).
func numericColumn(res *result, i int) bool {
	seen := false
	for _, row := range res.rows {
		switch row[i].(type) {
		case nil:
		case int64, float64:
			seen = true
		default:
			return false
		}
	}
	return seen
}

// formatValue formats a normalized value for people: numbers with thousands
// separators, floats to at most two decimals, times in UTC.
func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return groupThousands(strconv.FormatInt(x, 10))
	case float64:
		s := strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
		if s == "-0" {
			s = "0"
		}
		whole, frac, ok := strings.Cut(s, ".")
		if ok {
			return groupThousands(whole) + "." + frac
		}
		return groupThousands(whole)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		x = x.UTC()
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format(time.DateOnly)
		}
		return x.Format("2006-01-02 15:04 UTC")
	default:
		return "?"
	}
}

// groupThousands puts a comma between groups of three digits: 1234567 is
// 1,234,567.
func groupThousands(digits string) string {
	neg := strings.HasPrefix(digits, "-")
	digits = strings.TrimPrefix(digits, "-")
	if len(digits) <= 3 {
		if neg {
			return "-" + digits
		}
		return digits
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	head := len(digits) % 3
	if head > 0 {
		b.WriteString(digits[:head])
	}
	for i := head; i < len(digits); i += 3 {
		if b.Len() > 0 && !(neg && b.Len() == 1) {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
