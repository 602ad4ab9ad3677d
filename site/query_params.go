package site

import (
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// bindParams rewrites the :name parameters of a templated page's query into
// references to the parameter row (jobpulse_p."name"), and returns which it
// used. It reads SQL enough to leave alone what only looks like a
// parameter: casts (::text), string constants ('...', E'...', $tag$...$tag$),
// quoted identifiers and comments. A :name that is not a column of the
// pages query is an error.
func bindParams(sql string, params []string) (string, []string, error) {
	var b strings.Builder
	var used []string
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == '\'' || c == '"':
			j := closeQuote(sql, i, c, c == '\'' && i > 0 && (sql[i-1] == 'E' || sql[i-1] == 'e') && !identChar(at(sql, i-2)))
			b.WriteString(sql[i:j])
			i = j
		case c == '-' && at(sql, i+1) == '-':
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				j = len(sql) - i
			}
			b.WriteString(sql[i : i+j])
			i += j
		case c == '/' && at(sql, i+1) == '*':
			j := closeComment(sql, i)
			b.WriteString(sql[i:j])
			i = j
		case c == '$' && !identChar(at(sql, i-1)):
			j := closeDollar(sql, i)
			b.WriteString(sql[i:j])
			i = j
		case c == ':' && at(sql, i+1) == ':':
			b.WriteString("::")
			i += 2
		case c == ':' && identStart(at(sql, i+1)) && at(sql, i-1) != ':':
			j := i + 1
			for j < len(sql) && identChar(sql[j]) {
				j++
			}
			name := sql[i+1 : j]
			if !slices.Contains(params, name) {
				return "", nil, fmt.Errorf(":%s is not a parameter: the pages query's columns are %s",
					name, strings.Join(params, ", "))
			}
			if !slices.Contains(used, name) {
				used = append(used, name)
			}
			b.WriteString("jobpulse_p." + pgx.Identifier{name}.Sanitize())
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), used, nil
}

// at returns sql[i], or 0 out of range.
func at(sql string, i int) byte {
	if i < 0 || i >= len(sql) {
		return 0
	}
	return sql[i]
}

func identStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func identChar(c byte) bool { return identStart(c) || (c >= '0' && c <= '9') || c >= 0x80 }

// closeQuote returns the index after the quote opened at i: doubled quotes
// stay inside; with backslashes, so does an escaped quote.
func closeQuote(sql string, i int, q byte, backslashes bool) int {
	for j := i + 1; j < len(sql); j++ {
		switch {
		case backslashes && sql[j] == '\\':
			j++
		case sql[j] == q && at(sql, j+1) == q:
			j++
		case sql[j] == q:
			return j + 1
		}
	}
	return len(sql)
}

// closeComment returns the index after the /* comment */ opened at i;
// comments nest.
func closeComment(sql string, i int) int {
	depth := 0
	for j := i; j < len(sql)-1; j++ {
		switch {
		case sql[j] == '/' && sql[j+1] == '*':
			depth++
			j++
		case sql[j] == '*' && sql[j+1] == '/':
			depth--
			j++
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(sql)
}

// closeDollar returns the index after the $tag$ string $tag$ opened at i, or
// i+1 when the $ does not open one (a $1 parameter).
func closeDollar(sql string, i int) int {
	j := i + 1
	for j < len(sql) && identChar(sql[j]) && !(j == i+1 && sql[j] >= '0' && sql[j] <= '9') {
		j++
	}
	if at(sql, j) != '$' {
		return i + 1
	}
	tag := sql[i : j+1]
	end := strings.Index(sql[j+1:], tag)
	if end < 0 {
		return len(sql)
	}
	return j + 1 + end + len(tag)
}
