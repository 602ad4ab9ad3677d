package ingest

import "github.com/jobpulse/jobpulse/ingest/normalize"

// Normalize fills the normalized fields of p from its raw fields and hints,
// with the rules of package [normalize]:
//
//   - Role and Seniority from the title ([normalize.Title]).
//   - Location from LocationText ([normalize.ParseLocation]). A RemoteHint
//     wins over the text for the workplace: true makes it remote; false makes
//     it on-site, unless the text says hybrid (a hybrid job is not remote
//     either).
//   - Salary from SalaryHint when the source gave one and it is plausible
//     ([normalize.CompleteSalary] checks it and adds the period and annual
//     figures it implies); otherwise from SalaryText ([normalize.ParseSalary]).
//     An implausible salary leaves Salary empty.
//   - Skills from Tags and the title ([normalize.Skills]).
//   - DescriptionText from Description ([normalize.PlainText]).
//   - Fingerprint from Company, Title and the normalized Location
//     ([normalize.Fingerprint]); postings with the same fingerprint are one
//     posting in the warehouse.
//
// Normalize only writes the normalized fields, so calling it twice gives the
// same posting.
func Normalize(p *Posting) {
	p.Role, p.Seniority = normalize.Title(p.Title)

	p.Location = normalize.ParseLocation(p.LocationText)
	if p.RemoteHint != nil {
		switch {
		case *p.RemoteHint:
			p.Location.Workplace = normalize.Remote
		case p.Location.Workplace != normalize.Hybrid:
			p.Location.Workplace = normalize.Onsite
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

	p.Skills = normalize.Skills(p.Tags, p.Title)
	p.DescriptionText = normalize.PlainText(p.Description)
	p.Fingerprint = normalize.Fingerprint(p.Company, p.Title, p.Location)
}
