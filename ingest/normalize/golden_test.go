package normalize

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestGoldenReal pins what Title, DescriptionRole (where it changes the
// title's role), ParseLocation, Skills, Fingerprint and PlainText give on every real captured posting and on postings shaped like
// the replay benchmark's, in testdata/real.golden (PlainText as a SHA-256 and
// a length, to keep the file small). Speed work must leave it unchanged;
// a change of the rules or of the fixtures rewrites it with -update.
func TestGoldenReal(t *testing.T) {
	var b strings.Builder
	for i, p := range realPostings(t) {
		writeGolden(&b, fmt.Sprintf("%s %d", p.Source, i), p)
	}
	levels := []string{"", "Senior ", "Junior ", "Lead ", "Staff ", "Principal "}
	roles := []string{"Software Engineer", "Backend Engineer", "Frontend Developer", "Data Scientist",
		"Customer Success Manager", "Sales Development Representative", "Machine Learning Engineer"}
	locs := []string{"Worldwide", "USA", "Europe", "UK", "Germany", "Americas", "EMEA", "India"}
	tags := []string{"python", "go", "react", "aws", "sql", "kubernetes", "excel", "figma"}
	for i, level := range levels {
		for j, role := range roles {
			n := i*len(roles) + j
			writeGolden(&b, fmt.Sprintf("replay %d", n), realPosting{
				Title:       level + role,
				Location:    locs[n%len(locs)],
				Tags:        []string{tags[n%len(tags)], tags[(n+3)%len(tags)]},
				Description: "<p>" + strings.Repeat("We are hiring a "+role+". ", 5+n%7) + "</p>",
			})
		}
	}
	path := filepath.Join("testdata", "real.golden")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGoldenReal -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), b.String()); diff != "" {
		t.Errorf("normalized real postings differ from %s (-want +got):\n%s", path, diff)
	}
}

// writeGolden writes the normalized fields of p, one per line.
func writeGolden(b *strings.Builder, name string, p realPosting) {
	role, seniority := Title(p.Title)
	loc := ParseLocation(p.Location)
	text := PlainText(p.Description)
	fmt.Fprintf(b, "# %s: %q\n", name, p.Title)
	fmt.Fprintf(b, "title\t%s\t%s\n", role, seniority)
	if dr := DescriptionRole(text, role, false); dr != role {
		fmt.Fprintf(b, "description role\t%s\n", dr)
	}
	fmt.Fprintf(b, "location\t%q\t%s\t%s\t%s\t%s\n", p.Location, loc.Scope,
		strings.Join(loc.Countries, ","), strings.Join(loc.Regions, ","), loc.Workplace)
	fmt.Fprintf(b, "skills\t%s\n", strings.Join(Skills(p.Tags, p.Title, text), "|"))
	fmt.Fprintf(b, "fingerprint\t%s\t%s\n", Fingerprint("Acme Inc.", p.Title, loc), Fingerprint(p.Source+" GmbH", p.Title+" (m/w/d)", loc))
	fmt.Fprintf(b, "plaintext\t%x\t%d\n", sha256.Sum256([]byte(text)), len(text))
}
