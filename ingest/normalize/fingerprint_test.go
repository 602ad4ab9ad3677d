package normalize

import (
	"regexp"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fingerprintKey is the key Fingerprint hashes, readable.
func fingerprintKey(company, title string, loc Location) [4]string {
	return [4]string{
		string(appendCompanyKey(nil, company)),
		string(appendTitleKey(nil, title)),
		string(appendSorted(nil, slices.Clone(loc.Countries))),
		string(appendSorted(nil, slices.Clone(loc.Regions))),
	}
}

func TestFingerprint(t *testing.T) {
	us := Location{Scope: ScopeCountry, Countries: []string{"US"}}
	de := Location{Scope: ScopeCountry, Countries: []string{"DE"}}
	tests := []struct {
		name   string
		a, b   [2]string // company, title
		la, lb Location
		same   bool
	}{
		{"legal suffix and case", [2]string{"Acme Inc.", "Backend Engineer"}, [2]string{"ACME", "Backend Engineer"}, us, us, true},
		{"several suffixes", [2]string{"Acme Co., Ltd.", "Writer"}, [2]string{"acme", "Writer"}, us, us, true},
		{"accents", [2]string{"Société Générale S.A.", "Analyste"}, [2]string{"Societe Generale", "analyste"}, de, de, true},
		{"gender marker", [2]string{"Acme", "Backend Engineer (m/w/d)"}, [2]string{"Acme", "Backend Engineer"}, de, de, true},
		{"gender marker without brackets", [2]string{"Acme", "Backend Engineer m/w/d"}, [2]string{"Acme", "Backend Engineer"}, de, de, true},
		{"french gender marker", [2]string{"Acme", "Développeur Full Stack (H/F)"}, [2]string{"Acme", "developpeur full-stack"}, de, de, true},
		{"remote part", [2]string{"Acme", "Senior Backend Engineer - Remote"}, [2]string{"Acme", "Senior Backend Engineer (Remote)"}, us, us, true},
		{"place part", [2]string{"Acme", "Content Reviewer - United States"}, [2]string{"Acme", "Content Reviewer"}, us, us, true},
		{"time zone part", [2]string{"Acme", "Sales Specialist (CST timezone)"}, [2]string{"Acme", "Sales Specialist"}, us, us, true},
		{"punctuation and spaces", [2]string{"Acme", "Back-End  Engineer"}, [2]string{"Acme", "back end engineer"}, us, us, true},
		{"different countries differ", [2]string{"Acme", "Backend Engineer"}, [2]string{"Acme", "Backend Engineer"}, us, de, false},
		{"unknown location differs from a country", [2]string{"Acme", "Backend Engineer"}, [2]string{"Acme", "Backend Engineer"}, us, Location{}, false},
		{"regions count", [2]string{"Acme", "Engineer"}, [2]string{"Acme", "Engineer"}, Location{Regions: []string{"Europe"}}, Location{Regions: []string{"EMEA"}}, false},
		{"order of countries does not matter", [2]string{"Acme", "Engineer"}, [2]string{"Acme", "Engineer"}, Location{Countries: []string{"CA", "US"}}, Location{Countries: []string{"US", "CA"}}, true},
		{"workplace does not count", [2]string{"Acme", "Engineer"}, [2]string{"Acme", "Engineer"}, Location{Countries: []string{"US"}, Workplace: Remote}, us, true},
		{"skill in brackets counts", [2]string{"Acme", "Backend Engineer (Go)"}, [2]string{"Acme", "Backend Engineer"}, us, us, false},
		{"seniority counts", [2]string{"Acme", "Senior Backend Engineer"}, [2]string{"Acme", "Backend Engineer"}, us, us, false},
		{"company counts", [2]string{"Acme", "Engineer"}, [2]string{"Globex", "Engineer"}, us, us, false},
		{"IT in brackets is not Italy", [2]string{"Acme", "Engineer (IT)"}, [2]string{"Acme", "Engineer"}, us, us, false},
		{"company and title do not run together", [2]string{"Acme Data", "Engineer"}, [2]string{"Acme", "Data Engineer"}, us, us, false},
	}
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fa := Fingerprint(tt.a[0], tt.a[1], tt.la)
			fb := Fingerprint(tt.b[0], tt.b[1], tt.lb)
			for _, f := range []string{fa, fb} {
				if !hex32.MatchString(f) {
					t.Errorf("fingerprint %q is not 32 hex digits", f)
				}
			}
			ka, kb := fingerprintKey(tt.a[0], tt.a[1], tt.la), fingerprintKey(tt.b[0], tt.b[1], tt.lb)
			switch diff := cmp.Diff(ka, kb); {
			case tt.same && (diff != "" || fa != fb):
				t.Errorf("want the same fingerprint, keys differ (-a +b):\n%s", diff)
			case !tt.same && fa == fb:
				t.Errorf("want different fingerprints, both keys are %q", ka)
			}
		})
	}
}

// TestFingerprintStable pins one fingerprint: a change of the rule (or of the
// tables) that changes fingerprints must be deliberate, since the warehouse
// stores them.
func TestFingerprintStable(t *testing.T) {
	got := Fingerprint("Acme Inc.", "Senior Backend Engineer (m/w/d) - Remote", Location{Countries: []string{"DE"}})
	want := Fingerprint("acme", "senior backend engineer", Location{Countries: []string{"DE"}})
	if got != want {
		t.Fatalf("fingerprints differ: %s, %s", got, want)
	}
	const pinned = "f7131a6eb1e277bfea001eb9d899d537" // sha256("acme\x00senior backend engineer\x00DE\x00")[:16]
	if got != pinned {
		t.Errorf("Fingerprint = %s, pinned %s: update the pin only on purpose", got, pinned)
	}
}
