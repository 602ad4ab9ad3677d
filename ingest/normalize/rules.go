package normalize

import (
	"embed"
	"fmt"
	"strings"
)

// The rule tables live in rules/*.tsv, embedded in the binary. Each is a text
// file a maintainer edits without touching Go code: one rule per line, fields
// separated by one or more TAB characters, alternatives inside a field
// separated by "|", blank lines and lines starting with "#" ignored. The
// header comment of each file documents its columns. A malformed table is a
// programming error: the package panics at init with an error naming the
// file and the line (the tests fail first).
//
//go:embed rules/*.tsv
var rulesFS embed.FS

// row is one non-comment line of a rule table.
type row struct {
	file   string
	line   int
	fields []string
}

// errorf formats an error that names the table and the line.
func (r row) errorf(format string, args ...any) error {
	return fmt.Errorf("normalize: rules/%s:%d: %s", r.file, r.line, fmt.Sprintf(format, args...))
}

// readTable returns the rows of rules/name, with at least minFields fields
// each.
func readTable(name string, minFields int) ([]row, error) {
	b, err := rulesFS.ReadFile("rules/" + name)
	if err != nil {
		return nil, fmt.Errorf("normalize: read rules/%s: %w", name, err)
	}
	var rows []row
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		var fields []string
		for _, f := range strings.Split(line, "\t") {
			if f = strings.TrimSpace(f); f != "" {
				fields = append(fields, f)
			}
		}
		r := row{file: name, line: i + 1, fields: fields}
		if len(fields) < minFields {
			return nil, r.errorf("want at least %d TAB-separated fields, got %d", minFields, len(fields))
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// alternatives splits a "a|b|c" field into trimmed, non-empty parts.
func alternatives(field string) []string {
	var out []string
	for _, a := range strings.Split(field, "|") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// mustLoad panics with err when a table cannot be compiled. Tables are
// embedded, so this only fires on a bad edit, and the tests catch it first.
func mustLoad(err error) {
	if err != nil {
		panic(err)
	}
}
