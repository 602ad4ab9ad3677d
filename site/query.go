package site

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// result is the result of one query: column names and rows of values. Values
// are normalized to nil, int64, float64, string, bool or time.Time, so charts
// and tables deal with few types.
type result struct {
	columns []string
	oids    []uint32 // the columns' types
	rows    [][]any
}

// column returns the index of the named column, or -1.
func (r *result) column(name string) int {
	for i, c := range r.columns {
		if c == name {
			return i
		}
	}
	return -1
}

// missingColumn returns an error naming the first of names that the result
// lacks, or nil.
func (r *result) missingColumn(query string, names ...string) error {
	for _, n := range names {
		if r.column(n) < 0 {
			return fmt.Errorf("column %q is not in the result of query %s (columns: %s)",
				n, query, strings.Join(r.columns, ", "))
		}
	}
	return nil
}

// queryRunner runs the queries of a build in one transaction, running the
// same SQL only once.
type queryRunner struct {
	tx    pgx.Tx
	log   *slog.Logger
	cache map[string]*result
	types map[uint32]string
	count int
}

func newQueryRunner(tx pgx.Tx, log *slog.Logger) *queryRunner {
	return &queryRunner{tx: tx, log: log, cache: map[string]*result{}, types: map[uint32]string{}}
}

// run runs sql with args; without args, it returns the result of the same
// SQL run before. what names the query in logs. Queries with args (the
// family queries of templated pages, whose args are every page's
// parameters) are not cached: each is the SQL of one file's query.
func (q *queryRunner) run(ctx context.Context, what, sql string, args ...any) (*result, error) {
	if r, ok := q.cache[sql]; ok && len(args) == 0 {
		return r, nil
	}
	start := time.Now()
	res, _, err := collect(q.tx.Query(ctx, sql, args...))
	if err != nil {
		return nil, err
	}
	if len(args) == 0 {
		q.cache[sql] = res
	}
	q.count++
	q.log.Debug("query", "query", what, "rows", len(res.rows), "duration", time.Since(start))
	return res, nil
}

// runText runs sql asking for every value in text format, PostgreSQL's text,
// which casts back to the same values: it returns the result and each
// value's text ("\x00null" for NULL). In a build, tx is the guarded
// transaction (see warehouse.Snapshot): one statement, with the extended protocol.
func runText(ctx context.Context, tx pgx.Tx, sql string) (*result, [][]string, error) {
	return collect(tx.Query(ctx, sql, pgx.QueryResultFormats{pgx.TextFormatCode}))
}

// collect reads rows into a result and, when they came in text format, the
// text of each value.
func collect(rows pgx.Rows, err error) (*result, [][]string, error) {
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	res := &result{}
	text := true
	for _, fd := range rows.FieldDescriptions() {
		res.columns = append(res.columns, fd.Name)
		res.oids = append(res.oids, fd.DataTypeOID)
		text = text && fd.Format == pgx.TextFormatCode
	}
	var texts [][]string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return nil, nil, err
		}
		for i, v := range vals {
			vals[i] = normalize(v)
		}
		res.rows = append(res.rows, vals)
		if text {
			raw := rows.RawValues()
			t := make([]string, len(raw))
			for i, r := range raw {
				if r == nil {
					t[i] = "\x00null"
				} else {
					t[i] = string(r)
				}
			}
			texts = append(texts, t)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	return res, texts, nil
}

// typeNames returns the SQL names of types, e.g. "text", "integer".
func (q *queryRunner) typeNames(ctx context.Context, oids []uint32) ([]string, error) {
	names := make([]string, len(oids))
	for i, oid := range oids {
		if n, ok := q.types[oid]; ok {
			names[i] = n
			continue
		}
		if err := q.tx.QueryRow(ctx, "SELECT format_type($1, NULL)", oid).Scan(&names[i]); err != nil {
			return nil, fmt.Errorf("site: name of type %d: %w", oid, err)
		}
		q.types[oid] = names[i]
	}
	return names, nil
}

// runQueries runs every query the page declares and checks each block
// against its result.
func (p *page) runQueries(ctx context.Context, q *queryRunner) error {
	p.results = make(map[string]*result, len(p.queries))
	for _, pq := range p.queries {
		res, err := q.run(ctx, p.file+" "+pq.name, pq.sql)
		if err != nil {
			return &ContentError{File: p.file, Line: pq.line,
				Err: fmt.Errorf("query %s (%s): %w", pq.name, pq.from, err)}
		}
		p.results[pq.name] = res
	}
	return p.checkBlocks()
}

// checkBlocks checks each block of the page against its query's result.
func (p *page) checkBlocks() error {
	for _, b := range p.blocks {
		var err error
		switch {
		case b.chart != nil:
			err = b.chart.check(p.results[b.chart.Query])
		case b.table != nil:
			err = b.table.check(p.results[b.table.Query])
		}
		if err != nil {
			return &ContentError{File: p.file, Line: b.line, Err: fmt.Errorf("%s: %w", b.kind, err)}
		}
	}
	return nil
}

// normalize maps a value from pgx to one of the few types results hold.
func normalize(v any) any {
	switch x := v.(type) {
	case nil, string, bool, int64, time.Time:
		return x
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return x
	case float32:
		return normalize(float64(x))
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case uint32:
		return int64(x)
	case pgtype.Numeric:
		return normalizeNumeric(x)
	case []byte:
		return string(x)
	case [16]byte:
		return fmt.Sprintf("%x-%x-%x-%x-%x", x[0:4], x[4:6], x[6:8], x[8:10], x[10:16])
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = formatValue(normalize(e))
		}
		return strings.Join(parts, ", ")
	default:
		return fmt.Sprint(x)
	}
}

// normalizeNumeric turns a numeric into an int64 when it is a whole number
// that fits, a float64 otherwise.
func normalizeNumeric(n pgtype.Numeric) any {
	if !n.Valid || n.NaN || n.InfinityModifier != pgtype.Finite {
		return nil
	}
	if n.Exp >= 0 && n.Int.IsInt64() {
		if i, err := n.Int64Value(); err == nil && i.Valid {
			return i.Int64
		}
	}
	f, err := n.Float64Value()
	if err != nil || !f.Valid {
		return nil
	}
	return normalize(f.Float64)
}
