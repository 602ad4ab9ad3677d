package ingest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/ingest/normalize"
	"github.com/jobpulse/jobpulse/internal/testenv"
)

func TestNormalize(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name string
		in   Posting
		want func(p Posting) Posting // the input with its normalized fields set
	}{
		{
			name: "text only",
			in: Posting{
				Title: "Senior Backend Engineer (Go) - Remote", Company: "Acme Inc.",
				LocationText: "USA, Canada, USA timezones", SalaryText: "$18 - $22/hr",
				Tags: []string{"golang", "Typescript ", "digital nomad"}, Description: "<p>Build <b>APIs</b>.</p><ul><li>Go</li></ul>",
			},
			want: func(p Posting) Posting {
				p.Role, p.Seniority = "Backend Engineer", "Senior"
				// The title's "- Remote" names the workplace.
				p.Location = normalize.Location{Scope: normalize.ScopeCountry, Countries: []string{"CA", "US"}, Workplace: normalize.Remote}
				p.Salary = normalize.Salary{Min: 18, Max: 22, Currency: "USD", Period: normalize.Hour, AnnualMin: 37440, AnnualMax: 45760}
				p.Skills = []string{"Go", "TypeScript"}
				p.DescriptionText = "Build APIs.\n\n- Go"
				p.CompanyName, p.CompanyKey = "Acme", "acme"
				p.Fingerprint = normalize.Fingerprint("Acme Inc.", p.Title, p.Location)
				return p
			},
		},
		{
			name: "the text wins over a remote hint",
			in:   Posting{Title: "Data Analyst", LocationText: "Paris (Hybrid)", RemoteHint: &yes},
			want: func(p Posting) Posting {
				p.Role = "Data Analyst"
				p.Location = normalize.Location{Scope: normalize.ScopeCountry, Countries: []string{"FR"}, Workplace: normalize.Hybrid}
				p.Fingerprint = normalize.Fingerprint("", p.Title, p.Location)
				return p
			},
		},
		{
			name: "the text wins over a not-remote hint",
			in:   Posting{Title: "Data Analyst", LocationText: "Berlin, Remote", RemoteHint: &no},
			want: func(p Posting) Posting {
				p.Role = "Data Analyst"
				p.Location = normalize.Location{Scope: normalize.ScopeCountry, Countries: []string{"DE"}, Workplace: normalize.Remote}
				p.Fingerprint = normalize.Fingerprint("", p.Title, p.Location)
				return p
			},
		},
		{
			name: "not remote keeps hybrid",
			in:   Posting{Title: "Data Analyst", LocationText: "Berlin (hybrid)", RemoteHint: &no},
			want: func(p Posting) Posting {
				p.Role = "Data Analyst"
				p.Location = normalize.Location{Scope: normalize.ScopeCountry, Countries: []string{"DE"}, Workplace: normalize.Hybrid}
				p.Fingerprint = normalize.Fingerprint("", p.Title, p.Location)
				return p
			},
		},
		{
			name: "a village the gazetteer lacks lies in the country of a one-country board",
			in:   Posting{Title: "Data Analyst", LocationText: "Lietzow", RemoteHint: &no, CountryHint: "DE"},
			want: func(p Posting) Posting {
				p.Role = "Data Analyst"
				p.Location = normalize.Location{Scope: normalize.ScopeCountry, Countries: []string{"DE"}, Workplace: normalize.Onsite}
				p.Fingerprint = normalize.Fingerprint("", p.Title, p.Location)
				return p
			},
		},
		{
			name: "a known place beats the board's country",
			in:   Posting{Title: "Data Analyst", LocationText: "Wien", RemoteHint: &no, CountryHint: "DE"},
			want: func(p Posting) Posting {
				p.Role = "Data Analyst"
				p.Location = normalize.Location{Scope: normalize.ScopeCountry, Countries: []string{"AT"}, Workplace: normalize.Onsite}
				p.Fingerprint = normalize.Fingerprint("", p.Title, p.Location)
				return p
			},
		},
		{
			name: "a workplace alone is no place of the board's country",
			in:   Posting{Title: "Data Analyst", LocationText: "Remote", RemoteHint: &yes, CountryHint: "DE"},
			want: func(p Posting) Posting {
				p.Role = "Data Analyst"
				p.Location = normalize.Location{Workplace: normalize.Remote}
				p.Fingerprint = normalize.Fingerprint("", p.Title, p.Location)
				return p
			},
		},
		{
			name: "the description says hybrid where the location text says nothing",
			in:   Posting{Title: "Data Analyst", LocationText: "Köln", RemoteHint: &no, Description: "<li>2 Tage Homeoffice pro Woche</li>"},
			want: func(p Posting) Posting {
				p.Role = "Data Analyst"
				p.Location = normalize.Location{Scope: normalize.ScopeCountry, Countries: []string{"DE"}, Workplace: normalize.Hybrid}
				p.DescriptionText = "- 2 Tage Homeoffice pro Woche"
				p.Fingerprint = normalize.Fingerprint("", p.Title, p.Location)
				return p
			},
		},
		{
			name: "on a remote-only source, work from home is remote, days in the office hybrid",
			in:   Posting{Title: "Data Analyst", RemoteHint: &yes, Description: "<p>Work from home, and 3 days a week in the office.</p>"},
			want: func(p Posting) Posting {
				p.Role = "Data Analyst"
				p.Location = normalize.Location{Workplace: normalize.Hybrid}
				p.DescriptionText = "Work from home, and 3 days a week in the office."
				p.Fingerprint = normalize.Fingerprint("", p.Title, p.Location)
				return p
			},
		},
		{
			name: "a not-remote hint yields to a description that says fully remote",
			in:   Posting{Title: "Data Analyst", RemoteHint: &no, Description: "<p>This is a fully remote role.</p>"},
			want: func(p Posting) Posting {
				p.Role = "Data Analyst"
				p.Location = normalize.Location{Workplace: normalize.Remote}
				p.DescriptionText = "This is a fully remote role."
				p.Fingerprint = normalize.Fingerprint("", p.Title, p.Location)
				return p
			},
		},
		{
			name: "on a remote-only source, a description of work done in person is on-site",
			in:   Posting{Title: "Administrative Assistant", RemoteHint: &yes, Description: "<li>Welcome visitors and create a professional, friendly environment.</li>"},
			want: func(p Posting) Posting {
				p.Role = "Administrative Assistant"
				p.Location = normalize.Location{Workplace: normalize.Onsite}
				p.DescriptionText = "- Welcome visitors and create a professional, friendly environment."
				p.Fingerprint = normalize.Fingerprint("", p.Title, p.Location)
				return p
			},
		},
		{
			name: "on a remote-only source, a job done in person by its title is on-site where the text is silent",
			in:   Posting{Title: "Sandwich artist", RemoteHint: &yes, Description: "<p>Hours: 35 to 45 hours per week</p>"},
			want: func(p Posting) Posting {
				p.Role = "Hospitality & Travel"
				p.Location = normalize.Location{Workplace: normalize.Onsite}
				p.DescriptionText = "Hours: 35 to 45 hours per week"
				p.Fingerprint = normalize.Fingerprint("", p.Title, p.Location)
				return p
			},
		},
		{
			name: "a title of work done in person yields to a description that grants work from home",
			in:   Posting{Title: "Receptionist", RemoteHint: &yes, Description: "<p>Work from home answering our clients' calls.</p>"},
			want: func(p Posting) Posting {
				p.Role, _ = normalize.Title(p.Title)
				p.Location = normalize.Location{Workplace: normalize.Remote}
				p.DescriptionText = "Work from home answering our clients' calls."
				p.Fingerprint = normalize.Fingerprint("", p.Title, p.Location)
				return p
			},
		},
		{
			name: "without a source flag, a description of work done in person names no workplace",
			in:   Posting{Title: "Sandwich artist", Description: "<p>Welcome visitors.</p>"},
			want: func(p Posting) Posting {
				p.Role = "Hospitality & Travel"
				p.DescriptionText = "Welcome visitors."
				p.Fingerprint = normalize.Fingerprint("", p.Title, p.Location)
				return p
			},
		},
		{
			name: "salary hint wins over the text",
			in:   Posting{Title: "VP Sales", SalaryText: "$50k", SalaryHint: normalize.Salary{Min: 210000, Max: 180000, Currency: "USD"}},
			want: func(p Posting) Posting {
				p.Role, p.Seniority = "Sales", "VP"
				p.Salary = normalize.Salary{Min: 180000, Max: 210000, Currency: "USD", Period: normalize.Year, AnnualMin: 180000, AnnualMax: 210000}
				p.Fingerprint = normalize.Fingerprint("", p.Title, p.Location)
				return p
			},
		},
		{
			name: "implausible salary hint falls back to the text",
			in:   Posting{Title: "VP Sales", SalaryText: "$150k", SalaryHint: normalize.Salary{Min: 1e300, Max: 1e300, Currency: "USD"}},
			want: func(p Posting) Posting {
				p.Role, p.Seniority = "Sales", "VP"
				p.Salary = normalize.Salary{Min: 150000, Max: 150000, Currency: "USD", Period: normalize.Year, AnnualMin: 150000, AnnualMax: 150000}
				p.Fingerprint = normalize.Fingerprint("", p.Title, p.Location)
				return p
			},
		},
		{
			name: "the head of the description widens a named place",
			in: Posting{Title: "Social Media Coordinator", LocationText: "Toronto, Toronto, Ontario, Canada",
				Description: "<p>Full-Time | Remote (US and Canada Only Applicants)</p><p>Social Media Coordinator</p>"},
			want: func(p Posting) Posting {
				p.Role = "Marketing"
				p.Location = normalize.Location{Scope: normalize.ScopeCountry, Countries: []string{"CA", "US"}}
				p.DescriptionText = "Full-Time | Remote (US and Canada Only Applicants)\n\nSocial Media Coordinator"
				p.Fingerprint = normalize.Fingerprint("", p.Title, p.Location)
				return p
			},
		},
		{
			name: "a place named past the head of the description does not widen a named one",
			in: Posting{Title: "Social Media Coordinator", LocationText: "Toronto",
				Description: "<p>" + strings.Repeat("Plan posts. ", 100) + "Remote (US only)</p>"},
			want: func(p Posting) Posting {
				p.Role = "Marketing"
				p.Location = normalize.Location{Scope: normalize.ScopeCountry, Countries: []string{"CA"}}
				p.DescriptionText = strings.Repeat("Plan posts. ", 100) + "Remote (US only)"
				p.Fingerprint = normalize.Fingerprint("", p.Title, p.Location)
				return p
			},
		},
		{
			name: "nothing known",
			in:   Posting{Title: "Make", SalaryText: "Competitive", LocationText: "Xqzville"},
			want: func(p Posting) Posting {
				p.Fingerprint = normalize.Fingerprint("", p.Title, p.Location)
				return p
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.in
			Normalize(&got)
			want := tt.want(tt.in)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Normalize (-want +got):\n%s", diff)
			}
			again := got
			Normalize(&again)
			if diff := cmp.Diff(got, again); diff != "" {
				t.Errorf("Normalize twice differs (-once +twice):\n%s", diff)
			}
		})
	}
}

// TestNormalizeSameJobTwoSources: the same job published on two sources, with
// their own spellings, is one posting.
func TestNormalizeSameJobTwoSources(t *testing.T) {
	remote := true
	a := Posting{Source: "remotive", SourceID: "1", Company: "Acme Inc.", Title: "Backend Engineer (m/w/d)", LocationText: "USA"}
	b := Posting{Source: "remoteok", SourceID: "x", Company: "ACME", Title: "Backend Engineer - Remote", LocationText: "Remote, United States", RemoteHint: &remote}
	c := Posting{Source: "remoteok", SourceID: "y", Company: "ACME", Title: "Backend Engineer", LocationText: "Germany"}
	for _, p := range []*Posting{&a, &b, &c} {
		Normalize(p)
	}
	if a.Fingerprint != b.Fingerprint {
		t.Errorf("same job, fingerprints %s and %s", a.Fingerprint, b.Fingerprint)
	}
	if a.Fingerprint == c.Fingerprint {
		t.Errorf("jobs in different countries share fingerprint %s", a.Fingerprint)
	}
}

// TestNormalizeRealRemotive normalizes the real Remotive capture as parsed by
// the Remotive source.
func TestNormalizeRealRemotive(t *testing.T) {
	ps, rejects, err := ParseRemotive(testenv.RealCapture(t, "remotive/remote-jobs.json"), "raw/source=remotive/x.json")
	if err != nil || len(rejects) > 0 || len(ps) == 0 {
		t.Fatalf("ParseRemotive: %d postings, %v, %v", len(ps), rejects, err)
	}
	fingerprints := map[string]bool{}
	for i := range ps {
		p := &ps[i]
		Normalize(p)
		if p.Role == "" {
			t.Errorf("%q: no role", p.Title)
		}
		if p.LocationText != "" && p.Location.Scope == normalize.ScopeUnknown {
			t.Errorf("%q: no scope from %q", p.Title, p.LocationText)
		}
		if p.SalaryText != "" && !p.Salary.Known() {
			t.Errorf("%q: no salary from %q", p.Title, p.SalaryText)
		}
		if p.Description != "" && (p.DescriptionText == "" || strings.Contains(p.DescriptionText, "<p>")) {
			t.Errorf("%q: description text %.80q", p.Title, p.DescriptionText)
		}
		if len(p.Fingerprint) != 32 {
			t.Errorf("%q: fingerprint %q", p.Title, p.Fingerprint)
		}
		fingerprints[p.Fingerprint] = true
	}
	t.Logf("%d real postings, %d fingerprints", len(ps), len(fingerprints))
}

// BenchmarkNormalize normalizes Remotive-shaped postings with descriptions
// cut to about 1 KB, as in the replay target; ns/op times 200,000 is the
// normalization cost of that replay.
func BenchmarkNormalize(b *testing.B) {
	ps, _, err := ParseRemotive(testenv.RealCapture(b, "remotive/remote-jobs.json"), "k")
	if err != nil {
		b.Fatal(err)
	}
	for i := range ps {
		if d := ps[i].Description; len(d) > 1024 {
			if j := strings.Index(d[1024:], "<"); j >= 0 {
				ps[i].Description = d[:1024+j]
			}
		}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := ps[i%len(ps)]
		Normalize(&p)
	}
}

// TestExplainInPerson: where a remote-only source's default gives way to
// work done in person, the explanation names the phrase that decided, of
// the title or of the description.
func TestExplainInPerson(t *testing.T) {
	yes := true
	tests := []struct {
		name string
		in   Posting
		want []string // in the workplace steps' rules, in order
	}{
		{"title", Posting{Title: "Sandwich artist", RemoteHint: &yes, Description: "<p>Shift, weekend.</p>"},
			[]string{`"sandwich artist" of rules/workplace_title.tsv:`, "the title names work done in person"}},
		{"description", Posting{Title: "Administrative Assistant", RemoteHint: &yes, Description: "<p>Welcome visitors.</p>"},
			[]string{`"welcome visitors" of rules/workplace_text.tsv:`, "remote-only default does not apply", "the description (phrases above)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.in
			var rules []string
			for _, s := range Explain(&p) {
				if s.Field == "workplace" {
					rules = append(rules, s.Rule)
				}
			}
			if p.Location.Workplace != normalize.Onsite {
				t.Errorf("workplace %q, want %q", p.Location.Workplace, normalize.Onsite)
			}
			all, at := strings.Join(rules, "\n"), 0
			for _, w := range tt.want {
				i := strings.Index(all[at:], w)
				if i < 0 {
					t.Fatalf("workplace steps lack %q after byte %d:\n%s", w, at, all)
				}
				at += i + len(w)
			}
		})
	}
}
