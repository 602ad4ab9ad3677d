package normalize

import "strings"

// occupationRoles maps "scheme:code prefix" to a role, or "-" for none
// (rules/occupations.tsv).
var occupationRoles, occupationRows = func() (map[string]string, map[string]string) {
	rows, err := readTable("occupations.tsv", 2)
	mustLoad(err)
	out, src := make(map[string]string, len(rows)), make(map[string]string, len(rows))
	for _, r := range rows {
		scheme, code, ok := strings.Cut(r.fields[0], ":")
		switch {
		case len(r.fields) != 2:
			mustLoad(r.errorf("want scheme:code <TAB> role"))
		case !ok || scheme == "" || code == "" || strings.ToLower(scheme) != scheme || strings.ToUpper(code) != code:
			mustLoad(r.errorf("code %q: want a lower-case scheme, a colon and an upper-case code, as rome:D1507", r.fields[0]))
		case out[r.fields[0]] != "":
			mustLoad(r.errorf("code %q listed twice", r.fields[0]))
		}
		out[r.fields[0]] = r.fields[1]
		src[r.fields[0]] = r.source()
	}
	return out, src
}()

// OccupationRole returns the role of a publisher's occupation code, written
// "scheme:code" ("rome:D1507" for France Travail's ROME codes): the role of
// the longest prefix of the code that rules/occupations.tsv lists, "" for an
// occupation that has no role of the vocabulary. ok is false when no prefix
// is listed: the code says nothing.
func OccupationRole(code string) (role string, ok bool) {
	role, ok, _ = occupationRole(code)
	return role, ok
}

// occupationRole is [OccupationRole], also returning the line that decided.
func occupationRole(code string) (role string, ok bool, at string) {
	scheme, c, found := strings.Cut(code, ":")
	if !found || len(c) > 16 {
		return "", false, ""
	}
	for n := len(c); n > 0; n-- {
		key := scheme + ":" + c[:n]
		if r, listed := occupationRoles[key]; listed {
			if r == "-" {
				r = ""
			}
			return r, true, occupationRows[key]
		}
	}
	return "", false, ""
}
