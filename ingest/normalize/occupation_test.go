package normalize

import "testing"

func TestOccupationRole(t *testing.T) {
	tests := []struct {
		code, role string
		ok         bool
	}{
		{"rome:D1507", "Sales", true},                 // domaine D15
		{"rome:M1205", "Finance", true},               // a code beats its domaine M12
		{"rome:M1203", "Accountant", true},            // the domaine
		{"rome:K2204", "", true},                      // cleaning: no role
		{"rome:M1810", "", false},                     // M18 holds several roles: not listed
		{"rome:", "", false},                          // no code
		{"D1507", "", false},                          // no scheme
		{"isco:2512", "", false},                      // a scheme not listed
		{"rome:D1507D1507D1507D1507D1507", "", false}, // too long to be a code
	}
	for _, tt := range tests {
		role, ok := OccupationRole(tt.code)
		if role != tt.role || ok != tt.ok {
			t.Errorf("OccupationRole(%q) = %q, %v; want %q, %v", tt.code, role, ok, tt.role, tt.ok)
		}
	}
}

// TestOccupationRolesKnown checks that rules/occupations.tsv names only
// roles of rules/roles.tsv.
func TestOccupationRolesKnown(t *testing.T) {
	known := map[string]bool{"-": true}
	for _, p := range roleSet.pats {
		known[p.value] = true
	}
	for code, role := range occupationRoles {
		if !known[role] {
			t.Errorf("occupations.tsv: %s has role %q, which roles.tsv does not name", code, role)
		}
	}
}

// FuzzOccupationRole checks that any code gives a role of the vocabulary or
// none, and that a code no line covers says nothing.
func FuzzOccupationRole(f *testing.F) {
	for _, s := range []string{"rome:D1507", "rome:K2204", "rome:", ":", "rome:M1805", "rome:\xff", "ROME:D15"} {
		f.Add(s)
	}
	known := map[string]bool{"": true}
	for _, p := range roleSet.pats {
		known[p.value] = true
	}
	f.Fuzz(func(t *testing.T, code string) {
		role, ok := OccupationRole(code)
		if !known[role] || (!ok && role != "") {
			t.Fatalf("OccupationRole(%q) = %q, %v", code, role, ok)
		}
	})
}
