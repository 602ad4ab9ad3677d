package normalize

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestCompany(t *testing.T) {
	tests := []struct {
		in, name, key string
	}{
		// Real names from the captures (ingest/testdata/real).
		{"SumUp", "SumUp", "sumup"},
		{"Deutscher Bauservice GmbH", "Deutscher Bauservice", "deutscher bauservice"},
		{"Allgäu Batterie GmbH & Co. KG", "Allgäu Batterie", "allgau batterie"},
		{"IT Fabrik Systemhaus GmbH u. Co.KG", "IT Fabrik Systemhaus", "it fabrik systemhaus"},
		{"Fischer & Partner Gesellschaft für Personal mbH", "Fischer & Partner Gesellschaft für Personal", "fischer partner gesellschaft fur personal"},
		{"MINT-Zentrum Hirschaid gGmbH", "MINT-Zentrum Hirschaid", "mint zentrum hirschaid"},
		{"Pont Connects e.K.", "Pont Connects", "pont connects"},
		{"Jobbusters® GmbH", "Jobbusters", "jobbusters"},
		{"Credit Wellness, LLC", "Credit Wellness", "credit wellness"},
		{"C4Media Inc.", "C4Media", "c4media"},
		{"ezCater, Inc", "ezCater", "ezcater"},
		{"JSR Technologies Pvt. Ltd.", "JSR Technologies", "jsr technologies"},
		{"ELECTE S.R.L", "ELECTE", "electe"},
		{"Trackman A/S", "Trackman", "trackman"},
		{"JOUSSE SAS", "JOUSSE", "jousse"},
		{"WOLF OF SEO FZ LLC", "WOLF OF SEO", "wolf of seo"},
		{"Coalition Technologies ", "Coalition Technologies", "coalition technologies"},
		{"beechwood.agency GmbH", "beechwood.agency", "beechwood agency"},
		{"Qvest Group GmbH", "Qvest Group", "qvest group"},
		{"1KOMMA5˚", "1KOMMA5˚", "1komma5"},
		{"Helic & Co.", "Helic & Co.", "helic"},
		{"The Bridge Co.", "The Bridge Co.", "the bridge"},
		{"Stealth Start-up (Mobility, Berlin)", "Stealth Start-up (Mobility, Berlin)", "stealth start up mobility berlin"},
		{"Naturhütte (Eine Marke der raumkonzept Thomas Pölloth GmbH + Co. KG)",
			"Naturhütte (Eine Marke der raumkonzept Thomas Pölloth GmbH + Co. KG)", "naturhutte eine marke der raumkonzept thomas polloth"},
		{"Empresa Confidencial", "", ""},
		// Legal forms of other jurisdictions.
		{"Acme UG (haftungsbeschränkt)", "Acme", "acme"},
		{"Acme e.V.", "Acme", "acme"},
		{"Acme S.A.S.U.", "Acme", "acme"},
		{"Acme S.p.A.", "Acme", "acme"},
		{"Acme B.V.", "Acme", "acme"},
		{"Acme N.V.", "Acme", "acme"},
		{"Acme AB (publ)", "Acme", "acme"},
		{"Acme Oy", "Acme", "acme"},
		{"Acme Pty Ltd", "Acme", "acme"},
		{"Acme Sp. z o.o.", "Acme", "acme"},
		{"Acme S.A. de C.V.", "Acme", "acme"},
		{"Acme SE", "Acme", "acme"},
		{"Acme PLC", "Acme", "acme"},
		{"Acme Corporation", "Acme", "acme"},
		{"Acme Co., Ltd.", "Acme", "acme"},
		{"Acme Company Ltd", "Acme Company", "acme"},
		{"The Walt Disney Company", "The Walt Disney Company", "the walt disney"},
		{"Acme (Europe) GmbH", "Acme (Europe)", "acme europe"},
		// A legal form only at the end, and a name never emptied.
		{"AG Software", "AG Software", "ag software"},
		{"Software AG", "Software", "software"},
		{"GmbH", "GmbH", "gmbh"},
		{"Co Ltd", "Co", "co"},
		// Nothing that names a company.
		{"", "", ""},
		{"  ", "", ""},
		{"—", "", ""},
		{"N/A", "", ""},
		{"Confidential", "", ""},
	}
	for _, tt := range tests {
		name, key := Company(tt.in)
		if name != tt.name || key != tt.key {
			t.Errorf("Company(%q) = %q, %q; want %q, %q", tt.in, name, key, tt.name, tt.key)
		}
	}
}

// TestCompanyGroups checks which spellings are one company: each group's
// names share one key, and no two groups share one.
func TestCompanyGroups(t *testing.T) {
	groups := [][]string{
		{"SumUp", "SUMUP GMBH", "Sumup Ltd.", "sumup"},
		{"Acme GmbH", "ACME gmbh", "Acme", "ACME Inc.", "Acme, Inc.", "acme corp"},
		{"Allgäu Batterie GmbH & Co. KG", "ALLGÄU BATTERIE GMBH", "Allgau Batterie"},
		{"IT Fabrik Systemhaus GmbH u. Co.KG", "IT-Fabrik Systemhaus GmbH"},
		{"Credit Wellness, LLC", "Credit Wellness LLC", "CREDIT WELLNESS"},
		{"Trackman A/S", "TrackMan AS", "Trackman"},
		{"Coalition Technologies ", "Coalition Technologies"},
		{"Société Générale S.A.", "Societe Generale"},
		// Must stay apart from all of the above and from each other.
		{"Meta"},
		{"Metabase"},
		{"Meta Platforms, Inc."},
		{"PARTNAIRE"},
		{"PARTNAIRE RHONE ALPES"},
		{"Digital"},
		{"Allianz Digital Health GmbH"},
		{"Sanctuary Computer"},
		{"Lemon.io"},
		{"Hello Lemon GmbH"},
		{"ELEMENTAL TERRA"},
		{"Elemental Terra Capital Ltd"},
		{"Software AG"},
		{"AG Software"},
	}
	owner := map[string]int{}
	for i, g := range groups {
		_, want := Company(g[0])
		for _, n := range g {
			if _, key := Company(n); key != want {
				t.Errorf("%q has key %q, %q has %q: want one company", n, key, g[0], want)
			}
		}
		if j, ok := owner[want]; ok {
			t.Errorf("%q and %q share the key %q: want two companies", groups[j][0], g[0], want)
		}
		owner[want] = i
	}
}

// TestCompanyReal reads every company name of the real captures: none is
// emptied unless it names no company, each shown name is a part of the
// published text, and the names the sources publish for one company (SumUp
// on Arbeitnow and on its Greenhouse board) are one.
func TestCompanyReal(t *testing.T) {
	names := realCompanies(t)
	if len(names) < 500 {
		t.Fatalf("%d company names in the captures, want at least 500", len(names))
	}
	keys := map[string]map[string]bool{}
	cut := 0
	for _, raw := range names {
		name, key := Company(raw)
		checkCompany(t, raw, name, key)
		if key == "" && strings.TrimSpace(raw) != "" && raw != "Empresa Confidencial" {
			t.Errorf("Company(%q): no key", raw)
		}
		if name != strings.TrimSpace(raw) {
			cut++
		}
		if keys[key] == nil {
			keys[key] = map[string]bool{}
		}
		keys[key][raw] = true
	}
	if cut < 80 {
		t.Errorf("%d names lost a legal form, want at least 80 (GmbH, Inc., LLC... are common)", cut)
	}
	if !keys["sumup"]["SumUp"] {
		t.Errorf("SumUp has not the key sumup: %v", keys["sumup"])
	}
	t.Logf("%d company names, %d companies, %d names without their legal form", len(names), len(keys), cut)
}

// realCompanies returns the company names of the real captures, one per
// posting: Arbeitnow, Remotive, Remote OK, Greenhouse and France Travail.
func realCompanies(t testing.TB) []string {
	t.Helper()
	var names []string
	for _, name := range []string{"arbeitnow/2026-04.json", "arbeitnow/2026-06.json"} {
		var page struct {
			Data []struct {
				Company string `json:"company_name"`
			} `json:"data"`
		}
		readJSON(t, name, &page)
		for _, j := range page.Data {
			names = append(names, j.Company)
		}
	}
	for _, name := range []string{"remotive/2026-04.json", "remotive/remote-jobs.json"} {
		var page struct {
			Jobs []struct {
				Company string `json:"company_name"`
			} `json:"jobs"`
		}
		readJSON(t, name, &page)
		for _, j := range page.Jobs {
			names = append(names, j.Company)
		}
	}
	for _, name := range []string{"remoteok/2026-06.json", "remoteok/api.json"} {
		var page []struct {
			Company string `json:"company"`
			Legal   string `json:"legal"`
		}
		readJSON(t, name, &page)
		for _, j := range page {
			if j.Legal == "" {
				names = append(names, j.Company)
			}
		}
	}
	for _, name := range []string{"greenhouse/sumup.json", "greenhouse/doctolib.json"} {
		var board struct {
			Jobs []struct {
				Company string `json:"company_name"`
			} `json:"jobs"`
		}
		readJSON(t, name, &board)
		for _, j := range board.Jobs {
			names = append(names, j.Company)
		}
	}
	var ft struct {
		Results []struct {
			Company struct {
				Name string `json:"nom"`
			} `json:"entreprise"`
		} `json:"resultats"`
	}
	readJSON(t, "francetravail/2025-03.json", &ft)
	for _, j := range ft.Results {
		names = append(names, j.Company.Name)
	}
	return names
}

func FuzzCompany(f *testing.F) {
	for _, n := range realCompanies(f) {
		f.Add(n)
	}
	for _, s := range []string{"Acme GmbH & Co. KG", "Acme (Europe) GmbH", "Acme (X GmbH)", "((GmbH))", "GmbH GmbH", "Co Ltd", ") GmbH",
		strings.Repeat("Acme ", 70) + "GmbH", strings.Repeat("Ä", 300) + " GmbH", "\xffAcme\xfe GmbH", "Acme\u0301 Inc.", "ẞ GmbH", "N/A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, key := Company(s)
		checkCompany(t, s, name, key)
	})
}

// checkCompany checks what holds for every name Company reads: the name is
// the start of the trimmed text, and Company gives it back unchanged; the
// key is lower case, single-spaced and the company part of Fingerprint;
// either both are empty or neither.
func checkCompany(t *testing.T, raw, name, key string) {
	t.Helper()
	if (name == "") != (key == "") {
		t.Errorf("Company(%q) = %q, %q: one empty, not the other", raw, name, key)
	}
	if !strings.HasPrefix(strings.TrimSpace(raw), name) || name != strings.TrimSpace(name) {
		t.Errorf("Company(%q): name %q is not the start of the trimmed text", raw, name)
	}
	if key != "" && key != string(appendCompanyKey(nil, raw)) {
		t.Errorf("Company(%q): key %q, but Fingerprint reads the company %q", raw, key, appendCompanyKey(nil, raw))
	}
	if !utf8.ValidString(key) || key != strings.Join(strings.Fields(key), " ") || key != strings.ToLower(key) {
		t.Errorf("Company(%q): key %q is not lower case words single-spaced", raw, key)
	}
	if name != "" {
		if n2, _ := Company(name); n2 != name {
			t.Errorf("Company(%q) = %q, but Company(%q) = %q", raw, name, name, n2)
		}
	}
	if diff := cmp.Diff([2]string{name, key}, func() [2]string { n, k := Company(raw); return [2]string{n, k} }()); diff != "" {
		t.Errorf("Company(%q) is not deterministic:\n%s", raw, diff)
	}
}

// BenchmarkCompany reads the company names of the real captures, one per
// posting.
func BenchmarkCompany(b *testing.B) {
	names := realCompanies(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Company(names[i%len(names)])
	}
}
