package site

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
)

// Prose that depends on the data. In the Markdown of a page:
//
//	${query.column}       the column's value in the query's first row
//	${query.column[3]}    ... in its third row
//
//	:::if query.column > 10          (also <, >=, <=, ==, != against a number
//	Prose when it holds.              or a 'string'; ":::if query" holds when
//	:::else                           the query returned rows)
//	Prose otherwise.
//	:::end
//
//	:::each query                    the prose once per row (at most 100),
//	- ${row.column}                  where row is the current row
//	:::end
//
// Values are formatted as in tables and always reach the page as escaped
// text: they are put into the rendered HTML after Markdown, so a value can
// never turn into Markdown, a link or markup.

// maxEach bounds the rows an :::each repeats its prose for.
const maxEach = 100

var (
	valueRE     = regexp.MustCompile(`\$\{([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)(?:\[([0-9]+)\])?\}`)
	directiveRE = regexp.MustCompile(`^:::(if|else|each|end)\b\s*(.*?)\s*$`)
	conditionRE = regexp.MustCompile(`^([a-z][a-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|==|!=|>|<)\s*(-?[0-9]+(?:\.[0-9]+)?|'[^']*'))?$`)
)

// Tokens stand for values in the Markdown until the HTML is rendered.
const (
	tokenOpen, tokenClose = "\ue000", "\ue001"
	tokenEncoded          = "%EE%80%80" // tokenOpen in a URL
)

// hasDynamicProse reports whether a body uses values or directives.
func hasDynamicProse(body []byte) bool {
	return valueRE.Match(body) || bytes.Contains(body, []byte("\n:::")) || bytes.HasPrefix(body, []byte(":::"))
}

// proseExpander expands the values and directives of one page's body.
type proseExpander struct {
	p      *page
	values []string // by token number
}

// expandProse returns the page's Markdown with directives resolved and
// values replaced by tokens, and the values.
func (p *page) expandProse() ([]byte, []string, error) {
	e := &proseExpander{p: p}
	lines := strings.SplitAfter(string(p.body), "\n")
	out, rest, err := e.block(lines, 0, nil, nil, false)
	if err != nil {
		return nil, nil, err
	}
	if rest < len(lines) {
		return nil, nil, e.fail(rest, errors.New("unexpected "+strings.TrimSpace(lines[rest])))
	}
	return []byte(out), e.values, nil
}

func (e *proseExpander) fail(line int, err error) error {
	return &ContentError{File: e.p.file, Line: e.p.bodyLine + line, Err: err}
}

// block expands lines from i up to an :::else or :::end (when nested) and
// returns the text and the index of that line. Inside :::each, row is the
// current row of rowRes.
func (e *proseExpander) block(lines []string, i int, rowRes *result, row []any, nested bool) (string, int, error) {
	var b strings.Builder
	for ; i < len(lines); i++ {
		m := directiveRE.FindStringSubmatch(strings.TrimRight(lines[i], "\r\n"))
		if m == nil {
			s, err := e.values1(lines[i], rowRes, row)
			if err != nil {
				return "", 0, e.fail(i, err)
			}
			b.WriteString(s)
			continue
		}
		switch m[1] {
		case "else", "end":
			if !nested {
				return "", 0, e.fail(i, fmt.Errorf(":::%s without :::if or :::each", m[1]))
			}
			return b.String(), i, nil
		case "if":
			holds, err := e.condition(m[2])
			if err != nil {
				return "", 0, e.fail(i, err)
			}
			yes, j, err := e.block(lines, i+1, rowRes, row, true)
			if err != nil {
				return "", 0, err
			}
			no := ""
			if j < len(lines) && strings.HasPrefix(lines[j], ":::else") {
				if no, j, err = e.block(lines, j+1, rowRes, row, true); err != nil {
					return "", 0, err
				}
			}
			if j >= len(lines) || !strings.HasPrefix(lines[j], ":::end") {
				return "", 0, e.fail(i, errors.New(":::if without :::end"))
			}
			if holds {
				b.WriteString(yes)
			} else {
				b.WriteString(no)
			}
			i = j
		case "each":
			res, err := e.result(m[2])
			if err != nil {
				return "", 0, e.fail(i, err)
			}
			if len(res.rows) > maxEach {
				return "", 0, e.fail(i, fmt.Errorf(":::each %s: %d rows, at most %d: limit the query", m[2], len(res.rows), maxEach))
			}
			end := i
			for _, r := range res.rows {
				text, j, err := e.block(lines, i+1, res, r, true)
				if err != nil {
					return "", 0, err
				}
				b.WriteString(text)
				end = j
			}
			if len(res.rows) == 0 { // find the end, and check what is inside, without output
				if _, end, err = e.block(lines, i+1, res, make([]any, len(res.columns)), true); err != nil {
					return "", 0, err
				}
			}
			if end >= len(lines) || !strings.HasPrefix(lines[end], ":::end") {
				return "", 0, e.fail(i, errors.New(":::each without :::end"))
			}
			i = end
		}
	}
	if nested {
		return b.String(), len(lines), nil
	}
	return b.String(), i, nil
}

// result returns the result of one of the page's queries.
func (e *proseExpander) result(name string) (*result, error) {
	if res, ok := e.p.results[name]; ok {
		return res, nil
	}
	return nil, fmt.Errorf("query %q is not declared in the front matter (queries: %s)", name, e.p.queryNames())
}

// values1 replaces the ${...} of one line by tokens.
func (e *proseExpander) values1(line string, rowRes *result, row []any) (string, error) {
	var err error
	out := valueRE.ReplaceAllStringFunc(line, func(m string) string {
		if err != nil {
			return m
		}
		sm := valueRE.FindStringSubmatch(m)
		var v any
		v, err = e.value(sm[1], sm[2], sm[3], rowRes, row)
		if err != nil {
			return m
		}
		e.values = append(e.values, formatValue(v))
		return tokenOpen + strconv.Itoa(len(e.values)-1) + tokenClose
	})
	return out, err
}

// value looks up ${query.column[n]}, or ${row.column} inside :::each.
func (e *proseExpander) value(query, column, index string, rowRes *result, row []any) (any, error) {
	if query == "row" && rowRes != nil {
		c := rowRes.column(column)
		if c < 0 {
			return nil, fmt.Errorf("${row.%s}: no such column (columns: %s)", column, strings.Join(rowRes.columns, ", "))
		}
		return row[c], nil
	}
	res, err := e.result(query)
	if err != nil {
		return nil, fmt.Errorf("${%s.%s}: %w", query, column, err)
	}
	if err := res.missingColumn(query, column); err != nil {
		return nil, fmt.Errorf("${%s.%s}: %w", query, column, err)
	}
	n := 1
	if index != "" {
		n, _ = strconv.Atoi(index)
	}
	if n < 1 || n > len(res.rows) {
		return nil, nil // no such row: shown as nothing, like NULL
	}
	return res.rows[n-1][res.column(column)], nil
}

// condition evaluates the text after :::if.
func (e *proseExpander) condition(text string) (bool, error) {
	m := conditionRE.FindStringSubmatch(text)
	if m == nil {
		return false, fmt.Errorf(":::if %s: want query, or query.column OP value (OP one of > < >= <= == !=, value a number or 'text')", text)
	}
	res, err := e.result(m[1])
	if err != nil {
		return false, fmt.Errorf(":::if: %w", err)
	}
	if m[2] == "" {
		return len(res.rows) > 0, nil
	}
	if err := res.missingColumn(m[1], m[2]); err != nil {
		return false, fmt.Errorf(":::if: %w", err)
	}
	if len(res.rows) == 0 {
		return false, nil
	}
	v := res.rows[0][res.column(m[2])]
	if v == nil {
		return false, nil
	}
	c, lit := 0, m[4]
	if strings.HasPrefix(lit, "'") {
		c = strings.Compare(formatValue(v), strings.Trim(lit, "'"))
	} else {
		want, _ := strconv.ParseFloat(lit, 64)
		got, ok := number(v)
		if !ok {
			return false, fmt.Errorf(":::if %s: %s.%s is not a number (%q)", text, m[1], m[2], formatValue(v))
		}
		switch {
		case got < want:
			c = -1
		case got > want:
			c = 1
		}
	}
	switch m[3] {
	case ">":
		return c > 0, nil
	case "<":
		return c < 0, nil
	case ">=":
		return c >= 0, nil
	case "<=":
		return c <= 0, nil
	case "==":
		return c == 0, nil
	}
	return c != 0, nil
}

// putValues replaces the tokens of rendered HTML by the escaped values,
// and the block tokens ([blockToken]) by the rendered blocks. Blocks are put
// in by the same single pass as the values, so that the data they show,
// which may hold the characters of a token, is never read as one. A token
// that Markdown turned into a URL (a value in a link's target) is an error:
// values are text, never addresses.
func putValues(htmlText []byte, values []string, blocks [][]byte) ([]byte, error) {
	if bytes.Contains(htmlText, []byte(tokenEncoded)) {
		return nil, errors.New("a ${...} value is used in a link's address: values can only be text")
	}
	var b bytes.Buffer
	rest := htmlText
	for {
		i := bytes.Index(rest, []byte(tokenOpen))
		if i < 0 {
			b.Write(rest)
			return b.Bytes(), nil
		}
		b.Write(rest[:i])
		rest = rest[i+len(tokenOpen):]
		j := bytes.Index(rest, []byte(tokenClose))
		token := rest[:max(j, 0)]
		all := values
		if block := bytes.TrimPrefix(token, []byte(blockMark)); len(block) < len(token) {
			token, all = block, nil
		}
		n, err := strconv.Atoi(string(token))
		switch {
		case j < 0 || err != nil || n < 0:
			return nil, errors.New("a ${...} value is used where it cannot go")
		case all == nil && n < len(blocks):
			b.Write(blocks[n])
		case all != nil && n < len(values):
			writeValue(&b, values[n])
		default:
			return nil, errors.New("a ${...} value is used where it cannot go")
		}
		rest = rest[j+len(tokenClose):]
	}
}

// writeValue writes a value as escaped text. A value with bidi controls
// (such as a right-to-left override from a job board's text) goes in a
// <bdi> element, which isolates it: an override it opens and does not close
// cannot reverse the page's text after it.
func writeValue(b *bytes.Buffer, v string) {
	if !strings.ContainsFunc(v, isBidiControl) {
		b.WriteString(html.EscapeString(v))
		return
	}
	b.WriteString("<bdi>")
	b.WriteString(html.EscapeString(v))
	b.WriteString("</bdi>")
}

// isBidiControl reports whether r is an explicit bidi formatting character
// or mark: LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, LRM, RLM or ALM.
func isBidiControl(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') ||
		r == '\u200e' || r == '\u200f' || r == '\u061c'
}

// blockMark marks the token of a chart or table block: tokenOpen, blockMark,
// the block's number, tokenClose.
const blockMark = "block"

// blockToken returns the token that stands for block n of a page with
// values in its prose until the values are put in.
func blockToken(n int) string {
	return tokenOpen + blockMark + strconv.Itoa(n) + tokenClose
}
