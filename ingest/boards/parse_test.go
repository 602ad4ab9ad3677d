package boards

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/jobdata"
	"github.com/jobpulse/jobpulse/internal/testenv"
)

// written returns a page of testdata/written: written by hand in the
// documented shape, not a real capture (see the README there).
func written(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "written", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// TestParseGreenhouseReal reads the real Greenhouse captures (fetched
// without content=true): every job is read, none rejected, each with its
// id, title, company, page, place and publication time.
func TestParseGreenhouseReal(t *testing.T) {
	for _, tc := range []struct {
		name, capture, company string
		jobs                   int
	}{
		{"sumup", "greenhouse/sumup.json", "SumUp", 381},
		{"doctolib", "greenhouse/doctolib.json", "Doctolib", 138},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := Board{Kind: "greenhouse", Name: tc.name}
			ps, rs, err := Parse(b, testenv.RealCapture(t, tc.capture), "raw/source=greenhouse-"+tc.name+"/page-0001.json")
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != tc.jobs || len(rs) != 0 {
				t.Fatalf("%d postings, %d rejects (%v): want %d and 0", len(ps), len(rs), rs, tc.jobs)
			}
			for _, p := range ps {
				switch {
				case p.Source != "greenhouse-"+tc.name || p.SourceID == "" || p.Title == "":
					t.Errorf("posting %+v: no source, id or title", p)
				case p.Company != tc.company:
					t.Errorf("posting %s: company %q, want %q", p.SourceID, p.Company, tc.company)
				case !strings.HasPrefix(p.URL, "https://"):
					t.Errorf("posting %s: url %q", p.SourceID, p.URL)
				case p.LocationText == "" || p.PublishedAt.IsZero():
					t.Errorf("posting %s: location %q, published %v", p.SourceID, p.LocationText, p.PublishedAt)
				}
			}
			first := ps[0]
			if tc.name == "sumup" {
				want := jobdata.Posting{Source: "greenhouse-sumup", SourceID: "8507799002",
					URL:   "https://sumup.com/careers/positions/8507799002?gh_jid=8507799002",
					Title: "Account Manager (HVM) - German", Company: "SumUp", LocationText: "Barcelona, Barcelona, Spain",
					PublishedAt: date("2026-04-17T08:56:52Z"), LakeKey: "raw/source=greenhouse-sumup/page-0001.json"}
				if d := cmp.Diff(want, first); d != "" {
					t.Errorf("first posting (-want +got):\n%s", d)
				}
			}
		})
	}
}

// TestParseWritten reads the written page of each kind (not real
// captures: see testdata/written/README.md) and compares what each field
// becomes.
func TestParseWritten(t *testing.T) {
	yes := true
	_ = yes
	tests := []struct {
		name        string
		board       Board
		page        string
		want        []jobdata.Posting
		wantRejects []int // indexes
	}{
		{
			name: "greenhouse with content", board: Board{Kind: "greenhouse", Name: "acme"}, page: "greenhouse-content.json",
			want: []jobdata.Posting{
				{SourceID: "4001001", URL: "https://boards.greenhouse.io/acme/jobs/4001001", Title: "Senior Backend Engineer (Go)",
					Company: "Acme Payments GmbH", Category: "Engineering", JobType: "Full-time", LocationText: "Berlin, Germany",
					Description: "<p>You will build our <strong>payments</strong> API in Go &amp; PostgreSQL.</p><script>alert(1)</script>",
					PublishedAt: date("2026-11-02T14:30:00Z"),
					SalaryHint:  jobdata.Salary{Min: 70000, Max: 90000, Currency: "EUR", Period: "year"}},
				{SourceID: "4001002", URL: "https://boards.greenhouse.io/acme/jobs/4001002", Title: "Account Executive",
					Company: "Acme Payments GmbH", LocationText: "Remote, Spain", Description: "<p>Sell.</p>",
					PublishedAt: date("2026-11-21T08:00:00Z")},
			},
			wantRejects: []int{2},
		},
		{
			name: "lever", board: Board{Kind: "lever", Name: "acme", Company: "Acme Ltd"}, page: "lever.json",
			want: []jobdata.Posting{
				{SourceID: "5ac3f0d2-1b8e-4d6a-9f21-0c1d2e3f4a5b", URL: "https://jobs.lever.co/acme/5ac3f0d2-1b8e-4d6a-9f21-0c1d2e3f4a5b",
					Title: "Staff Data Engineer", Company: "Acme Ltd", Category: "Engineering", JobType: "Full-time",
					LocationText: "London, UK; Manchester, UK (Hybrid)",
					Description:  "<div>We move data.</div><h3>What you will do</h3><ul><li>Build pipelines in Python and Spark</li></ul><div>Benefits.</div>",
					PublishedAt:  date("2025-11-06T00:00:00Z"),
					SalaryHint:   jobdata.Salary{Min: 95000, Max: 120000, Currency: "GBP", Period: "year"}},
				{SourceID: "6bd4e1e3-2c9f-4e7b-8a32-1d2e3f4a5b6c", URL: "https://jobs.lever.co/acme/6bd4e1e3-2c9f-4e7b-8a32-1d2e3f4a5b6c",
					Title: "Customer Support Specialist", Company: "Acme Ltd", Category: "Support", JobType: "Part-time",
					LocationText: "United States (Remote)", Description: "<p>Help customers.</p>", PublishedAt: date("2025-11-07T00:00:00Z"),
					SalaryHint: jobdata.Salary{Min: 22, Max: 28, Currency: "USD", Period: "hour"}},
			},
			wantRejects: []int{2},
		},
		{
			name: "ashby", board: Board{Kind: "ashby", Name: "acme"}, page: "ashby.json",
			want: []jobdata.Posting{
				{SourceID: "0b6e5f1c-7d2a-4c3b-9e8f-1a2b3c4d5e6f", URL: "https://jobs.ashbyhq.com/acme/0b6e5f1c-7d2a-4c3b-9e8f-1a2b3c4d5e6f",
					Title: "Product Designer", Company: "acme", Category: "Design", JobType: "FullTime",
					LocationText: "Amsterdam, Netherlands; Rotterdam, Netherlands (Hybrid)", Description: "<p>Design with Figma.</p>",
					PublishedAt: date("2026-10-30T14:29:08.532Z"),
					SalaryHint:  jobdata.Salary{Min: 60000, Max: 75000, Currency: "EUR", Period: "year"}},
				{SourceID: "1c7f6a2d-8e3b-4d4c-af90-2b3c4d5e6f70", URL: "https://jobs.ashbyhq.com/acme/1c7f6a2d-8e3b-4d4c-af90-2b3c4d5e6f70",
					Title: "Site Reliability Engineer", Company: "acme", Category: "Engineering", JobType: "FullTime",
					LocationText: "Europe (Remote)", Description: "<p>Kubernetes.</p>", PublishedAt: date("2026-11-01T08:00:00Z")},
			},
		},
		{
			name: "smartrecruiters", board: Board{Kind: "smartrecruiters", Name: "AcmeGroup"}, page: "smartrecruiters-2.json",
			want: []jobdata.Posting{
				{SourceID: "744000012399999", URL: "https://jobs.smartrecruiters.com/AcmeGroup/744000012399999",
					Title: "Remote Sales Manager", Company: "Acme Group", Category: "Sales", JobType: "Full-time",
					LocationText: "FR (Remote)", PublishedAt: date("2026-11-12T07:00:00Z")},
			},
		},
		{
			name: "recruitee", board: Board{Kind: "recruitee", Name: "acme"}, page: "recruitee.json",
			want: []jobdata.Posting{
				{SourceID: "1712345", URL: "https://acme.recruitee.com/o/frontend-developer", Title: "Frontend Developer (React)",
					Company: "Acme B.V.", Category: "Engineering", JobType: "fulltime_permanent",
					LocationText: "Utrecht, Netherlands (Hybrid)", Description: "<p>React and TypeScript.</p><ul><li>3 years</li></ul>",
					PublishedAt: date("2026-11-03T09:12:44Z"),
					SalaryHint:  jobdata.Salary{Min: 4000, Max: 5500, Currency: "EUR", Period: "month"}},
				{SourceID: "1712346", URL: "https://acme.recruitee.com/o/office-manager", Title: "Office Manager",
					Company: "Acme B.V.", Category: "Operations", JobType: "parttime_permanent",
					LocationText: "Amsterdam, Netherlands (On-site)", Description: "<p>Run the office.</p>",
					PublishedAt: date("2026-11-04T10:00:00Z")},
			},
		},
		{
			name: "workable", board: Board{Kind: "workable", Name: "acme-robotics"}, page: "workable.json",
			want: []jobdata.Posting{
				{SourceID: "A1B2C3D4E5", URL: "https://apply.workable.com/j/A1B2C3D4E5", Title: "Embedded Software Engineer",
					Company: "Acme Robotics", Category: "R&D", JobType: "Full-time", LocationText: "Athens, Attica, Greece",
					Description: "<p>C and C++ on microcontrollers.</p>", PublishedAt: date("2026-11-05T00:00:00Z")},
				{SourceID: "F6G7H8I9J0", URL: "https://apply.workable.com/j/F6G7H8I9J0", Title: "Technical Writer",
					Company: "Acme Robotics", Category: "Docs", JobType: "Contract", LocationText: "Portugal (Remote)",
					Description: "<p>Write docs.</p>", PublishedAt: date("2026-11-06T00:00:00Z")},
			},
		},
		{
			name: "personio", board: Board{Kind: "personio", Name: "acme"}, page: "personio.xml",
			want: []jobdata.Posting{
				{SourceID: "1234567", URL: "https://acme.jobs.personio.de/job/1234567", Title: "Java Entwickler (m/w/d)",
					Company: "Acme Software GmbH", Category: "Engineering", JobType: "permanent, full-time",
					LocationText: "München; Hamburg",
					Description:  "<h3>Deine Aufgaben</h3><ul><li>Java und Spring Boot</li></ul><h3>Dein Profil</h3><p>Gehalt: 65.000 € bis 80.000 € im Jahr</p>",
					PublishedAt:  date("2026-10-28T08:15:00Z")},
				{SourceID: "1234568", URL: "https://acme.jobs.personio.de/job/1234568", Title: "Werkstudent Marketing (m/w/d)",
					Company: "acme", Category: "Marketing", JobType: "working_student, part-time", LocationText: "Remote",
					PublishedAt: date("2026-11-02T08:15:00Z")},
			},
			wantRejects: []int{2},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			key := "raw/source=" + tc.board.Source() + "/page-0001.json"
			ps, rs, err := Parse(tc.board, written(t, tc.page), key)
			if err != nil {
				t.Fatal(err)
			}
			for i := range tc.want {
				tc.want[i].Source, tc.want[i].LakeKey = tc.board.Source(), key
			}
			if d := cmp.Diff(tc.want, ps, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("postings (-want +got):\n%s", d)
			}
			var got []int
			for _, r := range rs {
				got = append(got, r.Index)
				if r.LakeKey != key || r.Reason == "" {
					t.Errorf("reject %+v: want lake key %s and a reason", r, key)
				}
			}
			if d := cmp.Diff(tc.wantRejects, got, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("rejected indexes (-want +got):\n%s", d)
			}
		})
	}
}

// TestParseMalformed: a page that is not the system's answer is an error
// wrapping ingest.ErrMalformed, naming the lake key.
func TestParseMalformed(t *testing.T) {
	for _, tc := range []struct{ kind, body string }{
		{"greenhouse", `{"message": "not found"}`},
		{"greenhouse", `<html>`},
		{"lever", `{"ok": false}`},
		{"lever", `null`},
		{"ashby", `{"jobs": null}`},
		{"smartrecruiters", `{"offset": 0}`},
		{"recruitee", `{"offers": 3}`},
		{"workable", `{"name": "x"} {}`},
		{"personio", `<html><body>Not found</body></html>`},
		{"personio", `<workzag-jobs><position>`},
		{"personio", ``},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			_, _, err := Parse(Board{Kind: tc.kind, Name: "x"}, []byte(tc.body), "raw/k")
			if err == nil || !strings.Contains(err.Error(), "raw/k") || !isMalformed(err) {
				t.Errorf("Parse(%q) = %v: want an error wrapping ErrMalformed naming raw/k", tc.body, err)
			}
		})
	}
}

func isMalformed(err error) bool { return err != nil && errorsIs(err, ingest.ErrMalformed) }
