package normalize

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Step is one decision of a reading, for whoever extends a table: the field
// it decided ("role", "seniority", "place", "workplace"...), what it read,
// and the rule that decided it: a table and line with the line's pattern, a
// gazetteer entry, or a hint of the source.
type Step struct {
	Field string `json:"field"`
	Value string `json:"value"`
	Rule  string `json:"rule"`
}

// String formats a step as one line: field, value, rule.
func (s Step) String() string {
	v := s.Value
	if v == "" {
		v = `""`
	}
	return fmt.Sprintf("%-10s %-26s %s", s.Field, v, s.Rule)
}

// trace collects the steps of a reading; a nil *trace collects nothing, so
// that the readings themselves pay one comparison for it.
type trace struct{ steps []Step }

// add records a step.
func (tr *trace) add(field, value, rule string) {
	if tr != nil {
		tr.steps = append(tr.steps, Step{Field: field, Value: value, Rule: rule})
	}
}

// maxRuleText is how much of a table line an explanation quotes.
const maxRuleText = 90

// source returns "rules/file:line (fields)" for a row, as a step's rule
// names it, the fields cut after some 90 bytes.
func (r row) source() string {
	text := strings.Join(r.fields, "  ")
	if len(text) > maxRuleText {
		cut := maxRuleText
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut] + "…"
	}
	return fmt.Sprintf("rules/%s:%d (%s)", r.file, r.line, text)
}

// ExplainTitle reads a title as [Title] does and returns, beside the role
// and seniority, the steps that decided them: the words read as the head of
// a compound (words.tsv), the words set aside (roles.tsv lines of role "-"),
// each seniority pattern found and the role line that matched.
func ExplainTitle(title string) (role, seniority string, steps []Step) {
	var tr trace
	role, seniority = readTitle(title, &tr)
	return role, seniority, tr.steps
}

// ExplainTextWorkplace reads a description as [TextWorkplace] does and
// returns, beside the workplace, each phrase of rules/workplace_text.tsv it
// found; defaultApplies is [TextWorkplaceDefault]'s.
func ExplainTextWorkplace(text string, remoteOnly bool) (workplace string, defaultApplies bool, steps []Step) {
	var tr trace
	workplace, defaultApplies = textWorkplace(text, remoteOnly, &tr)
	return workplace, defaultApplies, tr.steps
}

// ExplainOccupationRole returns what [OccupationRole] returns, and the step
// that decided it: the line of rules/occupations.tsv.
func ExplainOccupationRole(code string) (role string, ok bool, steps []Step) {
	role, ok, at := occupationRole(code)
	if ok {
		steps = []Step{{Field: "role", Value: role, Rule: at}}
	}
	return role, ok, steps
}
