package warehouse_test

import (
	"testing"
	"time"

	"github.com/jobpulse/jobpulse/internal/jobdata"
	"github.com/jobpulse/jobpulse/warehouse"
)

// TestContentHashPinned: the content hash of a posting is the one the
// loader's own binary COPY encoder gives it (copybuf.go's encodeHead, as at
// commit ec19aa9). Warehouses store these hashes: were they to change (the
// encoder replaced by pgx.CopyFrom, say, which was measured and kept out),
// the next load would find every known posting changed and rewrite it. The
// values below were computed with that encoder; the cases cover NULLs (no
// salary, no publication time, no occupation code), empty and filled
// arrays, unicode, an occupation code, times before 1970 and 2000, and
// salary figures across base-10000 groups.
func TestContentHashPinned(t *testing.T) {
	full := jobdata.Posting{
		Source: "remotive", SourceID: "1234", URL: "https://remotive.com/remote-jobs/1234", Title: "Senior Go Engineer",
		Company: "Acme Inc.", CompanyLogo: "https://remotive.com/logo/1234", Category: "Software Development",
		JobType: "full_time", LocationText: "USA, Canada", SalaryText: "$100k - $120.5k", Tags: []string{"go", "sql"},
		Description: "<p>ignored: not a column</p>", PublishedAt: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC),
		LakeKey:     "raw/source=remotive/date=2026-11-28/run=r/page-0001.json (not hashed)",
		CompanyName: "Acme", CompanyKey: "acme", Role: "Backend Engineer", Seniority: "Senior",
		Location: jobdata.Location{Scope: jobdata.ScopeCountry, Countries: []string{"CA", "US"},
			Regions: []string{"Americas"}, Workplace: jobdata.Remote},
		Salary: jobdata.Salary{Min: 100000, Max: 120500.5, Currency: "USD", Period: jobdata.Year,
			AnnualMin: 100000, AnnualMax: 120500.5},
		Skills: []string{"go", "sql"}, DescriptionText: "Build things.", Fingerprint: "not hashed",
	}
	withCode := full
	withCode.OccupationCode = "rome:M1805"
	unicode := jobdata.Posting{
		Source: "francetravail", SourceID: "187XKQD", URL: "https://candidat.francetravail.fr/offres/187XKQD",
		Title: "Développeur·se Go (H/F) – 東京 🚀", Company: "Société Générale S.A.", CompanyName: "Société Générale",
		CompanyKey: "société générale", Category: "Informatique", JobType: "CDI", LocationText: "75 - Paris 8e, Île-de-France",
		SalaryText: "Mensuel de 3 500,00 € à 4 166,67 €", Tags: []string{"", "日本語", "ÆØÅ"},
		PublishedAt: time.Date(1999, 12, 31, 23, 59, 59, 999999000, time.UTC),
		Role:        "Backend Engineer", Location: jobdata.Location{Scope: jobdata.ScopeCountry, Countries: []string{"FR"},
			Regions: []string{}, Workplace: jobdata.Hybrid},
		Salary: jobdata.Salary{Min: 3500, Max: 4166.67, Currency: "EUR", Period: jobdata.Month,
			AnnualMin: 42000, AnnualMax: 50000.04},
		Skills: []string{}, DescriptionText: "Vous développerez « nos » services.\nÇa va ? 😀", OccupationCode: "rome:M1805·é",
	}
	oddAmounts := jobdata.Posting{
		Source: "weworkremotely", SourceID: "x", Title: "Contractor",
		PublishedAt: time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC),
		Location:    jobdata.Location{Scope: jobdata.ScopeWorldwide, Countries: []string{}, Regions: []string{"Europe", "Asia"}},
		Salary: jobdata.Salary{Min: 0.0001, Max: 123456789012.5, Currency: "GBP", Period: jobdata.Hour,
			AnnualMin: 12345.6789, AnnualMax: 31200.123456},
		Tags: []string{"a"},
	}
	// Only what no posting may lack: every other value NULL or empty, the
	// arrays nil (stored as empty).
	bare := jobdata.Posting{Source: "remoteok", SourceID: "42"}
	bareEmpty := bare
	bareEmpty.Tags, bareEmpty.Skills = []string{}, []string{}
	bareEmpty.Location.Countries, bareEmpty.Location.Regions = []string{}, []string{}
	bareCode := bare
	bareCode.OccupationCode = "isco:2512"

	tests := []struct {
		name string
		p    jobdata.Posting
		want int64
	}{
		{name: "full", p: full, want: 1512026162593406850},
		{name: "full with occupation code", p: withCode, want: 298154483576878796},
		{name: "unicode, empty strings, before 2000, with code", p: unicode, want: 3540802192235563109},
		{name: "amounts across groups, before 1970", p: oddAmounts, want: -231948500320250756},
		{name: "bare: nulls and nil arrays", p: bare, want: 2915025172261075831},
		{name: "bare: empty arrays", p: bareEmpty, want: 2915025172261075831},
		{name: "bare with occupation code", p: bareCode, want: -4958121365101267731},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := warehouse.ContentHash(tt.p); got != tt.want {
				t.Errorf("content hash = %d, want %d", got, tt.want)
			}
		})
	}
}
