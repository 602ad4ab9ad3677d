package ingest

import "github.com/jobpulse/jobpulse/ingest/normalize"

// Normalize fills the normalized fields of p from its raw fields and hints,
// with the rules of package [normalize]:
//
//   - Role and Seniority from the title ([normalize.Title]).
//   - Location from LocationText ([normalize.ParseLocation]). The workplace
//     is what the location text says; else what the description says
//     ([normalize.TextWorkplace]: on-site, wholly remote, hybrid, or some
//     work from home, which is remote on a source whose postings are all
//     remote and hybrid elsewhere); else the source's RemoteHint: true makes
//     it remote, false on-site. Explicit text beats a source's flag.
//   - Salary from SalaryHint when the source gave one and it is plausible
//     ([normalize.CompleteSalary] checks it and adds the period and annual
//     figures it implies); otherwise from SalaryText ([normalize.ParseSalary]).
//     An implausible salary leaves Salary empty.
//   - Skills from Tags and the title, through the skills table only
//     ([normalize.Skills]): a tag the table does not know stays in Tags and
//     is no skill. DescriptionText is read for the support an ambiguous tag
//     ("go", "r", "health") needs, so it is set first.
//   - DescriptionText from Description ([normalize.PlainText]).
//   - Fingerprint from Company, Title and the normalized Location
//     ([normalize.Fingerprint]); postings with the same fingerprint are one
//     posting in the warehouse.
//
// Normalize only writes the normalized fields, so calling it twice gives the
// same posting.
func Normalize(p *Posting) {
	p.Role, p.Seniority = normalize.Title(p.Title)

	p.DescriptionText = normalize.PlainText(p.Description)
	p.Location = normalize.ParseLocation(p.LocationText)
	if p.Location.Workplace == "" {
		remoteOnly := p.RemoteHint != nil && *p.RemoteHint
		p.Location.Workplace = normalize.TextWorkplace(p.DescriptionText, remoteOnly)
		if p.Location.Workplace == "" && p.RemoteHint != nil {
			p.Location.Workplace = normalize.Onsite
			if remoteOnly {
				p.Location.Workplace = normalize.Remote
			}
		}
	}

	p.Salary = normalize.Salary{}
	if p.SalaryHint.Known() {
		if s, ok := normalize.CompleteSalary(p.SalaryHint); ok {
			p.Salary = s
		}
	}
	if !p.Salary.Known() {
		if s, ok := normalize.ParseSalary(p.SalaryText); ok {
			p.Salary = s
		}
	}

	p.Skills = normalize.Skills(p.Tags, p.Title, p.DescriptionText)
	p.Fingerprint = normalize.Fingerprint(p.Company, p.Title, p.Location)
}
